"""What the window's GUI thread never does itself: read or write the search index (issue 15).

Timings are measured by `make bench`; these tests check where the work runs."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from gui_support import click_row, press, settle, type_search, write_bibtex
from PySide6.QtCore import Qt

from app.gui.window import SNIPPET_DELAY_MS
from storage.library import Library
from storage.search.bulk import MIN_DOCS_FOR_PROCS
from storage.search.searching import IndexSearches

pytestmark = pytest.mark.gui


@pytest.fixture
def index_reads(monkeypatch) -> list[str]:
    """The names of the threads every search of the index ran on."""
    threads: list[str] = []
    real = IndexSearches._run

    def run(self, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(IndexSearches, "_run", run)
    return threads


def on_gui_thread(names: list[str]) -> list[str]:
    main = threading.main_thread().name
    return [name for name in names if name == main]


def wait_for(qtbot, done: Callable[[], bool], timeout: int = 5000) -> None:
    qtbot.waitUntil(done, timeout=timeout)


def test_searching_and_the_snippet_run_off_the_gui_thread(
    qtbot, window, library: Library, index_reads: list[str], monkeypatch
) -> None:
    """One evaluation of the query (on the search worker) gives the rows and the words every
    row's snippet is cut from: showing snippets searches the index no more (issue 15: two
    searches of a fuzzy word's expansions at once kept the GUI thread from the GIL)."""
    cuts: list[str] = []
    real = library.snippet

    def snippet(matches, pid):
        cuts.append(threading.current_thread().name)
        return real(matches, pid)

    monkeypatch.setattr(library, "snippet", snippet)
    type_search(qtbot, window, "pruning")
    assert window.model.rowCount() == 3
    wait_for(qtbot, lambda: "pruning" in window.detail.snippet.text().lower())
    other = next(pid for pid in window.model.ids if pid != window.table.current_id())
    snippet_shown = window.detail.snippet.text()
    click_row(qtbot, window, other)
    wait_for(qtbot, lambda: window.detail.snippet.text() not in ("", snippet_shown))
    assert len(index_reads) == 1  # the window's one search of "pruning"
    assert len(cuts) == 2 and on_gui_thread(cuts + index_reads) == []
    expected = library.search("pruning", 1, restrict_ids=[other]).hits[0].snippet
    assert window.detail.snippet.text().endswith(expected)


def test_a_snippet_never_searches_beside_a_newer_query(
    qtbot, window, library: Library, monkeypatch
) -> None:
    """A query typed right after a result is shown: the snippet timer of that result fires
    while the new query is searched, and waits for the new rows instead of searching the new
    query for the old row beside it. At most one search of the index runs at a time."""
    lock = threading.Lock()
    running: list[int] = [0, 0]  # now, most at once
    searched: list[str] = []
    release = threading.Event()
    real = IndexSearches._run

    def run(self, text, *args, **kwargs):
        with lock:
            searched.append(text)
            running[0] += 1
            running[1] = max(running)
        try:
            if text == "attention":
                release.wait(5)  # a slow search: the snippet timer fires meanwhile
            return real(self, text, *args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(IndexSearches, "_run", run)
    type_search(qtbot, window, "pruning")
    first = window.table.current_id()
    qtbot.keyClick(window.search.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search.field, "attention")
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    wait_for(qtbot, lambda: searched[-1:] == ["attention"])
    qtbot.wait(SNIPPET_DELAY_MS * 3)
    assert window.search_pending and window.table.current_id() == first
    release.set()
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)
    wait_for(qtbot, lambda: "attention" in window.detail.snippet.text().lower())
    assert running[1] == 1  # never two searches at once
    assert searched == ["pruning", "attention"]  # one evaluation a query


def test_a_snippet_for_a_paper_no_longer_shown_is_dropped(
    qtbot, window, library: Library, monkeypatch
) -> None:
    type_search(qtbot, window, "pruning")
    first, second = window.model.ids[:2]
    click_row(qtbot, window, first)
    wait_for(qtbot, lambda: window.detail.snippet.text() != "")
    expected = {
        pid: library.search("pruning", 1, restrict_ids=[pid]).hits[0].snippet
        for pid in (first, second)
    }
    assert expected[first] != expected[second]
    release = threading.Event()
    asked: list[int] = []
    real = library.snippet

    def slow_snippet(matches, pid):
        asked.append(pid)
        if pid == first:
            release.wait(5)  # the user moves on before this snippet comes back
        return real(matches, pid)

    shown: list[tuple[int | None, str]] = []
    real_show = window.detail.show_snippet

    def show_snippet(html: str, *args) -> None:
        shown.append((window.detail.current_paper_id, html))
        real_show(html, *args)

    monkeypatch.setattr(library, "snippet", slow_snippet)
    monkeypatch.setattr(window.detail, "show_snippet", show_snippet)
    window._snippet_for = None  # noqa: SLF001 (ask again for the paper on show)
    window.show_current()
    wait_for(qtbot, lambda: asked == [first])
    click_row(qtbot, window, second)
    release.set()
    wait_for(qtbot, lambda: (second, expected[second]) in shown)
    qtbot.wait(100)  # a late answer for the first paper would land now
    assert (second, expected[first]) not in shown
    assert all(html in ("", expected[pid]) for pid, html in shown if pid is not None)
    assert window.detail.current_paper_id == second


def test_a_window_import_runs_in_the_library_process_and_never_forks_the_window(
    qtbot, window, library: Library, tmp_path: Path, monkeypatch
) -> None:
    """Parsing, storing and indexing run in a spawned process; nothing forks the window's
    (a fork beside Qt's threads may deadlock). Big enough for the index to be written by
    worker processes, which the library process may fork."""
    forks: list[int] = []

    def no_fork() -> int:
        forks.append(os.getpid())
        raise OSError("fork() called in the window's process")

    here: list[str] = []
    real_import = Library.import_file

    def import_here(self, *args, **kwargs):
        here.append(threading.current_thread().name)
        return real_import(self, *args, **kwargs)

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(Library, "import_file", import_here)
    count = MIN_DOCS_FOR_PROCS + 100
    big = write_bibtex(tmp_path / "big.bib", count, start=100)
    with qtbot.waitSignal(window.importer.indexed, timeout=180_000) as indexed:
        with qtbot.waitSignal(window.importer.finished, timeout=120_000) as done:
            assert window.importer.import_paths([big]) is not None
        assert len(done.args[0].reports[0].new_ids) == count
        qtbot.waitUntil(lambda: window.model.rowCount() == 12 + count)  # shown once stored
    assert indexed.args[0].in_step
    assert forks == [] and here == []
    assert window.importer.background.process.pid not in (None, os.getpid())
    assert len(library.paper_ids(query="02150")) == 1  # searchable once indexed


def test_after_an_edit_the_view_is_read_again_off_the_gui_thread(
    qtbot, window, library: Library, monkeypatch
) -> None:
    """The search shown is re-ranked on the worker after an edit, and the rows that moved
    are worked out there: the GUI thread only moves them."""
    type_search(qtbot, window, "pruning")
    shown = list(window.model.ids)
    reads: list[str] = []
    real = window.model.query_matches

    def query_matches(*args, **kwargs):
        reads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(window.model, "query_matches", query_matches)
    click_row(qtbot, window, shown[1])
    press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # mark as read
    qtbot.waitUntil(lambda: library.paper(shown[1]).status == "read")
    settle(qtbot, window)
    assert reads and on_gui_thread(reads) == []
    assert sorted(window.model.ids) == sorted(shown)
