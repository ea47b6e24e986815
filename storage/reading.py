"""Read queries: table rows, paper details, counts, lists and search documents, in bulk."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from storage.highlights.rows import note_record, notes_of, positions_by_paper
from storage.models import (
    AUTHOR,
    FILE_PAGE,
    INBOX,
    LIST,
    LIST_ITEM,
    NOTE,
    PAPER,
    PAPER_FILE,
    PAPER_TAG,
    TAG,
)
from storage.records import (
    AuthorRecord,
    FileRecord,
    ListEntryRecord,
    ListRecord,
    PaperRecord,
)
from storage.search import IndexDoc
from storage.views import (
    ListDetail,
    ListEntry,
    ListSummary,
    NoteView,
    PaperDetail,
    PaperRow,
    Stats,
    TagCount,
)

CHUNK = 500  # ids per IN (...) clause, well under SQLite's variable limit

SORT_COLUMNS = {
    "title": PAPER.c.title_key,
    "authors": PAPER.c.authors_text,
    "year": PAPER.c.year,
    "status": PAPER.c.status,
    "rating": PAPER.c.rating,
    "added": PAPER.c.added_at,
    "updated": PAPER.c.updated_at,
    "venue": PAPER.c.venue,
}


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def tags_by_paper(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for part in chunks(ids):
        rows = conn.execute(
            select(PAPER_TAG.c.paper_id, TAG.c.name)
            .join(TAG, TAG.c.id == PAPER_TAG.c.tag_id)
            .where(PAPER_TAG.c.paper_id.in_(part))
            .order_by(TAG.c.name)
        )
        for pid, name in rows:
            found[pid].append(name)
    return found


def authors_by_paper(conn: Connection, ids: Sequence[int]) -> dict[int, list[AuthorRecord]]:
    found: dict[int, list[AuthorRecord]] = defaultdict(list)
    for part in chunks(ids):
        rows = conn.execute(
            select(AUTHOR.c.paper_id, AUTHOR.c.family, AUTHOR.c.given, AUTHOR.c.literal)
            .where(AUTHOR.c.paper_id.in_(part))
            .order_by(AUTHOR.c.paper_id, AUTHOR.c.position)
        )
        for pid, family, given, literal in rows:
            found[pid].append(AuthorRecord(family=family, given=given, literal=literal))
    return found


def notes_by_paper(conn: Connection, ids: Sequence[int]) -> dict[int, list[NoteView]]:
    return notes_of(conn, ids)


def paper_rows(conn: Connection, ids: Sequence[int]) -> dict[int, PaperRow]:
    """Table rows for the given ids (missing ids are simply absent)."""
    ids = list(ids)
    tags = tags_by_paper(conn, ids)
    rows: dict[int, PaperRow] = {}
    columns = (
        PAPER.c.id,
        PAPER.c.title,
        PAPER.c.authors_text,
        PAPER.c.year,
        PAPER.c.venue,
        PAPER.c.status,
        PAPER.c.rating,
        PAPER.c.added_at,
    )
    for part in chunks(ids):
        for pid, title, authors, year, venue, status, rating, added in conn.execute(
            select(*columns).where(PAPER.c.id.in_(part))
        ):
            rows[pid] = PaperRow(
                pid, title, authors, year, venue, tuple(tags.get(pid, ())), status, rating, added
            )
    return rows


# Columns that PaperDetail and PaperRecord take as they are stored.
PAPER_FIELDS = (
    "title",
    "year",
    "venue",
    "abstract",
    "doi",
    "arxiv_id",
    "url",
    "code_url",
    "citation_key",
    "entry_type",
    "status",
    "rating",
    "added_at",
    "updated_at",
)


def resolve_ref(conn: Connection, ref: str | int) -> int | None:
    """A paper id from a numeric id or a citation key (case-insensitive); None if neither."""
    text = str(ref).strip()
    if text.isdigit():
        found = conn.execute(select(PAPER.c.id).where(PAPER.c.id == int(text))).scalar()
        if found is not None:
            return int(found)
    key = conn.execute(
        select(PAPER.c.id).where(PAPER.c.citation_key.collate("NOCASE") == text)
    ).scalar()
    return None if key is None else int(key)


def paper_detail(conn: Connection, pid: int) -> PaperDetail | None:
    row = conn.execute(select(PAPER).where(PAPER.c.id == pid)).mappings().first()
    if row is None:
        return None
    lists = conn.execute(
        select(LIST.c.name)
        .join(LIST_ITEM, LIST_ITEM.c.list_id == LIST.c.id)
        .where(LIST_ITEM.c.paper_id == pid)
        .order_by(LIST.c.name)
    ).scalars()
    return PaperDetail(
        id=pid,
        **{name: row[name] for name in PAPER_FIELDS},
        authors=tuple(a.display for a in authors_by_paper(conn, [pid]).get(pid, [])),
        tags=tuple(tags_by_paper(conn, [pid]).get(pid, ())),
        notes=tuple(notes_by_paper(conn, [pid]).get(pid, ())),
        lists=tuple(lists),
    )


def files_by_paper(conn: Connection, ids: Sequence[int]) -> dict[int, list[FileRecord]]:
    found: dict[int, list[FileRecord]] = {}
    for part in chunks(ids):
        for row in conn.execute(
            select(PAPER_FILE).where(PAPER_FILE.c.paper_id.in_(part)).order_by(PAPER_FILE.c.id)
        ):
            found.setdefault(row.paper_id, []).append(
                FileRecord(row.name, row.sha256, row.pages, row.text_status, row.bytes)
            )
    return found


def paper_records(conn: Connection, ids: Sequence[int]) -> list[PaperRecord]:
    """Full records (notes, tags, times, file records) in the order of ids, for export and
    undo."""
    ids = list(ids)
    files = files_by_paper(conn, ids)
    authors, tags, notes = (
        authors_by_paper(conn, ids),
        tags_by_paper(conn, ids),
        notes_by_paper(conn, ids),
    )
    reading = positions_by_paper(conn, ids)
    by_id: dict[int, PaperRecord] = {}
    for part in chunks(ids):
        for row in conn.execute(select(PAPER).where(PAPER.c.id.in_(part))).mappings():
            pid = row["id"]
            by_id[pid] = PaperRecord(
                **{name: row[name] for name in PAPER_FIELDS},
                authors=authors.get(pid, []),
                extra=json.loads(row["extra_json"]) if row["extra_json"] else {},
                tags=tags.get(pid, []),
                files=files.get(pid, []),
                notes=[note_record(n) for n in notes.get(pid, [])],
                reading=reading.get(pid),
            )
    return [by_id[pid] for pid in ids if pid in by_id]


def pages_by_paper(conn: Connection, ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """(page number, text) of every readable page of the papers' files, file by file."""
    found: dict[int, list[tuple[int, str]]] = {}
    for part in chunks(ids):
        rows = conn.execute(
            select(PAPER_FILE.c.paper_id, FILE_PAGE.c.page, FILE_PAGE.c.text)
            .join(FILE_PAGE, FILE_PAGE.c.file_id == PAPER_FILE.c.id)
            .where(PAPER_FILE.c.paper_id.in_(part))
            .order_by(PAPER_FILE.c.paper_id, PAPER_FILE.c.id, FILE_PAGE.c.page)
        )
        for pid, page, text in rows:
            found.setdefault(pid, []).append((page, text))
    return found


