"""Helpers for the export tests: build a library from records, and snapshot one without ids."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage.importing import store_parse_result
from storage.library import Library
from storage.records import AuthorRecord, NoteRecord, PaperRecord, ParseResult
from storage.views import ImportReport


def add_records(library: Library, records: list[PaperRecord]) -> list[int]:
    """Store records the way an import does (times, notes, statuses kept); returns their ids."""
    report = ImportReport(source="test", format="test")

    def work(conn):
        store_parse_result(
            conn, ParseResult(records=records), report, extra_tags=[], list_name=None
        )
        return report

    library._write(work, lambda r: r.new_ids)
    return report.new_ids


def sample_records() -> list[PaperRecord]:
    """Five papers with awkward text: markup, script, Unicode, TeX, missing fields."""
    return [
        PaperRecord(
            title="Sparse Attention for Long Documents",
            authors=[
                AuthorRecord("Müller", "Jörg"),
                AuthorRecord(literal="Open Research Consortium"),
            ],
            year=2019,
            venue="Findings of ACL",
            abstract="We prune attention heads.\n\nPruned models behave well on long documents.",
            doi="10.1234/abc.5678",
            citation_key="muller2019sparse",
            entry_type="article",
            extra={"volume": "3", "pages": "1--9"},
            tags=["attention", "pruning"],
            status="read",
            rating=4,
            added_at=datetime(2024, 1, 5, 9, 30, 0, tzinfo=UTC),
            updated_at=datetime(2024, 2, 1, 10, 0, 0, tzinfo=UTC),
        ),
        PaperRecord(
            title="ELECTRA: Pre-training Text Encoders as Discriminators",
            authors=[AuthorRecord("Clark", "Kevin"), AuthorRecord("Luong", "Minh-Thang")],
            year=2020,
            venue="ICLR",
            abstract="Replaced token detection is $\\mathcal{O}(n)$ cheaper than MLM_pretraining.",
            arxiv_id="2003.10555",
            url="https://openreview.net/forum?id=r1xMH1BtvB",
            code_url="https://github.com/google-research/electra",
            citation_key="clark2020electra",
            tags=["pretraining"],
            status="reading",
            added_at=datetime(2024, 1, 6, 9, 30, 0, tzinfo=UTC),
            updated_at=datetime(2024, 1, 6, 9, 30, 0, tzinfo=UTC),
        ),
        PaperRecord(
            title='Why <script>alert("t")</script> & "Quotes" <b>Break</b> Exports',
            authors=[AuthorRecord("O'Neil", "Ana")],
            year=2021,
            abstract=(
                '<img src=x onerror="alert(1)"><script>alert("a")</script> javascript:alert(2)'
            ),
            url="javascript:alert(3)",
            citation_key="oneil2021why",
            tags=["security", "<script>tag</script>"],
            added_at=datetime(2024, 1, 7, 9, 30, 0, tzinfo=UTC),
            updated_at=datetime(2024, 1, 7, 9, 30, 0, tzinfo=UTC),
        ),
        PaperRecord(
            title="Dense Passage Retrieval für 日本語 Question Answering",
            authors=[AuthorRecord("Karpukhin", "Vladimir")],
            year=2020,
            venue="EMNLP",
            url="https://example.org/dpr",
            citation_key="karpukhin2020dense",
            tags=["retrieval", "attention"],
            rating=5,
            added_at=datetime(2024, 1, 8, 9, 30, 0, tzinfo=UTC),
            updated_at=datetime(2024, 1, 8, 9, 30, 0, tzinfo=UTC),
            notes=[
                NoteRecord(
                    body="Imported note with **bold**.",
                    quote="dense representations alone",
                    page="3",
                    created_at=datetime(2024, 1, 9, 8, 0, 0, tzinfo=UTC),
                    updated_at=datetime(2024, 1, 9, 8, 5, 0, tzinfo=UTC),
                )
            ],
        ),
        PaperRecord(
            title='=HYPERLINK("http://evil.example") Untitled Workshop Draft',
            added_at=datetime(2024, 1, 9, 9, 30, 0, tzinfo=UTC),
            updated_at=datetime(2024, 1, 9, 9, 30, 0, tzinfo=UTC),
        ),
    ]


NOTE_MD = "## Take-away\n\n- *pruning* keeps `90%`\n- see [paper](https://example.org/x)\n"
EVIL_NOTE = (
    '<script>alert("n")</script><a href="javascript:alert(4)" onclick="x()">click</a>\n\n'
    "[md link](javascript:alert(5)) <img src=x onerror=alert(6)>"
)


def annotated_library(folder: Path) -> tuple[Library, dict[str, int]]:
    """sample_records() plus notes, a reading list in a deliberate order with entry notes."""
    library = Library(folder)
    ids = add_records(library, sample_records())
    key = {library.paper(pid).citation_key: pid for pid in ids}
    library.add_note(key["muller2019sparse"], NOTE_MD, quote="heads can go", page="12")
    library.add_note(key["muller2019sparse"], "Second thought: check *ablation*.")
    library.add_note(key["oneil2021why"], EVIL_NOTE, quote='<script>alert("q")</script>')
    library.create_list("Reading group", "Week 3: attention.\nBring questions <please>.")
    for ref, note in (
        ("karpukhin2020dense", "Start **here**."),
        ("muller2019sparse", None),
        ("oneil2021why", "<script>alert('entry')</script>Skim only."),
    ):
        library.add_to_list("Reading group", [key[ref]], note=note)
    library.create_list("Empty list", None)
    return library, key


def library_state(library: Library) -> dict:
    """Everything a user can see, keyed by citation key (ids differ between libraries)."""
    ids = library.paper_ids(sort="title", include_dismissed=True)
    papers = {}
    for pid, record in zip(ids, library.records(ids), strict=True):
        detail = library.paper(pid)
        papers[detail.citation_key] = {
            "record": record,
            "detail": {k: v for k, v in vars(detail).items() if k not in ("id", "notes")},
            "notes": [
                (n.body, n.quote, n.page, n.page_label, n.created_at, n.updated_at)
                + (n.color, n.rects, n.file_sha256, n.source_key, n.file_id is not None)
                for n in detail.notes
            ],
            "reading": library.reading_position(pid) is not None,
        }
    key_of = {pid: library.paper(pid).citation_key for pid in ids}
    created = {r.name: r.created_at for r in library.list_records([], keep_empty=True)}
    lists = {}
    for summary in library.lists():
        detail = library.list_detail(summary.name)
        lists[summary.name] = (
            summary.description,
            created[summary.name],
            [(key_of[e.paper_id], e.note) for e in detail.entries],
        )
    return {
        "stats": library.stats(),
        "tags": library.tag_counts(),
        "statuses": library.status_counts(),
        "papers": papers,
        "lists": lists,
    }
