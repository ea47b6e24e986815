"""Shared helpers of the PDF library tests: a CLI runner and PDFs with known text per page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from make_pdf import Line, Page, column, make_pdf, text_pages

from app.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--library", str(lib), *args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> object:
    code, out, err = run(capsys, lib, *args)
    assert code == 0, err
    return json.loads(out)


def stored_files(lib: Path) -> list[Path]:
    root = lib / "files"
    return sorted(p for p in root.rglob("*.pdf")) if root.is_dir() else []


def simple_pdf(*pages: list[str], title: str | None = None) -> bytes:
    return make_pdf(text_pages(*pages), info={"Title": title} if title else None)


def paper_like_pdf() -> bytes:
    """Five pages with known text: a title in large type on page 1, a two-column page 3 with
    a ligature and a hyphenated line end, non-Latin text on page 4, a line break inside a
    phrase on page 5."""
    page1 = Page(
        [Line("Quokka Networks for Marsupial Vision", y=700, size=20)]
        + column(["We study small furry models.", "Nothing else happens here."], top=650)
    )
    page2 = Page(column(["Related work about kangaroo detectors.", "More words on page two."]))
    left = column(["The ﬁrst column talks about", "hyper-", "parameter tuning of wombats."], x=60)
    right = column(["The second column holds", "the platypus results."], x=320)
    page3 = Page(left + right)
    page4 = Page(column(["Ретроспектива нейронных сетей", "和 深度学习 的 研究"]))
    page5 = Page(column(["in the end the echidna", "gradient estimator wins."]))
    return make_pdf([page1, page2, page3, page4, page5])
