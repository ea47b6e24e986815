"""Papershelf JSON: an exact inverse pair, versioning, and doubtful values."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.formats.papershelf_json import VERSION, parse_papershelf_json, write_papershelf_json
from storage.records import (
    AuthorRecord,
    FormatError,
    ListEntryRecord,
    ListRecord,
    NoteRecord,
    PaperRecord,
    ReadingRecord,
)

ADDED = datetime(2024, 5, 1, 9, 30, 15, tzinfo=UTC)


def _library() -> tuple[list[PaperRecord], list[ListRecord]]:
    full = PaperRecord(
        title="Full Record",
        authors=[AuthorRecord("Okafor", "Chidi"), AuthorRecord(literal="Lab")],
        year=2021,
        venue="Venue",
        abstract="Abstract\n\nwith paragraphs.",
        doi="10.1/x",
        arxiv_id="2101.00001",
        url="https://example.org",
        code_url="https://github.com/e/x",
        citation_key="okafor2021",
        entry_type="article",
        extra={"pages": "1–2", "month": "May"},
        tags=["a", "b c"],
        status="reading",
        rating=4,
        notes=[
            NoteRecord(
                body="**Bold** note",
                quote="quoted",
                page="12",
                created_at=ADDED,
                updated_at=datetime(2024, 6, 1, 8, 0, 0, tzinfo=timezone(timedelta(hours=2))),
            ),
            NoteRecord(body="Naive times stay naive", created_at=datetime(2024, 1, 2, 3, 4, 5)),
            NoteRecord(
                body="A highlight's comment",
                quote="highlighted words",
                page="3",
                color="purple",
                rects=[[72.0, 700.5, 300.25, 712.0], [72.0, 686.0, 90.0, 698.0]],
                file_sha256="ab" * 32,
                source_key="ab" * 32 + ":3:nm:{a1}",
            ),
        ],
        reading=ReadingRecord("ab" * 32, 7, ADDED),
        added_at=ADDED,
        updated_at=ADDED + timedelta(days=1),
    )
    bare = PaperRecord(title="Bare Record")
    lists = [
        ListRecord(
            name="Reading group",
            description="Week 1",
            created_at=ADDED,
            entries=[ListEntryRecord(1, note="start here"), ListEntryRecord(0)],
        ),
        ListRecord(name="Empty"),
    ]
    return [full, bare], lists


def test_exact_round_trip():
    records, lists = _library()
    text = write_papershelf_json(records, lists)
    result = parse_papershelf_json(text)
    assert result.warnings == []
    assert result.records == records
    assert result.lists == lists


def test_shape_is_documented_and_complete():
    records, lists = _library()
    document = json.loads(write_papershelf_json(records, lists))
    assert (document["format"], document["version"]) == ("papershelf", VERSION)
    datetime.fromisoformat(document["exported_at"])
    bare = document["papers"][1]
    assert bare["year"] is None and bare["doi"] is None and bare["notes"] == []  # null, not absent
    assert set(bare) == set(document["papers"][0])
    assert document["lists"][0]["entries"] == [
        {"paper": 1, "note": "start here"},
        {"paper": 0, "note": None},
    ]
    assert document["papers"][0]["added_at"] == "2024-05-01T09:30:15+00:00"
    plain, _naive, highlight = document["papers"][0]["notes"]
    assert set(plain) == set(highlight) == {
        "body", "quote", "page", "created_at", "updated_at", "color", "rects", "file_sha256",
        "source",
    }  # fmt: skip
    assert (plain["color"], plain["rects"], plain["file_sha256"], plain["source"]) == (
        None, None, None, None
    )  # fmt: skip
    assert highlight["rects"] == [[72.0, 700.5, 300.25, 712.0], [72.0, 686.0, 90.0, 698.0]]
    assert document["papers"][0]["reading"] == {
        "file_sha256": "ab" * 32, "page": 7, "updated_at": "2024-05-01T09:30:15+00:00"
    }  # fmt: skip
    assert bare["reading"] is None


def test_times_are_kept_to_the_second():
    record = PaperRecord(title="T", added_at=datetime(2024, 1, 1, 0, 0, 1, 999_999))
    (back,) = parse_papershelf_json(write_papershelf_json([record])).records
    assert back.added_at == datetime(2024, 1, 1, 0, 0, 1)


def test_newer_version_is_refused():
    text = json.dumps({"format": "papershelf", "version": VERSION + 1, "papers": []})
    with pytest.raises(FormatError, match="newer"):
        parse_papershelf_json(text)


@pytest.mark.parametrize(
    "document",
    [
        {"format": "other", "version": 1, "papers": []},
        {"format": "papershelf", "version": "1", "papers": []},
        {"format": "papershelf", "version": 1, "papers": {}},
        {"format": "papershelf", "version": 1},
        {"format": "papershelf", "version": 1, "papers": [3]},
        [{"format": "papershelf"}],
    ],
)
def test_unusable_documents_raise(document):
    with pytest.raises(FormatError):
        parse_papershelf_json(json.dumps(document))


def test_doubtful_values_are_dropped_with_warnings():
    document = {
        "format": "papershelf",
        "version": 1,
        "papers": [
            {"title": "Good", "rating": 9, "status": "skimmed", "year": "2020",
             "added_at": "yesterday", "tags": "not-a-list", "authors": [{"family": 3}],
             "notes": [{"quote": "no body"}], "extra": {"k": 1}, "unknown_key": True},
            {"title": ""},
            "not an object",
        ],
        "lists": [{"name": "L", "entries": [{"paper": 0}, {"paper": 1}, {"paper": 7}]}, {}],
    }  # fmt: skip
    result = parse_papershelf_json(json.dumps(document))
    (record,) = result.records
    assert record.title == "Good"
    assert (record.rating, record.status, record.year, record.added_at) == (None, None, None, None)
    assert record.tags == [] and record.authors == [] and record.notes == [] and record.extra == {}
    assert result.lists == [ListRecord(name="L", entries=[ListEntryRecord(0)])]
    assert len(result.notes) == 8 + 2  # paper #1's fields, list entries: kept items' remarks
    assert len(result.warnings) == 3  # papers #2-3, the list without a name: skipped
    assert "paper #1: rating 9 is not a whole number from 0 to 5; dropped" in [
        w.message for w in result.notes
    ]
    assert all(w.line is None for w in result.warnings + result.notes)
    assert any(w.message.startswith("paper #2:") for w in result.warnings)


def test_list_indexes_follow_skipped_papers():
    document = {
        "format": "papershelf",
        "version": 1,
        "papers": [{"title": ""}, {"title": "Second"}],
        "lists": [{"name": "L", "entries": [{"paper": 1, "note": "n"}]}],
    }
    result = parse_papershelf_json(json.dumps(document))
    assert result.lists[0].entries == [ListEntryRecord(record_index=0, note="n")]
