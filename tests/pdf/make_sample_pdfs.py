"""Render the sample library's PDFs (app/resources/sample/*.pdf) from their text in
resources/sample/*.txt with the tests' PDF writer; run it again after editing a text.

    python tests/pdf/make_sample_pdfs.py

A text file: its first line is the title, the second the authors, then paragraphs separated by
blank lines; a line starting with "# " is a heading. ASCII only (the writer's font is
Helvetica with the standard encoding). tests/test_sample.py checks the PDFs are up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_pdf import Line, Page, make_pdf, text_width  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "sample"
TARGET = ROOT / "app" / "resources" / "sample"
WIDTH, HEIGHT, MARGIN = 612.0, 792.0, 72.0
BODY, HEADING, TITLE = 10.5, 12.5, 17.0
LEADING = 1.38


def wrap(text: str, size: float, width: float) -> list[str]:
    """Words of text in lines no wider than width points at size."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def layout(text: str) -> tuple[list[Page], dict[str, str]]:
    """Pages of a sample paper, and its document information (title, author)."""
    head, _, body = text.strip().partition("\n\n")
    title, authors = head.split("\n", 1)
    blocks: list[tuple[str, float, float]] = []  # (line, size, space before)
    for line in wrap(title, TITLE, WIDTH - 2 * MARGIN):
        blocks.append((line, TITLE, 0))
    blocks.append((authors.strip(), BODY + 1, 8))
    for paragraph in body.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph.startswith("# "):
            blocks.append((paragraph[2:], HEADING, 16))
            continue
        for i, line in enumerate(wrap(paragraph, BODY, WIDTH - 2 * MARGIN)):
            blocks.append((line, BODY, 6 if i == 0 else 0))
    pages: list[Page] = []
    lines: list[Line] = []
    y = HEIGHT - MARGIN
    for text_line, size, before in blocks:
        step = before + size * LEADING
        if y - step < MARGIN and lines:
            pages.append(Page(lines))
            lines, y = [], HEIGHT - MARGIN
            step = size * LEADING
        y -= step
        lines.append(Line(text_line, x=MARGIN, y=y, size=size))
    pages.append(Page(lines))
    for number, page in enumerate(pages, start=1):
        label = str(number)
        x = (WIDTH - text_width(label, 9)) / 2
        page.lines.append(Line(label, x=x, y=MARGIN / 2, size=9))
    return pages, {"Title": title.strip(), "Author": authors.strip()}


def render(source: Path) -> bytes:
    text = source.read_text(encoding="ascii")
    pages, info = layout(text)
    return make_pdf(pages, info=info, proportional_widths=True)


def sources() -> list[Path]:
    return sorted(SOURCE.glob("*.txt"))


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    for source in sources():
        target = TARGET / f"{source.stem}.pdf"
        target.write_bytes(render(source))
        print(f"{target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
