"""Format detection on damaged files (issue 17): JSON, BibTeX and RIS never become a listing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.formats.detect import detect_format, parse
from storage.formats.papershelf_json import write_papershelf_json
from storage.records import AuthorRecord, FormatError, PaperRecord

REPO = Path(__file__).resolve().parents[2]


def _backup_text(count: int = 30) -> str:
    """A Papershelf JSON backup as `export --format json` writes it (indent 1, one key a line)."""
    records = [
        PaperRecord(
            title=f"Paper number {n}",
            authors=[AuthorRecord(family="Lind", given="Bo")],
            year=2000 + n % 20,
            abstract=f"An abstract sentence for paper {n}. It goes on for a while.",
            tags=["t"],
        )
        for n in range(count)
    ]
    return write_papershelf_json(records)


def _cli(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--library", str(library), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _paper_count(library: Path) -> int:
    db = library / "library.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM paper").fetchone()[0]


@pytest.mark.parametrize(
    ("damage", "name", "line", "reason"),
    [
        # the fault probe of issue 17: the first line of a backup lost (840 junk papers before)
        ("first-line", "backup.json", 1, "is the start of the file missing?"),
        ("first-line", "backup.txt", 1, "is the start of the file missing?"),
        # a `// comment` written in front by a user or a tool
        ("comment", "backup.json", 1, "a comment, which JSON does not allow"),
        # a backup cut off in the middle: the parser says where
        ("truncated", "backup.json", 31, "broken JSON"),
    ],
)
def test_damaged_backup_is_an_error_naming_the_line(tmp_path, damage, name, line, reason):
    text = _backup_text()
    if damage == "first-line":
        text = text.split("\n", 1)[1]
    elif damage == "comment":
        text = "// my papers, exported on Monday\n" + text
    else:
        text = "\n".join(text.split("\n")[:30]) + "\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    library = tmp_path / "lib"
    done = _cli(library, "import", str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    message = done.stderr.strip()
    assert message.startswith(f"papershelf: {path}:{line}: "), message
    assert reason in message and "Traceback" not in message
    assert _paper_count(library) == 0


def test_json_file_that_is_no_json_is_an_error_not_a_listing(tmp_path):
    # A listing-like text saved with a `.json` name (or a JSON file garbled) is not a listing.
    path = tmp_path / "papers.json"
    path.write_text(
        "A Title Line Of Some Paper\nAn abstract paragraph about it. It says things.\n\n"
        "Another Title\nAnother abstract paragraph. More words here.\n",
        encoding="utf-8",
    )
    library = tmp_path / "lib"
    done = _cli(library, "import", str(path))
    assert done.returncode == 1
    assert done.stderr.startswith(f"papershelf: {path}:1: broken JSON")
    assert _paper_count(library) == 0


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        # CSL-JSON with a comment in front and no file name to go by
        ('// from citation-js\n[{"title": "T", "type": "book"}]', "csl-json"),
        ('/* exported */\n{"title": "T"}', "csl-json"),
        # JSON cut at the front, with no marker of either JSON format in view
        (' "title": "T",\n "type": "book"\n }\n]\n', "csl-json"),
        # BibTeX cut at the front: only field lines, no `@type{`
        ("  title = {Cut Entry},\n  author = {Lind, Bo},\n  year = 2020\n}\n", "bibtex"),
        # RIS cut at the front: the `TY` line lost (Scopus RIS export shape)
        ("AU  - Lind, B.\nTI  - Cut Record\nPY  - 2020\nSO  - Journal\nER  - \n", "ris"),
    ],
)
def test_shaped_text_is_never_a_listing(text, fmt):
    assert detect_format(text) == fmt
    with pytest.raises(FormatError):
        parse(text)


def test_listings_still_detected():
    text = (
        "Sparse Attention For Long Documents\nWe study sparse attention. It scales well.\n\n"
        '"Quoted": A Title With A Colon\nAn abstract of the second paper. It is long enough.\n'
    )
    assert detect_format(text) == "listing"
    assert detect_format(json.dumps([{"title": "x"}])) == "csl-json"
