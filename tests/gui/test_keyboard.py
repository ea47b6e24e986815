"""Keyboard and bulk edits: the list-note dialog (Ctrl+Enter, Esc, a fixed width), Paper › Add
to list… (Ctrl+L), and the pane that offers bulk actions while several papers are selected."""

from __future__ import annotations

import pytest
from gui_support import click_row, click_sidebar, on_modal, settle
from PySide6.QtCore import Qt

from app.gui.exporter import ExportDialog
from app.gui.list_note import WIDTH, ListNoteDialog
from app.gui.paper_model import LIST_NOTE
from app.gui.tagging import TagDialog
from storage.library import Library

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LONG_TITLE = "An Unusually Long Title " * 20


def key(library: Library, i: int) -> int:
    return library.resolve(f"gen{i}")


@pytest.fixture
def week(library: Library) -> Library:
    library.create_list("Week")
    library.add_to_list("Week", [key(library, i) for i in (5, 2, 9)])
    library.update_paper(key(library, 9), title=LONG_TITLE.strip())
    return library


def focus_table(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)


def entry_note(library: Library, pid: int) -> str | None:
    return next(e.note for e in library.list_detail("Week").entries if e.paper_id == pid)


def test_the_list_note_dialog_saves_with_ctrl_enter_and_cancels_with_esc(
    qtbot, make_window, week
) -> None:
    window = make_window(week)
    click_sidebar(qtbot, window.sidebar, ("list", "Week"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    paper = key(week, 9)
    click_row(qtbot, window, paper)
    focus_table(qtbot, window)
    widths: list[int] = []

    def write(dialog: ListNoteDialog) -> None:
        widths.append(dialog.width())
        assert "…" in dialog.label.text() and LONG_TITLE.strip() in dialog.label.toolTip()
        qtbot.keyClicks(dialog.edit, "skim only")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, CTRL)

    handled = on_modal(ListNoteDialog, write)
    qtbot.keyClick(window.table, Qt.Key.Key_M, CTRL | SHIFT)  # Paper › Edit list note…
    assert handled
    settle(qtbot, window)  # written on the window's write lane
    assert entry_note(week, paper) == "skim only"
    assert widths == [WIDTH]  # the long title did not widen it
    assert window.model.index(window.model.row_of(paper), LIST_NOTE).data() == "skim only"

    def type_and_escape(dialog: ListNoteDialog) -> None:
        qtbot.keyClicks(dialog.edit, " and more")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)

    handled = on_modal(ListNoteDialog, type_and_escape)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_M, CTRL | SHIFT)
    assert handled
    settle(qtbot, window)
    assert entry_note(week, paper) == "skim only"  # Esc kept the old note

    def keypad_enter(dialog: ListNoteDialog) -> None:
        dialog.edit.selectAll()
        qtbot.keyClicks(dialog.edit, "read first")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)

    handled = on_modal(ListNoteDialog, keypad_enter)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_M, CTRL | SHIFT)
    assert handled
    settle(qtbot, window)
    assert entry_note(week, paper) == "read first"


def test_add_to_list_is_in_the_paper_menu_with_ctrl_l(qtbot, make_window, week) -> None:
    window = make_window(week)
    paper_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Paper")
    assert window.actions["add_to_list"] in paper_menu.actions()
    assert window.actions["add_to_list"].shortcut().toString() == "Ctrl+L"
    week.create_list("Later")
    window.sidebar.refresh()
    click_row(qtbot, window, key(week, 0))
    click_row(qtbot, window, key(week, 1), CTRL)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_L, CTRL)
    menu = window.add_to_list_menu
    qtbot.waitUntil(menu.isVisible)
    assert [a.text() for a in menu.actions() if a.text()] == ["Later", "Week", "New list…"]
    assert menu.activeAction().text() == "Later"
    qtbot.keyClick(menu, Qt.Key.Key_Down)  # to "Week"
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not menu.isVisible())
    settle(qtbot, window)  # written on the window's write lane
    entries = [e.paper_id for e in week.list_detail("Week").entries]
    assert entries[-2:] == [key(week, 1), key(week, 0)] or set(entries[-2:]) == {
        key(week, 0),
        key(week, 1),
    }
    assert window.statusBar().currentMessage().startswith("Added 2 papers to “Week”")


