"""The window reopens where the user left it: sidebar view, search text, selected paper, sort."""

from __future__ import annotations

import pytest
from gui_support import click_sidebar, type_search
from PySide6.QtCore import QPoint, QSettings, Qt

from storage.library import Library

pytestmark = pytest.mark.gui


def key(library: Library, i: int) -> int:
    return library.resolve(f"gen{i}")


def click_row(qtbot, window, pid: int) -> None:
    index = window.model.index(window.model.row_of(pid), 0)
    window.table.scrollTo(index)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.detail.current_paper_id == pid)


def reopen(qtbot, make_window, library: Library, old) -> object:
    old.save_on_close = True
    old.close()
    window = make_window(library)
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)
    return window


def test_sidebar_view_search_and_paper_come_back(
    qtbot, make_window, make_library, settings: QSettings
) -> None:
    library = make_library(60, name="many")
    library.add_tags([key(library, i) for i in range(0, 60, 2)], ["even"])
    window = make_window(library)
    click_sidebar(qtbot, window.sidebar, ("tag", "even"))
    type_search(qtbot, window, "pruning")  # papers 2, 6, 10, …: all even
    assert window.model.rowCount() == 15
    chosen = key(library, 38)
    click_row(qtbot, window, chosen)

    again = reopen(qtbot, make_window, library, window)
    assert again.sidebar.current_key() == ("tag", "even")
    assert again.search.field.text() == "pruning" and again.query == "pruning"
    assert again.model.filter.tag == "even" and again.model.filter.query == "pruning"
    assert again.model.rowCount() == 15
    assert again.table.current_id() == chosen and again.table.selected_ids() == [chosen]
    assert again.detail.current_paper_id == chosen
    assert again.search.scope.isVisible()  # the restored scope is shown too
    row = again.model.row_of(chosen)
    viewport = again.table.viewport().rect()
    assert viewport.intersects(again.table.visualRect(again.model.index(row, 0)))


def test_a_list_and_a_sort_come_back_and_missing_things_fall_back(
    qtbot, make_window, library: Library
) -> None:
    library.create_list("Week 3")
    library.add_to_list("Week 3", [key(library, 1), key(library, 2)])
    window = make_window(library)
    click_sidebar(qtbot, window.sidebar, ("list", "Week 3"))
    click_row(qtbot, window, key(library, 2))
    again = reopen(qtbot, make_window, library, window)
    assert again.sidebar.current_key() == ("list", "Week 3")
    assert again.table.current_id() == key(library, 2)

    click_sidebar(qtbot, again.sidebar, ("all", None))
    header = again.table.horizontalHeader()
    title = QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    qtbot.waitUntil(lambda: again.model.sort_key == "title")
    click_row(qtbot, again, key(library, 5))
    library.delete_list("Week 3")
    third = reopen(qtbot, make_window, library, again)
    assert third.model.sort_key == "title"
    assert third.sidebar.current_key() == ("all", None)
    assert third.table.current_id() == key(library, 5)

    library.delete_papers([key(library, 5)])  # the paper left selected is gone: the first row
    fourth = reopen(qtbot, make_window, library, third)
    assert fourth.table.current_id() == fourth.model.id_at(0)


def test_a_view_saved_for_another_library_is_not_used(
    qtbot, make_window, make_library, settings: QSettings
) -> None:
    first = make_library(12, name="first")
    first.add_tags([key(first, 1)], ["only-here"])
    window = make_window(first)
    click_sidebar(qtbot, window.sidebar, ("tag", "only-here"))
    type_search(qtbot, window, "graphs")
    click_row(qtbot, window, key(first, 1))
    window.save_on_close = True
    window.close()
    other = make_library(12, name="other")
    other.add_tags([key(other, 1)], ["only-here"])
    again = make_window(other)
    assert again.sidebar.current_key() == ("all", None) and again.search.text() == ""
