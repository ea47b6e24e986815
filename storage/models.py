"""SQLModel tables.

Papers, ordered authors, tags, notes, reading lists, import batches, files, the Inbox,
suggestion rejections and smart lists."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Index, String, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, aware and in UTC, to the second (what the store keeps)."""
    return datetime.now(UTC).replace(microsecond=0)


def as_utc(moment: datetime | None) -> datetime | None:
    """An aware UTC time; a naive one (from a file) is taken to be UTC already."""
    if moment is None:
        return None
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Paper(SQLModel, table=True):
    __tablename__ = "paper"
    __table_args__ = (
        Index("ix_paper_doi", "doi"),
        Index("ix_paper_arxiv_id", "arxiv_id"),
        Index("ix_paper_title_key", "title_key"),
        Index("ix_paper_citation_key", "citation_key"),
        Index("ix_paper_added_at", "added_at"),
        Index("ix_paper_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str
    title_key: str = ""  # normalize_title(title), for dedupe
    authors_text: str = ""  # "Given Family, Given Family", kept in step for display and sorting
    year: int | None = None
    venue: str | None = None
    abstract: str | None = Field(default=None, sa_column=Column(Text))
    doi: str | None = None  # normalised: lower case, no resolver prefix
    arxiv_id: str | None = None  # normalised: no version suffix
    url: str | None = None
    code_url: str | None = None
    citation_key: str | None = None
    # True when Papershelf made the key up (a merge may then remake it); a key the user set or
    # a file brought is never changed.
    key_generated: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    entry_type: str | None = None
    extra_json: str | None = None  # other fields a file carried (volume, pages, ...) as JSON
    status: str = "unread"
    rating: int = 0
    added_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PaperAuthor(SQLModel, table=True):
    __tablename__ = "paper_author"

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    family: str | None = None
    given: str | None = None
    literal: str | None = None


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(collation="NOCASE"), unique=True, nullable=False))


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"
    __table_args__ = (Index("ix_paper_tag_tag", "tag_id", "paper_id"),)

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class Note(SQLModel, table=True):
    """A Markdown note; a highlight when it has a position (rects) on a page of a file."""

    __tablename__ = "note"
    __table_args__ = (
        Index("ix_note_paper", "paper_id"),
        Index("ix_note_file", "file_id"),
        # a PDF annotation imported into a paper once (re-imports and re-attaches find it)
        Index("ux_note_source", "paper_id", "source_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    body: str = Field(default="", sa_column=Column(Text, nullable=False))  # Markdown (comment)
    quote: str | None = Field(default=None, sa_column=Column(Text))
    page: int | None = None  # page number from 1
    page_label: str | None = None  # a page written as no number ("iv", "12-13")
    # The file a highlight is on. SET NULL: detaching a file keeps what the user wrote; the
    # SHA-256 stays so that attaching the same bytes again puts the highlight back.
    file_id: int | None = Field(default=None, foreign_key="paper_file.id", ondelete="SET NULL")
    file_sha256: str | None = None
    color: str | None = None  # a name of storage.highlights.COLORS
    rects: str | None = Field(default=None, sa_column=Column(Text))  # JSON [[x0,y0,x1,y1],...]
    source_key: str | None = None  # identity of an annotation imported from the PDF
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ReadingList(SQLModel, table=True):
    __tablename__ = "reading_list"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(collation="NOCASE"), unique=True, nullable=False))
    description: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ListItem(SQLModel, table=True):
    __tablename__ = "list_item"
    __table_args__ = (
        Index("ix_list_item_position", "list_id", "position"),
        Index("ix_list_item_paper", "paper_id"),
    )

    list_id: int = Field(foreign_key="reading_list.id", primary_key=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    position: int
    note: str | None = Field(default=None, sa_column=Column(Text))
    added_at: datetime = Field(default_factory=utcnow)


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    source: str
    format: str
    started_at: datetime = Field(default_factory=utcnow)
    new_count: int = 0
    merged_count: int = 0
    skipped_count: int = 0


class IndexQueue(SQLModel, table=True):
    """Papers whose search documents are out of date; written in the same transaction as the
    change, emptied once the Whoosh index has caught up. Left-over rows are replayed at open."""

    __tablename__ = "index_queue"

    paper_id: int = Field(primary_key=True)


class PaperMerge(SQLModel, table=True):
    """One record absorbed into a paper on import: the record as it came and what it filled,
    so that the merge can be split back off (Library.split)."""

    __tablename__ = "paper_merge"
    __table_args__ = (Index("ix_paper_merge_paper", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")  # the survivor
    source: str = ""
    line: int | None = None
    rule: str = ""  # doi | arxiv | title
    record_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    filled_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    merged_at: datetime = Field(default_factory=utcnow)
    split_paper_id: int | None = None  # the paper it became when split off
    split_at: datetime | None = None


class MergeBlock(SQLModel, table=True):
    """A record (by its work-key fingerprint) that must not merge into a paper again."""

    __tablename__ = "merge_block"

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    fingerprint: str = Field(primary_key=True)


class PaperFile(SQLModel, table=True):
    """A file (a PDF) attached to a paper: stored once under files/ by its SHA-256."""

    __tablename__ = "paper_file"
    __table_args__ = (
        UniqueConstraint("paper_id", "sha256", name="uq_paper_file_sha"),
        Index("ix_paper_file_sha256", "sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    sha256: str
    name: str  # the original file name, for display
    bytes: int = 0
    pages: int = 0
    text_status: str = "pending"  # indexed | no-text | failed | pending
    reason: str | None = Field(default=None, sa_column=Column(Text))
    added_at: datetime = Field(default_factory=utcnow)


class FilePage(SQLModel, table=True):
    """The text of one page of a file (page numbers from 1): the source of truth for search."""

    __tablename__ = "file_page"

    file_id: int = Field(foreign_key="paper_file.id", primary_key=True, ondelete="CASCADE")
    page: int = Field(primary_key=True)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))


class ReadingPosition(SQLModel, table=True):
    """Where the reader was in a paper's PDF, to reopen it there (file by id and SHA-256)."""

    __tablename__ = "reading_position"

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    file_id: int | None = Field(default=None, foreign_key="paper_file.id", ondelete="SET NULL")
    file_sha256: str | None = None
    page: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class InboxItem(SQLModel, table=True):
    """A paper waiting in the Inbox: created by an import (batch) and not triaged yet."""

    __tablename__ = "inbox_item"
    __table_args__ = (Index("ix_inbox_item_batch", "batch_id", "paper_id"),)

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    batch_id: int | None = None  # the import_batch that created the paper
    added_at: datetime = Field(default_factory=utcnow)


class TagRejection(SQLModel, table=True):
    """A paper the user turned down as a suggestion for a tag: never suggested for it again."""

    __tablename__ = "tag_rejection"

    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    rejected_at: datetime = Field(default_factory=utcnow)


class ListRejection(SQLModel, table=True):
    """A paper the user turned down as a suggestion for a reading list."""

    __tablename__ = "list_rejection"

    list_id: int = Field(foreign_key="reading_list.id", primary_key=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    rejected_at: datetime = Field(default_factory=utcnow)


class SmartList(SQLModel, table=True):
    """A saved search: a query, optionally within a sidebar scope (a status, tag or list)."""

    __tablename__ = "smart_list"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(collation="NOCASE"), unique=True, nullable=False))
    query: str = Field(default="", sa_column=Column(Text, nullable=False))
    scope_kind: str | None = None  # status | tag | list
    scope_value: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


def _table(model: type[SQLModel]) -> Table:
    """The Core table SQLModel built for a `table=True` model (its stubs do not declare it)."""
    table = vars(model)["__table__"]
    assert isinstance(table, Table)
    return table


# Core table handles for bulk SQL (the store uses SQLAlchemy Core on these for speed).
PAPER = _table(Paper)
AUTHOR = _table(PaperAuthor)
TAG = _table(Tag)
PAPER_TAG = _table(PaperTag)
NOTE = _table(Note)
LIST = _table(ReadingList)
LIST_ITEM = _table(ListItem)
IMPORT_BATCH = _table(ImportBatch)
QUEUE = _table(IndexQueue)
PAPER_MERGE = _table(PaperMerge)
MERGE_BLOCK = _table(MergeBlock)
PAPER_FILE = _table(PaperFile)
FILE_PAGE = _table(FilePage)
READING = _table(ReadingPosition)
INBOX = _table(InboxItem)
TAG_REJECTION = _table(TagRejection)
LIST_REJECTION = _table(ListRejection)
SMART_LIST = _table(SmartList)
