"""Highlights and reading positions in SQLite: add, recolour, comment, delete, restore, list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from storage.database import inserted_id
from storage.highlights.palette import BadValue, check_color
from storage.highlights.rects import clean_rects, rects_to_json
from storage.highlights.rows import note_view
from storage.metadata import EditError
from storage.models import FILE_PAGE, NOTE, PAPER, PAPER_FILE, READING, utcnow
from storage.views import NoteView

__all__ = [
    "HighlightError",
    "ReadingPosition",
    "add_highlight",
    "check_color_name",
    "file_pages",
    "delete_highlight",
    "file_of",
    "highlight_views",
    "position_of",
    "positions_of",
    "restore_highlight",
    "set_position",
    "update_highlight",
]


class HighlightError(EditError):
    """A highlight cannot be made or found (message says why, naming the file and page)."""


@dataclass(frozen=True)
class ReadingPosition:
    """Where the reader left a paper: a page (from 1) of one of its files."""

    paper_id: int
    file_id: int | None  # None when that file was detached since
    page: int
    updated_at: datetime
    pages: int = 0  # the file's page count (0 when unknown), for progress


@dataclass(frozen=True)
class FileInfo:
    id: int
    paper_id: int
    name: str
    sha256: str
    pages: int


def file_of(conn: Connection, file_id: int, paper_id: int | None = None) -> FileInfo:
    """The attached file (of paper_id when given); HighlightError when there is none."""
    row = conn.execute(
        select(
            PAPER_FILE.c.id,
            PAPER_FILE.c.paper_id,
            PAPER_FILE.c.name,
            PAPER_FILE.c.sha256,
            PAPER_FILE.c.pages,
        ).where(PAPER_FILE.c.id == file_id)
    ).first()
    if row is None or (paper_id is not None and row.paper_id != paper_id):
        owner = f" of paper {paper_id}" if paper_id is not None else ""
        raise HighlightError(f"no file with id {file_id}{owner}")
    return FileInfo(row.id, row.paper_id, row.name, row.sha256, row.pages)


def check_color_name(color: str | None) -> str:
    """The palette name of color (None: the default); HighlightError for another colour."""
    try:
        return check_color(color)
    except BadValue as error:
        raise HighlightError(str(error)) from None


def file_pages(conn: Connection, file_id: int) -> list[tuple[int, str]]:
    """(page, text) of a file as extraction stored it."""
    rows = conn.execute(
        select(FILE_PAGE.c.page, FILE_PAGE.c.text)
        .where(FILE_PAGE.c.file_id == file_id)
        .order_by(FILE_PAGE.c.page)
    )
    return [(page, text) for page, text in rows]


def _check_page(info: FileInfo, page: int) -> int:
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise HighlightError(f"a page number starts at 1, not {page!r}")
    if info.pages and page > info.pages:
        raise HighlightError(f"{info.name} has {info.pages} pages, not {page}")
    return page


def _touch(conn: Connection, pid: int) -> None:
    conn.execute(update(PAPER).where(PAPER.c.id == pid).values(updated_at=utcnow()))


def add_highlight(
    conn: Connection,
    paper_id: int,
    file_id: int,
    page: int,
    rects: Sequence[Sequence[float]],
    quote: str | None,
    color: str | None = None,
    comment: str = "",
    source_key: str | None = None,
) -> int:
    """A new highlight note on page of the paper's file; its id. EditError for a bad value."""
    info = file_of(conn, file_id, paper_id)
    try:
        checked = check_color_name(color), rects_to_json(clean_rects(rects))
    except BadValue as error:
        raise HighlightError(str(error)) from None
    values = {
        "paper_id": paper_id,
        "body": comment or "",
        "quote": quote.strip() if quote and quote.strip() else None,
        "page": _check_page(info, page),
        "file_id": file_id,
        "file_sha256": info.sha256,
        "color": checked[0],
        "rects": checked[1],
        "source_key": source_key,
    }
    now = utcnow()
    result = conn.execute(insert(NOTE).values(**values, created_at=now, updated_at=now))
    note_id = inserted_id(result)
    _touch(conn, paper_id)
    return note_id


def _note(conn: Connection, note_id: int) -> NoteView:
    row = conn.execute(select(NOTE).where(NOTE.c.id == note_id)).mappings().first()
    if row is None:
        raise EditError(f"no note with id {note_id}")
    return note_view(row)


