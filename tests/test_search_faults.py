"""A damaged, stale, full or unwritable index: one-line messages, repairs, never a traceback
(issues 10 and 17: fault injection on the index folder)."""

from __future__ import annotations

import errno
import os
import random
import sqlite3
from pathlib import Path

import pytest
from whoosh.codec import base as codec_base
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from app.cli import main
from storage.library import Library
from storage.search import IndexWriteError
from storage.search.checksums import SIDECAR

NAMES = ("lib_papers.bib", "lib_papers.ris", "lib_papers.csl.json")


@pytest.fixture
def folder(tmp_path: Path, fixtures_dir: Path) -> Path:
    folder = tmp_path / "lib"
    with Library(folder) as library:
        for name in NAMES:
            library.import_file(fixtures_dir / name)
        library.check(rebuild=True)  # one segment holding every paper
    return folder


@pytest.fixture
def big_folder(folder: Path) -> Path:
    """The library with 400 more papers, so that a segment is mostly postings."""
    source = folder.parent / "more.ris"
    source.write_text(
        "".join(
            f"TY  - JOUR\nTI  - Study {n} of quokka habitat {n * 7919 % 1000}\n"
            f"AB  - Burrows, diets and {n} sightings in survey {n % 17}.\nAU  - Author{n}, Ann\n"
            f"PY  - {1990 + n % 30}\nDO  - 10.1234/q.{n}\nER  - \n\n"
            for n in range(400)
        ),
        encoding="utf-8",
    )
    with Library(folder) as library:
        library.import_file(source)
        library.check(rebuild=True)
    return folder


def _segments(folder: Path) -> list[Path]:
    return sorted((folder / "index").glob("*.seg"), key=lambda p: p.stat().st_size)


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _empty(path: Path) -> None:
    os.truncate(path, 0)


def _garble(path: Path) -> None:
    """4 KB of random bytes in the middle (or the whole file if smaller)."""
    size = path.stat().st_size
    start = max(0, size // 2 - 2048)
    with path.open("r+b") as handle:
        handle.seek(start)
        handle.write(random.Random(7).randbytes(min(4096, size - start)))


# --- damaged segment files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage", [_truncate, _empty, Path.unlink], ids=["truncated", "emptied", "deleted"]
)
def test_damaged_segment_is_rebuilt_at_open(folder: Path, damage) -> None:
    damage(_segments(folder)[-1])
    with Library(folder) as library:
        assert library.search("title:electra").total == 1
        assert any(n.startswith("rebuilt the search index (5 papers") for n in library.notices)
        report = library.check(repair=True)
        assert report.problems == () and report.ok
        assert any("rebuilt the search index" in r for r in report.repaired)  # done at open


# Whoosh leaves the damaged file open when reading it fails (closed by the collector).
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", [_truncate, _empty], ids=["truncated", "emptied"])
def test_segment_damaged_while_open_is_rebuilt_on_search(folder: Path, damage) -> None:
    with Library(folder) as library:
        damage(_segments(folder)[-1])
        hits = {h.id for h in library.search("dense OR electra OR retrieval").hits}
        assert library.resolve("clark2020electra") in hits
        assert library.check().problems == ()


def test_check_fails_and_repair_rebuilds_garbled_segments(big_folder: Path, capsys) -> None:
    """Random bytes inside a segment: check said 'in step' while queries went wrong."""
    folder = big_folder
    _garble(_segments(folder)[-1])
    code = main(["--library", str(folder), "check"])
    out = capsys.readouterr().out
    if code == 0:  # the bytes hit a part read at open (which segment is biggest varies)
        assert "repaired: rebuilt the search index (405 papers; it was damaged)" in out
    else:
        assert code == 1
        assert "is damaged (its checksum differs)" in out and "ok:" not in out
        assert main(["--library", str(folder), "check", "--repair"]) == 0
        out = capsys.readouterr().out
        assert "repaired: rebuilt the search index (405 papers; its files were damaged)" in out
    assert main(["--library", str(folder), "check"]) == 0
    assert "ok: database intact, search index in step" in capsys.readouterr().out


def test_missing_checksums_are_reported(folder: Path) -> None:
    (folder / "index" / SIDECAR).unlink()
    with Library(folder) as library:
        expected = "index: no checksums recorded for the search index files"
        assert library.check().problems == (expected,)
        assert library.check(repair=True).ok
        assert library.check().problems == ()


# --- stale index: fingerprints ------------------------------------------------------------------


