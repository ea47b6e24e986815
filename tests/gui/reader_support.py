"""Helpers for the reader's GUI tests: libraries with PDFs of known text, waiting, clicking text."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))
from make_pdf import Page, column, make_pdf  # noqa: E402
from pdf_library_support import paper_like_pdf  # noqa: E402

from storage.library import Library  # noqa: E402
from storage.pdfpages import Rect  # noqa: E402

SIZE = 11.0
LEADING = SIZE * 1.3


def advance(text: str, size: float = SIZE) -> float:
    """Width of text in make_pdf's test font: 556/1000 em a character, 278 for a space."""
    return sum(278 if char == " " else 556 for char in text) * size / 1000


def numbered_pdf(pages: int = 30, outline: bool = True) -> bytes:
    """`pages` pages, page n saying "Page n of the long paper" with a few lines; page 1 links to
    the last page and to an address; an outline of three entries."""
    made = []
    for number in range(1, pages + 1):
        lines = [f"Page {number} of the long paper", f"marker{number:03d} lies here", "filler"]
        links: list = []
        if number == 1:
            lines += ["Jump to the end", "Visit the project"]
            links = [((72, 720 - 3 * LEADING - 3, 200, 720 - 3 * LEADING + 10), pages - 1),
                     ((72, 720 - 4 * LEADING - 3, 200, 720 - 4 * LEADING + 10),
                      "https://example.org/project")]  # fmt: skip
        made.append(Page(column(lines), links=links))
    entries = [("Start", 0, 0), ("Middle", pages // 2, 0), ("End", pages - 1, 0)]
    return make_pdf(made, outline=entries if outline else None)


def attach(library: Library, pid: int, path: Path, data: bytes) -> int:
    """Write the PDF, attach it to paper pid; the file id."""
    path.write_bytes(data)
    change = library.attach(pid, [path])
    assert change.file_ids, change.messages
    return change.file_ids[0]


def reader_library(make_library, tmp_path: Path) -> Library:
    """Twelve papers; paper 1 has the five-page paper-like PDF (two columns on page 3),
    paper 2 a 30-page numbered PDF with links and an outline."""
    library = make_library(12)
    attach(library, 1, tmp_path / "paper.pdf", paper_like_pdf())
    attach(library, 2, tmp_path / "long.pdf", numbered_pdf())
    return library


def wait_ready(qtbot, reader, timeout: int = 20_000) -> None:
    """The PDF is open and what is on screen drawn (and the first page was shown: an unread
    paper is then marked as reading), or it failed."""
    qtbot.waitUntil(lambda: reader.canvas is not None or bool(reader.error), timeout=timeout)
    qtbot.waitUntil(lambda: reader.error or (reader.ready() and reader.was_shown), timeout=timeout)


def wait_text(qtbot, canvas, page: int, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: page in canvas.texts and page in canvas.boxes, timeout=timeout)


def point_of(canvas, page: int, rect: Rect, where: str = "centre") -> QPoint:
    """The viewport point on a rectangle of a page: its centre, or just inside an end."""
    shown = canvas.to_view(page, rect)
    assert shown is not None
    y = round(shown.center().y())
    if where == "start":
        return QPoint(round(shown.left() + 1), y)
    if where == "end":
        return QPoint(round(shown.right() - 1), y)
    return QPoint(round(shown.center().x()), y)


def drag(qtbot, canvas, start: QPoint, end: QPoint) -> None:
    """Press at start, move there in steps, release at end (as a hand would select)."""
    viewport = canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        point = start + (end - start) * (step / 5)
        qtbot.mouseMove(viewport, pos=point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
