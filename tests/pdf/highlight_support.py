"""Shared helpers of the highlight tests: a library with a paper and a PDF of known lines."""

from __future__ import annotations

from pathlib import Path

from make_pdf import Page, column, make_pdf

from storage.library import Library

# Page 1 and 2 of the test PDF; make_pdf sets them at x=72 from y=720 down, 11 pt, 14.3 pt apart.
PAGE_ONE = [
    "Wombats dig long burrows under the dry eucalyptus forest floor.",
    "Their cube-shaped droppings mark the edges of every territory.",
    "A hyphenated word splits here: the marsu-",
    "pial burrow keeps them cool in summer.",
]
PAGE_TWO = [
    "Platypus venom is delivered by a spur on the hind legs of males.",
    "The echidna gradient estimator wins in the end.",
]
SIZE, LEADING, LEFT, TOP = 11.0, 11.0 * 1.3, 72.0, 720.0
CHAR, SPACE = SIZE * 0.556, SIZE * 0.278  # the test font's widths


def pdf_bytes() -> bytes:
    return make_pdf([Page(column(PAGE_ONE)), Page(column(PAGE_TWO))])


def line_rect(line: int, start: int = 0, end: int | None = None, page: list[str] = PAGE_ONE):
    """(x0, y0, x1, y1) around characters start:end of a line (0-based) of the test PDF."""
    text = page[line]
    end = len(text) if end is None else end

    def x(index: int) -> float:
        return LEFT + sum(SPACE if ch == " " else CHAR for ch in text[:index])

    baseline = TOP - line * LEADING
    return (round(x(start), 3), round(baseline - 3, 3), round(x(end), 3), round(baseline + 9, 3))


def library_with_pdf(folder: Path, tmp: Path) -> tuple[Library, int, int]:
    """A library with one paper and the test PDF attached: (library, paper id, file id)."""
    library = Library(folder)
    source = tmp / "wombats.bib"
    source.write_text("@article{wombat2024, title = {Wombat Burrows}, year = {2024}}\n")
    library.import_file(source)
    pid = library.resolve("wombat2024")
    pdf = tmp / "wombats.pdf"
    pdf.write_bytes(pdf_bytes())
    change = library.attach(pid, [pdf])
    (file_id,) = change.file_ids
    return library, pid, file_id