def test_several_selected_papers_get_the_bulk_actions(qtbot, make_window, library, dialogs):
    window = make_window(library)
    chosen = [key(library, i) for i in (11, 10, 9)]  # newest first: rows 0, 1, 2
    click_row(qtbot, window, chosen[0])
    assert window.right.currentWidget() is window.detail
    click_row(qtbot, window, chosen[2], SHIFT)
    pane = window.selection_pane
    assert window.right.currentWidget() is pane and pane.isVisible()
    assert pane.heading.text() == "3 papers selected"

    qtbot.mouseClick(pane.buttons["read"], Qt.MouseButton.LeftButton)
    settle(qtbot, window)  # the edit runs on the write lane
    assert {library.paper(pid).status for pid in chosen} == {"read"}
    qtbot.mouseClick(pane.buttons["rate4"], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert {library.paper(pid).rating for pid in chosen} == {4}
    assert window.table.selected_ids() == sorted(chosen, key=window.model.row_of)

    def add_tag(dialog: TagDialog) -> None:
        qtbot.keyClicks(dialog.field, "bulk")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    handled = on_modal(TagDialog, add_tag)
    qtbot.mouseClick(pane.buttons["tag"], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert handled and {tuple(library.paper(pid).tags) for pid in chosen} == {("bulk",)}

    library.create_list("Week")
    window.sidebar.refresh()
    qtbot.mouseClick(pane.buttons["add_to_list"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.add_to_list_menu.isVisible)
    qtbot.keyClick(window.add_to_list_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sidebar.count_of(("list", "Week")) == 3)

    scopes: list[str] = []

    def look(dialog: ExportDialog) -> None:
        scopes.append(dialog.scope.currentText())
        dialog.reject()

    handled = on_modal(ExportDialog, look)
    qtbot.mouseClick(pane.buttons["export"], Qt.MouseButton.LeftButton)
    assert handled and scopes == ["Selected papers (3)"]

    qtbot.mouseClick(pane.buttons["delete"], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialogs.titles("question") and library.stats().papers == 9
    qtbot.waitUntil(lambda: window.right.currentWidget() is window.detail)
    assert window.detail.current_paper_id == window.table.current_id()


def test_the_bulk_pane_counts_a_select_all(qtbot, make_window, library) -> None:
    window = make_window(library)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL)
    assert window.selection_pane.heading.text() == "12 papers selected"


def test_the_arrow_keys_walk_the_whole_sidebar(qtbot, make_window, library: Library) -> None:
    """Section titles and "New list…" are stepped over, never a dead end for the keyboard."""
    library.create_list("Week")
    library.add_tags([key(library, 1)], ["zebra"])
    window = make_window(library)
    sidebar = window.sidebar
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    sidebar.setFocus()
    walked = []
    for _ in range(7):
        qtbot.keyClick(sidebar, Qt.Key.Key_Down)
        walked.append(sidebar.current_key())
    assert walked == [
        ("status", "unread"),
        ("status", "reading"),
        ("status", "read"),
        ("status", "dismissed"),
        ("list", "Week"),
        ("suggest-list", "Week"),  # under the list chosen
        ("tag", "zebra"),  # Smart lists' "Save current search…" is stepped over
    ]
    assert window.model.ids == (key(library, 1),)  # the tag's papers are shown
    for _ in range(2):
        qtbot.keyClick(sidebar, Qt.Key.Key_Down)
        walked.append(sidebar.current_key())
    assert walked[-2:] == [("suggest-tag", "zebra")] * 2  # under the tag; the last: it stays
    for _ in range(4):
        qtbot.keyClick(sidebar, Qt.Key.Key_Up)
    assert sidebar.current_key() == ("status", "read")
    section = sidebar.item_for(("all", None)).parent()
    qtbot.mouseClick(  # a click on a section title leaves the filter as it was
        sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(section).center()
    )
    assert sidebar.current_key() == ("status", "read")
