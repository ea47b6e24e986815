"""The main window: search, sidebar filters, sorting, tagging, status, delete and undo."""

from __future__ import annotations

import threading

import pytest
from gui_support import click_row, click_sidebar, press, redo, settle, tag_with_dialog, undo
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from app.gui.paper_model import COLUMN_KEYS, PaperFilter
from app.gui.query_worker import QueryRequest
from app.gui.tagging import TagDialog, split_tags
from storage.library import Library

pytestmark = pytest.mark.gui


def key(library: Library, i: int) -> int:
    return library.resolve(f"gen{i}")


def titles(window) -> list[str]:
    return [window.model.index(row, 0).data() for row in range(window.model.rowCount())]


def search(qtbot, window, text: str) -> None:
    """Type a query and search at once (as Enter does), then wait for the worker's result."""
    window.search.field.setText(text)
    window.search.flush()
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)


# --- search -------------------------------------------------------------------------------


def test_search_narrows_the_table_as_you_type(qtbot, window, library: Library) -> None:
    assert window.model.rowCount() == 12
    assert window.search.count.text() == "12 papers"
    qtbot.keyClicks(window.search.field, "pruning")
    assert window.model.rowCount() == 12  # debounced: nothing yet
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)
    assert all("of pruning in" in title for title in titles(window))
    assert window.search.count.text() == "3 papers match"
    assert window.model.sort_key == "relevance"
    current = window.table.current_id()
    assert current in window.model.ids
    assert window.detail.current_paper_id == current
    qtbot.waitUntil(lambda: "pruning" in window.detail.snippet.text().lower(), timeout=3000)
    assert "<b" in window.detail.snippet.text()
    window.search.field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 12, timeout=3000)
    assert window.model.sort_key == "added"
    assert window.detail.snippet.text() == ""


def test_search_combines_with_the_sidebar_filter(qtbot, window, library: Library) -> None:
    window.apply_change(library.set_status([key(library, 2), key(library, 3)], "read"))
    click_sidebar(qtbot, window.sidebar, ("status", "read"))
    assert window.model.rowCount() == 2
    search(qtbot, window, "pruning")
    assert window.model.ids == (key(library, 2),)
    assert window.search.count.text() == "1 paper matches"


def test_a_bad_query_shows_an_inline_message_and_no_dialog(qtbot, window, dialogs) -> None:
    search(qtbot, window, "year:abc")
    assert "Can’t read that query" in window.search.message.text()
    assert "Years are numbers" in window.search.error_text
    assert window.search.message.isVisible()
    assert window.model.rowCount() == 12  # the last good results stay
    assert dialogs.shown == []
    search(qtbot, window, "year:2003")
    assert window.search.error_text == ""
    assert not window.search.message.isVisible()
    assert window.model.rowCount() == 1


def test_search_runs_off_the_gui_thread_and_stale_results_are_ignored(
    qtbot, window, library: Library, monkeypatch
) -> None:
    gui_thread = threading.get_ident()
    real = library.paper_matches
    threads: list[int] = []
    release = threading.Event()

    def paper_matches(*args, **kwargs):
        threads.append(threading.get_ident())
        if kwargs.get("query") == "pruning":
            release.wait(5)  # the first search is slow: a newer one is typed meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(library, "paper_matches", paper_matches)
    window.search.field.setText("pruning")
    window.search.flush()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=3000)
    assert window.search_pending
    assert window.model.rowCount() == 12  # the GUI thread did not wait for it
    window.search.field.setText("year:2003")
    window.search.flush()
    release.set()
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)
    qtbot.wait(50)  # let any late delivery of the stale result land
    assert window.model.rowCount() == 1  # the newer query's result, not the stale "pruning" one
    assert window.model.filter.query == "year:2003"
    assert window.search.count.text() == "1 paper matches"
    assert len(threads) == 2 and gui_thread not in threads
    newest = window.model.ids
    stale = window.searcher.generation - 1  # a result arriving late for an older request
    request = QueryRequest(stale, PaperFilter(query="pruning"), "relevance", False, False)
    window.searcher._done.emit(request, [key(library, 1), key(library, 2)], None, None)
    qtbot.wait(20)
    assert window.model.ids == newest
    assert window.model.filter.query == "year:2003"


def test_ctrl_f_focuses_the_search_field(qtbot, window) -> None:
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.field.hasFocus()


