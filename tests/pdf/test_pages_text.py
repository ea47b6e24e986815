"""Page text with character boxes: find, rectangles where the text was drawn, selection, words."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from make_pdf import Line, Page, column, make_pdf
from pdf_library_support import paper_like_pdf

from storage.pdfpages import (
    PageText,
    Rect,
    Span,
    open_document,
    page_text,
    read_page_text,
    render_page,
)

SIZE = 11.0  # the test font's size in column()
LEADING = SIZE * 1.3


def advance(text: str, size: float = SIZE) -> float:
    """Width of text in make_pdf's test font: 556/1000 em a character, 278 for a space."""
    return sum(278 if char == " " else 556 for char in text) * size / 1000


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "paper.pdf"
    path.write_bytes(paper_like_pdf())
    return path


@pytest.fixture(scope="module")
def pages(paper: Path) -> list[PageText]:
    document = open_document(paper, "paper.pdf")
    try:
        return [page_text(document, index, "paper.pdf") for index in range(len(document))]
    finally:
        document.close()


def assert_on_line(rect: Rect, x: float, baseline: float, text_before: str, text: str) -> None:
    """The rectangle covers `text`, drawn after `text_before` on the line starting at x."""
    left = x + advance(text_before)
    right = left + advance(text)
    assert rect.left == pytest.approx(left, abs=0.6)
    assert rect.right == pytest.approx(right, abs=0.6)
    assert rect.bottom < baseline < rect.top
    assert rect.height == pytest.approx(SIZE * 1.17, rel=0.15)  # ascent to descent


def test_a_phrase_is_found_where_it_was_drawn(pages: list[PageText]) -> None:
    page = pages[0]
    (span,) = page.find("small furry")
    assert page.text_of(span) == "small furry"
    (rect,) = page.rects(span)
    assert_on_line(rect, 72, 650, "We study ", "small furry")


def test_find_ignores_case_and_counts_every_match(pages: list[PageText]) -> None:
    page = pages[2]
    spans = page.find("COLUMN")
    assert [page.text_of(span) for span in spans] == ["column", "column"]
    left, right = (page.rects(span)[0] for span in spans)
    assert_on_line(left, 60, 720, "The \ufb01rst ", "column")  # the ligature: one glyph
    assert_on_line(right, 320, 720, "The second ", "column")
    assert page.find("") == [] and page.find("   ") == [] and page.find("kangaroo") == []


def test_ligature_and_hyphenated_word_are_found_whole(pages: list[PageText]) -> None:
    page = pages[2]
    (first,) = page.find("first column")
    assert page.text_of(first) == "first column"
    for phrase, found in (
        ("hyperparameter", "hyperparameter"),
        ("Hyper-parameter", "hyperparameter"),
        ("about hyperparameter tuning", "about hyperparameter tuning"),
    ):
        (span,) = page.find(phrase)
        assert page.text_of(span) == found
    (span,) = page.find("hyperparameter")
    upper, lower = page.rects(span)  # "hyper-" on one line, "parameter" on the next
    assert_on_line(upper, 60, 720 - LEADING, "", "hyper-")
    assert_on_line(lower, 60, 720 - 2 * LEADING, "", "parameter")


def test_a_phrase_across_a_line_break(pages: list[PageText]) -> None:
    page = pages[4]
    (span,) = page.find("the echidna gradient estimator")
    assert page.text_of(span) == "the echidna gradient estimator"
    first, second = page.rects(span)
    assert_on_line(first, 72, 720, "in the end ", "the echidna")
    assert_on_line(second, 72, 720 - LEADING, "", "gradient estimator")


def test_non_latin_text(pages: list[PageText]) -> None:
    page = pages[3]
    (span,) = page.find("НЕЙРОННЫХ сетей")
    assert page.text_of(span) == "нейронных сетей"
    (span,) = page.find("深度学习")
    assert page.text_of(span) == "深度学习"
    assert len(page.rects(span)) == 1


def test_selection_runs_in_reading_order_across_lines_and_columns(pages: list[PageText]) -> None:
    page = pages[2]
    top = 720 + 3  # inside the first line of each column
    start = (60 + advance("The \ufb01rst co"), top)  # inside "column" of the left column
    end = (320 + advance("the plat"), 720 - LEADING + 3)  # inside "platypus", right column
    span = page.select(start, end)
    expected = (
        "column talks about hyperparameter tuning of wombats. The second column holds the platypus"
    )
    assert span is not None and page.text_of(span) == expected
    assert page.select(end, start) == span  # dragged backwards: the same text
    assert [round(rect.left) for rect in page.rects(span)] == [
        round(60 + advance("The \ufb01rst ")),
        60,
        60,
        320,
        320,
    ]


