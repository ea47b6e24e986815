"""RIS: BOM and CRLF, Latin-1, records without ER or title, and the writer's round trip."""

from __future__ import annotations

import pytest

from storage.formats.detect import read_source
from storage.formats.ris import parse_ris, write_ris
from storage.records import AuthorRecord, FormatError, NoteRecord, PaperRecord


def test_bom_crlf_fixture(fmt_dir):
    result = parse_ris(read_source(fmt_dir / "utf8_bom.ris"))
    first, second, untitled, third = result.records
    assert first.title == "Graph Networks for Molecule Property Prediction"  # continuation line
    assert first.authors == [
        AuthorRecord(family="Chen", given="Li"),
        AuthorRecord(family="Okafor", given="Chidi"),
        AuthorRecord(literal="Example Lab"),
    ]
    assert (first.year, first.venue, first.doi) == (
        2019,
        "Journal of Synthetic Chemistry",
        "10.5555/jsc.2019.55",
    )
    assert first.url == "https://example.org/jsc/55"
    assert first.code_url == "https://github.com/example/molgraph"
    assert first.tags == ["graphs", "chemistry", "molecules"]
    assert first.notes == [NoteRecord(body="Good baseline section.")]
    assert first.citation_key == "chen2019" and first.entry_type == "JOUR"
    assert first.extra == {"pages": "55–71", "volume": "7", "number": "2", "month": "May"}
    assert first.abstract == "We predict properties of molecules with message passing."
    assert (second.title, second.year, second.abstract) == (
        "A Record Without Its Title Tag Uses T1",
        2016,
        "Abstract from the N2 tag.",
    )
    assert second.authors == [AuthorRecord(family="Ngata", given="Aroha")]
    assert third.title == "Truncated Record At The End"
    assert untitled.title == "[Untitled] Nobody 2020"  # issue 10: imported, not dropped
    assert [r.line for r in result.records] == [1, 23, 30, 35]
    assert [(w.line, w.message.split(" ")[0]) for w in result.notes] == [
        (30, "RIS"),
        (35, "RIS"),
    ]
    assert result.warnings == []  # both records were imported: notes
    assert "without a title imported as '[Untitled] Nobody 2020'" in result.notes[0].message
    assert "no `ER`" in result.notes[1].message


def test_latin1_fixture(fmt_dir):
    (record,) = parse_ris(read_source(fmt_dir / "latin1.ris")).records
    assert record.title == "Études sur la régression"
    assert record.authors[0] == AuthorRecord(family="Müller", given="Jürgen")
    assert (record.venue, record.year) == ("Revue Fictive", 2016)


def test_lenient_tag_spacing_and_stray_lines():
    text = (
        "1.\nTY - JOUR\nTI -  Loose Spacing\nAB  - Results of the\nPE-lab tests.\n"
        "PY  - 2016/05/01\nER -\nAU  - Stray, Author\n"
    )
    result = parse_ris(text)
    (record,) = result.records
    assert (record.title, record.year, record.line) == ("Loose Spacing", 2016, 2)
    assert record.abstract == "Results of the PE-lab tests."  # `PE-` is no tag
    assert [(w.line, w.message) for w in result.warnings] == [(8, "`AU` line outside a record")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no ris here", "no `TY  - ` record"),
        ("TY  - JOUR\nM3  - Only a medium\nER  - \n", "without a title or anything else"),
    ],
)
def test_nothing_usable_raises_with_reason(text, message):
    with pytest.raises(FormatError, match=message):
        parse_ris(text)


def test_write_and_read_back():
    records = [
        PaperRecord(
            title="Sparse Things",
            authors=[
                AuthorRecord("Tanaka", "Yui"),
                AuthorRecord(literal="Example Lab"),
                AuthorRecord(family="Plato"),
            ],
            year=2020,
            venue="Journal of Things",
            abstract="One.\n\nTwo paragraphs become one line in RIS.",
            doi="10.1000/abc",
            arxiv_id="2001.01234",
            url="https://example.org/p",
            code_url="https://gitlab.com/g/p",
            citation_key="tanaka2020",
            tags=["sparsity", "ml"],
            notes=[NoteRecord(body="A note\nover two lines."), NoteRecord(body="Another.")],
            extra={"volume": "3", "number": "1", "pages": "5–9", "publisher": "Ex"},
            entry_type="inproceedings",
        ),
        PaperRecord(title="Bare"),
    ]
    text = write_ris(records)
    assert text.startswith("TY  - CPAPER\n")
    assert "\nN1  - A note over two lines.\n" in text and "\nKW  - sparsity\n" in text
    assert "\nAN  - arXiv:2001.01234\n" in text
    first, second = parse_ris(text).records
    assert first.title == "Sparse Things"
    assert first.authors == records[0].authors
    assert (first.year, first.venue, first.doi, first.arxiv_id) == (
        2020, "Journal of Things", "10.1000/abc", "2001.01234"
    )  # fmt: skip
    assert (first.url, first.code_url) == ("https://example.org/p", "https://gitlab.com/g/p")
    assert first.abstract == "One. Two paragraphs become one line in RIS."
    assert first.tags == ["sparsity", "ml"]
    assert [n.body for n in first.notes] == ["A note over two lines.", "Another."]
    assert first.extra == {"volume": "3", "number": "1", "pages": "5–9", "publisher": "Ex"}
    assert first.citation_key == "tanaka2020"
    assert second.title == "Bare" and second.entry_type == "GEN"