def index_docs(conn: Connection, ids: Iterable[int]) -> list[IndexDoc]:
    """Search documents for the given papers (ids that no longer exist are left out)."""
    ids = list(ids)
    pages = pages_by_paper(conn, ids)
    authors, tags, notes = (
        authors_by_paper(conn, ids),
        tags_by_paper(conn, ids),
        notes_by_paper(conn, ids),
    )
    docs = []
    columns = (
        PAPER.c.id,
        PAPER.c.title,
        PAPER.c.abstract,
        PAPER.c.venue,
        PAPER.c.year,
        PAPER.c.status,
        PAPER.c.doi,
        PAPER.c.arxiv_id,
    )
    for part in chunks(ids):
        for pid, title, abstract, venue, year, status, doi, arxiv in conn.execute(
            select(*columns).where(PAPER.c.id.in_(part))
        ):
            docs.append(
                IndexDoc(
                    id=pid,
                    title=title,
                    authors=[a.display for a in authors.get(pid, [])],
                    abstract=abstract,
                    venue=venue,
                    year=year,
                    status=status,
                    tags=tags.get(pid, []),
                    notes=[
                        n.body + ("\n" + n.quote if n.quote else "") for n in notes.get(pid, [])
                    ],
                    doi=doi,
                    arxiv_id=arxiv,
                    pages=[text for _page, text in pages.get(pid, ())],
                )
            )
    return docs


