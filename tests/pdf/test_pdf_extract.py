"""Text, page count, metadata and status of real PDFs, written here or from pypdf's test suite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from make_pdf import Line, Page, column, make_pdf, text_pages

from storage.pdf import FAILED, INDEXED, NO_TEXT, extract_text
from storage.pdf.extract import clean_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_per_page_in_order_from_path_and_bytes(tmp_path: Path) -> None:
    data = make_pdf(
        text_pages(["Alpha page one", "second line"], ["Beta page two"], ["Gamma page three"])
    )
    path = write(tmp_path, "three.pdf", data)
    for source in (path, str(path), data):
        result = extract_text(source)
        assert result.status == INDEXED and result.ok
        assert result.page_count == 3 and not result.capped and result.reason == ""
        assert result.pages == ["Alpha page one\nsecond line", "Beta page two", "Gamma page three"]


def test_two_columns_come_column_by_column() -> None:
    left = column(["Left column starts", "and goes on here"], x=72)
    right = column(["Right column follows", "and ends here"], x=320)
    (page,) = extract_text(make_pdf([Page(left + right)])).pages
    assert page.splitlines() == [
        "Left column starts",
        "and goes on here",
        "Right column follows",
        "and ends here",
    ]


def test_hyphenated_line_ends_ligatures_and_accents() -> None:
    lines = column(
        [
            "The ﬁrst eﬀective ﬂow of a hyphen-",
            "ated word, a Self-",
            "Supervised model and a cafe\u0301 in Ελλάδα, Москва.",
        ]
    )
    (page,) = extract_text(make_pdf([Page(lines)])).pages
    assert "first effective flow" in page
    assert "hyphenated word" in page
    assert "Self-Supervised" in page
    assert "caf\u00e9" in page  # NFC: e + combining acute became one character
    assert "Ελλάδα, Москва." in page
    assert "\ufffe" not in page and "\ufb01" not in page


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("hyphen-\r\nated", "hyphenated"),  # split word: joined
        ("hyphen\u2010\nated", "hyphenated"),
        ("Self-\nSupervised", "Self-\nSupervised"),  # a compound keeps its hyphen
        ("3-\nfold", "3-\nfold"),
        ("x\ufffeyz X\ufffeYz", "xyz X-Yz"),  # PDFium's mark for a hyphen it took out
        ("integra\x02ble non\x02Linear", "integrable non-Linear"),
        ("\ufb01ne \ufb02ow \ufb03x \ufb00", "fine flow ffix ff"),
        ("soft\u00adhyphen ctrl\x00\x07", "softhyphen ctrl"),
        ("A\u030a", "\u00c5"),
        ("ends with space \r\nnext  \t", "ends with space\nnext"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_scanned_page_has_no_text(tmp_path: Path) -> None:
    mixed = extract_text(make_pdf([Page(column(["Printed page"])), Page(image=True)]))
    assert mixed.status == INDEXED and mixed.pages == ["Printed page", ""]
    path = write(tmp_path, "scan.pdf", make_pdf([Page(image=True), Page(image=True)]))
    scan = extract_text(path)
    assert scan.status == NO_TEXT and scan.ok and scan.page_count == 2
    assert scan.pages == ["", ""]
    assert scan.reason.startswith(f"{path}: no text layer")


def test_metadata_fields() -> None:
    info = {
        "Title": "  Ünïcode   Title ",
        "Author": "Ada Lovelace",
        "Subject": "doi:10.1000/xyz",
        "Keywords": "pdf, text",
        "Creator": "make_pdf",
    }
    result = extract_text(make_pdf(text_pages(["x"]), info=info))
    assert result.metadata == {
        "Title": "Ünïcode Title",
        "Author": "Ada Lovelace",
        "Subject": "doi:10.1000/xyz",
        "Keywords": "pdf, text",
    }


def test_caps_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "long.pdf", make_pdf(text_pages(["one"], ["two"], ["three"])))
    capped = extract_text(path, max_pages=2)
    assert capped.status == INDEXED and capped.capped
    assert capped.page_count == 3 and capped.pages == ["one", "two"]
    assert capped.reason == f"{path}: read the first 2 of 3 pages"
    cut = extract_text(path, name="long.pdf", max_chars=2)
    assert cut.capped and cut.pages == ["on", "tw", "th"]
    assert cut.reason == "long.pdf: 3 page(s) cut at 2 characters"
    stopped = extract_text(path, name="long.pdf", max_total=5)
    assert stopped.capped and stopped.pages == ["one", "two"] and stopped.page_count == 3
    assert stopped.reason == "long.pdf: stopped after 2 of 3 pages at 5 characters"


def test_encrypted_with_a_password_fails_clearly(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.pdf", make_pdf(text_pages(["secret"]), user_password="pw"))
    result = extract_text(path)
    assert result.status == FAILED and not result.ok and result.pages == []
    assert result.reason == f"{path}: encrypted, a password is needed to open it"
    for name in ("r2-user-password.pdf", "r6-user-password.pdf"):
        real = extract_text(FIXTURES / name, name=name)
        assert real.status == FAILED
        assert real.reason == f"{name}: encrypted, a password is needed to open it"


def test_encrypted_with_only_an_owner_password_opens() -> None:
    made = extract_text(make_pdf(text_pages(["open to read"]), user_password=""))
    assert made.status == INDEXED and made.pages == ["open to read"]
    real = extract_text(FIXTURES / "r2-owner-password.pdf")
    assert real.status == INDEXED and real.pages == ["pdf encryption test\npassword: asdfzxcv"]


def test_broken_xref_offsets_are_rebuilt() -> None:
    data = make_pdf(text_pages(["still readable"], ["page two"]))
    broken = re.sub(rb"\d{10} 00000 n", b"0000000009 00000 n", data)
    assert broken != data
    result = extract_text(broken)
    assert result.status == INDEXED and result.pages == ["still readable", "page two"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file (0 bytes), not a PDF"),
        (b"Dear reader,\nthis is a letter.\n", "not a PDF (no %PDF- header)"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "damaged PDF, PDFium cannot parse it"),
        (make_pdf([]), "the PDF has no pages"),
    ],
)
def test_bad_files_fail_with_one_line(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, "bad.pdf", data)
    for source in (path, data):
        result = extract_text(source, name="bad.pdf")
        assert result.status == FAILED and result.pages == []
        assert result.reason == f"bad.pdf: {reason}"


def test_truncated_file_never_raises() -> None:
    data = make_pdf(text_pages(["one", "two"], ["three"]))
    for size in (20, len(data) // 3, len(data) // 2, len(data) - 30):
        result = extract_text(data[:size], name="cut.pdf")
        assert "\n" not in result.reason
        if result.status == FAILED:
            assert result.reason.startswith("cut.pdf: damaged PDF")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = extract_text(tmp_path / "gone.pdf")
    assert missing.status == FAILED
    assert missing.reason.startswith(f"{tmp_path / 'gone.pdf'}: cannot read the file")
    folder = extract_text(tmp_path)
    assert folder.status == FAILED and folder.reason == f"{tmp_path}: not a regular file"


def test_real_pdfs_from_pypdf() -> None:
    outline = extract_text(FIXTURES / "pdflatex-outline.pdf")
    assert outline.status == INDEXED and outline.page_count == 4 and len(outline.pages) == 4
    assert outline.pages[0].startswith("Contents\n1 Foo 2")
    assert outline.pages[1].startswith("1 Foo\nHello, here is some text without a meaning.")
    languages = extract_text(FIXTURES / "multilang.pdf").pages[0]
    for words in ("Привет, мир", "你好世界", "こんにちは世界", "مرحبا بالعالم"):
        assert words in languages
    image_only = extract_text(FIXTURES / "git.pdf")
    assert image_only.status == NO_TEXT and image_only.metadata == {"Author": "Mohamed Ali ZORGATI"}


def test_a_line_without_text_objects_is_not_text() -> None:
    page = Page([Line("   ", size=30)])
    assert extract_text(make_pdf([page])).status == NO_TEXT
