"""storage.background: a Library in a process of its own, as the window uses it for imports."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from storage.background import (
    Failed,
    Indexed,
    Indexing,
    LibraryProcess,
    ProcessFailed,
    Progress,
    Stored,
    StoringDone,
)
from storage.importing import ImportCancelled
from storage.library import Library
from storage.search import SearchIndex

TOPICS = ("attention", "graphs", "pruning", "diffusion")


def write_bibtex(path: Path, count: int, start: int = 0) -> Path:
    entries = [
        f"@article{{p{i},\n  title = {{Paper {i:05d} on {TOPICS[i % 4]}}},\n"
        f"  author = {{Noether, Emmy}},\n  year = {{{2000 + i % 20}}}\n}}\n"
        for i in range(start, start + count)
    ]
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    Library(tmp_path / "lib").close()
    return tmp_path / "lib"


@pytest.fixture
def process(folder: Path):
    process = LibraryProcess(folder)
    yield process
    process.close()


def test_an_import_is_stored_then_indexed_in_another_process(
    process: LibraryProcess, folder: Path, tmp_path: Path
) -> None:
    bib = write_bibtex(tmp_path / "a.bib", 300)
    events: list[object] = []
    seen_when_stored: list[tuple[int, int]] = []

    def on_event(event: object) -> None:
        events.append(event)
        if isinstance(event, StoringDone):  # the papers are committed, not yet searchable
            # Read as they are (a Library opened here would catch the index up itself).
            with sqlite3.connect(folder / "library.db") as db:
                (papers,) = db.execute("SELECT count(*) FROM paper").fetchone()
            index = SearchIndex(folder / "index")
            try:
                seen_when_stored.append((papers, index.doc_count()))
            finally:
                index.close()

    call = process.call("import_files", {"paths": [str(bib)]}, on_event)
    indexed = call.wait(60)
    assert isinstance(indexed, Indexed) and indexed.in_step
    assert process.pid is not None and process.pid != os.getpid()
    kinds = [type(event) for event in events]
    assert kinds.index(Stored) < kinds.index(StoringDone) < kinds.index(Indexing)
    assert Progress in kinds
    (stored,) = [e for e in events if isinstance(e, Stored)]
    assert len(stored.report.new_ids) == 300
    assert seen_when_stored == [(300, 0)]
    last = [e for e in events if isinstance(e, Indexing)][-1]
    assert last.done == last.total == 300
    with Library(folder) as library:
        assert library.search("pruning", limit=1).total == 75


def test_a_file_that_cannot_be_imported_is_named_and_the_next_goes_on(
    process: LibraryProcess, folder: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.ris"
    bad.write_text("TY  - JOUR\nthis is not RIS at all\n", encoding="utf-8")
    good = write_bibtex(tmp_path / "b.bib", 5)
    events: list[object] = []
    call = process.call("import_files", {"paths": [str(bad), str(good)]}, events.append)
    assert call.wait(60).in_step
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert "broken.ris" in failed.text
    assert [len(e.report.new_ids) for e in events if isinstance(e, Stored)] == [5]


def test_a_cancelled_import_rolls_back_and_the_process_serves_the_next_call(
    process: LibraryProcess, folder: Path, tmp_path: Path
) -> None:
    big = write_bibtex(tmp_path / "big.bib", 3000)
    progressed = threading.Event()

    def on_event(event: object) -> None:
        if isinstance(event, Progress):
            progressed.set()

    call = process.call("import_files", {"paths": [str(big)]}, on_event)
    assert progressed.wait(60)
    call.cancel()
    call.wait(60)  # the catch-up that follows has nothing to index
    with Library(folder) as library:
        assert library.stats().papers == 0
    again = process.call("import_files", {"paths": [str(write_bibtex(tmp_path / "c.bib", 2))]})
    assert again.wait(60).in_step
    with Library(folder) as library:
        assert library.stats().papers == 2


def test_a_call_cancelled_before_it_starts_never_runs(
    process: LibraryProcess, folder: Path, tmp_path: Path
) -> None:
    first = process.call("import_files", {"paths": [str(write_bibtex(tmp_path / "d.bib", 500))]})
    second = process.call("import_text", {"text": "@misc{x, title={Never}}", "source": "Clip"})
    second.cancel()
    first.wait(60)
    with pytest.raises(ImportCancelled):
        second.wait(60)
    with Library(folder) as library:
        assert library.stats().papers == 500


def test_a_library_that_cannot_be_opened_fails_the_call_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    process = LibraryProcess(blocker / "lib")
    try:
        call = process.call("catch_up")
        with pytest.raises(ProcessFailed) as failure:
            call.wait(60)
    finally:
        process.close()
    assert "could not be opened" in str(failure.value) and "\n" not in str(failure.value)


def test_closing_stops_a_call_under_way_and_a_later_call_starts_a_new_process(
    folder: Path, tmp_path: Path
) -> None:
    process = LibraryProcess(folder)
    big = write_bibtex(tmp_path / "big.bib", 3000)
    progressed = threading.Event()
    call = process.call(
        "import_files",
        {"paths": [str(big)]},
        lambda e: progressed.set() if isinstance(e, Progress) else None,
    )
    assert progressed.wait(60)
    first_pid = process.pid
    process.close()
    with pytest.raises(ProcessFailed):
        call.wait(10)
    assert not process.running
    with Library(folder) as library:
        assert library.stats().papers == 0  # rolled back
    try:
        again = process.call("catch_up")
        assert again.wait(60).in_step
        assert process.pid not in (None, first_pid)
    finally:
        process.close()
