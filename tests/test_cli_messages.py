"""Messages for a wrong path, value or file: they say what is wrong and what would fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
ACCEPTED = "listings, BibTeX, RIS, CSL-JSON, Papershelf JSON and PDFs"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse usage errors and --help
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("below", ["", "library"])
def test_library_path_that_is_a_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], below: str
) -> None:
    picture = tmp_path / "some-file.png"
    picture.write_bytes(PNG)
    code, out, err = run(capsys, "--library", str(picture / below if below else picture), "lists")
    assert code == 1 and out == ""
    assert err == f"papershelf: {picture}: is a file, not a folder (a library is a folder)\n"
    assert picture.read_bytes() == PNG  # left as it was


def test_unknown_status_names_the_allowed_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), "status", "360", "finished")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == (
        "papershelf: unknown status 'finished': use one of unread, reading, read, dismissed"
    )


def test_list_help_names_its_actions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--help")
    assert code == 0
    for action, words in [
        ("create", "a new, empty reading list"),
        ("add", "add papers to the end of a list"),
        ("remove", "take papers off a list"),
        ("show", "a list's papers in order"),
    ]:
        assert any(line.split()[:1] == [action] and words in line for line in out.splitlines())


def test_list_without_an_action_names_them(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list")
    assert code == 2
    assert "required: {create,add,remove,show}" in err


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("figure.png", PNG, "it is a PNG image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "it is a JPEG image"),
        ("refs.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "it is a ZIP archive"),
        ("refs.bib.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "it is a gzip-compressed"),
        ("mystery.bin", b"ab\x00\x00\x00cd\x00\x01", "it contains NUL bytes"),
    ],
)
def test_binary_import_says_what_the_file_is_and_what_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, what: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), "import", str(path))
    assert code == 1 and out == ""
    assert err.startswith(f"papershelf: {path}: not a text file ({what}")
    assert err.rstrip().endswith(f"); import reads {ACCEPTED}")
    assert len(err.splitlines()) == 1


def test_pdf_still_imports_as_a_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    pdf = fixtures_dir / "pdf" / "multilang.pdf"
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), "import", str(pdf))
    assert code == 0, err
    assert "not a text file" not in err
