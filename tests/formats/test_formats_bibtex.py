"""BibTeX: TeX decoding, macros, names, broken entries, and the writer's round trip."""

from __future__ import annotations

import shutil
import subprocess

import bibtexparser
import pytest

from storage.formats.bibtex import OTHERS_KEY, parse_bibtex, write_bibtex
from storage.formats.common import citation_keys
from storage.records import AuthorRecord, FormatError, NoteRecord, PaperRecord


@pytest.fixture
def library(read_fixture):
    return parse_bibtex(read_fixture("library.bib"))


def test_fixture_entries_and_warnings(library):
    assert [r.citation_key for r in library.records] == [
        "mueller2021tokens",
        "Zhang:2020",
        "noTitle2019",
        "survivor2018",
    ]
    assert [r.line for r in library.records] == [5, 20, 34, 43]
    assert library.records[2].title == "[Untitled] Nobody 2019"  # issue 10: kept, not dropped
    assert [(w.line, w.message.split(" skipped")[0]) for w in library.warnings] == [
        (39, "broken BibTeX entry 'broken2022'"),
    ]
    assert [(w.line, w.message.split(";")[0]) for w in library.notes] == [
        (34, "entry 'noTitle2019' has no title"),  # imported: a note, not a skip
    ]


def test_accents_braces_and_people(library):
    first = library.records[0]
    assert first.title == "Tokenization for BERT-style Models in Münster"
    assert first.authors == [
        AuthorRecord(family="Müller", given="Jörg"),
        AuthorRecord(family="García", given="María"),
        AuthorRecord(literal="Example Research Consortium"),
    ]
    assert first.extra[OTHERS_KEY] == "true"  # `and others` dropped, but remembered
    assert first.entry_type == "article"
    assert first.venue == "Journal of Imaginary Results"


def test_fields_year_month_doi_keywords_abstract(library):
    first = library.records[0]
    assert first.year == 2021  # from `2021a`
    assert first.extra["month"] == "March"  # the `mar` macro
    assert first.extra["volume"] == "12" and first.extra["number"] == "3"
    assert first.extra["pages"] == "101–117"
    assert first.doi == "10.1234/jir.2021.007"
    assert first.tags == ["tokenization", "language models", "BERT"]
    assert first.abstract == (
        "We study how tokenizers behave on 50% of the data & more, with $O(n^2)$ cost."
    )


def test_string_macros_concatenation_names_and_eprint(library):
    second = library.records[1]
    assert second.venue == ("Proceedings of the Advances in Neural Information Processing Systems")
    assert [a.display for a in second.authors] == [
        "Wei Zhang",
        "Anna van der Berg",
        "John Smith, Jr.",
    ]
    assert second.authors[1].family == "van der Berg"
    assert second.year == 2020 and second.extra["month"] == "May"
    assert second.arxiv_id == "2005.01234"  # version suffix dropped
    assert "eprint" not in second.extra and "archiveprefix" not in second.extra
    assert second.extra["primaryclass"] == "cs.LG"
    assert second.url == "https://example.org/papers/sparse_mixtures"
    assert second.entry_type == "inproceedings"


def test_corporate_author_and_annote(library):
    third = library.records[3]
    assert third.title == "A Book That Survives the Broken Entry"
    assert third.authors == [AuthorRecord(literal="World Health Organization")]
    assert third.notes == [NoteRecord(body="Read chapter 2 first.\nThen chapter 5.")]


def test_truncated_file_keeps_good_entries(read_fixture):
    text = read_fixture("library.bib")
    cut = text[: text.index("Read chapter 2")]  # the last entry never ends
    result = parse_bibtex(cut)
    assert [r.citation_key for r in result.records] == [
        "mueller2021tokens",
        "Zhang:2020",
        "noTitle2019",
    ]
    assert [w.line for w in result.warnings] == [39, 43]
    assert [w.line for w in result.notes] == [34]
    assert "survivor2018" in result.warnings[-1].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some text, no entries", "no BibTeX entries"),
        ("@article{a,\n  title = {never closed\n", "no usable BibTeX entries"),
    ],
)
def test_nothing_usable_raises(text, message):
    with pytest.raises(FormatError, match=message):
        parse_bibtex(text)


def test_year_forms_and_crlf():
    text = (
        "@article{a,\r\n title={One},\r\n year={2020}\r\n}\r\n"
        "@article{b, title={Two}, year = 2019}\n"
        "@article{c, title={Three}, year = {in press}}\n"
        "@online{d, title={Four}, date = {2017-03-01}}\n"
    )
    records = parse_bibtex(text).records
    assert [r.year for r in records] == [2020, 2019, None, 2017]
    assert records[2].extra["year"] == "in press"
    assert records[1].line == 5


def test_duplicate_keys_and_fields_and_undefined_macro():
    text = (
        "@article{same, title = {First}}\n"
        "@article{same, title = {Second}, title = {Shadowed}}\n"
        "@article{other, title = {Third}, journal = nosuchmacro}\n"
    )
    result = parse_bibtex(text)
    assert [r.title for r in result.records] == ["First", "Second", "Third"]
    assert [r.citation_key for r in result.records] == ["same", None, "other"]
    assert result.warnings == []  # all three imported
    messages = [(w.line, w.message) for w in result.notes]
    assert (2, "repeated field(s) title; kept the first") in messages
    assert any(line == 2 and "already used on line 1" in m for line, m in messages)
    assert any(line == 3 and "nosuchmacro" in m for line, m in messages)
    assert result.records[2].venue == "nosuchmacro"


