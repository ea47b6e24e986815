"""Storing parsed records: dedupe by DOI, arXiv id, then title; merge, never overwrite."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from storage.models import (
    AUTHOR,
    LIST,
    LIST_ITEM,
    NOTE,
    PAPER,
    PAPER_TAG,
    TAG,
    as_utc,
    utcnow,
)
from storage.records import (
    STATUSES,
    AuthorRecord,
    NoteRecord,
    PaperRecord,
    ParseResult,
    normalize_arxiv,
    normalize_doi,
    normalize_tag,
    normalize_title,
)
from storage.views import ImportReport

# Fields a duplicate may fill when the stored paper has them empty.
FILLABLE = ("year", "venue", "abstract", "doi", "arxiv_id", "url", "code_url", "entry_type")

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ImportCancelled(Exception):
    """The user cancelled; the transaction is rolled back and the library is as it was."""


def authors_text(authors: Iterable[AuthorRecord]) -> str:
    return ", ".join(a.display for a in authors if a.display)


_KEY_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "is", "are", "towards"}


def citation_key_for(record: PaperRecord, taken: set[str]) -> str:
    """A readable unique key: family name, year, first significant title word (ascii)."""

    def ascii_words(text: str) -> list[str]:
        flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        return _KEY_WORD.findall(flat)

    first = record.authors[0] if record.authors else None
    family = ascii_words((first.family or first.literal or "") if first else "")
    words = [w for w in ascii_words(record.title) if w not in _STOP] or ["paper"]
    base = (family[-1] if family else "") + (str(record.year) if record.year else "") + words[0]
    base = base[:40] or "paper"
    key, suffix = base, 0
    while key.casefold() in taken:
        suffix += 1
        key = base + (chr(ord("a") + suffix - 1) if suffix <= 26 else str(suffix))
    taken.add(key.casefold())
    return key


@dataclass
class IdentityIndex:
    """In-memory maps from the dedupe keys to paper ids, loaded once per import."""

    by_doi: dict[str, int] = field(default_factory=dict)
    by_arxiv: dict[str, int] = field(default_factory=dict)
    by_title: dict[str, int] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, conn: Connection) -> IdentityIndex:
        index = cls()
        rows = conn.execute(
            select(
                PAPER.c.id, PAPER.c.doi, PAPER.c.arxiv_id, PAPER.c.title_key, PAPER.c.citation_key
            )
        )
        for pid, doi, arxiv, title_key, key in rows:
            index.remember(pid, doi, arxiv, title_key, key)
        return index

    def remember(
        self, pid: int, doi: str | None, arxiv: str | None, title_key: str, key: str | None
    ) -> None:
        if doi:
            self.by_doi.setdefault(doi, pid)
        if arxiv:
            self.by_arxiv.setdefault(arxiv, pid)
        if title_key:
            self.by_title.setdefault(title_key, pid)
        if key:
            self.keys.add(key.casefold())

    def find(self, doi: str | None, arxiv: str | None, title_key: str) -> int | None:
        if doi and doi in self.by_doi:
            return self.by_doi[doi]
        if arxiv and arxiv in self.by_arxiv:
            return self.by_arxiv[arxiv]
        if title_key and title_key in self.by_title:
            return self.by_title[title_key]
        return None


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
            self.ids[folded] = int(result.inserted_primary_key[0])
        return self.ids[folded]


def add_tags(conn: Connection, tags: TagCache, paper_id: int, names: Iterable[str]) -> bool:
    """Attach tags to a paper; True when any was new to it."""
    added = False
    for raw in names:
        name = normalize_tag(raw)
        if not name:
            continue
        result = conn.execute(
            insert(PAPER_TAG)
            .prefix_with("OR IGNORE")
            .values(paper_id=paper_id, tag_id=tags.id_for(name))
        )
        added = added or result.rowcount > 0
    return added


def _author_rows(paper_id: int, authors: list[AuthorRecord]) -> list[dict[str, object]]:
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


def _insert_authors(conn: Connection, paper_id: int, authors: list[AuthorRecord]) -> None:
    if authors:
        conn.execute(insert(AUTHOR), _author_rows(paper_id, authors))


def _note_row(paper_id: int, note: NoteRecord, now: datetime) -> dict[str, object]:
    return {
        "paper_id": paper_id,
        "body": note.body,
        "quote": note.quote,
        "page": note.page,
        "created_at": as_utc(note.created_at) or now,
        "updated_at": as_utc(note.updated_at) or now,
    }


def _insert_notes(conn: Connection, paper_id: int, record: PaperRecord) -> bool:
    """Add the record's notes the paper does not have yet (same body and quote), counting
    copies: a note written twice is kept twice, and a re-import adds nothing."""
    existing = Counter(
        (body, quote)
        for body, quote in conn.execute(
            select(NOTE.c.body, NOTE.c.quote).where(NOTE.c.paper_id == paper_id)
        )
    )
    added = False
    for note in record.notes:
        if not note.body.strip() and not note.quote:
            continue
        if existing[(note.body, note.quote)] > 0:
            existing[(note.body, note.quote)] -= 1
            continue
        conn.execute(insert(NOTE).values(**_note_row(paper_id, note, utcnow())))
        added = True
    return added


def _clean_status(status: str | None) -> str | None:
    return status if status in STATUSES else None


def _clean_rating(rating: int | None) -> int | None:
    return rating if isinstance(rating, int) and 0 <= rating <= 5 else None


def _paper_values(record: PaperRecord, identity: IdentityIndex) -> dict[str, object]:
    """The paper row of a new record (no id); picks a unique citation key and remembers it."""
    now = utcnow()
    key = record.citation_key
    if not key or key.casefold() in identity.keys:
        key = citation_key_for(record, identity.keys)
    identity.keys.add(key.casefold())
    return {
        "title": record.title.strip(),
        "title_key": normalize_title(record.title),
        "authors_text": authors_text(record.authors),
        "year": record.year,
        "venue": record.venue,
        "abstract": record.abstract,
        "doi": normalize_doi(record.doi),
        "arxiv_id": normalize_arxiv(record.arxiv_id),
        "url": record.url,
        "code_url": record.code_url,
        "citation_key": key,
        "entry_type": record.entry_type,
        "extra_json": json.dumps(record.extra, ensure_ascii=False) if record.extra else None,
        "status": _clean_status(record.status) or "unread",
        "rating": _clean_rating(record.rating) or 0,
        "added_at": as_utc(record.added_at) or now,
        "updated_at": as_utc(record.updated_at) or now,
    }


def _remember_new(identity: IdentityIndex, pid: int, values: dict[str, object]) -> None:
    identity.remember(
        pid,
        values["doi"],  # type: ignore[arg-type]
        values["arxiv_id"],  # type: ignore[arg-type]
        values["title_key"],  # type: ignore[arg-type]
        values["citation_key"],  # type: ignore[arg-type]
    )


def insert_paper(
    conn: Connection,
    record: PaperRecord,
    identity: IdentityIndex,
    tags: TagCache,
    extra_tags: list[str],
    paper_id: int | None = None,
) -> int:
    """Insert a new paper with its authors, tags and notes (paper_id: keep an old id, for undo)."""
    values = _paper_values(record, identity)
    if paper_id is not None:
        values["id"] = paper_id
    pid = int(conn.execute(insert(PAPER).values(**values)).inserted_primary_key[0])
    _remember_new(identity, pid, values)
    _insert_authors(conn, pid, record.authors)
    add_tags(conn, tags, pid, [*record.tags, *extra_tags])
    _insert_notes(conn, pid, record)
    return pid


class NewPapers:
    """The new papers of one import, inserted a few thousand at a time (executemany).

    The first one is inserted at once: that takes SQLite's write lock for the rest of the
    transaction, so the ids that follow its own (SQLite gives max(id) + 1) stay free and are
    handed out here. A paper waiting in the batch is flushed before anything merges into it.
    """

    BATCH = 2000

    def __init__(self, conn: Connection, tags: TagCache) -> None:
        self.conn = conn
        self.tags = tags
        self.next_id: int | None = None
        self.pending: set[int] = set()
        self.papers: list[dict[str, object]] = []
        self.authors: list[dict[str, object]] = []
        self.links: list[dict[str, int]] = []
        self.notes: list[dict[str, object]] = []

    def add(self, record: PaperRecord, identity: IdentityIndex, extra_tags: list[str]) -> int:
        values = _paper_values(record, identity)
        if self.next_id is None:
            pid = int(self.conn.execute(insert(PAPER).values(**values)).inserted_primary_key[0])
            self.next_id = pid + 1
        else:
            pid = self.next_id
            self.next_id += 1
            values["id"] = pid
            self.papers.append(values)
        self.pending.add(pid)
        _remember_new(identity, pid, values)
        self.authors.extend(_author_rows(pid, record.authors))
        tag_ids = {
            self.tags.id_for(name)
            for name in (normalize_tag(raw) for raw in [*record.tags, *extra_tags])
            if name
        }
        self.links.extend({"paper_id": pid, "tag_id": tid} for tid in sorted(tag_ids))
        now = utcnow()
        self.notes.extend(
            _note_row(pid, note, now) for note in record.notes if note.body.strip() or note.quote
        )
        if len(self.pending) >= self.BATCH:
            self.flush()
        return pid

    def flush(self) -> None:
        """Write every waiting paper (with its authors, tags and notes)."""
        for table, rows in (
            (insert(PAPER), self.papers),
            (insert(AUTHOR), self.authors),
            (insert(PAPER_TAG).prefix_with("OR IGNORE"), self.links),
            (insert(NOTE), self.notes),
        ):
            if rows:
                self.conn.execute(table, rows)
                rows.clear()
        self.pending.clear()


def merge_paper(
    conn: Connection, pid: int, record: PaperRecord, tags: TagCache, extra_tags: list[str]
) -> bool:
    """Fill what the stored paper lacks; never overwrite. True when anything changed."""
    row = conn.execute(select(PAPER).where(PAPER.c.id == pid)).mappings().one()
    incoming = {
        "year": record.year,
        "venue": record.venue,
        "abstract": record.abstract,
        "doi": normalize_doi(record.doi),
        "arxiv_id": normalize_arxiv(record.arxiv_id),
        "url": record.url,
        "code_url": record.code_url,
        "entry_type": record.entry_type,
    }
    values: dict[str, object] = {
        name: incoming[name] for name in FILLABLE if row[name] in (None, "") and incoming[name]
    }
    if row["status"] == "unread" and _clean_status(record.status) not in (None, "unread"):
        values["status"] = record.status
    if not row["rating"] and _clean_rating(record.rating):
        values["rating"] = record.rating
    if record.extra:
        stored = json.loads(row["extra_json"]) if row["extra_json"] else {}
        merged = {**record.extra, **stored}
        if merged != stored:
            values["extra_json"] = json.dumps(merged, ensure_ascii=False)
    has_authors = conn.execute(select(AUTHOR.c.position).where(AUTHOR.c.paper_id == pid).limit(1))
    if record.authors and has_authors.first() is None:
        _insert_authors(conn, pid, record.authors)
        values["authors_text"] = authors_text(record.authors)
    changed = add_tags(conn, tags, pid, [*record.tags, *extra_tags])
    changed = _insert_notes(conn, pid, record) or changed
    if values or changed:
        values["updated_at"] = utcnow()
        conn.execute(update(PAPER).where(PAPER.c.id == pid).values(**values))
        return True
    return False


def ensure_list(
    conn: Connection, name: str, description: str | None = None, created_at: datetime | None = None
) -> int:
    found = conn.execute(select(LIST.c.id).where(LIST.c.name == name)).scalar()
    if found is not None:
        return int(found)
    when = {"created_at": as_utc(created_at)} if created_at else {}
    result = conn.execute(insert(LIST).values(name=name, description=description, **when))
    return int(result.inserted_primary_key[0])


def append_to_list(
    conn: Connection, list_id: int, entries: Iterable[tuple[int, str | None]]
) -> bool:
    """Append papers (with entry notes) that are not in the list yet; True when any was added."""
    present = {
        pid
        for (pid,) in conn.execute(
            select(LIST_ITEM.c.paper_id).where(LIST_ITEM.c.list_id == list_id)
        )
    }
    last = conn.execute(
        select(LIST_ITEM.c.position)
        .where(LIST_ITEM.c.list_id == list_id)
        .order_by(LIST_ITEM.c.position.desc())
        .limit(1)
    ).scalar()
    position = -1 if last is None else int(last)
    added = False
    for pid, note in entries:
        if pid in present:
            continue
        position += 1
        conn.execute(
            insert(LIST_ITEM).values(list_id=list_id, paper_id=pid, position=position, note=note)
        )
        present.add(pid)
        added = True
    if added:
        conn.execute(update(LIST).where(LIST.c.id == list_id).values(updated_at=utcnow()))
    return added


def _remember_filled_ids(conn: Connection, identity: IdentityIndex, pid: int) -> None:
    """A merge may have filled the DOI or arXiv id: later records must find the paper by them."""
    doi, arxiv = conn.execute(select(PAPER.c.doi, PAPER.c.arxiv_id).where(PAPER.c.id == pid)).one()
    identity.remember(pid, doi, arxiv, "", None)


def store_parse_result(
    conn: Connection,
    result: ParseResult,
    report: ImportReport,
    *,
    extra_tags: list[str],
    list_name: str | None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> None:
    """Insert or merge every record of one file (the caller owns the transaction)."""
    identity = IdentityIndex.load(conn)
    tags = TagCache(conn)
    new_papers = NewPapers(conn, tags)
    total = len(result.records)
    paper_ids: list[int] = []
    # The project's own JSON holds distinct papers by construction: its records never merge
    # with one another (a backup gives back every paper), only into papers already stored.
    own_backup = report.format == "json"
    fresh: set[int] = set()  # papers this file created
    merged: set[int] = set()
    for done, record in enumerate(result.records, start=1):
        if cancel is not None and done % 50 == 1 and cancel():
            raise ImportCancelled(report.source)
        title_key = normalize_title(record.title)
        pid = identity.find(normalize_doi(record.doi), normalize_arxiv(record.arxiv_id), title_key)
        if own_backup and pid in fresh:
            pid = None
        if pid is None:
            pid = new_papers.add(record, identity, extra_tags)
            report.new_ids.append(pid)
            fresh.add(pid)
        else:
            if pid in new_papers.pending:
                new_papers.flush()
            if pid in fresh or pid in merged:
                merge_paper(conn, pid, record, tags, extra_tags)
                _remember_filled_ids(conn, identity, pid)
            elif merge_paper(conn, pid, record, tags, extra_tags):
                report.merged_ids.append(pid)
                merged.add(pid)
                _remember_filled_ids(conn, identity, pid)
            else:
                report.unchanged_ids.append(pid)
        paper_ids.append(pid)
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    new_papers.flush()
    if cancel is not None and cancel():  # a cancel that came during the last records
        raise ImportCancelled(report.source)
    for list_record in result.lists:
        list_id = ensure_list(
            conn, list_record.name, list_record.description, list_record.created_at
        )
        entries = [
            (paper_ids[e.record_index], e.note)
            for e in list_record.entries
            if 0 <= e.record_index < len(paper_ids)
        ]
        if append_to_list(conn, list_id, entries):
            report.lists.append(list_record.name)
    if list_name:
        list_id = ensure_list(conn, list_name)
        if append_to_list(conn, list_id, [(pid, None) for pid in dict.fromkeys(paper_ids)]):
            report.lists.append(list_name)