def search_texts(
    conn: Connection, ids: list[int], pages: Callable[[int], object] | None = None
) -> dict[int, dict[str, object]]:
    """Original text per field, so the index can highlight without storing it; "pages" holds
    (page number, text) of the paper's files, or with `pages` a call that reads them later
    (most hits take their snippet from the abstract: 15 pages each need not be read)."""
    notes = notes_by_paper(conn, ids)
    eager = pages_by_paper(conn, ids) if pages is None else {}
    texts: dict[int, dict[str, object]] = {}
    for part in chunks(ids):
        for pid, title, abstract in conn.execute(
            select(PAPER.c.id, PAPER.c.title, PAPER.c.abstract).where(PAPER.c.id.in_(part))
        ):
            texts[pid] = {
                "title": title,
                "abstract": abstract or "",
                "note": "\n\n".join(n.body for n in notes.get(pid, [])),
                "pages": eager.get(pid, []) if pages is None else functools.partial(pages, pid),
            }
    return texts


def filtered_ids(
    conn: Connection,
    *,
    status: str | None = None,
    tag: str | None = None,
    list_name: str | None = None,
    sort: str = "added",
    descending: bool = True,
    hide_dismissed: bool = False,
    inbox: bool = False,
) -> list[int]:
    """Paper ids for a sidebar filter, sorted by a table column (ties broken by id);
    hide_dismissed leaves out the papers triage dismissed (All papers does). inbox: only the
    papers waiting in the Inbox, where sort="inbox" is its own order (newest import first)."""
    query = select(PAPER.c.id)
    if status:
        query = query.where(PAPER.c.status == status)
    elif hide_dismissed or inbox:
        query = query.where(PAPER.c.status != "dismissed")
    if inbox:
        query = query.join(INBOX, INBOX.c.paper_id == PAPER.c.id)
        if sort == "inbox":
            return list(
                conn.execute(
                    query.order_by(
                        INBOX.c.batch_id.is_(None),
                        INBOX.c.batch_id.desc(),
                        INBOX.c.added_at.desc(),
                        INBOX.c.paper_id,
                    )
                ).scalars()
            )
    if tag:
        query = (
            query.join(PAPER_TAG, PAPER_TAG.c.paper_id == PAPER.c.id)
            .join(TAG, TAG.c.id == PAPER_TAG.c.tag_id)
            .where(TAG.c.name == tag)
        )
    if list_name:
        query = (
            query.join(LIST_ITEM, LIST_ITEM.c.paper_id == PAPER.c.id)
            .join(LIST, LIST.c.id == LIST_ITEM.c.list_id)
            .where(LIST.c.name == list_name)
        )
        if sort == "position":
            return list(conn.execute(query.order_by(LIST_ITEM.c.position)).scalars())
    column = SORT_COLUMNS.get(sort, PAPER.c.added_at)
    order = (column.desc(), PAPER.c.id.desc()) if descending else (column.asc(), PAPER.c.id.asc())
    return list(conn.execute(query.order_by(*order)).scalars())


