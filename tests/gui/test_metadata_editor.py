"""The detail pane's "Edit details" form, used as a person would: typing, clicking, Enter,
Esc and Ctrl+Z; saved through Library.update_paper (its rules' messages next to the fields)."""

from __future__ import annotations

import pytest
from gui_support import settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.gui.paper_model import COLUMNS

TITLE_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.key == "title")
CTRL = Qt.KeyboardModifier.ControlModifier


def show(window, pid: int):
    window.table.select_ids([pid], pid)
    window.show_current()
    assert window.detail.current_paper_id == pid
    return window.detail


def open_editor(qtbot, window, pid: int):
    pane = show(window, pid)
    qtbot.mouseClick(pane.editing.button, Qt.MouseButton.LeftButton)
    editor = pane.editor
    assert editor.isVisible() and not pane.title.isVisible()
    button = editor.authors.add_button  # clicks go where the laid-out form draws its buttons
    qtbot.waitUntil(lambda: button.height() >= button.sizeHint().height())
    return editor


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)


def table_title(window, pid: int) -> str:
    row = window.model.row_map()[pid]
    return window.model.index(row, TITLE_COLUMN).data()


def undo(qtbot, window) -> None:
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    settle(qtbot, window)  # the undo runs on the write lane


def test_typing_and_enter_saves_and_ctrl_z_restores(qtbot, window, library) -> None:
    before = library.paper(3)
    editor = open_editor(qtbot, window, 3)
    assert editor.title.hasFocus() and editor.title.text() == before.title
    retype(qtbot, editor.title, "Quokka pruning revisited")
    retype(qtbot, editor.lines["year"], "1999")
    retype(qtbot, editor.lines["doi"], "https://doi.org/10.5555/Quokka.1")
    retype(qtbot, editor.lines["venue"], "Workshop on Quokkas")
    qtbot.keyClick(editor.lines["venue"], Qt.Key.Key_Return)
    settle(qtbot, window)  # written (and indexed) on the write lane
    assert not editor.isVisible()
    after = library.paper(3)
    assert (after.title, after.year, after.venue) == (
        "Quokka pruning revisited",
        1999,
        "Workshop on Quokkas",
    )
    assert after.doi == "10.5555/quokka.1"
    assert table_title(window, 3) == "Quokka pruning revisited"
    assert window.detail.title.text() == "Quokka pruning revisited"
    assert [hit.id for hit in library.search("quokka").hits] == [3]  # the index follows
    assert window.actions["undo"].text().startswith("&Undo Edit")
    undo(qtbot, window)
    restored = library.paper(3)
    assert (restored.title, restored.year, restored.venue, restored.doi) == (
        before.title,
        before.year,
        before.venue,
        before.doi,
    )
    assert table_title(window, 3) == before.title
    assert window.detail.title.text() == before.title
    assert library.search("quokka").total == 0


def test_a_bad_doi_is_shown_next_to_it_and_nothing_is_saved(qtbot, window, library) -> None:
    before = library.paper(2)
    editor = open_editor(qtbot, window, 2)
    retype(qtbot, editor.title, "A new title that must not be saved")
    retype(qtbot, editor.lines["doi"], "doi.org/abc")
    retype(qtbot, editor.lines["year"], "20x5")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()  # still open, with the messages
    doi_message = editor.messages["doi"]
    assert doi_message.isVisible()
    assert doi_message.text() == "DOI must look like 10.1234/suffix, not 'doi.org/abc'"
    assert editor.messages["year"].text() == "year must be a number such as 2017, not '20x5'"
    assert not editor.messages["title"].isVisible()
    assert library.paper(2) == before
    assert not window.undo_stack.canUndo()
    assert editor.lines["doi"].hasFocus() or editor.lines["year"].hasFocus()
    retype(qtbot, editor.lines["doi"], "10.1234/fine")
    retype(qtbot, editor.lines["year"], "2005")
    qtbot.keyClick(editor.lines["year"], Qt.Key.Key_Return)
    settle(qtbot, window)
    assert not editor.isVisible()
    assert (library.paper(2).doi, library.paper(2).year) == ("10.1234/fine", 2005)


def test_a_taken_citation_key_is_refused_next_to_the_key(qtbot, window, library) -> None:
    taken = library.paper(5).citation_key
    editor = open_editor(qtbot, window, 4)
    retype(qtbot, editor.lines["citation_key"], taken.upper())
    qtbot.keyClick(editor.lines["citation_key"], Qt.Key.Key_Return)
    settle(qtbot, window)  # refused on the write lane
    assert editor.isEnabled() and editor.save_button.text() == "Save"
    assert editor.lines["citation_key"].hasFocus()
    assert editor.messages["citation_key"].text() == (
        f"citation key {taken.upper()!r} is taken by paper 5"
    )
    assert library.paper(4).citation_key != taken.upper()
    qtbot.keyClick(editor.lines["citation_key"], Qt.Key.Key_Escape)  # Esc cancels
    assert not editor.isVisible() and window.detail.title.isVisible()


