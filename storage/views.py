"""Plain read-only values the Library hands to the GUI and the command line (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


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


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points (see storage.highlights)


@dataclass(frozen=True)
class NoteView:
    """A note; a highlight when it has rects (its place on `page` of the file `file_id`)."""

    id: int
    paper_id: int
    body: str
    quote: str | None
    page: int | None
    created_at: datetime
    updated_at: datetime
    page_label: str | None = None  # a page written as no number ("iv", "12–13")
    file_id: int | None = None
    color: str | None = None
    rects: tuple[Rect, ...] = ()
    file_sha256: str | None = None  # the file's bytes: a detached file's highlight keeps them
    source_key: str | None = None  # made from an annotation already in the PDF: its identity

    @property
    def imported(self) -> bool:
        """Made from an annotation already in the PDF (by another program)."""
        return self.source_key is not None

    @property
    def page_text(self) -> str | None:
        """The page as shown: its number, else its label."""
        return str(self.page) if self.page is not None else self.page_label

    @property
    def is_highlight(self) -> bool:
        return bool(self.rects)

    def as_json(self) -> dict[str, object]:
        """A note object of `show --json`."""
        return {
            "id": self.id,
            "body": self.body,
            "quote": self.quote,
            "page": self.page,
            "color": self.color,
            "file_id": self.file_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class FileView:
    """A file attached to a paper: its stored copy, page count and text status."""

    id: int
    paper_id: int
    name: str  # the original file name
    pages: int
    bytes: int
    sha256: str
    text: str  # indexed | no-text | failed | pending
    reason: str | None  # why it has no text or failed, one line
    path: Path  # the stored copy under files/
    added_at: datetime | None = None

    def as_json(self) -> dict[str, object]:
        """A file object of `show --json` and `files --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "pages": self.pages,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "text": self.text,
        }


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
    files: tuple[FileView, ...] = ()

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
            "notes": [note.as_json() for note in self.notes],
            "lists": list(self.lists),
            "files": [file.as_json() for file in self.files],
            "entry_type": self.entry_type,
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
    files: int = 0
    pages: int = 0

    def as_json(self) -> dict[str, int]:
        return {
            "papers": self.papers,
            "tags": self.tags,
            "notes": self.notes,
            "lists": self.lists,
            "files": self.files,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class Change:
    """What a mutation touched, so views refresh exactly those rows."""

    paper_ids: frozenset[int] = frozenset()
    tags: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    note_ids: frozenset[int] = frozenset()
    smart_lists: frozenset[str] = frozenset()  # saved searches created, edited or deleted

    def __bool__(self) -> bool:
        return bool(self.paper_ids or self.tags or self.lists or self.note_ids or self.smart_lists)


@dataclass(frozen=True)
class FileChange(Change):
    """What attaching files did: the change, the files attached, one line per file with a
    problem (not attached, already attached, no text, failed) and how many were refused."""

    file_ids: tuple[int, ...] = ()
    messages: tuple[str, ...] = ()
    refused: int = 0


RULE_WORDS = {"doi": "same DOI", "arxiv": "same arXiv id", "title": "same title"}


@dataclass(frozen=True)
class MergeEvent:
    """One entry of a file that merged into a paper on import (and by which rule)."""

    source: str
    line: int | None
    title: str
    paper_id: int
    paper_title: str
    rule: str  # doi | arxiv | title
    merge_id: int

    def format(self) -> str:
        """`FILE:LINE: "entry" merged into paper N "title" (same DOI)`."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        return (
            f'{where}: "{self.title}" merged into paper {self.paper_id} "{self.paper_title}" '
            f"({RULE_WORDS.get(self.rule, self.rule)}; merge {self.merge_id})"
        )


@dataclass(frozen=True)
class MergeView:
    """A merge recorded on a paper, for `papershelf merges` and the window's merge list."""

    id: int
    paper_id: int
    source: str
    line: int | None
    rule: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    doi: str | None
    merged_at: datetime
    split_paper_id: int | None

    def describe(self) -> str:
        """One plain-text line: the entry, where it came from, and by which rule."""
        who = ", ".join(self.authors[:2]) + (" et al." if len(self.authors) > 2 else "")
        facts = "; ".join(p for p in (who, str(self.year) if self.year else "", self.doi) if p)
        where = f"{self.source}:{self.line}" if self.line else self.source
        return (
            f"{self.title}"
            + (f" ({facts})" if facts else "")
            + f" — from {where}, {RULE_WORDS.get(self.rule, self.rule)}"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "year": self.year,
            "doi": self.doi,
            "source": self.source,
            "line": self.line,
            "rule": self.rule,
            "merged_at": self.merged_at.isoformat(),
            "split_into": self.split_paper_id,
        }


@dataclass
class ImportReport:
    """What importing one file did."""

    source: str
    format: str
    new_ids: list[int] = field(default_factory=list)
    merged_ids: list[int] = field(default_factory=list)
    unchanged_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # skipped: "FILE:LINE: reason"
    notes: list[str] = field(default_factory=list)  # imported with a remark: "FILE:LINE: note: …"
    lists: list[str] = field(default_factory=list)
    merges: list[MergeEvent] = field(default_factory=list)  # within the file too
    batch_id: int | None = None  # the import_batch row (new papers wait in the Inbox under it)
    record_ids: list[int] = field(default_factory=list)  # the paper of each record, in order

    @property
    def change(self) -> Change:
        return Change(
            paper_ids=frozenset(self.new_ids) | frozenset(self.merged_ids),
            lists=frozenset(self.lists),
        )

    def summary(self) -> str:
        return f"{self.source}: {self.counts()}"

    def counts(self, thousands: str = "") -> str:
        """`N new, N merged, N already present, N skipped` and `, N notes` when there are any;
        thousands: "," for 1,234 (the window)."""
        spec = thousands
        text = (
            f"{len(self.new_ids):{spec}} new, {len(self.merges):{spec}} merged, "
            f"{len(self.unchanged_ids):{spec}} already present, "
            f"{len(self.warnings):{spec}} skipped"
        )
        if self.notes:
            text += f", {len(self.notes):{spec}} note{'' if len(self.notes) == 1 else 's'}"
        return text


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