def test_selection_snaps_to_whole_words_and_to_the_nearest_line(pages: list[PageText]) -> None:
    page = pages[4]
    in_word = (72 + advance("in the end the ec") + 2, 723)  # on the "h" of "echidna"
    beyond_line_end = (400, 720 - LEADING + 2)  # right of "gradient estimator wins."
    span = page.select(in_word, beyond_line_end)
    assert span is not None and page.text_of(span) == "echidna gradient estimator wins."
    exact = page.select(in_word, beyond_line_end, whole_words=False)
    assert exact is not None and page.text_of(exact) == "hidna gradient estimator wins."
    margin = page.select((10, 790), (600, 650))  # from above left of the text to below right
    assert margin is not None and page.text_of(margin) == page.text_of(Span(0, len(page)))


def test_word_at_a_point(pages: list[PageText]) -> None:
    page = pages[2]
    word = page.word_at(60 + advance("hy"), 720 - LEADING + 2)
    assert word is not None and page.text_of(word) == "hyperparameter"
    word = page.word_at(60 + advance("The first column talks about wombats"), 720 - 2 * LEADING)
    assert word is None  # right of the line: no word there
    assert page.word_at(300, 100) is None


def test_text_under_stored_rectangles_comes_back(pages: list[PageText]) -> None:
    page = pages[2]
    (span,) = page.find("hyperparameter tuning of wombats")
    rects = page.rects(span)
    assert page.span_in(rects) == span
    assert page.text_of(page.span_in(rects) or Span(0, 0)) == "hyperparameter tuning of wombats"
    assert page.span_in([Rect(500, 10, 600, 20)]) is None


def test_page_text_travels_small_and_whole(pages: list[PageText]) -> None:
    page = pages[2]
    page.lines, page.words  # noqa: B018 (cached; must not travel)
    copy = pickle.loads(pickle.dumps(page))
    assert copy.text == page.text and list(copy.boxes) == list(page.boxes)
    assert copy.find("platypus") == page.find("platypus") and copy.page == page.page
    assert len(pickle.dumps(page)) < 40 * len(page) + 500


def test_read_page_text_in_this_process(paper: Path) -> None:
    page = read_page_text(paper, 1)
    assert page.text_of(page.find("kangaroo detectors")[0]) == "kangaroo detectors"


def dark_share(path: Path, index: int, rect: Rect, scale: float = 2.0) -> float:
    """The share of dark pixels inside the rectangle, as drawn on the rendered page."""
    document = open_document(path, path.name)
    try:
        rendered = render_page(document, index, scale)
        box = page_text(document, index).page
    finally:
        document.close()
    x0, y0, x1, y1 = (round(v * scale) for v in box.rect_to_view(rect))
    dark = total = 0
    for y in range(max(y0, 0), min(y1, rendered.height)):
        row = rendered.data[y * rendered.stride : y * rendered.stride + 4 * rendered.width]
        for x in range(max(x0, 0), min(x1, rendered.width)):
            total += 1
            dark += row[4 * x] < 128
    return dark / max(total, 1)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_rectangles_land_on_the_drawn_words_on_rotated_pages(tmp_path: Path, rotate: int) -> None:
    lines = [Line("Mark this phrase here", x=100, y=500, size=14), Line("elsewhere", x=100, y=200)]
    path = tmp_path / f"r{rotate}.pdf"
    path.write_bytes(make_pdf([Page(lines, rotate=rotate)]))
    page = read_page_text(path, 0)
    (span,) = page.find("this phrase")
    (rect,) = page.rects(span)
    assert dark_share(path, 0, rect) > 0.08  # glyphs drawn inside it
    blank = Rect(rect.left, rect.bottom + 60, rect.right, rect.top + 60)
    assert dark_share(path, 0, blank) == 0.0  # and nothing above it
    box = page.page
    assert (box.width, box.height) == ((792, 612) if rotate in (90, 270) else (612, 792))
    for x, y in ((0, 0), (100, 500), (612, 792)):
        assert box.from_view(*box.to_view(x, y)) == pytest.approx((x, y))


def test_a_page_without_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([Page([], image=True)]))
    page = read_page_text(path, 0)
    assert len(page) == 0 and page.lines == [] and page.find("anything") == []
    assert page.select((10, 10), (500, 500)) is None and page.char_near(1, 1) is None


def test_two_columns_drawn_out_of_order_still_select_by_drawing_order() -> None:
    left = column(["alpha beta", "gamma delta"], x=72)
    right = column(["epsilon zeta", "eta theta"], x=320)
    document = open_document(make_pdf([Page(left + right)]), "cols.pdf")
    try:
        page = page_text(document, 0)
    finally:
        document.close()
    span = page.select((72 + advance("gamma "), 708), (320 + advance("eps"), 722))
    assert span is not None and page.text_of(span) == "delta epsilon"
