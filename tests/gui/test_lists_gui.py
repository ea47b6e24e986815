"""Reading lists in the window: list order, moving, drops onto the sidebar, notes, removing."""

from __future__ import annotations

import pytest
from gui_support import click_row, click_sidebar, focus_table, on_modal, press, settle
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from app.gui.list_note import ListNoteDialog
from app.gui.lists import ListDialog, moved, moved_to
from app.gui.paper_model import LIST_NOTE
from storage.library import Library

ORDER = [5, 2, 9, 1]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def week(library: Library) -> Library:
    """The twelve papers, and a list "Week" holding 5, 2, 9, 1 in that order; 2 has a note."""
    library.create_list("Week", "what we read this week")
    library.add_to_list("Week", ORDER)
    library.set_list_entry_note("Week", 2, "start with section 3")
    return library


def stored_order(library: Library, name: str = "Week") -> list[int]:
    return [entry.paper_id for entry in library.list_detail(name).entries]


def show_week(qtbot, window) -> None:
    window.sidebar.select(("list", "Week"))
    qtbot.waitUntil(lambda: window.model.rowCount() == len(stored_order(window.library)))


def test_moved_helpers() -> None:
    assert moved([1, 2, 3, 4], [3], -1) == [1, 3, 2, 4]
    assert moved([1, 2, 3, 4], [1, 2], -1) == [1, 2, 3, 4]  # at the top already
    assert moved([1, 2, 3, 4], [2, 3], 1) == [1, 4, 2, 3]
    assert moved_to([1, 2, 3, 4], [4], 0) == [4, 1, 2, 3]
    assert moved_to([1, 2, 3, 4], [1, 2], 4) == [3, 4, 1, 2]
    assert moved_to([1, 2, 3, 4], [1], 3) == [2, 3, 1, 4]


def test_selecting_a_list_shows_its_order_and_entry_notes(qtbot, make_window, week) -> None:
    window = make_window(week)
    header = window.table.horizontalHeader()
    assert header.isSectionHidden(LIST_NOTE)
    assert window.sidebar.count_of(("list", "Week")) == 4
    show_week(qtbot, window)
    assert list(window.model.ids) == ORDER
    assert not header.isSectionHidden(LIST_NOTE)
    assert window.model.index(1, LIST_NOTE).data() == "start with section 3"
    assert window.model.index(0, LIST_NOTE).data() is None
    assert window.table.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    window.sidebar.select(("all", None))
    qtbot.waitUntil(lambda: window.model.rowCount() == 12)
    assert header.isSectionHidden(LIST_NOTE)
    assert window.table.dragDropMode() == QAbstractItemView.DragDropMode.DragOnly


def test_a_header_sort_in_a_list_turns_off_moving(qtbot, make_window, week) -> None:
    window = make_window(week)
    show_week(qtbot, window)
    header = window.table.horizontalHeader()
    title = QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert window.model.sort_key == "title"
    assert window.table.dragDropMode() == QAbstractItemView.DragDropMode.DragOnly
    click_row(qtbot, window, 9)
    press(qtbot, window, Qt.Key.Key_Up, CTRL_SHIFT)  # Move up in list
    assert stored_order(week) == ORDER  # nothing moved while sorted by title


def test_keyboard_moves_reorder_and_persist(qtbot, make_window, week) -> None:
    window = make_window(week)
    show_week(qtbot, window)
    click_row(qtbot, window, 9)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_Up, CTRL_SHIFT)
    assert list(window.model.ids) == [5, 9, 2, 1]  # shown at once, written on the lane
    assert window.table.selected_ids() == [9] and window.table.current_id() == 9
    settle(qtbot, window)
    assert stored_order(week) == [5, 9, 2, 1]
    assert list(window.model.ids) == [5, 9, 2, 1]
    qtbot.keyClick(window.table, Qt.Key.Key_Up, CTRL_SHIFT)
    qtbot.keyClick(window.table, Qt.Key.Key_Up, CTRL_SHIFT)  # at the top: stays
    settle(qtbot, window)
    assert stored_order(week) == [9, 5, 2, 1]
    click_row(qtbot, window, 9)
    click_row(qtbot, window, 5, Qt.KeyboardModifier.ShiftModifier)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_Down, CTRL_SHIFT)
    settle(qtbot, window)
    assert stored_order(week) == [2, 9, 5, 1]
    assert list(window.model.ids) == [2, 9, 5, 1]
    # the entry note moved with its paper
    assert window.model.index(0, LIST_NOTE).data() == "start with section 3"


def test_order_survives_reopening_the_library(qtbot, make_window, make_library, week) -> None:
    window = make_window(week)
    show_week(qtbot, window)
    window.lists.move_to([1], 0)  # what a drag of the last row onto the top does
    assert list(window.model.ids) == [1, 5, 2, 9]
    window.close()
    week.close()
    again = make_library(0)  # the same folder ("lib"), opened afresh
    assert stored_order(again) == [1, 5, 2, 9]


