"""The reader in the window: opening a paper's PDF, pages, keys, zoom, find, selection, links."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from reader_support import drag, point_of, reader_library, wait_ready, wait_text

from app.gui.paper_model import COLUMNS
from app.gui.reader import Reader
from storage.library import Library

pytestmark = pytest.mark.gui

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def library(make_library, tmp_path: Path):
    return reader_library(make_library, tmp_path)


def open_row(qtbot, window, pid: int) -> Reader:
    """Select the paper's row and press Enter, as a user opens it."""
    window.table.select_ids([pid], pid)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    reader = window.reader.tabs.current_reader()
    assert isinstance(reader, Reader) and reader.paper_id == pid
    wait_ready(qtbot, reader)
    return reader


def test_enter_opens_the_pdf_in_a_tab_and_marks_the_paper_reading(qtbot, window, library):
    assert library.paper(2).status == "unread"
    reader = open_row(qtbot, window, 2)
    assert window.reader.tabs.count() == 2 and window.reader.tabs.currentIndex() == 1
    assert reader.page_count.text() == " of 30" and reader.page_box.text() == "1"
    assert window.detail.current_paper_id == 2  # the detail pane shows the paper read
    undo = window.actions["undo"]  # once the page showed, written off the GUI thread
    qtbot.waitUntil(lambda: undo.text() == "&Undo Mark 1 paper as reading")
    qtbot.waitUntil(lambda: library.paper(2).status == "reading")
    assert window.detail.isEnabled()  # written off the GUI thread, the pane never greyed out
    status = next(i for i, c in enumerate(COLUMNS) if c.key == "status")
    shown = window.model.index(window.model.row_map()[2], status)
    qtbot.waitUntil(lambda: shown.data() == "Reading")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undoable
    qtbot.waitUntil(lambda: library.paper(2).status == "unread")
    qtbot.keyClick(reader.canvas, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.tabs.count() == 1 and window.reader.tabs.current_reader() is None


def test_double_click_and_the_files_sections_open(qtbot, window, library):
    row = window.model.row_map()[1]
    rect = window.table.visualRect(window.table.model().index(row, 0))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    reader = window.reader.tabs.current_reader()
    assert reader is not None and reader.paper_id == 1
    wait_ready(qtbot, reader)
    window.reader.tabs.setCurrentIndex(0)
    window.table.select_ids([2], 2)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == 2)
    (row,) = window.detail.files.rows
    qtbot.mouseClick(row.read_button, Qt.MouseButton.LeftButton)
    reader = window.reader.tabs.current_reader()
    assert reader is not None and reader.paper_id == 2 and reader.name == "long.pdf"
    qtbot.mouseClick(row.read_button, Qt.MouseButton.LeftButton)  # already open: the same tab
    assert window.reader.tabs.count() == 3


def test_a_paper_without_a_pdf_says_so(qtbot, window, library):
    window.table.select_ids([5], 5)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.reader.tabs.count() == 1
    assert "has no PDF" in window.statusBar().currentMessage()


