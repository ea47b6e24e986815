"""Highlight rectangles in PDF points: checked, stored as JSON, and turned into QuadPoints."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from storage.highlights.palette import BadValue
from storage.views import Rect

__all__ = ["MAX_RECTS", "Rect", "clean_rects", "quad_points", "rects_from_json", "rects_to_json"]


@runtime_checkable
class SupportsTuple(Protocol):
    """A rectangle object (storage.pdfpages.Rect) that gives (left, bottom, right, top)."""

    def as_tuple(self) -> tuple[float, float, float, float]: ...


MAX_RECTS = 2000  # a highlight over a whole dense page has a few hundred at most
_LIMIT = 200_000.0  # points; PDF pages are at most 14,400 units across (ISO 32000, annex C)


def clean_rects(rects: Iterable[Sequence[float] | SupportsTuple]) -> tuple[Rect, ...]:
    """Rectangles as (x0, y0, x1, y1) with x0 < x1 and y0 < y1 (corners put in order), each a
    finite number of points, rounded to 1/1000 pt; BadValue for anything else or none at all.
    Takes 4-number sequences and storage.pdfpages.Rect (anything with as_tuple())."""
    cleaned: list[Rect] = []
    for item in rects:
        rect = item.as_tuple() if isinstance(item, SupportsTuple) else item
        try:
            values = [float(v) for v in rect]
        except (TypeError, ValueError):
            raise BadValue(f"a rectangle must be four numbers, not {rect!r}") from None
        if len(values) != 4 or any(isinstance(v, bool) for v in rect):
            raise BadValue(f"a rectangle must be four numbers [x0, y0, x1, y1], not {rect!r}")
        if not all(math.isfinite(v) and abs(v) <= _LIMIT for v in values):
            raise BadValue(f"a rectangle lies outside any page: {rect!r}")
        x0, y0, x1, y1 = values
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        if x1 - x0 <= 0 or y1 - y0 <= 0:
            raise BadValue(f"a rectangle has no area: {rect!r}")
        cleaned.append((round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3)))
        if len(cleaned) > MAX_RECTS:
            raise BadValue(f"a highlight has at most {MAX_RECTS} rectangles")
    if not cleaned:
        raise BadValue("a highlight needs at least one rectangle on the page")
    return tuple(cleaned)


def rects_to_json(rects: Sequence[Rect]) -> str:
    return json.dumps([list(rect) for rect in rects], separators=(",", ":"))


def rects_from_json(text: str | None) -> tuple[Rect, ...]:
    """The stored rectangles; () for none or for text that is not a list of four numbers."""
    if not text:
        return ()
    try:
        return clean_rects(json.loads(text))
    except (BadValue, ValueError, TypeError):
        return ()


def quad_points(rect: Rect) -> tuple[float, float, float, float, float, float, float, float]:
    """The QuadPoints of one rectangle in the order viewers expect (ISO 32000-2, 12.5.6.10):
    top left, top right, bottom left, bottom right (what Acrobat writes, PDFium reads)."""
    x0, y0, x1, y1 = rect
    return (x0, y1, x1, y1, x0, y0, x1, y0)
