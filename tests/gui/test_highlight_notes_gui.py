"""The detail pane's notes show a highlight's colour, quote and page; its quote stays the PDF's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
for extra in (REPO_ROOT, REPO_ROOT / "tests" / "pdf"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from highlight_support import PAGE_ONE, library_with_pdf, line_rect  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from app.gui.detail import DetailPane  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def shelf(tmp_path: Path):
    library, pid, file_id = library_with_pdf(tmp_path / "lib", tmp_path)
    library.add_highlight(pid, file_id, 1, [line_rect(1)], PAGE_ONE[1], "green", "Cubes!")
    library.add_note(pid, "A plain note.")
    yield library, pid
    library.close()


@pytest.fixture
def pane(qtbot, shelf) -> DetailPane:
    library, pid = shelf
    widget = DetailPane(library)
    qtbot.addWidget(widget)
    widget.resize(600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_paper(pid)
    return widget


def test_a_highlight_card_shows_its_colour_quote_and_page(qtbot, pane, shelf) -> None:
    library, pid = shelf
    highlight, plain = library.paper(pid).notes
    card = pane.notes.cards[highlight.id]
    qtbot.waitUntil(card.swatch.isVisible, timeout=2000)
    assert "#5fb236" in card.swatch.styleSheet()
    assert card.swatch.toolTip() == "Green highlight on page 1"
    text = card.view.toPlainText()
    assert PAGE_ONE[1] in text and "p. 1" in text and "Cubes!" in text
    assert not pane.notes.cards[plain.id].swatch.isVisible()
    assert "background-color:#b7dca5" in card.view.toHtml()  # the quote, as if highlighted
    assert "background-color:#" not in pane.notes.cards[plain.id].view.toHtml()


def test_editing_a_highlight_changes_its_comment_not_its_quote(qtbot, pane, shelf) -> None:
    library, pid = shelf
    highlight = library.paper(pid).notes[0]
    button = pane.notes.cards[highlight.id].edit_button
    qtbot.waitUntil(lambda: button.isVisible() and not button.rect().isEmpty(), timeout=2000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (editor,) = pane.notes.editors
    assert editor.quote_edit.isReadOnly() and editor.page_edit.isReadOnly()
    qtbot.keyClicks(editor.quote_edit, "typed over")
    qtbot.keyClicks(editor.body_edit, " Really.")
    assert editor.flush()
    note = library.paper(pid).notes[0]
    assert (note.body, note.quote, note.page, note.color) == (
        "Cubes! Really.",
        PAGE_ONE[1],
        1,
        "green",
    )
    assert note.rects == highlight.rects and note.file_id == highlight.file_id
