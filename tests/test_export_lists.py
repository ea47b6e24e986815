"""Exports of a reading list keep its order and per-item notes (CSV, BibTeX, RIS, CSL-JSON),
and a note's Markdown headings sit below the paper's heading in the Markdown export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from storage.exporting import ExportSelection
from storage.formats.bibtex import parse_bibtex
from storage.formats.csl_json import parse_csl_json
from storage.formats.csv_export import CSV_COLUMNS
from storage.formats.markdown_headings import shift_headings
from storage.formats.ris import parse_ris
from storage.library import Library
from storage.records import AuthorRecord, NoteRecord, PaperRecord
from tests.export_support import add_records

LIST_NOTE = 'Read §3 first, then "ablations" {50% of it}; skip\nthe appendix'


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib")
    ids = add_records(
        lib,
        [
            PaperRecord(
                title=f"Paper {name}",
                authors=[AuthorRecord(f"Author{name}", "A.")],
                year=2020,
                citation_key=f"key{name}",
                notes=[NoteRecord(f"Own note on {name}")] if name == "B" else [],
            )
            for name in "ABCD"
        ],
    )
    lib.create_list("Reading group")
    lib.add_to_list("Reading group", [ids[2], ids[0], ids[1]])
    lib.set_list_entry_note("Reading group", ids[0], LIST_NOTE)
    lib.set_list_entry_note("Reading group", ids[1], "=SUM(A1)")  # a formula stays text in CSV
    yield lib
    lib.close()


def export(library: Library, tmp_path: Path, fmt: str, selection: ExportSelection) -> str:
    out = tmp_path / f"out.{fmt}"
    library.export(selection, fmt, out)
    return out.read_text(encoding="utf-8-sig")


def test_csv_of_a_list_has_its_order_position_and_note(library: Library, tmp_path: Path) -> None:
    text = export(library, tmp_path, "csv", ExportSelection.reading_list("Reading group"))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == [*CSV_COLUMNS, "list_position", "list_note"]
    assert [(r["title"], r["list_position"]) for r in rows] == [
        ("Paper C", "1"),
        ("Paper A", "2"),
        ("Paper B", "3"),
    ]
    assert [r["list_note"] for r in rows] == ["", LIST_NOTE, "'=SUM(A1)"]


def test_csv_of_anything_else_has_no_list_columns(library: Library, tmp_path: Path) -> None:
    text = export(library, tmp_path, "csv", ExportSelection.everything())
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == list(CSV_COLUMNS)


def test_bibtex_of_a_list_keeps_its_order_and_notes(library: Library, tmp_path: Path) -> None:
    text = export(library, tmp_path, "bibtex", ExportSelection.reading_list("Reading group"))
    assert re.findall(r"^@\w+\{(\w+),", text, re.MULTILINE) == ["keyC", "keyA", "keyB"]
    assert r"{50\% of it}" not in text and r"50\%" in text  # escaped for TeX
    records = {r.citation_key: r for r in parse_bibtex(text).records}
    assert [n.body for n in records["keyA"].notes] == [
        'Reading group: Read §3 first, then "ablations" {50% of it}; skip\nthe appendix'
    ]
    # the list note first, then the paper's own notes
    assert [n.body for n in records["keyB"].notes] == ["Reading group: =SUM(A1)\n\nOwn note on B"]
    assert records["keyC"].notes == []


def test_bibtex_of_the_library_has_no_list_notes(library: Library, tmp_path: Path) -> None:
    text = export(library, tmp_path, "bibtex", ExportSelection.everything())
    assert "Reading group" not in text and "SUM" not in text


@pytest.mark.parametrize("fmt", ["ris", "csl-json"])
def test_ris_and_csl_json_of_a_list_keep_its_order_and_notes(
    library: Library, tmp_path: Path, fmt: str
) -> None:
    text = export(library, tmp_path, fmt, ExportSelection.reading_list("Reading group"))
    parse = parse_ris if fmt == "ris" else parse_csl_json
    records = parse(text).records
    assert [r.title for r in records] == ["Paper C", "Paper A", "Paper B"]
    one_line = LIST_NOTE.replace("\n", " ") if fmt == "ris" else LIST_NOTE  # RIS: one line a tag
    bodies = [[n.body for n in r.notes] for r in records]
    if fmt == "ris":  # an N1 line each
        assert bodies == [
            [],
            [f"Reading group: {one_line}"],
            ["Reading group: =SUM(A1)", "Own note on B"],
        ]
    else:  # one annote
        assert bodies == [
            [],
            [f"Reading group: {one_line}"],
            ["Reading group: =SUM(A1)\n\nOwn note on B"],
        ]
    everything = export(library, tmp_path, fmt, ExportSelection.everything())
    assert "Reading group" not in everything and "SUM" not in everything


def test_markdown_notes_headings_go_below_the_papers(library: Library, tmp_path: Path) -> None:
    pid = library.resolve("keyD")
    body = "# Findings\n\nText.\n\n```python\n# a comment, not a heading\n```\n\nMore\n---\n"
    library.add_note(pid, body)
    library.add_to_list("Reading group", [pid])
    library.set_list_entry_note("Reading group", pid, "# Why\n### Detail")
    text = export(library, tmp_path, "markdown", ExportSelection.reading_list("Reading group"))
    section = text[text.index("## 4. Paper D") :]
    assert "\n##### Findings\n" in section  # under `#### Note`
    assert "\n# a comment, not a heading\n" in section  # code untouched
    assert "\n###### More\n" in section  # a setext heading, capped at 6
    assert "\n### Why\n##### Detail\n" in section  # the list note is under `## 4. Paper D`


@pytest.mark.parametrize(
    ("text", "below", "expected"),
    [
        ("# H", 3, "#### H"),
        ("## H\n###### deep", 2, "#### H\n###### deep"),
        ("```\n# code\n```\n# H", 1, "```\n# code\n```\n## H"),
        ("~~~~\n# a\n~~~\n# b\n~~~~\n# H", 1, "~~~~\n# a\n~~~\n# b\n~~~~\n## H"),
        ("    # indented code\n\n# H", 1, "    # indented code\n\n## H"),
        ("Title\n===\n\nSub\n---", 1, "## Title\n\n### Sub"),
        ("- item\n  more\n---", 1, "- item\n  more\n---"),  # a rule after a list
        ("text\n\n---", 1, "text\n\n---"),  # a rule
        ("> # quoted", 2, "> ### quoted"),
        ("#hashtag", 2, "#hashtag"),
        ("# H", 0, "# H"),
    ],
)  # fmt: skip
def test_shift_headings(text: str, below: int, expected: str) -> None:
    assert shift_headings(text, below) == expected
