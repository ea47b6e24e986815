"""The entry point: reading files as text, telling formats apart, dispatching, huge inputs."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from storage.formats import FORMATS, detect_format, parse, read_source, write
from storage.formats.bibtex import parse_bibtex
from storage.formats.csl_json import parse_csl_json
from storage.formats.listing import parse_listing
from storage.formats.papershelf_json import parse_papershelf_json
from storage.formats.ris import parse_ris
from storage.records import FormatError, ListEntryRecord, ListRecord, PaperRecord

PARSERS = [parse_listing, parse_bibtex, parse_ris, parse_csl_json, parse_papershelf_json]


def test_contract_names():
    assert FORMATS == ("listing", "bibtex", "ris", "csl-json", "json", "ids")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("listing_spaced.txt", "listing"),
        ("listing_compact.txt", "listing"),
        ("library.bib", "bibtex"),
        ("utf8_bom.ris", "ris"),
        ("latin1.ris", "ris"),
        ("items.csl.json", "csl-json"),
    ],
)
def test_fixtures_are_detected_by_content(fmt_dir, tmp_path, name, fmt):
    text = read_source(fmt_dir / name)
    assert detect_format(text) == fmt
    assert detect_format(text, "misleading.txt") == fmt
    assert parse(text).records


def test_papershelf_json_detected_and_round_trips_through_write():
    records = [PaperRecord(title="One"), PaperRecord(title="Two")]
    lists = [ListRecord(name="L", entries=[ListEntryRecord(1)])]
    text = write(records, "json", lists)
    assert detect_format(text) == "json"
    result = parse(text)
    assert [r.title for r in result.records] == ["One", "Two"] and result.lists == lists


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_written_formats_are_detected(fmt):
    text = write([PaperRecord(title="A Title", year=2020)], fmt)
    assert detect_format(text) == fmt
    assert parse(text, fmt).records[0].title == "A Title"


def test_extension_breaks_ties_and_explains_bad_files():
    both = "@article{a, title={Bib}}\nTY  - JOUR\nTI  - Ris\nER  - \n"
    assert detect_format(both) == "bibtex"  # the first marker wins without a hint
    assert detect_format(both, "refs.ris") == "ris"
    with pytest.raises(FormatError, match="no usable RIS"):
        parse("this is not RIS at all", filename="refs.ris")
    with pytest.raises(FormatError, match="unrecognised format; use --format listing"):
        parse("this is not anything at all")
    with pytest.raises(FormatError, match="line 2"):
        parse('[\n{"title": }]', filename="items.json")


def test_listing_title_starting_with_bracket_is_not_json():
    text = "[CLS] Token Tells Everything\nWe look at the CLS token. It is useful. Really.\n"
    assert detect_format(text) == "listing"


@pytest.mark.parametrize("fmt", ["yaml", "", "markdown"])
def test_unknown_format_names(fmt):
    with pytest.raises(FormatError, match="unknown format"):
        parse("anything", fmt)


def test_format_aliases():
    assert parse("@misc{k, title={T}}", "BIB").records[0].title == "T"
    assert parse('[{"title": "T"}]', "csl").records[0].title == "T"


def test_write_refuses_listing():
    with pytest.raises(FormatError, match="cannot write"):
        write([PaperRecord(title="T")], "listing")


# --- read_source ---------------------------------------------------------------------------


def test_read_source_decodings(tmp_path):
    cases = {
        "utf8.txt": "Grüße\r\nline two\rthree".encode(),
        "bom8.txt": b"\xef\xbb\xbfGr\xc3\xbc\xc3\x9fe\nline two\nthree",
        "utf16.txt": "Grüße\nline two\nthree".encode("utf-16"),
        "utf16be.txt": b"\xfe\xff" + "Grüße\nline two\nthree".encode("utf-16-be"),
        "latin1.txt": "Grüße\nline two\nthree".encode("latin-1"),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        text = read_source(path)
        assert text.split("\n")[0].startswith("Gr") and "ü" in text, name
        assert "\r" not in text and "\ufeff" not in text and text.count("\n") == 2, name


def test_read_source_cp1252_smart_quotes(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes(b"\x93quoted\x94 text")
    assert read_source(path) == "“quoted” text"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        ("\ufeff \n".encode("utf-16"), "empty file"),
        (bytes(range(128, 256)) * 20, "not a text file"),
        (b"PK\x03\x04\x00\x00binary", "not a text file"),
        (bytes(range(1, 32)) * 100, "not a text file"),
        (b"\xff\xfe\x00\xd8", "not a text file"),  # a UTF-16 BOM, then a lone surrogate
    ],
)
def test_read_source_refuses_non_text(tmp_path, data, message):
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        read_source(path)


def test_read_source_directory_missing_unreadable(tmp_path, monkeypatch):
    with pytest.raises(FormatError, match="is a directory"):
        read_source(tmp_path)
    with pytest.raises(FormatError, match="no such file"):
        read_source(tmp_path / "missing.bib")
    locked = tmp_path / "locked.bib"
    locked.write_text("@misc{a, title={T}}")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)  # chmod 0 does not stop root
    with pytest.raises(FormatError, match=r"^cannot read it \(Permission denied\)"):
        read_source(locked)


# --- huge single lines -----------------------------------------------------------------------

TEN_MB = 10 * 1024 * 1024


@pytest.mark.parametrize(
    "text",
    [
        "a" * TEN_MB,
        ("word " * (TEN_MB // 5)),
        "{" * TEN_MB,
        "@a{" * (TEN_MB // 3),
        "@misc{k, title={" + "deep @x{ " * (TEN_MB // 9) + "}}",
        "TY  - " + "x" * TEN_MB,
        '["' + "x" * TEN_MB + '"]',
        "[" * TEN_MB,
    ],
    ids=["letters", "words", "braces", "blocks", "bibtex-ish", "ris-ish", "json-string", "nested"],
)
def test_ten_megabyte_single_line_is_handled_quickly(text):
    for parser in [*PARSERS, parse]:  # each returns or says why (a hang would not)
        with contextlib.suppress(FormatError):
            parser(text)


def test_ten_megabyte_file_through_read_source(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("A Title Line\n" + "Long abstract sentence. " * (TEN_MB // 24))
    result = parse(read_source(path), filename=path.name)
    assert len(result.records) == 1 and len(result.records[0].abstract) > TEN_MB // 2


def test_json_detection_of_non_csl_json():
    assert detect_format(json.dumps([{"title": "x"}])) == "csl-json"
    with pytest.raises(FormatError, match="unrecognised"):
        detect_format(json.dumps([1, 2, 3]))
    assert detect_format(json.dumps([1, 2, 3]), "x.json") == "csl-json"