def test_esc_discards_and_double_click_on_the_title_opens(qtbot, window, library) -> None:
    pane = show(window, 6)
    qtbot.mouseDClick(pane.title, Qt.MouseButton.LeftButton)
    editor = pane.editor
    assert editor.isVisible()
    retype(qtbot, editor.title, "Never saved")
    qtbot.keyClick(editor.title, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert library.paper(6).title != "Never saved"
    assert not window.undo_stack.canUndo()


def click_cell(qtbot, editor, row: int, column: int) -> None:
    table = editor.authors.table
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell_editor(table) -> QLineEdit | None:
    widget = QApplication.focusWidget()
    inside = isinstance(widget, QLineEdit) and table.viewport().isAncestorOf(widget)
    return widget if inside else None


def type_in_cell(qtbot, editor, row: int, column: int, text: str) -> None:
    table = editor.authors.table
    click_cell(qtbot, editor, row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # opens the cell's editor
    qtbot.waitUntil(lambda: cell_editor(table) is not None, timeout=2000)
    qtbot.keyClicks(QApplication.focusWidget(), text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell_editor(table) is None, timeout=2000)


def add_author(qtbot, authors, text: str) -> None:
    qtbot.mouseClick(authors.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell_editor(authors.table) is not None, timeout=2000)
    qtbot.keyClicks(QApplication.focusWidget(), text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell_editor(authors.table) is None, timeout=2000)


def test_authors_are_added_reordered_removed_and_undone(qtbot, window, library) -> None:
    (before,) = library.records([1])
    editor = open_editor(qtbot, window, 1)
    authors = editor.authors
    assert authors.table.rowCount() == 2
    add_author(qtbot, authors, "Lovelace")  # the new row's family name
    type_in_cell(qtbot, editor, 2, 1, "Ada")
    add_author(qtbot, authors, "Open Research Consortium")
    click_cell(qtbot, editor, 3, 2)
    qtbot.keyClick(authors.table, Qt.Key.Key_Space)  # ticks "Whole name"
    assert authors.is_whole(3)
    assert not authors.table.item(3, 1).flags() & Qt.ItemFlag.ItemIsEditable
    click_cell(qtbot, editor, 2, 0)
    qtbot.mouseClick(authors.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(authors.up_button, Qt.MouseButton.LeftButton)  # Lovelace first
    click_cell(qtbot, editor, 1, 0)  # the first of the old authors, now second
    qtbot.mouseClick(authors.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not editor.isVisible()
    paper = library.paper(1)
    assert paper.authors == ("Ada Lovelace", before.authors[1].display, "Open Research Consortium")
    (record,) = library.records([1])
    assert (record.authors[0].family, record.authors[0].given) == ("Lovelace", "Ada")
    assert record.authors[2].literal == "Open Research Consortium"
    assert window.detail.authors.text().startswith("Ada Lovelace, ")
    undo(qtbot, window)
    (again,) = library.records([1])
    assert again.authors == before.authors


def test_entry_type_and_a_generated_key_come_back_on_undo(qtbot, window, library) -> None:
    library.update_paper(7, citation_key="")  # a key Papershelf made up
    generated = library.paper(7).citation_key
    assert library.key_generated(7)
    editor = open_editor(qtbot, window, 7)
    retype(qtbot, editor.lines["citation_key"], "mykey")
    editor.entry_type.setFocus()
    retype(qtbot, editor.entry_type.lineEdit(), "inproceedings")
    qtbot.keyClick(editor.entry_type.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, window)
    assert (library.paper(7).citation_key, library.paper(7).entry_type) == (
        "mykey",
        "inproceedings",
    )
    assert not library.key_generated(7)
    undo(qtbot, window)
    assert library.paper(7).citation_key == generated
    assert library.key_generated(7)  # still a made-up key, which a merge may remake


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("title", "", "a paper needs a title"),
        ("arxiv_id", "not-an-id", "arXiv id must look like 1706.03762 or hep-th/9901001"),
        ("url", "ftp://x.org", "URL must be an http:// or https:// address"),
        ("citation_key", "has space", "citation key 'has space' cannot hold space"),
    ],
)
def test_each_rule_speaks_next_to_its_field(qtbot, window, field, typed, message) -> None:
    editor = open_editor(qtbot, window, 8)
    edit = editor.title if field == "title" else editor.lines[field]
    retype(qtbot, edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert editor.messages[field].isVisible()
    assert editor.messages[field].text().startswith(message)
    assert "Traceback" not in editor.messages[field].text()


def test_switching_papers_saves_valid_edits(qtbot, window, library) -> None:
    editor = open_editor(qtbot, window, 9)
    retype(qtbot, editor.lines["venue"], "Saved on the way out")
    show(window, 10)
    assert not editor.isVisible()  # closed at once: the edit is written on the lane
    settle(qtbot, window)
    assert library.paper(9).venue == "Saved on the way out"