def test_open_at_a_page_and_read_with_the_keys(qtbot, window, library):
    reader = window.reader.open_paper(2, page=9)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    assert canvas.current_page == 9 and reader.page_box.text() == "10"
    assert 9 in canvas.visible_pages()
    bar = canvas.verticalScrollBar()
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert canvas.current_page == 29 and bar.value() == bar.maximum()
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert canvas.current_page == 0 and bar.value() == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert bar.value() == bar.pageStep() > canvas.viewport().height() * 0.8  # a screen down
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert canvas.current_page == 1 and reader.page_box.text() == "2"
    qtbot.keyClick(canvas, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() == bar.pageStep()
    top = bar.value()
    qtbot.keyClick(canvas, Qt.Key.Key_J)
    assert canvas.verticalScrollBar().value() > top
    qtbot.keyClick(canvas, Qt.Key.Key_K)
    assert canvas.verticalScrollBar().value() == top
    qtbot.keyClick(canvas, Qt.Key.Key_PageUp)
    assert bar.value() == 0 and canvas.current_page == 0
    qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
    assert bar.value() == bar.pageStep()
    reader.page_box.setText("25")
    qtbot.keyClick(reader.page_box, Qt.Key.Key_Return)
    assert canvas.current_page == 24
    wait_ready(qtbot, reader)  # the pages now on screen are drawn


def test_zoom_keeps_the_page_in_view(qtbot, window, library):
    reader = window.reader.open_paper(2, page=14)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    fitted = canvas.zoom
    qtbot.keyClick(canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom > fitted and canvas.current_page == 14 and canvas.fit is None
    assert reader.zoom_label.text() == f"{round(canvas.zoom * 100)} %"
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom < fitted and canvas.current_page == 14
    qtbot.keyClick(canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom == 1.0 and canvas.current_page == 14
    wait_ready(qtbot, reader)
    image = canvas.cache.get(14)
    assert image is not None and image.scale == pytest.approx(96 / 72 * canvas.devicePixelRatioF())
    qtbot.mouseClick(
        reader.toolbar.widgetForAction(reader.fit_page_action), Qt.MouseButton.LeftButton
    )
    assert canvas.fit == "page" and canvas.current_page == 14
    page = canvas.slot_in_view(14)
    assert page.height() <= canvas.viewport().height()


def test_find_marks_every_match_and_steps_through_them(qtbot, window, library):
    reader = window.reader.open_paper(1)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    qtbot.keyClick(canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert reader.findbar.isVisible() and reader.findbar.field.hasFocus()
    qtbot.keyClicks(reader.findbar.field, "COLUMN")
    qtbot.waitUntil(lambda: reader.findbar.count.text() == "1 of 2")
    assert [m.page for m in reader.finder.matches] == [2, 2]  # two columns on page 3
    assert canvas.current_match == reader.finder.matches[0] and canvas.current_page == 2
    qtbot.keyClick(reader.findbar.field, Qt.Key.Key_Return)
    assert reader.findbar.count.text() == "2 of 2"
    assert canvas.current_match == reader.finder.matches[1]
    qtbot.keyClick(reader.findbar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert reader.findbar.count.text() == "1 of 2"
    reader.findbar.field.clear()
    qtbot.keyClicks(reader.findbar.field, "hyperparameter")  # split over two lines by a hyphen
    qtbot.waitUntil(lambda: reader.findbar.count.text() == "1 of 1")
    assert len(reader.finder.matches[0].rects) == 2
    reader.findbar.field.clear()
    qtbot.keyClicks(reader.findbar.field, "okapi")
    qtbot.waitUntil(lambda: reader.findbar.count.text() == "No matches")
    qtbot.keyClick(reader.findbar.field, Qt.Key.Key_Escape)
    assert not reader.findbar.isVisible() and canvas.matches == {}


def test_select_a_phrase_with_the_mouse_and_copy_it(qtbot, window, library):
    reader = window.reader.open_paper(1, page=2)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    wait_text(qtbot, canvas, 2)
    text = canvas.texts[2]
    (first,) = text.find("column talks")
    (last,) = text.find("platypus")
    start = point_of(canvas, 2, text.rects(first)[0], "start")
    end = point_of(canvas, 2, text.rects(last)[0], "end")
    drag(qtbot, canvas, start, end)
    expected = (
        "column talks about hyperparameter tuning of wombats. The second column holds the platypus"
    )
    assert canvas.selected_text() == expected
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == expected
    inside = point_of(canvas, 2, text.rects(text.find("wombats")[0])[0])
    qtbot.mouseDClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=inside)
    assert canvas.selected_text() == "wombats"
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.selected_text() == "" and not canvas.has_selection()


def test_selection_across_a_page_break(qtbot, window, library):
    reader = window.reader.open_paper(2, page=3)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    canvas.set_fit("page")
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    wait_text(qtbot, canvas, 3)
    wait_text(qtbot, canvas, 4)
    a, b = canvas.texts[3], canvas.texts[4]
    start = point_of(canvas, 3, a.rects(a.find("filler")[0])[0], "start")
    end = point_of(canvas, 4, b.rects(b.find("of the long")[0])[0], "end")
    drag(qtbot, canvas, start, end)
    assert canvas.selected_text() == "filler\n\nPage 5 of the long"


def test_links_inside_jump_and_addresses_ask_first(qtbot, window, library, dialogs, monkeypatch):
    opened: list = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True)
    )
    reader = window.reader.open_paper(2)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    wait_text(qtbot, canvas, 0)
    internal, external = canvas.links[0]
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(canvas, 0, internal.rect))  # fmt: skip
    assert canvas.current_page == 29
    qtbot.keyClick(canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back
    assert canvas.current_page == 0
    dialogs.answer = No
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(canvas, 0, external.rect))  # fmt: skip
    assert opened == [] and "https://example.org/project" in dialogs.titles("question")[-1]
    dialogs.answer = Yes
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(canvas, 0, external.rect))  # fmt: skip
    assert [url.toString() for url in opened] == ["https://example.org/project"]