def all_ids(conn: Connection) -> list[int]:
    return list(conn.execute(select(PAPER.c.id).order_by(PAPER.c.id)).scalars())


def stats(conn: Connection) -> Stats:
    def count(table: Table) -> int:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)

    files, pages = conn.execute(
        select(func.count(), func.coalesce(func.sum(PAPER_FILE.c.pages), 0)).select_from(PAPER_FILE)
    ).one()
    return Stats(
        papers=count(PAPER),
        tags=count(TAG),
        notes=count(NOTE),
        lists=count(LIST),
        files=int(files),
        pages=int(pages),
    )


def tag_counts(conn: Connection) -> list[TagCount]:
    rows = conn.execute(
        select(TAG.c.name, func.count(PAPER_TAG.c.paper_id))
        .join(PAPER_TAG, PAPER_TAG.c.tag_id == TAG.c.id, isouter=True)
        .group_by(TAG.c.id)
        .order_by(func.lower(TAG.c.name))
    )
    return [TagCount(name, count) for name, count in rows]


def status_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(PAPER.c.status, func.count()).group_by(PAPER.c.status))
    return {status: count for status, count in rows}


def list_summaries(conn: Connection) -> list[ListSummary]:
    rows = conn.execute(
        select(LIST.c.id, LIST.c.name, LIST.c.description, func.count(LIST_ITEM.c.paper_id))
        .join(LIST_ITEM, LIST_ITEM.c.list_id == LIST.c.id, isouter=True)
        .group_by(LIST.c.id)
        .order_by(func.lower(LIST.c.name))
    )
    return [ListSummary(lid, name, desc, count) for lid, name, desc, count in rows]


def list_detail(conn: Connection, name: str) -> ListDetail | None:
    row = conn.execute(select(LIST).where(LIST.c.name == name)).mappings().first()
    if row is None:
        return None
    entries = conn.execute(
        select(
            LIST_ITEM.c.paper_id,
            LIST_ITEM.c.position,
            PAPER.c.title,
            PAPER.c.authors_text,
            PAPER.c.year,
            LIST_ITEM.c.note,
        )
        .join(PAPER, PAPER.c.id == LIST_ITEM.c.paper_id)
        .where(LIST_ITEM.c.list_id == row["id"])
        .order_by(LIST_ITEM.c.position)
    )
    return ListDetail(
        row["id"], row["name"], row["description"], tuple(ListEntry(*entry) for entry in entries)
    )


# --- export ---------------------------------------------------------------------------------


def list_records(
    conn: Connection,
    ids: Sequence[int],
    names: Sequence[str] | None = None,
    keep_empty: bool = False,
) -> list[ListRecord]:
    """Reading lists (all, or those named) as ListRecords whose entries point at positions in
    ids; papers not in ids are left out, and so are lists left empty unless keep_empty."""
    where = {pid: i for i, pid in reversed(list(enumerate(ids)))}  # first position wins
    query = select(LIST.c.id, LIST.c.name, LIST.c.description, LIST.c.created_at).order_by(
        func.lower(LIST.c.name), LIST.c.id
    )
    if names is not None:
        query = query.where(LIST.c.name.in_(list(names)))
    lists = {
        lid: ListRecord(name=name, description=description, created_at=created)
        for lid, name, description, created in conn.execute(query)
    }
    if lists:
        entries = conn.execute(
            select(LIST_ITEM.c.list_id, LIST_ITEM.c.paper_id, LIST_ITEM.c.note)
            .where(LIST_ITEM.c.list_id.in_(list(lists)))
            .order_by(LIST_ITEM.c.list_id, LIST_ITEM.c.position)
        )
        for lid, pid, note in entries:
            if pid in where:
                lists[lid].entries.append(ListEntryRecord(record_index=where[pid], note=note))
    return [record for record in lists.values() if record.entries or keep_empty]