def test_stale_index_is_caught_by_check_and_repaired(folder: Path, capsys) -> None:
    """A title changed in SQLite without the index knowing (no queue entry): counts agree."""
    with sqlite3.connect(folder / "library.db") as conn:
        conn.execute(
            "UPDATE paper SET title='Quokka Discriminators' WHERE citation_key='clark2020electra'"
        )
    conn.close()
    assert main(["--library", str(folder), "check"]) == 1
    assert "problem: index: 1 papers differ from the database" in capsys.readouterr().out
    assert main(["--library", str(folder), "check", "--repair"]) == 0
    assert "repaired: re-indexed the search index (1 papers differed)" in capsys.readouterr().out
    with Library(folder) as library:
        assert library.search("quokka").total == 1 and library.search("electra").total == 0
        assert library.check().problems == ()


def test_check_rebuild_forces_a_full_rebuild(folder: Path, capsys) -> None:
    before = {p.name for p in _segments(folder)}
    assert main(["--library", str(folder), "check", "--rebuild"]) == 0
    assert "repaired: rebuilt the search index (5 papers; as asked)" in capsys.readouterr().out
    assert {p.name for p in _segments(folder)}.isdisjoint(before)


# --- full disk, unwritable folder ---------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch):
    """Every write of an index file fails as on a full disk (Whoosh writes through StructFile)."""

    def write(self, *args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fill() -> None:
        monkeypatch.setattr(StructFile, "write", write)

    return fill


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch):
    """The index folder cannot be written (as root, chmod alone would not stop us)."""

    def create_file(self, name, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)

    def protect() -> None:
        monkeypatch.setattr(FileStorage, "create_file", create_file)

    return protect


@pytest.mark.parametrize("fault", ["full_disk", "read_only"])
def test_edits_on_an_unwritable_index_commit_and_catch_up_later(
    folder: Path, fault: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = {"full_disk": "the disk is full", "read_only": "it is not writable"}[fault]
    with Library(folder) as library:
        pid = library.resolve("clark2020electra")
        request.getfixturevalue(fault)()
        library.add_tags([pid], ["wombat"])
        note = library.add_note(pid, "numbat sightings")
        assert note and "wombat" in library.paper(pid).tags
        expected = f"{folder / 'index'}: the search index could not be written ({reason})"
        assert any(n.startswith(expected) for n in library.notices)
        assert library.search("title:electra").total == 1  # reading still works
        with pytest.raises(IndexWriteError, match="could not be written"):
            library.check(rebuild=True)
        monkeypatch.undo()
        library.set_status([pid], "read")  # writable again: the queue is caught up
        assert [h.id for h in library.search("tag:wombat numbat").hits] == [pid]
        assert library.check().problems == ()


def test_import_on_a_full_disk_keeps_the_papers_and_says_so(
    tmp_path: Path, fixtures_dir: Path, full_disk
) -> None:
    with Library(tmp_path / "lib") as library:
        full_disk()
        report = library.import_file(fixtures_dir / "lib_papers.bib")
        assert report.new_ids and library.stats().papers == len(report.new_ids)
        assert any("the disk is full" in n for n in library.notices)


def test_cli_on_a_full_disk_gives_one_line(folder: Path, full_disk, capsys) -> None:
    full_disk()
    assert main(["--library", str(folder), "tag", "clark2020electra", "--add", "wombat"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "note: " in err and "the disk is full" in err
    assert main(["--library", str(folder), "search", "electra"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--library", str(folder), "check", "--rebuild"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    expected = f"{folder / 'index'}: the search index could not be written (the disk is full)"
    assert err[0] == f"papershelf: {expected}"


# --- segment names --------------------------------------------------------------------------------


def test_segment_names_ignore_the_global_random_seed(folder: Path) -> None:
    random.seed(1)
    first = codec_base.random_name(16)
    random.seed(1)
    assert codec_base.random_name(16) != first
    with Library(folder) as library:
        ids = [library.resolve(key) for key in ("clark2020electra", "karpukhin2020dense")]
        for n, pid in enumerate(ids * 2):
            random.seed(1)  # a library anywhere in the process reseeds the global random
            library.add_tags([pid], [f"seeded{n}"])
        segments = [seg.segment_id() for seg in library.index._ix._segments()]
        assert len(set(segments)) == len(segments)
        for n in range(4):
            assert library.search(f"tag:seeded{n}").total == 1
        assert library.check().problems == ()