def test_the_outline_goes_to_its_pages(qtbot, window, library):
    reader = window.reader.open_paper(2)
    wait_ready(qtbot, reader)
    assert reader.outline is not None and reader.outline.isVisible()
    assert reader.contents_action.isEnabled()
    item = reader.outline.topLevelItem(1)
    assert item.text(0) == "Middle"
    rect = reader.outline.visualItemRect(item)
    qtbot.mouseClick(reader.outline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert reader.canvas.current_page == 15
    plain = window.reader.open_paper(1)
    wait_ready(qtbot, plain)
    assert plain.outline is None and not plain.contents_action.isEnabled()


def test_dark_mode_inverts_the_pages(qtbot, window, library):
    reader = window.reader.open_paper(1)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    assert canvas.cache.get(0).image.pixelColor(2, 2).lightness() == 255  # white paper
    qtbot.mouseClick(reader.toolbar.widgetForAction(reader.dark_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: canvas.cache.get(0) is not None and canvas.cache.get(0).dark)
    assert canvas.cache.get(0).image.pixelColor(2, 2).lightness() == 0
    assert window.settings.value("reader/dark", type=bool) is True


def test_the_page_read_last_is_where_the_paper_opens_again(qtbot, make_window, library, tmp_path):
    window = make_window(library)
    reader = window.reader.open_paper(2, page=6)
    wait_ready(qtbot, reader)
    while reader.canvas.current_page == 6:
        qtbot.keyClick(reader.canvas, Qt.Key.Key_PageDown)
    assert reader.canvas.current_page == 7
    qtbot.keyClick(reader.canvas, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)  # the status and the page are written on the write lane
    position = library.reading_position(2)
    assert (position.page, position.pages) == (8, 30)
    column = next(i for i, c in enumerate(COLUMNS) if c.key == "progress")
    row = window.model.row_map()[2]
    assert window.model.index(row, column).data() == "p. 8/30"
    window.close()
    library.close()
    again = Library(tmp_path / "lib")  # a restart: the page is in the library
    window = make_window(again)
    reader = window.reader.open_paper(2)
    wait_ready(qtbot, reader)
    assert reader.canvas.current_page == 7 and reader.page_box.text() == "8"
    window.close()
    again.close()


def test_open_reference_refuses_what_it_cannot_open(qtbot, window, library):
    assert window.reader.open_reference("nosuchkey", None) == (
        "no paper with id or citation key 'nosuchkey'"
    )
    assert window.reader.open_reference("5", None) == "paper 5 has no PDF attached"
    assert window.reader.open_reference("2", 31, strict=True) == (
        "long.pdf has 30 pages; there is no page 31"
    )
    assert window.reader.open_reference("2", 31) is None  # the window opens the last page
    reader = window.reader.tabs.current_reader()
    wait_ready(qtbot, reader)
    assert reader.canvas.current_page == 29


def test_typing_in_the_page_box_is_not_a_reading_key(qtbot, window, library):
    reader = window.reader.open_paper(2)
    wait_ready(qtbot, reader)
    reader.page_box.setFocus()
    reader.page_box.selectAll()
    qtbot.keyClicks(reader.page_box, "12")
    qtbot.keyClick(reader.page_box, Qt.Key.Key_Return)
    assert reader.canvas.current_page == 11


def test_a_broken_pdf_shows_a_message_and_the_window_lives(qtbot, window, library):
    (view,) = library.files(2)
    view.path.write_bytes(view.path.read_bytes()[:300])  # the stored copy, cut short
    window.table.select_ids([2], 2)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    reader = window.reader.tabs.current_reader()
    qtbot.waitUntil(lambda: bool(reader.error), timeout=20_000)
    assert reader.error.startswith("long.pdf: damaged PDF")
    assert reader.stack.currentWidget() is reader.message and reader.message.isVisible()
    assert reader.message.text().startswith("This PDF cannot be shown.")
    window.reader.tabs.setCurrentIndex(0)  # the rest of the window still works
    window.table.select_ids([1], 1)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    wait_ready(qtbot, window.reader.tabs.current_reader())


def test_a_page_that_takes_too_long_shows_a_message_in_its_place(qtbot, window, library):
    import page_servers

    from storage.pdfpages import PdfPages

    window.reader.pages = lambda: PdfPages(timeout=1.5, server=page_servers.SlowPageTwo)
    window.settings.setValue("reader/fit", "page")
    reader = window.reader.open_paper(2)
    qtbot.waitUntil(lambda: reader.canvas is not None, timeout=20_000)
    canvas = reader.canvas
    canvas.set_zoom(0.3)  # pages 1 to 3 on screen at once
    assert 1 in canvas.visible_pages() and 2 in canvas.visible_pages()
    qtbot.waitUntil(lambda: 1 in canvas.failed, timeout=20_000)
    assert canvas.failed[1] == "long.pdf, page 2: took longer than 1.5 s; stopped"
    wait_ready(qtbot, reader)
    assert canvas.cache.get(0) is not None and canvas.cache.get(2) is not None
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    wait_ready(qtbot, reader)


def test_every_control_of_a_reader_has_an_accessible_name(qtbot, window, library):
    reader = window.reader.open_paper(2)
    wait_ready(qtbot, reader)
    reader.open_find()
    missing = [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in reader.findChildren(QWidget)
        if widget.isVisible()
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not widget.accessibleName()
    ]
    assert missing == []


def test_more_pages_on_screen_than_texts_kept(qtbot, window, library, monkeypatch):
    from app.gui.reader import canvas as canvas_module

    monkeypatch.setattr(canvas_module, "TEXT_PAGES", 3)
    reader = window.reader.open_paper(2)
    wait_ready(qtbot, reader)
    canvas = reader.canvas
    canvas.set_zoom(0.1)  # seven pages on screen at once
    shown = set(canvas.visible_pages())
    assert len(shown) > 3
    qtbot.waitUntil(lambda: set(canvas.texts) >= shown, timeout=20_000)  # none dropped: shown
    canvas.set_zoom(1.0)
    canvas.go_to(20)
    qtbot.waitUntil(lambda: 20 in canvas.texts and len(canvas.texts) <= 3, timeout=20_000)
