"""The window's edits run on its write lane (issue 15): never on the GUI thread, in the order
they were made (an undo after its edit), and while another process holds the library's write
lock (a command-line import storing a big file) an edit shows as pending and lands when the
lock frees; a search shown is ranked again on the search worker, with the edit in it."""

from __future__ import annotations

import threading

import pytest
from gui_support import focus_table, on_modal, settle, undo
from PySide6.QtCore import Qt

from app.gui.tagging import TagDialog
from storage.library import Library

PENDING = "(waiting for the library)"


def _tag_with_keys(qtbot, window, name: str) -> None:
    """Ctrl+T on the table, the tag typed in the dialog, Enter: as a user tags, without
    waiting for the window to settle afterwards."""

    def handle(dialog: TagDialog) -> None:
        qtbot.keyClicks(dialog.field, name)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    handled = on_modal(TagDialog, handle)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert handled, "no tag dialog"


def _search(qtbot, window, text: str) -> None:
    window.search.field.setFocus()
    qtbot.keyClicks(window.search.field, text)
    window.search.flush()
    settle(qtbot, window)


def _threads_of(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, when=None) -> list:
    """The names of the threads owner.name runs on from now on (when(kwargs): only calls
    it holds for); the method still runs."""
    seen: list[str] = []
    original = getattr(owner, name)

    def spy(*args, **kwargs):
        if when is None or when(kwargs):
            seen.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return seen


def test_a_tag_edit_waits_for_another_process_without_freezing_the_window(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch
) -> None:
    """The other process holds the lock past SQLite's busy timeout (shortened here, 10 s in
    use): the edit is tried again until the lock frees, then lands, in the index too."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    window = make_window(library)
    first = window.table.current_id()
    assert first is not None
    held = writer_holding_the_lock(library.folder)
    _tag_with_keys(qtbot, window, "wombat")  # returns at once: the edit waits on the lane
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    assert "Tag 1 paper" in window.statusBar().currentMessage()
    assert "wombat" not in library.paper(first).tags  # not written yet: the lock is held
    # The window still answers the keyboard: the next paper is shown.
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.table.current_id() != first
    assert window.detail.current_paper_id == window.table.current_id()
    assert not window.settled
    qtbot.wait(1000)  # past the busy timeout several times over: still pending, no error
    assert PENDING in window.statusBar().currentMessage()
    held.release()
    settle(qtbot, window, timeout=30_000)  # the edit lands once the lock frees
    assert "wombat" in library.paper(first).tags
    assert window.sidebar.count_of(("tag", "wombat")) == 1
    assert PENDING not in window.statusBar().currentMessage()
    assert library.search("tag:wombat").total == 1  # and the index has it


def test_edits_and_their_undo_run_in_order_off_the_gui_thread(
    qtbot, window, library: Library, monkeypatch
) -> None:
    writes = _threads_of(monkeypatch, library, "add_tags")
    removals = _threads_of(monkeypatch, library, "remove_tags")
    first = window.table.current_id()
    _tag_with_keys(qtbot, window, "okapi")
    undo(qtbot, window)  # pressed before the edit is shown: it runs after it
    assert writes and removals
    assert threading.main_thread().name not in writes + removals
    assert "okapi" not in library.paper(first).tags
    assert window.sidebar.count_of(("tag", "okapi")) in (None, 0)
    focus_table(qtbot, window)
    redo_keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.table, Qt.Key.Key_Z, redo_keys)
    settle(qtbot, window)
    assert "okapi" in library.paper(first).tags
    assert window.model.rows_for([first])[first].tags == library.paper(first).tags


def test_a_search_shown_is_ranked_again_on_the_worker_after_an_edit(
    qtbot, window, library: Library, monkeypatch
) -> None:
    searches = _threads_of(
        monkeypatch, library, "paper_matches", lambda kwargs: kwargs.get("query")
    )
    _search(qtbot, window, "attention NOT tag:wombat")
    assert sorted(window.model.ids) == [1, 5, 9]
    first = window.table.current_id()
    _tag_with_keys(qtbot, window, "wombat")  # the paper leaves the search once indexed
    settle(qtbot, window)
    qtbot.waitUntil(lambda: first not in window.model.ids, timeout=10_000)
    assert len(window.model.ids) == 2 and "wombat" in library.paper(first).tags
    assert searches and threading.main_thread().name not in searches


def test_the_detail_panes_edits_wait_for_another_process_too(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch
) -> None:
    """A tag typed in the detail pane and a click on its status: pending while the lock is
    held, the window answering meanwhile; both land once it frees."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    window = make_window(library)
    pane = window.detail
    first = pane.current_paper_id
    assert first is not None
    held = writer_holding_the_lock(library.folder)
    field = pane.tags.line_edit
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "numbat")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # returns at once
    qtbot.mouseClick(pane.status.buttons["read"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    assert "numbat" not in library.paper(first).tags
    assert library.paper(first).status == "unread"
    qtbot.keyClick(window.table, Qt.Key.Key_Down)  # the window still answers
    assert window.table.current_id() != first
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert "numbat" in library.paper(first).tags
    assert library.paper(first).status == "read"
    assert window.sidebar.count_of(("tag", "numbat")) == 1
