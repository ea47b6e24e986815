"""The parts under highlights: colours, rectangles, reading annotations, the isolated process."""

from __future__ import annotations

import os
import time

import pytest
from highlight_support import PAGE_ONE, line_rect
from make_pdf import Markup, Page, column, make_pdf

from storage.highlights import COLOR_HEX, clean_rects, nearest_color, quad_points
from storage.highlights.isolated import IsolatedError, run_isolated
from storage.highlights.palette import BadValue, check_color
from storage.highlights.rects import rects_from_json, rects_to_json
from storage.pdf import extract_text
from storage.pdfpages import Rect


@pytest.mark.parametrize(
    ("rgb", "name"),
    [((255, 255, 0), "yellow"), ((255, 212, 0), "yellow"), ((0, 255, 0), "green"),
     ((0, 0, 255), "blue"), ((255, 0, 0), "pink"), ((240, 100, 120), "pink"),
     ((128, 0, 255), "purple"), ((95, 178, 54), "green")],
)  # fmt: skip
def test_a_colour_from_elsewhere_maps_to_the_nearest_of_the_palette(rgb, name) -> None:
    assert nearest_color(*rgb) == name
    for palette_name, value in COLOR_HEX.items():  # each palette colour maps to itself
        red, green, blue = (int(value[i : i + 2], 16) for i in (1, 3, 5))
        assert nearest_color(red, green, blue) == palette_name


def test_a_quote_is_tinted_only_with_a_colour_value() -> None:
    from storage.highlights.palette import pale
    from storage.render import render_note

    assert pale("green") == "#b7dca5" and pale("yellow", 1) == COLOR_HEX["yellow"]
    tinted = render_note("b", "a <quote>", "1", "#b7dca5")
    assert '<span style="background-color: #b7dca5">a &lt;quote&gt;</span>' in tinted
    assert "style" not in render_note("b", "q", "1", "red; background: url(x)")


def test_colour_names_are_checked() -> None:
    assert check_color(None) == "yellow" and check_color("  BLUE ") == "blue"
    with pytest.raises(BadValue, match="unknown colour 'teal': use one of yellow, green"):
        check_color("teal")


def test_rectangles_are_put_in_order_rounded_and_kept_as_json() -> None:
    assert clean_rects([(10, 20, 5, 8)]) == ((5.0, 8.0, 10.0, 20.0),)
    assert clean_rects([Rect(1.23456, 2, 3, 4)]) == ((1.235, 2.0, 3.0, 4.0),)
    rects = clean_rects([(1, 2, 3, 4), (5, 6, 7, 8)])
    assert rects_from_json(rects_to_json(rects)) == rects
    assert rects_from_json("not json") == () and rects_from_json('[["a", 1, 2]]') == ()
    for bad in ([True, 2, 3, 4], ["x", 1, 2, 3], [1, 2, 3, 4, 5], [0, 0, 1e9, 1]):
        with pytest.raises(BadValue):
            clean_rects([bad])
    with pytest.raises(BadValue, match="at most 2000"):
        clean_rects([(0, 0, 1, 1)] * 2001)


def test_quad_points_go_top_left_top_right_bottom_left_bottom_right() -> None:
    assert quad_points((10, 20, 30, 40)) == (10, 40, 30, 40, 10, 20, 30, 20)


def test_extraction_reads_markup_annotations_and_leaves_out_the_rest() -> None:
    markups = [
        Markup("Squiggly", [line_rect(1, 0, 5)], color=(0.6, 0.5, 0.9), name="n1"),
        Markup("Highlight", [line_rect(0, 0, 7)], color=None, contents="x\r\ny\x07z"),
        Markup("Text", [(500, 700, 520, 720)], contents="a reply", reply_to=True),
    ]
    page = Page(column(PAGE_ONE), links=[((72, 600, 200, 612), "https://example.org")],
                markups=markups)  # fmt: skip
    text = extract_text(make_pdf([page, Page(column(["plain"]))]))
    assert [a.page for a in text.annotations] == [1, 1]
    squiggly, plain = text.annotations
    assert (squiggly.kind, squiggly.quote, squiggly.key) == ("squiggly", "Their", "nm:n1")
    assert squiggly.color == (153, 127, 229)  # PDFium rounds 0.5 * 255 down
    assert (plain.kind, plain.quote, plain.color, plain.contents) == (
        "highlight", "Wombats", None, "x\nyz"
    )
    assert plain.key.startswith("at:highlight:")
    again = extract_text(make_pdf([page, Page(column(["plain"]))]))
    assert [a.key for a in again.annotations] == [a.key for a in text.annotations]


def _sleep() -> None:
    time.sleep(30)


def _crash() -> None:
    os._exit(3)


def _fail() -> None:
    raise ValueError("a one-line reason")


def test_the_isolated_process_reports_hangs_crashes_and_errors() -> None:
    assert run_isolated(sum, [1, 2, 3]) == 6
    with pytest.raises(IsolatedError, match="took longer than 1 s; stopped"):
        run_isolated(_sleep, timeout=1)
    with pytest.raises(IsolatedError, match=r"made PDFium crash \(exit code 3\)"):
        run_isolated(_crash)
    with pytest.raises(IsolatedError, match="^a one-line reason$"):
        run_isolated(_fail)