# --- sidebar and sorting ------------------------------------------------------------------


def test_sidebar_counts_and_filters(qtbot, window, library: Library) -> None:
    sidebar = window.sidebar
    assert sidebar.count_of(("all", None)) == 12
    assert sidebar.count_of(("status", "unread")) == 12
    click_row(qtbot, window, key(library, 0))
    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Mark as reading
    assert sidebar.count_of(("status", "unread")) == 11
    assert sidebar.count_of(("status", "reading")) == 1
    click_sidebar(qtbot, sidebar, ("status", "reading"))
    assert window.model.ids == (key(library, 0),)
    click_sidebar(qtbot, sidebar, ("all", None))
    assert window.model.rowCount() == 12


def test_a_reading_list_shows_its_papers_in_list_order(qtbot, window, library) -> None:
    order = [key(library, 5), key(library, 1), key(library, 9)]
    library.create_list("Reading group")
    window.apply_change(library.add_to_list("Reading group", order))
    assert window.sidebar.count_of(("list", "Reading group")) == 3
    click_sidebar(qtbot, window.sidebar, ("list", "Reading group"))
    assert list(window.model.ids) == order
    assert not window.table.horizontalHeader().isSortIndicatorShown()


def click_header(qtbot, window, column: str) -> None:
    """A real mouse click on the middle of a column's header section."""
    header = window.table.horizontalHeader()
    section = COLUMN_KEYS.index(column)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_header_clicks_sort_through_the_library(qtbot, window, library, make_window) -> None:
    header = window.table.horizontalHeader()
    click_header(qtbot, window, "year")
    assert (window.model.sort_key, window.model.descending) == ("year", True)
    assert window.model.ids == tuple(library.paper_ids(sort="year", descending=True))
    assert header.sortIndicatorSection() == COLUMN_KEYS.index("year")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    click_header(qtbot, window, "year")
    assert (window.model.sort_key, window.model.descending) == ("year", False)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    click_header(qtbot, window, "tags")  # not sortable: nothing changes
    assert header.sortIndicatorSection() == COLUMN_KEYS.index("year")
    assert (window.model.sort_key, window.model.descending) == ("year", False)
    header.resizeSection(COLUMN_KEYS.index("authors"), 333)
    window.save_state()
    again = make_window(library)
    assert (again.model.sort_key, again.model.descending) == ("year", False)
    assert again.table.horizontalHeader().sectionSize(COLUMN_KEYS.index("authors")) == 333
    assert again.table.horizontalHeader().sortIndicatorSection() == COLUMN_KEYS.index("year")


def test_a_header_click_while_searching_overrides_relevance(qtbot, window) -> None:
    search(qtbot, window, "attention OR graphs")
    assert window.model.sort_key == "relevance"
    click_header(qtbot, window, "title")
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)  # a query: on the worker
    assert (window.model.sort_key, window.model.descending) == ("title", False)
    assert titles(window) == sorted(titles(window))
    assert window.model.rowCount() == 6


# --- tagging ------------------------------------------------------------------------------


def test_tagging_several_papers_updates_the_sidebar(qtbot, window, library: Library) -> None:
    ids = list(window.model.ids[:3])
    click_row(qtbot, window, ids[0])
    click_row(qtbot, window, ids[2], Qt.KeyboardModifier.ShiftModifier)
    assert window.table.selected_ids() == ids
    tag_with_dialog(qtbot, window, add="favourite, to cite")
    assert window.sidebar.count_of(("tag", "favourite")) == 3
    assert window.sidebar.count_of(("tag", "to cite")) == 3
    tags_column = COLUMN_KEYS.index("tags")
    assert window.model.index(0, tags_column).data() == "favourite, to cite"
    click_row(qtbot, window, ids[0])
    click_row(qtbot, window, ids[1], Qt.KeyboardModifier.ShiftModifier)
    tag_with_dialog(qtbot, window, untick=("favourite",))
    assert window.sidebar.count_of(("tag", "favourite")) == 1
    undo(qtbot, window)
    assert window.sidebar.count_of(("tag", "favourite")) == 3
    undo(qtbot, window)
    assert window.sidebar.item_for(("tag", "favourite")) is None
    assert library.paper(ids[0]).tags == ()
    redo(qtbot, window)
    assert window.sidebar.count_of(("tag", "to cite")) == 3


