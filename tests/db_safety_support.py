"""Helpers for the database-safety tests: a small real library, CLI runs, file damage."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest

from app.cli import main
from storage.library import Library

PAPERS = 120


def bibtex(count: int, start: int = 0) -> str:
    """`count` distinct entries with abstracts long enough to spread over many pages."""
    return "\n".join(
        f"@article{{safe{i},\n  title = {{Careful study {i:04d} of storage faults}},\n"
        f"  author = {{Writer{i % 7}, Ann and Second, Sam}},\n  year = {{{1990 + i % 30}}},\n"
        f"  doi = {{10.5555/safe.{i}}},\n"
        f"  abstract = {{{' '.join(f'word{(i * 31 + k) % 997}' for k in range(60))}}}\n}}\n"
        for i in range(start, start + count)
    )


def build_library(folder: Path, work: Path, count: int = PAPERS) -> Path:
    """A real library with `count` papers, a tag, a note and a list; closed (so backed up)."""
    source = work / f"papers-{count}.bib"
    source.write_text(bibtex(count), encoding="utf-8")
    with Library(folder) as library:
        library.import_file(source)
        library.add_tags([1, 2, 3], ["kept"])
        library.add_note(2, "a note worth keeping")
        library.create_list("reading")
        library.add_to_list("reading", [1, 3])
    return folder


def copy_library(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    """The command line in-process: an exception escaping main fails the calling test."""
    try:
        code = main(["--library", str(lib), *args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str, *names: str) -> None:
    """A clean failure: one line on stderr, naming what it must, no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for name in names:
        assert name in lines[0], lines[0]


def damage(path: Path, offset: int, size: int = 4096, seed: int = 0) -> None:
    """Overwrite size bytes at offset with random ones (as a failing disk would)."""
    noise = random.Random(seed * 7919 + offset).randbytes(size)
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(noise)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
