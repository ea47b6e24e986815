"""`papershelf open PAPER [--page N] [--screenshot FILE.png]`: the reader at a page, or a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from reader_support import reader_library

from app.cli import main

pytestmark = pytest.mark.gui


@pytest.fixture
def folder(make_library, tmp_path: Path) -> Path:
    library = reader_library(make_library, tmp_path)
    library.close()
    return tmp_path / "lib"


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_open_at_a_page_saves_the_reader(qapp, folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "reader.png"
    code, printed, err = run(
        capsys, "--library", str(folder), "open", "2", "--page", "12", "--screenshot", str(out)
    )
    assert (code, printed.strip()) == (0, f"saved {out} (1400×900)"), err
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    from storage.library import Library

    with Library(folder) as library:
        assert library.paper(2).status == "reading"  # opened: being read now
        assert library.reading_position(2).page == 12  # the page on show when it closed


def test_open_refuses_with_one_line(qapp, folder: Path, tmp_path: Path, capsys) -> None:
    shot = str(tmp_path / "x.png")
    cases = [
        (["open", "nosuch", "--screenshot", shot], 1, "no paper with id or citation key 'nosuch'"),
        (["open", "5", "--screenshot", shot], 1, "paper 5 has no PDF attached"),
        (["open", "2", "--page", "31", "--screenshot", shot], 1,
         "long.pdf has 30 pages; there is no page 31"),
    ]  # fmt: skip
    for args, expected_code, message in cases:
        code, _out, err = run(capsys, "--library", str(folder), *args)
        assert (code, err.strip().splitlines()[-1]) == (expected_code, f"papershelf: {message}")
    code, _out, err = run(capsys, "--library", str(folder), "open", "2", "--page", "0")
    assert code == 2 and err.strip().endswith("papershelf: --page counts from 1")
    assert not (tmp_path / "x.png").exists()


def test_open_an_unreadable_pdf_saves_the_message_and_fails(
    qapp, folder: Path, tmp_path: Path, capsys
) -> None:
    from storage.library import Library

    with Library(folder) as library:
        (view,) = library.files(2)
    view.path.write_bytes(b"%PDF-1.4\nnothing else")
    out = tmp_path / "broken.png"
    args = ("--library", str(folder), "open", "2", "--screenshot", str(out))
    code, printed, err = run(capsys, *args)
    assert code == 1 and out.is_file() and printed.startswith("saved")
    assert err.strip().splitlines()[-1].startswith("papershelf: long.pdf: damaged PDF")
