"""The window while another process holds the search index (issues 10 and 17): it opens,
searches and tags without an exception, says the index is catching up, and turns a
SearchIndexError into one line instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import click_row, settle, write_bibtex

from app.gui.window import SNIPPET_DELAY_MS
from storage.background import LibraryProcess
from storage.library import Library
from storage.search import IndexBusyError
from storage.search.upkeep import CATCHING_UP, STALE_AFTER_WRITE

HINT = "catching up — results may be incomplete"


def _search(qtbot, window, text: str) -> None:
    window.search.field.setText(text)
    window.search.flush()
    qtbot.waitUntil(lambda: not window.search_pending, timeout=10_000)


def _status(window) -> str:
    return window.index_status.label.text()


def test_window_opened_while_another_process_indexes(
    qtbot, tmp_path: Path, make_window, held_lock, capfd
) -> None:
    """Issue 17: "the window itself failed" while another process was indexing."""
    folder = tmp_path / "busy"
    with Library(folder) as library:
        library.import_file(write_bibtex(tmp_path / "busy.bib", 8))
    for name in (folder / "index").iterdir():
        if name.suffix in (".toc", ".seg"):
            name.unlink()  # the index wants a rebuild at open ...
    held_lock(folder)  # ... which another process holds
    library = Library(folder)
    try:
        window = make_window(library)
        assert library.index_catching_up
        assert CATCHING_UP in _status(window)
        _search(qtbot, window, "attention")
        assert window.search.hint.isVisible() and window.search.hint.text() == HINT
        assert window.search.error_text == ""
        first = library.paper_ids()[0]
        window.editor.edit_tags([first], ["wombat"], [])
        settle(qtbot, window)  # the edit ran on the write lane, its index update waited 2 s
        assert "wombat" in library.paper(first).tags  # the database write went through
        assert window.sidebar.count_of(("tag", "wombat")) == 1
        assert _status(window) == STALE_AFTER_WRITE
        _search(qtbot, window, "tag:wombat")
        assert window.search.hint.isVisible()
        window.close()
    finally:
        library.close()
    assert "Traceback" not in capfd.readouterr().err


def test_no_hint_when_the_index_is_in_step(qtbot, window) -> None:
    _search(qtbot, window, "attention")
    assert window.model.rowCount() == 3
    assert window.search.hint.isHidden()
    assert window.index_status.label.isHidden() and _status(window) == ""


def test_a_rebuild_at_open_is_told_in_the_status_bar(qtbot, tmp_path: Path, make_window) -> None:
    folder = tmp_path / "rebuilt"
    with Library(folder) as library:
        library.import_file(write_bibtex(tmp_path / "rebuilt.bib", 5))
    for name in (folder / "index").iterdir():
        if name.suffix in (".toc", ".seg"):
            name.unlink()
    library = Library(folder)
    try:
        window = make_window(library)
        message = window.statusBar().currentMessage()
        assert message.startswith("rebuilt the search index (5 papers")
        assert window.index_status.label.isHidden()  # nothing lasting: the index is in step
        _search(qtbot, window, "attention")
        assert window.search.hint.isHidden() and window.model.rowCount() == 2
        window.close()
    finally:
        library.close()


def test_search_index_errors_become_one_line(
    qtbot, window, library: Library, monkeypatch: pytest.MonkeyPatch, capfd
) -> None:
    """A SearchIndexError from a search, a snippet or an edit: a line, never a traceback."""
    busy = IndexBusyError("/x/index: the search index is busy")

    def fail(*_args, **_kwargs):
        raise busy

    _search(qtbot, window, "attention")
    shown = window.model.rowCount()
    monkeypatch.setattr(library.index, "matches", fail)
    monkeypatch.setattr(library.index, "search", fail)
    _search(qtbot, window, "graphs")
    assert window.model.rowCount() == shown  # the last good results stay
    assert "the search index is busy" in window.statusBar().currentMessage()
    qtbot.wait(SNIPPET_DELAY_MS * 3)  # the current paper's snippet: a search too
    first = window.table.current_id()
    window.editor.edit_tags([first], ["kept"], [])  # the change refreshes through a search
    settle(qtbot, window)
    assert "kept" in library.paper(first).tags
    monkeypatch.setattr(library, "add_tags", fail)
    window.editor.edit_tags([first], ["lost"], [])
    settle(qtbot, window)
    assert "the search index is busy" in window.statusBar().currentMessage()
    assert "Traceback" not in capfd.readouterr().err


def test_damaged_index_another_process_holds_gives_one_line(
    qtbot, tmp_path: Path, make_window, held_lock, capfd
) -> None:
    """A search that must rebuild a damaged index while another process holds the lock gets
    IndexBusyError from the storage layer: the window says so in one line and goes on."""
    folder = tmp_path / "damaged"
    with Library(folder) as library:
        library.import_file(write_bibtex(tmp_path / "damaged.bib", 8))
    library = Library(folder)
    try:
        library.index.lock_timeout = 0.3
        window = make_window(library)
        _search(qtbot, window, "attention")
        shown = window.model.ids
        assert len(shown) == 2
        for segment in (folder / "index").glob("*.seg"):
            segment.write_bytes(b"")  # damaged while open ...
        held_lock(folder)  # ... and another process holds the lock a rebuild needs
        window.editor.edit_tags([shown[0]], ["wombat"], [])  # re-runs the shown search
        settle(qtbot, window)
        assert "wombat" in library.paper(shown[0]).tags
        assert window.model.ids == shown
        click_row(qtbot, window, shown[1])  # its snippet: a search too, once the timer fires
        qtbot.wait(SNIPPET_DELAY_MS * 3)
        _search(qtbot, window, "graphs")
        message = window.statusBar().currentMessage()
        assert message.startswith("Search failed: ") and "\n" not in message
        assert window.model.ids == shown  # the last good results stay
        window.close()
    finally:
        library.close()
    assert "Traceback" not in capfd.readouterr().err


def test_index_errors_in_export_and_import_are_messages(
    qtbot, window, library: Library, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd
) -> None:
    """An export or import stopped by the index: a plain warning, no traceback."""
    from storage.exporting import ExportSelection

    def busy(*_args, **_kwargs):
        raise IndexBusyError("the search index is busy")

    monkeypatch.setattr(library, "export", busy)
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000):
        window.exporter.start(ExportSelection.everything(), "json", tmp_path / "out.json")
    assert [(kind, text) for kind, text in dialogs.shown] == [
        ("warning", "Export failed: Nothing was exported.\n\nthe search index is busy")
    ]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the library process looks for its library")
    window.importer.background.process = LibraryProcess(blocker / "library")
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as done:
        window.importer.import_paths([write_bibtex(tmp_path / "more.bib", 2, start=50)])
    (failure,) = done.args[0].failures
    assert failure.startswith("The import stopped: ") and "could not be opened" in failure
    assert "\n" not in failure
    assert "Traceback" not in capfd.readouterr().err


def test_an_import_while_another_process_holds_the_index_shows_its_papers(
    qtbot, window, library: Library, tmp_path: Path, held_lock
) -> None:
    """The papers are stored and shown; the index takes them in once it can (said so)."""
    holder = held_lock(library.folder)
    with qtbot.waitSignal(window.importer.indexed, timeout=30_000) as indexed:
        with qtbot.waitSignal(window.importer.finished, timeout=30_000) as done:
            window.importer.import_paths([write_bibtex(tmp_path / "more.bib", 3, start=50)])
        assert done.args[0].failures == []
        settle(qtbot, window)
        assert window.model.rowCount() == 15
        assert window.index_status.label.text().startswith("indexing")
    assert not indexed.args[0].in_step
    qtbot.waitUntil(lambda: "busy" in window.index_status.label.text())
    assert library.paper_ids(query="00052") == []  # not searchable yet
    holder.kill()  # the other process is done: the window's next try catches up
    with qtbot.waitSignal(window.importer.indexed, timeout=30_000) as again:
        pass
    assert again.args[0].in_step
    assert window.index_status.label.text() == ""
    assert len(library.paper_ids(query="00052")) == 1
