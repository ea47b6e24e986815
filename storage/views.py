"""Plain read-only values the Library hands to the GUI and the command line (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PaperRow:
    """What the paper table shows for one paper."""

    id: int
    title: str
    authors: str
    year: int | None
    venue: str | None
    tags: tuple[str, ...]
    status: str
    rating: int
    added_at: datetime


@dataclass(frozen=True)
class NoteView:
    id: int
    paper_id: int
    body: str
    quote: str | None
    page: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PaperDetail:
    """Everything about one paper, for the detail pane and `show`."""

    id: int
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str | None
    abstract: str | None
    doi: str | None
    arxiv_id: str | None
    url: str | None
    code_url: str | None
    citation_key: str | None
    entry_type: str | None
    status: str
    rating: int
    added_at: datetime
    updated_at: datetime
    tags: tuple[str, ...]
    notes: tuple[NoteView, ...]
    lists: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """The `show --json` shape of the command-line contract."""
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "year": self.year,
            "abstract": self.abstract,
            "venue": self.venue,
            "doi": self.doi,
            "arxiv_id": self.arxiv_id,
            "url": self.url,
            "code_url": self.code_url,
            "citation_key": self.citation_key,
            "status": self.status,
            "rating": self.rating,
            "tags": list(self.tags),
            "notes": [
                {
                    "id": note.id,
                    "body": note.body,
                    "quote": note.quote,
                    "created_at": note.created_at.isoformat(),
                    "updated_at": note.updated_at.isoformat(),
                }
                for note in self.notes
            ],
            "lists": list(self.lists),
        }


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    description: str | None
    count: int


@dataclass(frozen=True)
class ListEntry:
    paper_id: int
    position: int
    title: str
    authors: str
    year: int | None
    note: str | None


@dataclass(frozen=True)
class ListDetail:
    id: int
    name: str
    description: str | None
    entries: tuple[ListEntry, ...]


@dataclass(frozen=True)
class Stats:
    papers: int
    tags: int
    notes: int
    lists: int

    def as_json(self) -> dict[str, int]:
        return {"papers": self.papers, "tags": self.tags, "notes": self.notes, "lists": self.lists}


@dataclass(frozen=True)
class Change:
    """What a mutation touched, so views refresh exactly those rows."""

    paper_ids: frozenset[int] = frozenset()
    tags: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    note_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.paper_ids or self.tags or self.lists or self.note_ids)


@dataclass
class ImportReport:
    """What importing one file did."""

    source: str
    format: str
    new_ids: list[int] = field(default_factory=list)
    merged_ids: list[int] = field(default_factory=list)
    unchanged_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "FILE:LINE: reason"
    lists: list[str] = field(default_factory=list)

    @property
    def change(self) -> Change:
        return Change(
            paper_ids=frozenset(self.new_ids) | frozenset(self.merged_ids),
            lists=frozenset(self.lists),
        )

    def summary(self) -> str:
        return (
            f"{self.source}: {len(self.new_ids)} new, {len(self.merged_ids)} merged, "
            f"{len(self.unchanged_ids)} already present, {len(self.warnings)} skipped"
        )


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[str, ...]
    repaired: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when nothing is wrong, or every problem was an index one and it was rebuilt."""
        if not self.problems:
            return True
        return bool(self.repaired) and all(p.startswith("index:") for p in self.problems)
