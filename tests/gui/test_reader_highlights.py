"""Highlighting in the reader: select, highlight, comment, recolour, delete, undo, restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import settle
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from reader_support import drag, point_of, reader_library, wait_ready, wait_text

from storage.library import Library

pytestmark = pytest.mark.gui

PHRASE = "hyperparameter tuning of wombats"


@pytest.fixture
def library(make_library, tmp_path: Path):
    return reader_library(make_library, tmp_path)


def select(qtbot, reader, page: int, phrase: str) -> None:
    """Drag over the phrase from its first character's box to its last one's."""
    canvas = reader.canvas
    wait_text(qtbot, canvas, page)
    text = canvas.texts[page]
    (span,) = text.find(phrase)
    rects = text.rects(span)
    drag(qtbot, canvas, point_of(canvas, page, rects[0], "start"),
         point_of(canvas, page, rects[-1], "end"))  # fmt: skip
    assert canvas.selected_text() == phrase


def highlight_phrase(qtbot, window, comment: str = ""):
    reader = window.reader.open_paper(1, page=2)
    wait_ready(qtbot, reader)
    select(qtbot, reader, 2, PHRASE)
    qtbot.keyClick(reader.canvas, Qt.Key.Key_H)
    popup = window.reader.highlighter.popup(reader)
    assert popup is not None and popup.isVisible() and popup.comment.hasFocus()
    if comment:
        qtbot.keyClicks(popup.comment, comment)
    qtbot.keyClick(popup.comment, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    settle(qtbot, window)  # written on the window's write lane
    return reader


def test_highlight_a_selection_with_a_comment_and_see_it_after_a_restart(
    qtbot, make_window, library, tmp_path
):
    window = make_window(library)
    reader = highlight_phrase(qtbot, window, "Wombats *again*.")
    (note,) = library.highlights(paper_id=1)
    assert (note.quote, note.page, note.color, note.body) == (
        PHRASE, 3, "yellow", "Wombats *again*."
    )  # fmt: skip
    text = reader.canvas.texts[2]
    assert [tuple(round(v, 1) for v in r) for r in note.rects] == [
        tuple(round(v, 1) for v in rect.as_tuple()) for rect in text.rects(text.find(PHRASE)[0])
    ]
    (mark,) = reader.canvas.highlights[2]  # drawn from the stored rectangles
    assert mark.note_id == note.id and len(mark.rects) == 2
    shown = window.detail.notes.cards[note.id]  # the detail pane shows the note
    assert shown.isVisible() and shown.show_button.text() == "p. 3 ›"
    assert PHRASE in shown.view.toPlainText() and "again" in shown.view.toPlainText()
    window.close()
    library.close()
    again = Library(tmp_path / "lib")
    window = make_window(again)
    (note,) = again.highlights(paper_id=1)
    assert (note.quote, note.page, note.body) == (PHRASE, 3, "Wombats *again*.")
    reader = window.reader.open_paper(1, page=2)
    wait_ready(qtbot, reader)
    (mark,) = reader.canvas.highlights[2]
    assert tuple(r.as_tuple() for r in mark.rects) == note.rects  # the stored rectangles
    qtbot.keyClick(reader.canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    wait_ready(qtbot, reader)
    wait_text(qtbot, reader.canvas, 2)
    text = reader.canvas.texts[2]
    word = reader.canvas.to_view(2, text.rects(text.find("wombats")[0])[0])
    drawn = [reader.canvas.to_view(2, r) for r in mark.rects]
    assert any(box.contains(word.center()) for box in drawn)  # on the same words at any zoom
    again.close()


def test_undo_and_redo_a_highlight(qtbot, window, library):
    reader = highlight_phrase(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    assert window.actions["undo"].text().startswith("&Undo Highlight “hyperparameter")
    qtbot.keyClick(reader.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert library.highlights(paper_id=1) == [] and reader.canvas.highlights == {}
    qtbot.keyClick(reader.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    settle(qtbot, window)
    (back,) = library.highlights(paper_id=1)
    assert back.id == note.id and back.quote == PHRASE and 2 in reader.canvas.highlights


def test_click_a_highlight_to_comment_recolour_and_delete_it(qtbot, window, library, dialogs):
    reader = highlight_phrase(qtbot, window)
    canvas = reader.canvas
    (mark,) = canvas.highlights[2]
    popup = window.reader.highlighter.popup(reader)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(canvas, 2, mark.rects[1]))  # fmt: skip
    assert popup.isVisible() and popup.swatches["yellow"].isChecked()
    qtbot.keyClick(popup.comment, Qt.Key.Key_2)  # typed into the comment, not a colour key
    assert popup.comment.toPlainText() == "2"
    qtbot.mouseClick(popup.swatches["blue"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(popup.done_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    assert (note.color, note.body) == ("blue", "2")
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(canvas, 2, mark.rects[0]))  # fmt: skip
    assert popup.comment.toPlainText() == "2"
    qtbot.keyClick(canvas, Qt.Key.Key_4)  # with the panel open, a digit recolours
    settle(qtbot, window)
    assert library.highlights(paper_id=1)[0].color == "pink"
    qtbot.mouseClick(popup.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert library.highlights(paper_id=1) == [] and canvas.highlights == {}
    assert not popup.isVisible()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the delete
    settle(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    assert (note.color, note.body) == ("pink", "2")
    for _ in range(3):  # pink, the comment, blue
        qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    assert (note.color, note.body) == ("yellow", "")


def test_a_colour_key_highlights_in_that_colour(qtbot, window, library):
    reader = window.reader.open_paper(1, page=2)
    wait_ready(qtbot, reader)
    select(qtbot, reader, 2, "platypus results")
    qtbot.keyClick(reader.canvas, Qt.Key.Key_3)
    settle(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    assert (note.quote, note.color) == ("platypus results", "blue")
    assert window.settings.value("reader/color") == "blue"  # the next H uses it too


def test_deleting_the_note_in_the_detail_pane_removes_the_highlight(
    qtbot, window, library, dialogs
):
    reader = highlight_phrase(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    card = window.detail.notes.cards[note.id]
    dialogs.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialogs.titles("question")[-1].startswith("Delete highlight: Delete this highlight")
    assert library.highlights(paper_id=1) == [] and reader.canvas.highlights == {}
    assert note.id not in window.detail.notes.cards
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    (back,) = library.highlights(paper_id=1)
    assert back.id == note.id and 2 in reader.canvas.highlights
    assert note.id in window.detail.notes.cards


def test_a_highlights_note_opens_the_reader_at_it(qtbot, window, library):
    library.add_highlight(2, library.files(2)[0].id, 21, [(72, 700, 200, 712)], "marker021")
    window.table.select_ids([2], 2)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == 2)
    (card,) = window.detail.notes.cards.values()
    qtbot.mouseClick(card.show_button, Qt.MouseButton.LeftButton)
    reader = window.reader.tabs.current_reader()
    assert reader is not None and reader.paper_id == 2
    wait_ready(qtbot, reader)
    assert reader.canvas.current_page == 20
    (mark,) = reader.canvas.highlights[20]
    shown = reader.canvas.to_view(20, mark.rects[0])
    assert shown.top() >= 0 and shown.bottom() <= reader.canvas.viewport().height()


def test_a_highlight_across_a_page_break_is_one_a_page(qtbot, window, library):
    reader = window.reader.open_paper(2, page=3)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    canvas.set_zoom(0.4)
    wait_text(qtbot, canvas, 3)
    wait_text(qtbot, canvas, 4)
    a, b = canvas.texts[3], canvas.texts[4]
    drag(qtbot, canvas, point_of(canvas, 3, a.rects(a.find("filler")[0])[0], "start"),
         point_of(canvas, 4, b.rects(b.find("Page 5")[0])[0], "end"))  # fmt: skip
    qtbot.keyClick(canvas, Qt.Key.Key_H)
    settle(qtbot, window)
    notes = library.highlights(paper_id=2)
    assert [(n.page, n.quote) for n in notes] == [(4, "filler"), (5, "Page 5")]
    assert window.actions["undo"].text() == "&Undo Highlight 2 pages"
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert library.highlights(paper_id=2) == []


def test_highlight_without_a_selection_says_what_to_do(qtbot, window, library):
    reader = window.reader.open_paper(1)
    wait_ready(qtbot, reader)
    qtbot.keyClick(reader.canvas, Qt.Key.Key_H)
    assert "Select some text first" in window.statusBar().currentMessage()
    assert library.highlights(paper_id=1) == []


def test_export_annotated_pdf_from_the_readers_menu(qtbot, window, library, tmp_path, monkeypatch):
    import pypdfium2

    from storage.pdf.annotations import page_annotations

    reader = highlight_phrase(qtbot, window, "Wombats *again*.")
    stored = library.files(1)[0].path
    before = stored.read_bytes()
    target = tmp_path / "out" / "annotated.pdf"
    target.parent.mkdir()
    offered: list[str] = []

    def save_name(_parent, _title, start, _filter):
        offered.append(start)
        return str(target), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    assert reader.more_menu.actions()[0].text() == "Export annotated PDF…"

    def choose_first() -> None:  # in the menu the button opened: its first entry, by keys
        menu = QApplication.activePopupWidget()
        assert menu is reader.more_menu
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(100, choose_first)
    qtbot.mouseClick(reader.more_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "with 1 highlight" in window.statusBar().currentMessage())
    assert Path(offered[0]).name == "paper (annotated).pdf"
    assert stored.read_bytes() == before  # the library's copy is never changed
    document = pypdfium2.PdfDocument(str(target))
    try:
        (found,) = page_annotations(document, document[2], 2, 100)
    finally:
        document.close()
    assert (found.kind, found.quote, found.contents) == ("highlight", PHRASE, "Wombats *again*.")
