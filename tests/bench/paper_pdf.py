"""A paper-like PDF with real fonts for the reader's benchmark and screenshots: a title block,
an abstract, then two justified columns of numbered sections, written by Qt's QPdfWriter.

`python -m tests.bench.paper_pdf OUT.pdf [--pages 30]` writes one (needs no display)."""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMarginsF, QPointF, QSizeF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextLayout,
    QTextOption,
)

from tests.bench.corpus import generate  # noqa: E402

__all__ = ["write_paper"]

WIDTH, HEIGHT = 612.0, 792.0  # Letter, in points (the writer draws at 72 dpi)
MARGIN, GUTTER = 54.0, 18.0
SECTIONS = ("Introduction", "Related Work", "Method", "Experiments", "Results", "Analysis",
            "Limitations", "Conclusion")  # fmt: skip
ABSTRACT = (
    "Marsupial vision models are rarely studied, yet quokkas see well at dusk. We train small "
    "furry networks on night images and report that sparse attention with a learned gate halves "
    "the error of dense baselines while it keeps the cost of a single pass the same."
)
HIGHLIGHT_ME = (
    "Our key finding is that the gated sparse attention keeps its accuracy under low light, "
    "where every dense baseline we tried degrades sharply."
)


class _Writer:
    """Lays paragraphs into two columns, page after page."""

    def __init__(self, painter: QPainter, writer: QPdfWriter, pages: int) -> None:
        self.painter, self.writer, self.pages = painter, writer, pages
        self.page = 1
        self.column = 0
        self.top = MARGIN
        self.y = MARGIN
        self.width = (WIDTH - 2 * MARGIN - GUTTER) / 2

    @property
    def full(self) -> bool:
        return self.page > self.pages

    def _next_column(self) -> None:
        if self.column == 0:
            self.column, self.y = 1, self.top
            return
        self._footer()
        self.page += 1
        if not self.full:
            self.writer.newPage()
        self.column, self.top, self.y = 0, MARGIN, MARGIN

    def _footer(self) -> None:
        self.painter.setFont(QFont("DejaVu Serif", 8))
        self.painter.drawText(QPointF(WIDTH / 2 - 6, HEIGHT - 30), str(self.page))

    def paragraph(self, text: str, font: QFont, after: float = 6.0) -> None:
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setAlignment(Qt.AlignmentFlag.AlignJustify)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        lines = []
        while (line := layout.createLine()).isValid():
            line.setLineWidth(self.width)
            lines.append(line)
        layout.endLayout()
        height = lines[0].height() if lines else 0.0
        x0 = MARGIN + self.column * (self.width + GUTTER)
        for index, line in enumerate(lines):
            if self.y + height > HEIGHT - MARGIN:
                self._next_column()
                if self.full:
                    return
                x0 = MARGIN + self.column * (self.width + GUTTER)
            shift = QPointF(x0, self.y - line.y())
            line.draw(self.painter, shift)
            self.y += height
            if index == len(lines) - 1:
                self.y += after

    def finish(self) -> None:
        while not self.full:
            self._next_column()


def write_paper(path: Path, pages: int = 30, seed: int = 3) -> Path:
    """Write the paper; page 1 holds the title, authors, abstract and the first sections."""
    QGuiApplication.instance() or QGuiApplication([])
    rng = random.Random(seed)
    pool = [paper.abstract for paper in generate(60 * pages, seed)]
    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    size = QPageSize(QSizeF(WIDTH, HEIGHT), QPageSize.Unit.Point)
    portrait = QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(size, portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle("Quokka Networks for Marsupial Vision")
    writer.setCreator("Papershelf tests/bench/paper_pdf.py")
    painter = QPainter(writer)
    body, heading = QFont("DejaVu Serif", 9), QFont("DejaVu Serif", 10, QFont.Weight.Bold)
    title = QFont("DejaVu Serif", 17, QFont.Weight.Bold)
    painter.setFont(title)
    painter.drawText(QPointF(MARGIN, 86), "Quokka Networks for Marsupial Vision")
    painter.setFont(QFont("DejaVu Serif", 10))
    painter.drawText(QPointF(MARGIN, 108), "Ada Lovelace · Emmy Noether · Grace Hopper")
    painter.setFont(QFont("DejaVu Serif", 9, QFont.Weight.Bold))
    painter.drawText(QPointF(MARGIN, 136), "Abstract")
    flow = _Writer(painter, writer, pages)
    flow.width, flow.y = WIDTH - 2 * MARGIN, 144.0
    flow.paragraph(ABSTRACT, QFont("DejaVu Serif", 9, -1, True), after=14)
    flow.width = (WIDTH - 2 * MARGIN - GUTTER) / 2
    flow.top = flow.y
    section = 0
    while not flow.full:
        name = SECTIONS[section % len(SECTIONS)]
        flow.paragraph(f"{section + 1}  {name}", heading, after=4)
        for number in range(rng.randint(3, 6)):
            text = " ".join(rng.choice(pool) for _ in range(2))
            if section == 0 and number == 0:
                text = f"{HIGHLIGHT_ME} {text}"
            flow.paragraph(text, body)
            if flow.full:
                break
        section += 1
    painter.end()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    print(write_paper(Path(args.out), args.pages))


if __name__ == "__main__":
    main()