def test_eprint_variants_and_keyword_separators():
    text = (
        "@misc{a, title={A}, eprint={hep-th/9901001}}\n"
        "@misc{b, title={B}, eprint={hal-0123}, archivePrefix={HAL}}\n"
        "@article{c, title={C}, journal={arXiv preprint arXiv:2101.00001}}\n"
        "@misc{d, title={D}, eprinttype={arxiv}, eprint={2202.02020v3}, keywords={x;y, z ; x}}\n"
        "@misc{e, title={E}, url={https://doi.org/10.1000/ABC}}\n"
    )
    a, b, c, d, e = parse_bibtex(text).records
    assert a.arxiv_id == "hep-th/9901001"
    assert b.arxiv_id is None and b.extra["eprint"] == "hal-0123"
    assert c.arxiv_id == "2101.00001"
    assert d.arxiv_id == "2202.02020" and d.tags == ["x", "y", "z"]
    assert e.doi == "10.1000/abc"


def test_writer_escapes_and_parses_back_cleanly():
    record = PaperRecord(
        title="50% of C# & {Rust} code_names cost $5 -- or ~more^2 @home",
        authors=[
            AuthorRecord(family="O'Neil", given="Zoë"),
            AuthorRecord(literal="Simon and Schuster Lab"),
            AuthorRecord(family="Plato"),
        ],
        year=2024,
        venue="Proc. of Things & Stuff",
        abstract="Line one.\n\nA second paragraph with a backslash \\ and ``quotes''.",
        doi="10.1000/xyz_1",
        arxiv_id="2401.00001",
        url="https://example.org/a_b?c=1&d=2#frag",
        code_url="https://github.com/example/thing",
        tags=["deep learning", "C++"],
        notes=[NoteRecord(body="First *note*."), NoteRecord(body="Second", quote="A quote")],
        extra={"month": "August", "pages": "1--9", "publisher": "Ex & Co", OTHERS_KEY: "true"},
        entry_type="inproceedings",
    )
    text = write_bibtex([record])
    assert "\\%" in text and "\\&" in text and "\\#" in text and "\\$" in text and "\\_" in text
    assert "month = aug" in text and "and others" in text
    assert "Zoë" in text  # Unicode is kept, not TeX-encoded
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and len(library.entries) == 1
    (back,) = parse_bibtex(text).records
    assert back.title == record.title
    assert back.authors == record.authors
    assert (back.year, back.venue, back.doi, back.arxiv_id) == (
        2024,
        record.venue,
        "10.1000/xyz_1",
        "2401.00001",
    )
    assert (back.url, back.code_url) == (record.url, record.code_url)
    assert back.abstract == record.abstract
    assert back.tags == record.tags
    assert back.extra == {
        "month": "August",
        "pages": "1--9",
        "publisher": "Ex & Co",
        OTHERS_KEY: "true",
    }
    assert back.notes == [NoteRecord(body="First *note*.\n\n> A quote\n\nSecond")]
    assert back.entry_type == "inproceedings"


def test_writer_protects_capitals():
    text = write_bibtex([PaperRecord(title="BERT and LLaMA for iPhone apps")])
    assert "{BERT} and {LLaMA} for {iPhone} apps" in text


def test_citation_keys_are_unique_stable_and_sane():
    records = [
        PaperRecord(title="The Art of Tokens", authors=[AuthorRecord("Müller", "Jörg")], year=2021),
        PaperRecord(
            title="Art of Tokens, Again", authors=[AuthorRecord("Muller", "J.")], year=2021
        ),
        PaperRecord(title="x", citation_key="taken"),
        PaperRecord(title="y", citation_key="TAKEN"),
        PaperRecord(title="z", citation_key="has space,{brace}"),
        PaperRecord(title="42"),
    ]
    keys = citation_keys(records)
    assert keys == ["muller2021art", "muller2021arta", "taken", "y", "hasspacebrace", "42"]
    assert keys == citation_keys(records)
    used: set[str] = set()
    first = citation_keys(records[:1], used)
    second = citation_keys(records[:1], used)
    assert first == ["muller2021art"] and second == ["muller2021arta"]


def test_round_trip_of_fixture(library):
    again = parse_bibtex(write_bibtex(library.records))
    assert again.warnings == []
    for before, after in zip(library.records, again.records, strict=True):
        before.line = after.line = None
        assert after == before


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
def test_writer_output_is_accepted_by_biber(tmp_path, library):
    odd = PaperRecord(
        title="Unbalanced } and { braces, 100% & C# at $5 -- ~^ @x{",
        authors=[AuthorRecord(family="Brace}y", given="{Odd"), AuthorRecord(literal="A and B")],
        abstract="Line\n@misc{evil, title={x}}\n\\ end",
        url="https://example.org/a_b?c=1&d=2#frag%20x",
    )
    source = tmp_path / "out.bib"
    source.write_text(write_bibtex([*library.records, odd]), encoding="utf-8")
    run = subprocess.run(
        ["biber", "--tool", "--output-file", str(tmp_path / "tool.bib"), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ERROR" not in run.stdout and "WARN" not in run.stdout, run.stdout
    assert (tmp_path / "tool.bib").read_text(encoding="utf-8").count("@") >= 4
