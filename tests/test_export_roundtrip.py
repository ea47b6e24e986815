"""The project's own JSON: exported and imported into an empty library, the library comes back."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from export_support import add_records, annotated_library, library_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.exporting import ExportSelection
from storage.library import EditError, Library
from storage.records import STATUSES, AuthorRecord, NoteRecord, PaperRecord


def round_trip(source: Library, folder: Path, selection: ExportSelection | None = None) -> Library:
    path = folder / "backup.json"
    source.export(selection or ExportSelection.everything(), "json", path)
    target = Library(folder / "copy")
    report = target.import_file(path)  # format detected, as `papershelf import` does
    assert report.format == "json" and report.warnings == []
    return target


@pytest.fixture
def shelf(tmp_path: Path):
    library, key = annotated_library(tmp_path / "src")
    # edits through the public API, on top of what an import stored
    library.add_note(key["clark2020electra"], "TODO: reread section 3")
    library.add_note(key["clark2020electra"], "TODO: reread section 3")  # the same note twice
    library.add_note(key["karpukhin2020dense"], "", quote="only a quoted passage", page="iv")
    library.reorder_list("Reading group", [key["oneil2021why"]])
    library.set_list_entry_note("Reading group", key["muller2019sparse"], "Now with a note")
    library.set_rating([key["clark2020electra"]], 2)
    library.set_status([key["karpukhin2020dense"]], "reading")
    library.add_tags([key["clark2020electra"], key["oneil2021why"]], ["Ünïcode tåg"])
    yield library, key
    library.close()


def test_json_round_trip_gives_the_same_library(shelf, tmp_path: Path) -> None:
    source, _ = shelf
    target = round_trip(source, tmp_path)
    try:
        assert library_state(target) == library_state(source)
        # spot checks that do not lean on the comparison above
        sparse = target.paper(target.resolve("muller2019sparse"))
        assert sparse.added_at == datetime(2024, 1, 5, 9, 30, tzinfo=UTC)
        assert sparse.updated_at == source.paper(source.resolve("muller2019sparse")).updated_at
        assert [(n.quote, n.page) for n in sparse.notes] == [("heads can go", 12), (None, None)]
        electra = target.paper(target.resolve("clark2020electra"))
        assert [n.body for n in electra.notes].count("TODO: reread section 3") == 2
        assert electra.rating == 2 and "Ünïcode tåg" in electra.tags
        assert target.records([sparse.id])[0].extra == {"volume": "3", "pages": "1--9"}
        group = target.list_detail("Reading group")
        assert [e.note for e in group.entries] == [
            "<script>alert('entry')</script>Skim only.",
            "Start **here**.",
            "Now with a note",
        ]
        assert group.description == "Week 3: attention.\nBring questions <please>."
        assert target.list_detail("Empty list").entries == ()
        assert target.search("pruning").total == 1  # the index followed the import
    finally:
        target.close()


def test_importing_the_export_again_changes_nothing(shelf, tmp_path: Path) -> None:
    source, _ = shelf
    path = tmp_path / "backup.json"
    source.export(ExportSelection.everything(), "json", path)
    before = library_state(source)
    report = source.import_file(path)
    assert report.new_ids == [] and report.merged_ids == [] and report.lists == []
    assert library_state(source) == before


def test_merge_into_a_non_empty_library_adds_no_duplicates(shelf, tmp_path: Path) -> None:
    source, _ = shelf
    path = tmp_path / "backup.json"
    source.export(ExportSelection.everything(), "json", path)
    other = Library(tmp_path / "other")
    try:
        mine = add_records(
            other,
            [
                PaperRecord(title="Sparse attention for long documents!", status="unread"),
                PaperRecord(title="A paper only I have", doi="10.9/mine"),
            ],
        )
        other.set_status([mine[0]], "read")
        other.add_note(mine[0], "My own note")
        other.add_note(mine[0], "Second thought: check *ablation*.")  # also in the export
        other.create_list("Reading group", "my description")
        other.add_to_list("Reading group", [mine[1], mine[0]], note="mine first")
        report = other.import_file(path)
        assert report.merged_ids == [mine[0]]
        assert other.stats().papers == 5 + 1  # five exported, one of them already here, +1 mine
        titles = [row.title for row in other.rows(other.paper_ids()).values()]
        assert len(titles) == len(set(titles))
        sparse = other.paper(mine[0])
        assert sparse.status == "read"  # what the user set is never overwritten
        assert sparse.title == "Sparse attention for long documents!"
        assert sorted(n.body for n in sparse.notes) == sorted(
            [
                "My own note",
                "Second thought: check *ablation*.",
                source.paper(source.resolve("muller2019sparse")).notes[0].body,
            ]
        )
        assert sparse.doi == "10.1234/abc.5678"  # an empty field was filled
        group = other.list_detail("Reading group")
        ids = [e.paper_id for e in group.entries]
        assert len(ids) == len(set(ids)) == 4 and ids[:2] == [mine[1], mine[0]]
        assert group.description == "my description"
        # importing it once more changes nothing at all
        before = library_state(other)
        again = other.import_file(path)
        assert again.new_ids == [] and again.merged_ids == []
        assert library_state(other) == before
    finally:
        other.close()


def test_list_export_round_trips_that_list_only(shelf, tmp_path: Path) -> None:
    source, _ = shelf
    target = round_trip(source, tmp_path, ExportSelection.reading_list("Reading group"))
    try:
        assert [s.name for s in target.lists()] == ["Reading group"]
        assert target.stats().papers == 3
        keys = [
            target.paper(e.paper_id).citation_key
            for e in target.list_detail("Reading group").entries
        ]
        want = [
            source.paper(e.paper_id).citation_key
            for e in source.list_detail("Reading group").entries
        ]
        assert keys == want
    finally:
        target.close()


# --- property: random small libraries -----------------------------------------------------------

TEXT = st.characters(exclude_categories=("Cs", "Cc"))
WORDS = st.text(TEXT, min_size=1, max_size=16).filter(lambda t: t.strip())
MAYBE = st.none() | st.just("") | st.text(TEXT, max_size=20)
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
NOTE_BODIES = st.sampled_from(["TODO", "**bold** idea", "- a\n- b", "Ünïcödé ✓ 日本語"]) | WORDS


@st.composite
def notes(draw: st.DrawFn) -> NoteRecord:
    return NoteRecord(
        body=draw(NOTE_BODIES),
        quote=draw(st.none() | WORDS),
        page=draw(st.none() | st.sampled_from(["1", "xii", "3–4"])),
        created_at=draw(st.none() | MOMENTS),
        updated_at=draw(st.none() | MOMENTS),
        # a highlight whose file is not in the library: it keeps its colour, place and source
        color=draw(st.none() | st.sampled_from(["yellow", "purple"])),
        rects=draw(st.none() | st.just([[72.0, 700.5, 300.25, 712.0], [72.0, 686.0, 90.0, 698.0]])),
        file_sha256=draw(st.none() | st.just("ab" * 32)),
        source_key=draw(st.none() | st.just("ab" * 32 + ":1:nm:{a1}")),
    )


@st.composite
def papers(draw: st.DrawFn) -> PaperRecord:
    return PaperRecord(
        title=draw(WORDS),
        authors=draw(
            st.lists(
                st.builds(AuthorRecord, family=WORDS, given=st.none() | WORDS)
                | st.builds(AuthorRecord, literal=WORDS),
                max_size=3,
            )
        ),
        year=draw(st.none() | st.integers(1900, 2100)),
        venue=draw(MAYBE),
        abstract=draw(MAYBE),
        doi=draw(st.none() | st.sampled_from(["10.1/a", "10.1/B", "10.2/x(y)"])),
        arxiv_id=draw(st.none() | st.sampled_from(["2101.00001", "2101.00002v3"])),
        url=draw(st.none() | st.just("https://example.org/p?q=1&r=2")),
        code_url=draw(MAYBE),
        extra=draw(st.dictionaries(st.sampled_from(["volume", "pages"]), WORDS, max_size=2)),
        tags=draw(st.lists(WORDS | st.sampled_from(["NLP", "nlp", "ß"]), max_size=3)),
        status=draw(st.none() | st.sampled_from(STATUSES)),
        rating=draw(st.none() | st.integers(0, 5)),
        notes=draw(st.lists(notes(), max_size=4)),
        added_at=draw(st.none() | MOMENTS),
        updated_at=draw(st.none() | MOMENTS),
    )


@st.composite
def libraries(draw: st.DrawFn) -> tuple[list[PaperRecord], list[tuple]]:
    records = draw(st.lists(papers(), min_size=1, max_size=6))
    lists = draw(
        st.lists(
            st.tuples(
                WORDS,  # name
                st.none() | st.text(TEXT, max_size=20),  # description
                st.lists(  # entries: (paper position, note)
                    st.tuples(st.integers(0, len(records) - 1), st.none() | NOTE_BODIES),
                    max_size=5,
                ),
            ),
            max_size=3,
        )
    )
    edits = draw(
        st.lists(
            st.tuples(st.integers(0, len(records) - 1), NOTE_BODIES, st.none() | WORDS),
            max_size=4,
        )
    )
    return records, [*lists, ("__edits__", None, edits)]


def build(folder: Path, records: list[PaperRecord], lists: list[tuple]) -> Library:
    library = Library(folder)
    ids = add_records(library, records)
    present = library.paper_ids(include_dismissed=True)  # a duplicate record merges into its twin
    for name, description, entries in lists:
        if name == "__edits__":
            for position, body, quote in entries:  # notes added by hand, duplicates included
                library.add_note(present[position % len(present)], body, quote=quote)
            continue
        try:
            library.create_list(name, description)
        except EditError:
            continue  # the same name (ignoring case) twice
        for position, note in entries:
            library.add_to_list(name.strip(), [present[position % len(present)]], note=note)
    assert ids
    return library


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(libraries())
def test_random_libraries_round_trip(library_spec: tuple[list[PaperRecord], list[tuple]]) -> None:
    records, lists = library_spec
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = build(folder / "src", records, lists)
        try:
            target = round_trip(source, folder)
            try:
                assert library_state(target) == library_state(source)
            finally:
                target.close()
        finally:
            source.close()


def test_papers_that_edits_made_look_alike_stay_apart(tmp_path: Path) -> None:
    """Dedupe would merge them on an ordinary import; a backup must give back both."""
    source = Library(tmp_path / "src")
    try:
        first, second = add_records(
            source,
            [
                PaperRecord(title="Introduction", doi="10.1/one", arxiv_id="2101.00001"),
                PaperRecord(title="Another paper", doi="10.1/two"),
            ],
        )
        source.update_paper(second, title="Introduction", arxiv_id="2101.00001")
        source.add_note(second, "the second one")
        target = round_trip(source, tmp_path)
        try:
            assert target.stats().papers == 2
            assert library_state(target) == library_state(source)
        finally:
            target.close()
    finally:
        source.close()


def test_a_merge_that_fills_an_arxiv_id_is_found_by_it_later(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    try:
        add_records(
            library,
            [
                PaperRecord(title="Zero"),
                PaperRecord(title="zero!", arxiv_id="2101.00001"),  # merges, fills the arXiv id
                PaperRecord(title="Zero (long version)", arxiv_id="2101.00001v2"),
            ],
        )
        assert library.stats().papers == 1
    finally:
        library.close()


def test_a_lists_creation_time_survives(tmp_path: Path) -> None:
    written = {  # written by hand, so the test does not lean on the writer
        "format": "papershelf",
        "version": 1,
        "papers": [{"title": "A paper", "added_at": "2019-02-03T04:05:06+00:00"}],
        "lists": [
            {
                "name": "Old list",
                "created_at": "2020-05-01T10:00:00+00:00",
                "entries": [{"paper": 0, "note": "why"}],
            }
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(written), encoding="utf-8")
    source = Library(tmp_path / "src")
    try:
        source.import_file(tmp_path / "old.json")
        old = datetime(2020, 5, 1, 10, 0, tzinfo=UTC)
        assert [r.created_at for r in source.list_records([], keep_empty=True)] == [old]
        target = round_trip(source, tmp_path)
        try:
            assert [r.created_at for r in target.list_records([], keep_empty=True)] == [old]
            assert library_state(target) == library_state(source)
        finally:
            target.close()
    finally:
        source.close()


@pytest.mark.seeds
def test_seed_listings_export_in_every_format_and_round_trip(seed_files, tmp_path: Path) -> None:
    import csv
    import io

    import bibtexparser
    import rispy

    source = Library(tmp_path / "src")
    try:
        for path in seed_files:
            source.import_file(path)
        count = source.stats().papers
        assert count == 390
        ids = source.paper_ids(sort="added", descending=False)
        source.create_list("Seeds", "every other paper")
        source.add_to_list("Seeds", ids[::2], note="from the seeds")
        source.add_note(ids[0], "A note on the first seed paper.", quote="quoted", page="1")
        out = tmp_path / "out"
        out.mkdir()
        for fmt in ("markdown", "html", "bibtex", "ris", "csl-json", "csv", "json"):
            report = source.export(ExportSelection.everything(), fmt, out / fmt)
            assert report.papers == count
        text = {p.name: p.read_text(encoding="utf-8-sig") for p in out.iterdir()}
        bib = bibtexparser.parse_string(text["bibtex"])
        assert len(bib.entries) == count and not bib.failed_blocks
        assert len(rispy.loads(text["ris"])) == count
        assert len(json.loads(text["csl-json"])) == count
        assert len(list(csv.DictReader(io.StringIO(text["csv"], newline="")))) == count
        assert text["markdown"].count("\n## ") == count
        assert text["html"].count("<article ") == count and "<script" not in text["html"]
        target = round_trip(source, tmp_path)
        try:
            assert library_state(target) == library_state(source)
        finally:
            target.close()
    finally:
        source.close()
