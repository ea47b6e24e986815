"""Writing one paper's rows: paper, ordered authors, tags, notes, files, and its citation key."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from storage.database import inserted_id
from storage.highlights.rows import link_to_files, note_row, reading_row
from storage.identity import IdentityIndex, work_key
from storage.metadata import citation_key_for
from storage.models import AUTHOR, NOTE, PAPER, PAPER_FILE, PAPER_TAG, READING, TAG, as_utc, utcnow
from storage.records import (
    STATUSES,
    AuthorRecord,
    PaperRecord,
    normalize_arxiv,
    normalize_doi,
    normalize_tag,
    normalize_title,
)


def authors_text(authors: Iterable[AuthorRecord]) -> str:
    return ", ".join(a.display for a in authors if a.display)


class TagCache:
    """Tag name (case-insensitive) to id, creating tags on first use."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.ids = {
            name.casefold(): tid for tid, name in conn.execute(select(TAG.c.id, TAG.c.name))
        }

    def id_for(self, name: str) -> int:
        folded = name.casefold()
        if folded not in self.ids:
            result = self.conn.execute(insert(TAG).values(name=name))
            self.ids[folded] = inserted_id(result)
        return self.ids[folded]


def add_tags(conn: Connection, tags: TagCache, paper_id: int, names: Iterable[str]) -> list[str]:
    """Attach tags to a paper; returns the names that were new to it (truthy when any)."""
    added: list[str] = []
    for raw in names:
        name = normalize_tag(raw)
        if not name:
            continue
        result = conn.execute(
            insert(PAPER_TAG)
            .prefix_with("OR IGNORE")
            .values(paper_id=paper_id, tag_id=tags.id_for(name))
        )
        if result.rowcount > 0:
            added.append(name)
    return added


def author_rows(paper_id: int, authors: list[AuthorRecord]) -> list[dict[str, object]]:
    return [
        {
            "paper_id": paper_id,
            "position": i,
            "family": a.family,
            "given": a.given,
            "literal": a.literal,
        }
        for i, a in enumerate(authors)
    ]


def insert_authors(conn: Connection, paper_id: int, authors: list[AuthorRecord]) -> None:
    if authors:
        conn.execute(insert(AUTHOR), author_rows(paper_id, authors))


def insert_notes(conn: Connection, paper_id: int, record: PaperRecord) -> list[int]:
    """Add the record's notes the paper does not have yet (same body and quote, or the same
    imported annotation), counting copies: a note written twice is kept twice, and a
    re-import adds nothing. Returns the ids of the notes added."""
    existing: Counter[tuple[str, str | None]] = Counter()
    sources: set[str] = set()
    for body, quote, source in conn.execute(
        select(NOTE.c.body, NOTE.c.quote, NOTE.c.source_key).where(NOTE.c.paper_id == paper_id)
    ):
        existing[(body, quote)] += 1
        if source:
            sources.add(source)
    added: list[int] = []
    for note in record.notes:
        if not note.body.strip() and not note.quote:
            continue
        if note.source_key and note.source_key in sources:
            continue
        if existing[(note.body, note.quote)] > 0:
            existing[(note.body, note.quote)] -= 1
            continue
        result = conn.execute(insert(NOTE).values(**note_row(paper_id, note, utcnow())))
        added.append(inserted_id(result))
        if note.source_key:
            sources.add(note.source_key)
    if added:
        link_to_files(conn, [paper_id])
    return added


def clean_status(status: str | None) -> str | None:
    return status if status in STATUSES else None


def clean_rating(rating: int | None) -> int | None:
    return rating if isinstance(rating, int) and 0 <= rating <= 5 else None


def fillable_values(record: PaperRecord) -> dict[str, object]:
    """The record's values for the columns a duplicate may fill, normalised as stored."""
    return {
        "year": record.year,
        "venue": record.venue,
        "abstract": record.abstract,
        "doi": normalize_doi(record.doi),
        "arxiv_id": normalize_arxiv(record.arxiv_id),
        "url": record.url,
        "code_url": record.code_url,
        "entry_type": record.entry_type,
    }


def paper_values(record: PaperRecord, identity: IdentityIndex) -> dict[str, object]:
    """The paper row of a new record (no id); picks a unique citation key and remembers it."""
    now = utcnow()
    key = record.citation_key
    generated = not key or key.casefold() in identity.keys
    if generated:
        key = citation_key_for(record, identity.keys)
    identity.keys.add(key.casefold())  # type: ignore[union-attr]
    return {
        "title": record.title.strip(),
        "title_key": normalize_title(record.title),
        "authors_text": authors_text(record.authors),
        **fillable_values(record),
        "citation_key": key,
        "key_generated": generated,
        "extra_json": json.dumps(record.extra, ensure_ascii=False) if record.extra else None,
        "status": clean_status(record.status) or "unread",
        "rating": clean_rating(record.rating) or 0,
        "added_at": as_utc(record.added_at) or now,
        "updated_at": as_utc(record.updated_at) or now,
    }


def remember_new(
    identity: IdentityIndex, pid: int, record: PaperRecord, values: dict[str, object]
) -> None:
    """A new paper: later records of the import find it by its keys and its citation key."""
    identity.remember(pid, work_key(record), values["citation_key"])  # type: ignore[arg-type]


def file_rows(paper_id: int, record: PaperRecord) -> list[dict[str, object]]:
    """Rows for the files a record names, `pending` until their text is read again (the
    Library re-links those whose bytes are in files/ and drops the others)."""
    seen: set[str] = set()
    rows = []
    for item in record.files:
        if item.sha256 in seen:
            continue
        seen.add(item.sha256)
        rows.append(
            {
                "paper_id": paper_id,
                "sha256": item.sha256,
                "name": item.name,
                "bytes": item.bytes,
                "pages": item.pages,
                "text_status": "pending",
                "reason": None,
                "added_at": utcnow(),
            }
        )
    return rows


def insert_paper(
    conn: Connection,
    record: PaperRecord,
    identity: IdentityIndex,
    tags: TagCache,
    extra_tags: list[str],
    paper_id: int | None = None,
) -> int:
    """Insert a new paper with its authors, tags and notes (paper_id: keep an old id, for undo)."""
    values = paper_values(record, identity)
    if paper_id is not None:
        values["id"] = paper_id
    pid = inserted_id(conn.execute(insert(PAPER).values(**values)))
    remember_new(identity, pid, record, values)
    insert_authors(conn, pid, record.authors)
    add_tags(conn, tags, pid, [*record.tags, *extra_tags])
    if files := file_rows(pid, record):
        conn.execute(insert(PAPER_FILE), files)
    insert_notes(conn, pid, record)
    if record.reading is not None:
        conn.execute(insert(READING).values(**reading_row(pid, record.reading, utcnow())))
        link_to_files(conn, [pid])
    return pid
