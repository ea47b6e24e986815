"""Notes typed in the detail pane, reading-list edits and moves, and "Edit details" saves run
on the window's write lane (issue 15): while another process holds the library's write lock
the window keeps turning, the edits show as pending, and they land, once and in order, when
the lock frees; a failed note save keeps the typed text, a refused move is told."""

from __future__ import annotations

from gui_support import click_row, focus_table, on_modal, settle, turning
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from test_lists_gui import edit_cell, show_week, stored_order
from test_metadata_editor import open_editor, retype

from app.gui.lists import ListDialog
from app.gui.paper_model import LIST_NOTE
from storage.metadata import EditError

PENDING = "(waiting for the library)"
DONE = Qt.KeyboardModifier.ControlModifier
UP = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
)  # Ctrl+Shift+Up: move up


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
    turning(qtbot, ticks)
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
    turning(qtbot, ticks)
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
    turning(qtbot, ticks)
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


def _week(make_library, make_window, qtbot):
    library = make_library(12)
    library.create_list("Week", "what we read this week")
    library.add_to_list("Week", [5, 2, 9, 1])
    window = make_window(library)
    show_week(qtbot, window)
    click_row(qtbot, window, 1)
    focus_table(qtbot, window)
    return library, window


def test_moves_in_a_list_show_at_once_and_land_in_order(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch, ticks
) -> None:
    """Ctrl+Shift+Up three times while another process holds the lock: each move shown at
    once (the next planned from it), the order read again meanwhile not shown over it; the
    three written in order after."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library, window = _week(make_library, make_window, qtbot)
    held = writer_holding_the_lock(library.folder)
    for shown in ([5, 2, 1, 9], [5, 1, 2, 9], [1, 5, 2, 9]):
        qtbot.keyClick(window.table, Qt.Key.Key_Up, UP)
        assert list(window.model.ids) == shown
    assert window.table.selected_ids() == [1] and window.table.current_id() == 1
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    window.live.refresh()  # what a commit by another process makes the window do
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)
    turning(qtbot, ticks)
    assert list(window.model.ids) == [1, 5, 2, 9]  # the stored order, read meanwhile, not shown
    assert stored_order(library) == [5, 2, 9, 1]
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert stored_order(library) == [1, 5, 2, 9]
    assert list(window.model.ids) == [1, 5, 2, 9]
    assert window.table.selected_ids() == [1]


def test_a_refused_move_is_told_and_the_stored_order_shown_again(
    qtbot, make_library, make_window, monkeypatch, dialogs
) -> None:
    library, window = _week(make_library, make_window, qtbot)

    def refuse(name: str, order: list[int]) -> None:
        raise EditError(f"the list {name!r} changed meanwhile")

    monkeypatch.setattr(library, "reorder_list", refuse)
    qtbot.keyClick(window.table, Qt.Key.Key_Up, UP)
    assert list(window.model.ids) == [5, 2, 1, 9]  # shown at once
    settle(qtbot, window)
    assert dialogs.shown == [
        ("warning", "Reading list not changed: the list 'Week' changed meanwhile")
    ]
    qtbot.waitUntil(lambda: list(window.model.ids) == [5, 2, 9, 1])  # the stored order again
    assert stored_order(library) == [5, 2, 9, 1]


def test_edit_details_waits_for_another_process_and_lands_undoable(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch, ticks
) -> None:
    """Enter in "Edit details" while another process holds the lock: the form waits, greyed
    out ("Saving…"), the window answering; written once the lock frees, then the form
    closes, the pane and the index show it, and Ctrl+Z can undo it."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    window = make_window(library)
    pid = window.detail.current_paper_id
    before = library.paper(pid).venue
    editor = open_editor(qtbot, window, pid)
    retype(qtbot, editor.lines["venue"], "Workshop on Wombats")
    held = writer_holding_the_lock(library.folder)
    qtbot.keyClick(editor.lines["venue"], Qt.Key.Key_Return)
    assert editor.isVisible() and not editor.isEnabled()
    assert editor.save_button.text() == "Saving…"
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    turning(qtbot, ticks)
    assert library.paper(pid).venue == before  # nothing written: the lock is held
    assert not window.undo_stack.canUndo()
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert library.paper(pid).venue == "Workshop on Wombats"
    assert not editor.isVisible() and "Workshop on Wombats" in window.detail.venue.text()
    assert [hit.id for hit in library.search("wombats").hits] == [pid]
    assert window.actions["undo"].text().startswith("&Undo Edit")


def test_edit_details_left_for_another_paper_lands_after_the_lock(
    qtbot, make_library, make_window, writer_holding_the_lock, monkeypatch, ticks
) -> None:
    """Another paper chosen while the lock is held: the form closes at once (its edit given
    to the lane), the other paper is shown, and the edit lands once the lock frees."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)
    library = make_library(12)
    window = make_window(library)
    editor = open_editor(qtbot, window, 9)
    retype(qtbot, editor.lines["venue"], "Saved on the way out")
    held = writer_holding_the_lock(library.folder)
    click_row(qtbot, window, 10)
    assert not editor.isVisible() and window.detail.current_paper_id == 10
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    turning(qtbot, ticks)
    assert library.paper(9).venue != "Saved on the way out"
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert library.paper(9).venue == "Saved on the way out"
    assert window.undo_stack.canUndo()
