"""Generated paper-like PDFs for the PDF benchmarks: a title page, body pages, a planted phrase.

`write_pdfs(folder, count, seed)` writes `paper-NNNN.pdf` files of 12-20 pages (text from the
synthetic corpus of corpus.py, 80-character lines, about 3.5 KB a page) and returns one
PdfSpec per file: its title, page count, and a phrase found on exactly one known page (the
"first hit's page is right" check).
"""

from __future__ import annotations

import random
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))

from make_pdf import Line, Page, column, make_pdf  # noqa: E402

from tests.bench.corpus import generate  # noqa: E402

LINES_PER_PAGE = 46
_LETTERS = "bcdfghjklmnpqrstvwz"


@dataclass(frozen=True)
class PdfSpec:
    path: Path
    title: str
    pages: int
    phrase: str  # three words, only on page `phrase_page`
    phrase_page: int


def token(number: int) -> str:
    """A made-up word unique to number (letters only, so every analyzer keeps it whole)."""
    out = ""
    number += 19 * 19
    while number:
        number, digit = divmod(number, len(_LETTERS))
        out += _LETTERS[digit] + "o"
    return "zy" + out


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode().replace("?", "e")


def _body_lines(pool: list[str], rng: random.Random, count: int) -> list[str]:
    lines: list[str] = []
    while len(lines) < count:
        lines.extend(textwrap.wrap(_ascii(rng.choice(pool)), 80))
    return lines[:count]


def paper_pages(number: int, title: str, pool: list[str], pages: int) -> tuple[list[Page], int]:
    rng = random.Random(number)
    phrase_page = 2 + number % (pages - 1)  # never the title page
    result = []
    for page_number in range(1, pages + 1):
        lines = _body_lines(pool, rng, LINES_PER_PAGE - (6 if page_number == 1 else 0))
        if page_number == phrase_page:
            lines[LINES_PER_PAGE // 2] = f"we saw the quixotic {token(number)} anomaly again"
        body = column(lines, x=60, top=640 if page_number == 1 else 740, size=10)
        if page_number == 1:
            body = [Line(_ascii(title), x=60, y=700, size=17), *body]
        result.append(Page(body))
    return result, phrase_page


def write_pdfs(
    folder: Path, count: int, seed: int = 7, low: int = 12, high: int = 20
) -> list[PdfSpec]:
    folder.mkdir(parents=True, exist_ok=True)
    papers = list(generate(count + 400, seed))
    pool = [paper.abstract for paper in papers[count:]]  # body text from other papers
    rng = random.Random(seed)
    specs = []
    for number, paper in enumerate(papers[:count]):
        pages = rng.randint(low, high)
        built, phrase_page = paper_pages(number, paper.title, pool, pages)
        path = folder / f"paper-{number:04d}.pdf"
        if not path.exists():
            path.write_bytes(make_pdf(built, info={"Title": _ascii(paper.title)}))
        phrase = f"quixotic {token(number)} anomaly"
        specs.append(PdfSpec(path, _ascii(paper.title), pages, phrase, phrase_page))
    return specs
