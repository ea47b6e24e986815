"""The text of one page with a box per character: words, lines, find, hit tests, selection."""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import NamedTuple

from storage.pdfpages.geometry import PageBox, Rect
from storage.pdfpages.matching import HYPHEN_MARKS, find_spans, fold

__all__ = ["Line", "PageText", "Span"]

_LIGATURES = dict(zip("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06",
                      ("ff", "fi", "fl", "ffi", "ffl", "st", "st"), strict=True))  # fmt: skip
_NEW_LINE_BACK = 0.5  # a character this many line heights left of the last one starts a line
_HAIRLINE = 0.5  # points between two boxes that still count as on them
_SAME_LINE = 0.5  # share at least half the lower height vertically to be on the same line


class Span(NamedTuple):
    """Characters start..end-1 of a page (PDFium's character indices)."""

    start: int
    end: int


class Line(NamedTuple):
    """A run of characters drawn on one line: Span plus the rectangle around their boxes."""

    start: int
    end: int
    rect: Rect


def _kind(char: str) -> str:
    """'w' word character, ' ' space or break, 'c' a CJK character (a word of its own),
    'p' punctuation (a word of its own), '-' PDFium's line-end hyphen mark."""
    if char in HYPHEN_MARKS:
        return "-"
    if char.isspace() or char in "\x00\u200b":
        return " "
    if char.isalnum() or unicodedata.category(char).startswith("M") or char in "'\u2019":
        if unicodedata.east_asian_width(char) in ("W", "F") and not char.isdigit():
            return "c"
        return "w"
    return "p"


