"""Markdown and HTML exports list each paper's highlights: the quote with its page, the colour
(named in Markdown, drawn in HTML) and the comment; hostile text stays text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from highlight_support import PAGE_ONE, PAGE_TWO, library_with_pdf, line_rect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from html_payloads import PAYLOADS, audit  # noqa: E402

from storage.exporting import ExportSelection  # noqa: E402
from storage.formats.html_export import STYLE  # noqa: E402


@pytest.fixture
def shelf(tmp_path: Path):
    library, pid, file_id = library_with_pdf(tmp_path / "lib", tmp_path)
    # made out of reading order: page 2 first, then the lower line of page 1, then the top one
    library.add_highlight(pid, file_id, 2, [line_rect(0, page=PAGE_TWO)], PAGE_TWO[0], "blue")
    library.add_highlight(pid, file_id, 1, [line_rect(1)], PAGE_ONE[1], "green", "Cubes, *really*.")
    library.add_highlight(pid, file_id, 1, [line_rect(0)], PAGE_ONE[0])
    library.add_note(pid, "A plain note.", quote="typed by hand", page="iv")
    yield library, pid, tmp_path
    library.close()


def export(library, fmt: str, path: Path) -> str:
    library.export(ExportSelection.everything(), fmt, path)
    return path.read_text(encoding="utf-8")


def test_markdown_lists_highlights_in_reading_order_with_page_and_colour(shelf) -> None:
    library, _pid, tmp = shelf
    text = export(library, "markdown", tmp / "list.md")
    notes, highlights = text.split("### Notes")[1].split("### Highlights")
    assert "#### Note · p. iv" in notes and "> typed by hand" in notes and "A plain note." in notes
    blocks = highlights.split("#### Highlight ")[1:]
    assert [block.split(" · ")[:3] for block in blocks] == [
        ["1", "p. 1", "yellow"], ["2", "p. 1", "green"], ["3", "p. 2", "blue"]
    ]
    assert "> Wombats dig long burrows under the dry eucalyptus forest floor." in blocks[0]
    assert "> Their cube-shaped droppings" in blocks[1] and "Cubes, *really*." in blocks[1]
    assert "> Platypus venom" in blocks[2]


def test_html_draws_the_colour_and_keeps_the_quote_and_comment(shelf) -> None:
    library, _pid, tmp = shelf
    document = export(library, "html", tmp / "list.html")
    assert "<h3>Notes</h3>" in document and "<h3>Highlights</h3>" in document
    assert document.count('class="note highlight hl-') == 3
    green = document.split('<div class="note highlight hl-green">')[1].split("</div>")[0]
    assert '<span class="swatch" aria-hidden="true"></span>Highlight 2 · green' in green
    assert "cube-shaped droppings" in green and "<cite>p.&nbsp;1</cite>" in green
    assert "<em>really</em>" in green  # the comment is Markdown, rendered
    assert ".hl-green blockquote { border-left-color: #5fb236; }" in STYLE
    assert audit(document, allowed_style=STYLE, allowed_meta=5) == []


@pytest.mark.parametrize("payload", PAYLOADS[:12] + PAYLOADS[-8:])
def test_hostile_quotes_and_comments_stay_inert(shelf, payload: str) -> None:
    library, pid, tmp = shelf
    (file_id,) = [view.id for view in library.files(pid)]
    library.add_highlight(pid, file_id, 1, [line_rect(2)], payload, "pink", payload)
    document = export(library, "html", tmp / "hostile.html")
    assert audit(document, allowed_style=STYLE, allowed_meta=5) == [], payload
    markdown = export(library, "markdown", tmp / "hostile.md")
    quoted = [line for line in markdown.splitlines() if line.startswith("> ")]
    assert not any("<script" in line.lower() for line in quoted)  # the quote is escaped text