def test_undo_of_tagging_keeps_tags_papers_had_before(qtbot, window, library: Library) -> None:
    first, second = key(library, 0), key(library, 1)
    click_row(qtbot, window, first)
    tag_with_dialog(qtbot, window, add="keep")
    click_row(qtbot, window, second, Qt.KeyboardModifier.ControlModifier)
    tag_with_dialog(qtbot, window, add="keep")
    assert window.sidebar.count_of(("tag", "keep")) == 2
    undo(qtbot, window)
    assert library.paper(first).tags == ("keep",)
    assert library.paper(second).tags == ()


def test_tag_dialog_turns_ticks_and_typing_into_changes(qtbot) -> None:
    dialog = TagDialog(3, ["alpha", "beta", "gamma"], {"alpha": 3, "beta": 1, "gamma": 2})
    qtbot.addWidget(dialog)
    items = {
        dialog.current.item(i).data(Qt.ItemDataRole.UserRole): dialog.current.item(i)
        for i in range(dialog.current.count())
    }
    assert items["alpha"].checkState() == Qt.CheckState.Checked
    assert items["beta"].checkState() == Qt.CheckState.PartiallyChecked
    items["alpha"].setCheckState(Qt.CheckState.Unchecked)
    items["beta"].setCheckState(Qt.CheckState.Checked)
    dialog.field.setText("delta,  new   tag , delta")
    assert dialog.changes() == (["delta", "new tag", "beta"], ["alpha"])
    items["beta"].setCheckState(Qt.CheckState.PartiallyChecked)  # left as it was
    dialog.field.setText("")
    assert dialog.changes() == ([], ["alpha"])
    completer = dialog.field.completer()
    dialog.field.setText("delta, AL")
    completer.setCompletionPrefix(completer.splitPath(dialog.field.text())[0])
    assert completer.completionCount() == 1  # case-insensitive, only the last tag completes
    assert completer.pathFromIndex(completer.completionModel().index(0, 0)) == "delta, alpha, "
    assert split_tags(" , a ,b  c,,") == ["a", "b c"]


def test_renaming_onto_an_existing_tag_merges_and_undo_splits(
    qtbot, window, library, dialogs
) -> None:
    a, b, c = key(library, 0), key(library, 1), key(library, 2)
    library.add_tags([a, b], ["nn"])
    window.apply_change(library.add_tags([b, c], ["neural"]))  # as another window would
    click_sidebar(qtbot, window.sidebar, ("tag", "nn"))
    dialogs.text_answer = "neural"  # the rename dialog's answer; then Yes to merging
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F2)
    assert dialogs.titles("input") == ["Rename tag: New name for “nn”:"]
    assert "Merge “nn” into it?" in dialogs.titles("question")[-1]
    settle(qtbot, window)
    assert window.sidebar.item_for(("tag", "nn")) is None
    assert window.sidebar.count_of(("tag", "neural")) == 3
    undo(qtbot, window)
    assert window.sidebar.count_of(("tag", "nn")) == 2
    assert window.sidebar.count_of(("tag", "neural")) == 2
    assert library.paper(a).tags == ("nn",)


def test_deleting_a_tag_asks_first_and_can_be_undone(qtbot, window, library, dialogs) -> None:
    window.apply_change(library.add_tags([key(library, 0), key(library, 1)], ["old"]))
    click_sidebar(qtbot, window.sidebar, ("tag", "old"))
    assert window.model.rowCount() == 2
    dialogs.answer = dialogs.answer.No
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Delete)
    assert window.sidebar.count_of(("tag", "old")) == 2
    dialogs.answer = dialogs.answer.Yes
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Delete)
    assert "from 2 papers" in dialogs.titles("question")[-1]
    settle(qtbot, window)
    assert window.sidebar.item_for(("tag", "old")) is None
    assert window.sidebar.current_key() == ("all", None)  # its filter went away with it
    assert window.model.rowCount() == 12
    undo(qtbot, window)
    assert window.sidebar.count_of(("tag", "old")) == 2


# --- status, rating, delete ---------------------------------------------------------------