class PageText:
    """What one page says, character by character, with each character's loose box.

    `text[i]` is PDFium's character i (line breaks PDFium adds are "\\r\\n", a hyphen that ends
    a line is "\\x02" or "\\ufffe"); `box(i)` its rectangle in PDF page coordinates, None for
    characters PDFium made up (breaks, spaces). `page` is the page's box (size, rotation)."""

    def __init__(self, text: str, boxes: Sequence[float], page: PageBox) -> None:
        if len(boxes) != 4 * len(text):
            raise ValueError("one box (4 numbers) per character")
        self.text = text
        self.boxes = boxes if isinstance(boxes, array) else array("d", boxes)
        self.page = page

    def __reduce__(self) -> tuple[object, ...]:  # small over a pipe: no cached lines or words
        return (PageText, (self.text, self.boxes, self.page))

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return f"PageText({len(self.text)} characters)"

    def box(self, index: int) -> Rect | None:
        left, bottom, right, top = self.boxes[4 * index : 4 * index + 4]
        if right <= left or top <= bottom:
            return None
        return Rect(left, bottom, right, top)

    # --- structure ------------------------------------------------------------------------

    @cached_property
    def lines(self) -> list[Line]:
        """Characters with boxes grouped into lines, in PDFium's (reading) order."""
        lines: list[Line] = []
        start = -1
        rect: Rect | None = None
        last: Rect | None = None
        for index in range(len(self.text)):
            box = self.box(index)
            if box is None:
                continue
            if rect is None or last is None:
                start, rect = index, box
            elif box.overlap_y(rect) < _SAME_LINE or box.left < last.left - _NEW_LINE_BACK * max(
                last.height, box.height
            ):
                lines.append(Line(start, self._end_of(start, index), rect))
                start, rect = index, box
            else:
                rect = rect.union(box)
            last = box
        if rect is not None:
            lines.append(Line(start, self._end_of(start, len(self.text)), rect))
        return lines

    def _end_of(self, start: int, limit: int) -> int:
        """The end of a line starting at `start` whose next line starts at `limit`: after its
        last character with a box."""
        end = limit
        while end > start and self.box(end - 1) is None:
            end -= 1
        return end

    @cached_property
    def _line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    @cached_property
    def words(self) -> list[Span]:
        """Words in order: letters and digits (a line-end hyphen inside one joins its halves),
        each punctuation mark and each CJK character on its own."""
        spans: list[Span] = []
        text, count, i = self.text, len(self.text), 0
        while i < count:
            kind = _kind(text[i])
            if kind in " -":
                i += 1
                continue
            if kind in "pc":
                spans.append(Span(i, i + 1))
                i += 1
                continue
            start = i
            while i < count:
                here = _kind(text[i])
                if here == "w" or here == "-" and i + 1 < count and _kind(text[i + 1]) == "w":
                    i += 1
                else:
                    break
            spans.append(Span(start, i))
        return spans

    @cached_property
    def _word_of(self) -> array:
        owner = array("l", [-1]) * len(self.text)
        for number, (start, end) in enumerate(self.words):
            for index in range(start, end):
                owner[index] = number
        return owner

    # --- find, rectangles, text -----------------------------------------------------------

    @cached_property
    def _folded(self) -> tuple[str, list[int]]:
        return fold(self.text)

    def find(self, phrase: str) -> list[Span]:
        """Every place the phrase is on the page, in order: any case, any spacing or line
        breaks between words, a word split by a hyphen at a line end matches whole."""
        folded, origin = self._folded
        return [Span(start, end) for start, end in find_spans(folded, origin, phrase)]

    def rects(self, span: Span | tuple[int, int]) -> list[Rect]:
        """One rectangle per line the span covers: its characters' boxes merged."""
        start, end = max(span[0], 0), min(span[1], len(self.text))
        found: list[Rect] = []
        if start >= end:
            return found
        first = max(bisect_right(self._line_starts, start) - 1, 0)
        for line in self.lines[first:]:
            if line.start >= end:
                break
            rect: Rect | None = None
            for index in range(max(start, line.start), min(end, line.end)):
                box = self.box(index)
                if box is not None:
                    rect = box if rect is None else rect.union(box)
            if rect is not None:
                found.append(rect)
        return found

    def text_of(self, span: Span | tuple[int, int]) -> str:
        """The span's text as one would quote it: line breaks are spaces, a word split at a
        line end is whole again (a hyphen stays before a capital: "Self-Supervised")."""
        start, end = max(span[0], 0), min(span[1], len(self.text))
        out: list[str] = []
        for index in range(start, end):
            char = self.text[index]
            if char in HYPHEN_MARKS:
                following = self._next_visible(index + 1)
                if following is None or not following.islower():
                    out.append("-")
            elif _kind(char) == " ":
                if out and out[-1] != " ":
                    out.append(" ")
            elif char != "\u00ad":
                out.append(_LIGATURES.get(char, char))
        return unicodedata.normalize("NFC", "".join(out).strip())

    def _next_visible(self, index: int) -> str | None:
        while index < len(self.text):
            if _kind(self.text[index]) != " ":
                return self.text[index]
            index += 1
        return None

    def span_in(self, rects: Iterable[Rect]) -> Span | None:
        """The characters whose box centres lie in any of these rectangles (a stored
        highlight's or an annotation's), first to last; None when none do."""
        areas = list(rects)
        if not areas:
            return None
        low, high = min(a.bottom for a in areas), max(a.top for a in areas)
        boxes = self.boxes  # read as numbers: this runs for every annotation of a page
        first = last = -1
        for index in range(len(self.text)):
            bottom, top = boxes[4 * index + 1], boxes[4 * index + 3]
            y = (bottom + top) / 2
            if y < low or y > high or top <= bottom:
                continue
            left, right = boxes[4 * index], boxes[4 * index + 2]
            if right <= left:
                continue
            x = (left + right) / 2
            if any(area.contains(x, y) for area in areas):
                first = index if first < 0 else first
                last = index
        return None if first < 0 else Span(first, last + 1)

    # --- hit tests and selection ----------------------------------------------------------

    def char_near(self, x: float, y: float) -> int | None:
        """The character nearest a point of the page: on the nearest line (vertically, then
        horizontally), the nearest of its characters; None on a page without text."""
        if not self.lines:
            return None
        line = min(self.lines, key=lambda line: line.rect.distance(x, y))
        best, best_key = None, (float("inf"), float("inf"))
        for index in range(line.start, line.end):
            box = self.box(index)
            if box is None:
                continue
            dy, dx = box.distance(x, y)
            if (dx, dy) < best_key:
                best, best_key = index, (dx, dy)
        return best

    def char_at(self, x: float, y: float) -> int | None:
        """The character whose box holds the point (or nearly: boxes may leave hairline gaps),
        or None."""
        best, best_dx = None, _HAIRLINE
        for line in self.lines:
            if not line.rect.contains(x, y):
                continue
            for index in range(line.start, line.end):
                box = self.box(index)
                if box is None:
                    continue
                dy, dx = box.distance(x, y)
                if dy == 0 and dx <= best_dx:
                    best, best_dx = index, dx
                    if dx == 0:
                        return index
        return best

    def word_at(self, x: float, y: float) -> Span | None:
        """The word under the point (a double click), or None when the point is on none."""
        index = self.char_at(x, y)
        if index is None:
            return None
        number = self._word_of[index]
        return self.words[number] if number >= 0 else None

    def select(
        self, a: tuple[float, float], b: tuple[float, float], whole_words: bool = True
    ) -> Span | None:
        """The text from point a to point b in reading order (down a column, on into the next),
        grown to whole words; None when the page has no text there."""
        first, second = self.char_near(*a), self.char_near(*b)
        if first is None or second is None:
            return None
        return self.select_chars(first, second, whole_words)

    def select_chars(self, first: int, last: int, whole_words: bool = True) -> Span | None:
        """Characters first..last (either order) as a selection: grown to whole words, without
        the spaces at its ends; None when there is no word between them."""
        start, last = min(first, last), max(first, last)
        start, last = max(start, 0), min(last, len(self.text) - 1)
        if start > last:
            return None
        if not whole_words:
            return Span(start, last + 1)
        owner, words = self._word_of, self.words
        while start <= last and owner[start] < 0:  # a space or break: begin at the next word
            start += 1
        while last >= start and owner[last] < 0:
            last -= 1
        if start > last:
            return None
        return Span(words[owner[start]].start, words[owner[last]].end)
