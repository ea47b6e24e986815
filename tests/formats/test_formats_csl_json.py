"""CSL-JSON: names, dates, keywords, broken JSON with its line, and the writer's round trip."""

from __future__ import annotations

import json

import pytest

from storage.formats.csl_json import iter_json_items, parse_csl_json, write_csl_json
from storage.records import AuthorRecord, FormatError, NoteRecord, PaperRecord


def test_fixture_items(read_fixture):
    result = parse_csl_json(read_fixture("items.csl.json"))
    birds, preprint, dated = result.records
    assert birds.authors == [
        AuthorRecord(family="Okafor", given="Chidi"),
        AuthorRecord(family="van der Berg", given="Anna"),
        AuthorRecord(literal="Example Ornithology Consortium"),
    ]
    assert (birds.year, birds.extra["month"]) == (2022, "March")
    assert birds.venue == "Journal of Remote Birds"
    assert birds.doi == "10.5555/jrb.2022.10" and birds.url == "https://example.org/birds"
    assert birds.tags == ["remote sensing", "ecology", "birds"]
    assert birds.extra["number"] == "2" and birds.extra["pages"] == "10-20"
    assert (birds.citation_key, birds.entry_type, birds.line) == (
        "okafor2022",
        "article-journal",
        2,
    )
    assert (preprint.year, preprint.arxiv_id) == (2023, "2307.01234")  # raw date; arXiv in note
    assert (dated.title, dated.year, dated.citation_key) == ("Literal Dates Work Too", 2011, None)
    assert [(w.line, w.message) for w in result.warnings] == [
        (34, "item without a title or anything else to name it; skipped"),
        (35, "not a CSL item; skipped"),
    ]


def test_single_object_and_keyword_list():
    text = json.dumps({"title": "Alone", "keyword": ["a", "b;c"], "issued": "2001"})
    (record,) = parse_csl_json(text).records
    assert (record.title, record.tags, record.year, record.line) == (
        "Alone",
        ["a", "b", "c"],
        2001,
        1,
    )


def test_broken_json_reports_its_line():
    text = '[\n  {"title": "Fine"},\n  {"title": "Broken",\n   "author": [}\n]\n'
    with pytest.raises(FormatError, match=r"broken JSON: .*line 4") as caught:
        parse_csl_json(text)
    assert caught.value.line == 4


@pytest.mark.parametrize(
    "text",
    ['[{"title": "a"}] trailing', '[{"title": "a"} {"title": "b"}]', "[", '{"title": "a"', ""],
)
def test_malformed_json_raises(text):
    with pytest.raises(FormatError):
        parse_csl_json(text)


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(FormatError):
        parse_csl_json("[" * 100_000 + "]" * 100_000)


def test_item_lines_counted_across_whitespace():
    text = '\n\n[\n\n{"title": "One"},\n\n\n  {"title":\n "Two"}  ,{"title": "Three"}]'
    assert [line for line, _ in iter_json_items(text)] == [5, 8, 9]


def test_papershelf_export_is_refused():
    with pytest.raises(FormatError, match="--format json"):
        parse_csl_json('{"format": "papershelf", "version": 1, "papers": []}')


def test_write_and_read_back():
    records = [
        PaperRecord(
            title="Counting “Birds”",
            authors=[AuthorRecord("Okafor", "Chidi"), AuthorRecord(literal="Lab & Co")],
            year=2022,
            venue="J. Birds",
            abstract="Text\n\nin two paragraphs.",
            doi="10.1/x",
            arxiv_id="2201.00001",
            url="https://example.org/b",
            tags=["birds", "space"],
            notes=[NoteRecord(body="n1"), NoteRecord(body="n2")],
            extra={"month": "June", "volume": "4", "pages": "1-2", "other": "dropped"},
            citation_key="okafor2022",
            entry_type="paper-conference",
        ),
        PaperRecord(title="Same key", citation_key="okafor2022"),
    ]
    text = write_csl_json(records)
    items = json.loads(text)
    assert items[0]["issued"] == {"date-parts": [[2022, 6]]}
    assert items[0]["author"][1] == {"literal": "Lab & Co"}
    assert items[0]["id"] != items[1]["id"]
    first, second = parse_csl_json(text).records
    for name in ("title", "authors", "year", "venue", "abstract", "doi", "arxiv_id", "url", "tags",
                 "citation_key", "entry_type"):  # fmt: skip
        assert getattr(first, name) == getattr(records[0], name), name
    assert first.notes == [NoteRecord(body="n1\n\nn2")]
    assert first.extra == {"month": "June", "volume": "4", "pages": "1-2"}
    assert second.title == "Same key"