def update_highlight(
    conn: Connection, note_id: int, color: str | None = None, comment: str | None = None
) -> int:
    """Recolour a note or change its comment (the Markdown body); the paper id."""
    note = _note(conn, note_id)
    values: dict[str, object] = {}
    if color is not None:
        values["color"] = check_color_name(color)
    if comment is not None:
        values["body"] = comment
    if values:
        conn.execute(update(NOTE).where(NOTE.c.id == note_id).values(**values, updated_at=utcnow()))
        _touch(conn, note.paper_id)
    return note.paper_id


def delete_highlight(conn: Connection, note_id: int) -> NoteView:
    """Delete a note (a highlight or not); what it was, for restore_highlight."""
    note = _note(conn, note_id)
    conn.execute(delete(NOTE).where(NOTE.c.id == note_id))
    _touch(conn, note.paper_id)
    return note


def restore_highlight(conn: Connection, note: NoteView) -> int:
    """Put a deleted note back with its id, times and place (undo of delete); the paper id.
    Its file, if detached meanwhile, is found again by its bytes when they come back."""
    if conn.execute(select(PAPER.c.id).where(PAPER.c.id == note.paper_id)).first() is None:
        raise EditError(f"no paper with id {note.paper_id}")
    if conn.execute(select(NOTE.c.id).where(NOTE.c.id == note.id)).first() is not None:
        raise EditError(f"note {note.id} exists already")
    file_id = note.file_id
    if file_id is not None:
        found = conn.execute(
            select(PAPER_FILE.c.id).where(
                PAPER_FILE.c.id == file_id, PAPER_FILE.c.paper_id == note.paper_id
            )
        ).first()
        file_id = None if found is None else file_id
    conn.execute(
        insert(NOTE).values(
            id=note.id,
            paper_id=note.paper_id,
            body=note.body,
            quote=note.quote,
            page=note.page,
            page_label=note.page_label,
            file_id=file_id,
            file_sha256=note.file_sha256,
            color=note.color,
            rects=rects_to_json(note.rects) if note.rects else None,
            source_key=note.source_key,
            created_at=note.created_at,
            updated_at=note.updated_at,
        )
    )
    _touch(conn, note.paper_id)
    return note.paper_id


def highlight_views(
    conn: Connection,
    paper_id: int | None = None,
    file_id: int | None = None,
    page: int | None = None,
) -> list[NoteView]:
    """Highlights (notes with a place on a page of an attached file), by page then position
    on the page: top to bottom, left to right."""
    query = select(NOTE).where(NOTE.c.rects.is_not(None), NOTE.c.file_id.is_not(None))
    if paper_id is not None:
        query = query.where(NOTE.c.paper_id == paper_id)
    if file_id is not None:
        query = query.where(NOTE.c.file_id == file_id)
    if page is not None:
        query = query.where(NOTE.c.page == page)
    views = [note_view(row) for row in conn.execute(query).mappings()]
    views = [view for view in views if view.rects]

    def order(view: NoteView) -> tuple[int, int, float, float, int]:
        first = view.rects[0]
        return (view.file_id or 0, view.page or 0, -first[3], first[0], view.id)

    return sorted(views, key=order)


def set_position(conn: Connection, paper_id: int, file_id: int, page: int) -> int:
    """Remember the page the reader is on (one position per paper); the page."""
    info = file_of(conn, file_id, paper_id)
    values = {
        "file_id": file_id,
        "file_sha256": info.sha256,
        "page": _check_page(info, page),
        "updated_at": utcnow(),
    }
    statement = sqlite_insert(READING).values(paper_id=paper_id, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=["paper_id"], set_=values))
    return page


def positions_of(conn: Connection, paper_ids: Sequence[int]) -> dict[int, ReadingPosition]:
    """The reading positions of these papers (those that have one), with the file's pages."""
    found: dict[int, ReadingPosition] = {}
    ids = list(dict.fromkeys(paper_ids))
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(
                READING.c.paper_id,
                READING.c.file_id,
                READING.c.page,
                READING.c.updated_at,
                PAPER_FILE.c.pages,
            )
            .join(PAPER_FILE, PAPER_FILE.c.id == READING.c.file_id, isouter=True)
            .where(READING.c.paper_id.in_(ids[start : start + 500]))
        )
        for pid, file_id, page, updated, pages in rows:
            found[pid] = ReadingPosition(pid, file_id, page, updated, pages or 0)
    return found


def position_of(conn: Connection, paper_id: int) -> ReadingPosition | None:
    return positions_of(conn, [paper_id]).get(paper_id)