def test_status_and_rating_keys_and_undo(qtbot, window, library: Library) -> None:
    first, second = key(library, 0), key(library, 1)
    library.set_status([second], "reading")
    window.apply_change(library.set_rating([second], 4))
    click_row(qtbot, window, first)
    click_row(qtbot, window, second, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert [library.paper(p).status for p in (first, second)] == ["read", "read"]
    assert window.sidebar.count_of(("status", "read")) == 2
    qtbot.keyClick(window.table, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, window)  # the edit runs on the write lane
    assert [library.paper(p).rating for p in (first, second)] == [2, 2]
    status_column = COLUMN_KEYS.index("status")
    row = window.model.row_of(first)
    assert window.model.index(row, status_column).data() == "Read"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert [library.paper(p).rating for p in (first, second)] == [0, 4]
    undo(qtbot, window)
    assert [library.paper(p).status for p in (first, second)] == ["unread", "reading"]
    assert window.model.index(row, status_column).data() == "Unread"
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.table, Qt.Key.Key_Z, redo)
    settle(qtbot, window)
    assert library.paper(first).status == "read"


def test_delete_asks_mentioning_notes_and_undo_restores(qtbot, window, library, dialogs) -> None:
    first, second = key(library, 0), key(library, 1)
    library.add_note(first, "My *thoughts*")
    window.apply_change(library.add_tags([first], ["kept"]))
    click_row(qtbot, window, first)
    click_row(qtbot, window, second, Qt.KeyboardModifier.ControlModifier)
    dialogs.answer = dialogs.answer.No
    press(qtbot, window, Qt.Key.Key_Delete)
    assert library.stats().papers == 12
    assert "1 note" in dialogs.titles("question")[-1]
    dialogs.answer = dialogs.answer.Yes
    press(qtbot, window, Qt.Key.Key_Delete)
    assert library.stats().papers == 10
    assert window.model.rowCount() == 10 and window.model.row_of(first) is None
    assert window.sidebar.count_of(("all", None)) == 10
    assert window.detail.current_paper_id in window.model.ids
    undo(qtbot, window)
    assert library.stats().papers == 12
    assert window.model.row_of(first) is not None
    restored = library.paper(first)
    assert [note.body for note in restored.notes] == ["My *thoughts*"]
    assert restored.tags == ("kept",)


# --- the empty library, accessibility -----------------------------------------------------


def test_an_empty_library_shows_the_placeholder(make_library, make_window) -> None:
    window = make_window(make_library(0, name="empty"))
    assert window.area.showing_empty
    assert "Your library is empty" in window.area.empty.label.text()
    assert window.area.empty.button.accessibleName() == "Import papers"
    assert window.detail.current_paper_id is None


def test_every_control_of_the_window_has_an_accessible_name(window) -> None:
    detail = window.detail
    missing = []
    for widget in window.findChildren(QWidget):
        if widget is detail or detail.isAncestorOf(widget) or not widget.isVisible():
            continue
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert missing == []
    for action in window.actions.values():
        assert action.text() and action.isVisible()


def test_shortcuts_are_the_promised_ones_and_never_clash(qtbot, window, library) -> None:
    keys = {name: [s.toString() for s in a.shortcuts()] for name, a in window.actions.items()}
    assert keys["quit"] == ["Ctrl+Q"]
    assert keys["import"] == ["Ctrl+I"]
    assert keys["find"][0] == "Ctrl+F"  # plus the Find key on keyboards that have one
    assert keys["undo"][0] == "Ctrl+Z"
    assert keys["redo"] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert [keys[s] for s in ("unread", "reading", "read")] == [["Ctrl+1"], ["Ctrl+2"], ["Ctrl+3"]]
    assert [keys[f"rate{n}"] for n in range(6)] == [[f"Alt+{n}"] for n in range(6)]
    every = [key for bound in keys.values() for key in bound]
    assert len(every) == len(set(every))
    click_row(qtbot, window, key(library, 0))
    tag_with_dialog(qtbot, window, add="x")
    assert window.actions["undo"].text() == "&Undo Tag 1 paper"
    assert window.actions["undo"].isEnabled() and not window.actions["redo"].isEnabled()


def test_an_edit_that_breaks_midway_is_reported_not_raised(
    qtbot, window, library: Library, monkeypatch, capsys
) -> None:
    first = key(library, 0)

    def broken(ids, status):
        raise RuntimeError("the index is busy")

    monkeypatch.setattr(library, "set_status", broken)
    click_row(qtbot, window, first)
    press(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Mark 1 paper as read failed: the index is busy"
    assert window.undo_stack.count() == 0  # nothing to undo
    assert "RuntimeError" in capsys.readouterr().err
    assert library.paper(first).status == "unread"