def test_dropping_ids_on_a_sidebar_list_adds_them(qtbot, make_window, week) -> None:
    window = make_window(week)
    model = window.model
    rows = [model.row_of(3), model.row_of(4), model.row_of(5)]
    mime = model.mimeData([model.index(row, 0) for row in rows])
    sidebar = window.sidebar
    item = sidebar.item_for(("list", "Week"))
    event = QDropEvent(
        QPointF(sidebar.visualItemRect(item).center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    sidebar.dropEvent(event)
    assert event.isAccepted()
    settle(qtbot, window)  # written on the window's write lane
    assert stored_order(week)[:4] == ORDER
    assert sorted(stored_order(week)[4:]) == [3, 4]  # 5 was there already
    assert sidebar.count_of(("list", "Week")) == 6
    assert "already there" in window.statusBar().currentMessage()
    # a tag is no drop target
    assert not sidebar.drop_ids_on(sidebar.item_for(("status", "unread")), mime)


def test_add_to_list_menu_adds_to_a_list_or_a_new_one(qtbot, make_window, week) -> None:
    """The context menu's "Add to list" submenu, opened with Ctrl+L (Paper › Add to list…)."""
    window = make_window(week)
    click_row(qtbot, window, 7)
    click_row(qtbot, window, 8, Qt.KeyboardModifier.ControlModifier)
    menu = window.add_to_list_menu
    assert menu.menuAction() in [a for a in window.table.context_actions if a is not None]
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(menu.isVisible)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert set(actions) == {"Week", "New list…"}
    shown = window.table.selected_ids()  # in the table's order (newest first here)
    assert sorted(shown) == [7, 8]
    assert menu.activeAction() is actions["Week"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert stored_order(week) == [*ORDER, *shown]
    assert window.sidebar.count_of(("list", "Week")) == 6

    def name_it(dialog: ListDialog) -> None:
        qtbot.keyClicks(dialog.name, "Later")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.description, "someday")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    handled = on_modal(ListDialog, name_it)
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_Up)  # from the first entry up to the last: New list…
    assert menu.activeAction() is not None and menu.activeAction().text() == "New list…"
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(handled))
    settle(qtbot, window)
    assert stored_order(week, "Later") == shown
    assert week.list_detail("Later").description == "someday"
    assert window.sidebar.count_of(("list", "Later")) == 2


def edit_cell(qtbot, window, index, text: str) -> None:
    """Click a cell, press F2 to edit it in place, replace its text and press Enter."""
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and window.table.isAncestorOf(editor)
    editor.selectAll()
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not editor)  # committed (queued)


def test_entry_note_edits_persist(qtbot, make_window, week) -> None:
    window = make_window(week)
    show_week(qtbot, window)
    index = window.model.index(0, LIST_NOTE)
    assert window.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    edit_cell(qtbot, window, index, "  the key paper ")
    settle(qtbot, window)
    assert week.list_detail("Week").entries[0].note == "the key paper"
    click_row(qtbot, window, 9)

    def write(dialog: ListNoteDialog) -> None:
        qtbot.keyClicks(dialog.edit, "skim only")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    handled = on_modal(ListNoteDialog, write)
    press(qtbot, window, Qt.Key.Key_M, CTRL_SHIFT)  # Paper › Edit list note…
    assert handled
    settle(qtbot, window)
    assert week.list_detail("Week").entries[2].note == "skim only"
    assert window.model.index(2, LIST_NOTE).data() == "skim only"
    edit_cell(qtbot, window, index, "")
    settle(qtbot, window)
    assert week.list_detail("Week").entries[0].note is None


def test_delete_key_in_a_list_removes_from_the_list_only(qtbot, make_window, week, dialogs):
    window = make_window(week)
    show_week(qtbot, window)
    click_row(qtbot, window, 2)
    click_row(qtbot, window, 9, Qt.KeyboardModifier.ShiftModifier)
    focus_table(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert [kind for kind, _ in dialogs.shown] == ["question"]
    assert "stay in the library" in dialogs.shown[0][1]
    settle(qtbot, window)
    assert stored_order(week) == [5, 1]
    assert list(window.model.ids) == [5, 1]
    assert week.stats().papers == 12
    assert week.paper(2).title and week.paper(9).title
    assert window.sidebar.count_of(("list", "Week")) == 2
    assert window.sidebar.count_of(("all", None)) == 12
    dialogs.answer = dialogs.answer.No
    click_row(qtbot, window, 5)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert stored_order(week) == [5, 1]  # said no


def test_rename_and_delete_a_list(qtbot, make_window, week, dialogs) -> None:
    window = make_window(week)
    show_week(qtbot, window)

    def rename(dialog: ListDialog) -> None:
        assert dialog.name.text() == "Week"
        qtbot.keyClicks(dialog.name, " 2")
        dialog.description.selectAll()
        qtbot.keyClicks(dialog.description, "new words")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    handled = on_modal(ListDialog, rename)
    click_sidebar(qtbot, window.sidebar, ("list", "Week"))
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F2)
    assert handled
    settle(qtbot, window)
    assert [s.name for s in week.lists()] == ["Week 2"]
    assert week.list_detail("Week 2").description == "new words"
    assert window.sidebar.current_key() == ("list", "Week 2")
    assert list(window.model.ids) == ORDER
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Delete)
    assert "stay in the library" in dialogs.shown[-1][1]
    settle(qtbot, window)
    assert week.lists() == []
    assert window.sidebar.current_key() == ("all", None)
    assert window.model.rowCount() == 12


def test_new_list_entry_in_the_sidebar(qtbot, make_window, library) -> None:
    window = make_window(library)
    sidebar = window.sidebar
    section = sidebar.item_for(("all", None)).parent()  # Library; the lists come next
    lists = sidebar.topLevelItem(sidebar.indexOfTopLevelItem(section) + 1)
    assert lists.text(0) == "Reading lists" and not lists.isHidden()
    [entry] = [lists.child(i) for i in range(lists.childCount())]
    assert entry.text(0) == "New list…"

    def name_it(dialog: ListDialog) -> None:
        qtbot.keyClicks(dialog.name, "Queue")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    handled = on_modal(ListDialog, name_it)
    qtbot.mouseClick(
        sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(entry).center()
    )
    assert handled
    settle(qtbot, window)
    assert [s.name for s in library.lists()] == ["Queue"]
    assert sidebar.list_names() == ["Queue"] and sidebar.count_of(("list", "Queue")) == 0
    assert sidebar.current_key() == ("all", None)  # the entry is an action, not a filter
