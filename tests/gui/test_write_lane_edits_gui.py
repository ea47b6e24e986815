"""Notes typed in the detail pane and reading-list edits run on the window's write lane
(issue 15): while another process holds the library's write lock the window keeps turning,
the edits show as pending, and they land, once and in order, when the lock frees; a failed
note save keeps the typed text."""

from __future__ import annotations

import pytest
from gui_support import click_row, focus_table, on_modal, settle
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox
from test_lists_gui import edit_cell, show_week, stored_order

from app.gui.lists import ListDialog
from app.gui.paper_model import LIST_NOTE

PENDING = "(waiting for the library)"
DONE = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def ticks(qtbot):
    """A list that grows while the GUI thread's event loop turns."""
    seen: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: seen.append(1))
    timer.start()
    yield seen
    timer.stop()


def _turning(qtbot, ticks: list[int]) -> None:
    """The event loop still runs: the timer ticks a few more times (no clock read)."""
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= before + 5, timeout=10_000)


def _type(qtbot, window, field, text: str) -> None:
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, text)


def test_a_note_typed_while_another_process_writes_lands_once_in_order(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch, ticks
) -> None:
    """An autosave (a new note: its id comes back from the lane), more typing and Done:
    both saves wait, the window answering; then one note with the whole text."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    window = make_window(library)
    pane = window.detail
    pid = pane.current_paper_id
    assert pid is not None
    held = writer_holding_the_lock(library.folder)
    qtbot.mouseClick(pane.notes.add_button, Qt.MouseButton.LeftButton)
    editor = pane.notes.editors[-1]
    _type(qtbot, window, editor.body_edit, "Burrows")
    qtbot.waitUntil(lambda: editor.status.text() == "Saving…", timeout=5000)  # the autosave
    _type(qtbot, window, editor.body_edit, " are long.")
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Return, DONE)  # Done: returns at once
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    assert "Add a note" in window.statusBar().currentMessage()
    _turning(qtbot, ticks)
    assert library.paper(pid).notes == ()  # not written yet: the lock is held
    assert editor in pane.notes.editors and editor.status.text() == "Saving…"
    assert editor.body_text() == "Burrows are long."  # still shown while it waits
    held.release()
    settle(qtbot, window, timeout=30_000)
    notes = library.paper(pid).notes
    assert [note.body for note in notes] == ["Burrows are long."]
    qtbot.waitUntil(lambda: not pane.notes.editors)  # Done closed it once it was saved
    assert list(pane.notes.cards) == [notes[0].id]
    assert library.search("burrows").total >= 1


def test_deleting_a_note_waits_for_another_process_too(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch, ticks
) -> None:
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    window = make_window(library)
    pane = window.detail
    pid = pane.current_paper_id
    assert pid is not None
    note_id = library.add_note(pid, "doomed words")  # written before: the test's setup
    pane.refresh()
    held = writer_holding_the_lock(library.folder)
    card = pane.notes.cards[note_id]
    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)  # asked; answered Yes
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    assert "Delete the note" in window.statusBar().currentMessage()
    assert not card.isEnabled()  # shown as being deleted
    _turning(qtbot, ticks)
    assert [note.id for note in library.paper(pid).notes] == [note_id]
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert library.paper(pid).notes == ()
    assert pane.notes.cards == {}


def test_a_failed_save_on_the_lane_keeps_the_text(
    qtbot, make_library, make_window, monkeypatch
) -> None:
    library = make_library(12)
    window = make_window(library)
    pane = window.detail
    pid = pane.current_paper_id
    failures: list[str] = []
    pane.saveFailed.connect(failures.append)

    def refuse(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(library, "add_note", refuse)
    qtbot.mouseClick(pane.notes.add_button, Qt.MouseButton.LeftButton)
    editor = pane.notes.editors[-1]
    _type(qtbot, window, editor.body_edit, "precious words")
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Return, DONE)
    settle(qtbot, window)
    assert failures and "disk full" in failures[-1]
    assert editor in pane.notes.editors and "Not saved: disk full" in editor.status.text()
    assert editor.body_text() == "precious words" and editor.dirty
    monkeypatch.undo()
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Return, DONE)  # tried again: saved, closed
    settle(qtbot, window)
    assert [note.body for note in library.paper(pid).notes] == ["precious words"]
    qtbot.waitUntil(lambda: not pane.notes.editors)


def test_list_edits_wait_for_another_process_and_land_in_order(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch, ticks, dialogs
) -> None:
    """An entry note typed in its cell, a paper removed with Delete, a new list from the
    sidebar: pending while the lock is held, the window answering; all written after."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    library.create_list("Week", "what we read this week")
    library.add_to_list("Week", [5, 2, 9, 1])
    window = make_window(library)
    show_week(qtbot, window)
    held = writer_holding_the_lock(library.folder)
    edit_cell(qtbot, window, window.model.index(0, LIST_NOTE), "the key paper")
    assert window.model.index(0, LIST_NOTE).data() == "the key paper"  # shown at once
    click_row(qtbot, window, 9)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)  # asked; answered Yes
    sidebar = window.sidebar
    entry = [item for item in sidebar.findItems("New list…", Qt.MatchFlag.MatchRecursive)][0]

    def name_it(dialog: ListDialog) -> None:
        qtbot.keyClicks(dialog.name, "Queue")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    handled = on_modal(ListDialog, name_it)
    rect = sidebar.visualItemRect(entry)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert handled
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    _turning(qtbot, ticks)
    assert stored_order(library) == [5, 2, 9, 1]  # nothing written: the lock is held
    assert library.list_detail("Week").entries[0].note is None
    assert [s.name for s in library.lists()] == ["Week"]
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert library.list_detail("Week").entries[0].note == "the key paper"
    assert stored_order(library) == [5, 2, 1]
    assert sorted(s.name for s in library.lists()) == ["Queue", "Week"]
    assert sidebar.count_of(("list", "Week")) == 3
    assert sorted(sidebar.list_names()) == ["Queue", "Week"]
