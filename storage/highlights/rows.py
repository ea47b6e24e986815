"""Note and reading-position rows: to and from NoteView and NoteRecord, and linked to files."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, and_, select, update
from sqlalchemy.engine import Connection

from storage.highlights.palette import COLOR_HEX, BadValue
from storage.highlights.rects import clean_rects, rects_from_json, rects_to_json
from storage.models import NOTE, PAPER_FILE, READING, as_utc
from storage.records import NoteRecord, ReadingRecord, page_text, split_page
from storage.views import NoteView

__all__ = [
    "link_to_files",
    "note_record",
    "note_row",
    "note_view",
    "positions_by_paper",
    "reading_row",
]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 500


def note_view(row: RowMapping | Mapping[str, Any]) -> NoteView:
    """A NoteView of a row of the note table."""
    return NoteView(
        id=row["id"],
        paper_id=row["paper_id"],
        body=row["body"],
        quote=row["quote"],
        page=row["page"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        page_label=row["page_label"],
        file_id=row["file_id"],
        color=row["color"],
        rects=rects_from_json(row["rects"]),
        file_sha256=row["file_sha256"],
        source_key=row["source_key"],
    )


def note_record(note: NoteView) -> NoteRecord:
    """A stored note as a NoteRecord (export, undo): the page as text, the file by SHA-256."""
    return NoteRecord(
        body=note.body,
        quote=note.quote,
        page=page_text(note.page, note.page_label),
        created_at=note.created_at,
        updated_at=note.updated_at,
        color=note.color,
        rects=[list(rect) for rect in note.rects] or None,
        file_sha256=note.file_sha256,
        source_key=note.source_key,
    )


def _rects_json(rects: Sequence[Sequence[float]] | None) -> str | None:
    if not rects:
        return None
    try:
        return rects_to_json(clean_rects(rects))
    except BadValue:  # a file's broken position: the note keeps its text without one
        return None


def note_row(paper_id: int, note: NoteRecord, now: datetime) -> dict[str, object]:
    """The note table's values for a NoteRecord (from a file, a backup or an undo); a colour
    outside the palette, broken rectangles or a malformed SHA-256 are left out."""
    page, label = split_page(note.page)
    sha = note.file_sha256 if note.file_sha256 and _SHA256.match(note.file_sha256) else None
    return {
        "paper_id": paper_id,
        "body": note.body,
        "quote": note.quote,
        "page": page,
        "page_label": label,
        "file_id": None,  # link_to_files finds the paper's file with these bytes
        "file_sha256": sha,
        "color": note.color if note.color in COLOR_HEX else None,
        "rects": _rects_json(note.rects),
        "source_key": note.source_key or None,
        "created_at": as_utc(note.created_at) or now,
        "updated_at": as_utc(note.updated_at) or now,
    }


def reading_row(paper_id: int, reading: ReadingRecord, now: datetime) -> dict[str, object]:
    return {
        "paper_id": paper_id,
        "file_id": None,
        "file_sha256": reading.file_sha256,
        "page": max(1, reading.page),
        "updated_at": as_utc(reading.updated_at) or now,
    }


def link_to_files(conn: Connection, paper_ids: Iterable[int] | None = None) -> list[int]:
    """Point notes and reading positions that name a file by its SHA-256, and have none, at
    their paper's file with those bytes (after an attach, an import of a backup, an undo).
    Returns the ids of the notes linked."""
    ids = None if paper_ids is None else list(dict.fromkeys(paper_ids))
    linked: list[int] = []
    for table in (NOTE, READING):
        match = (
            select(PAPER_FILE.c.id)
            .where(
                PAPER_FILE.c.paper_id == table.c.paper_id,
                PAPER_FILE.c.sha256 == table.c.file_sha256,
            )
            .limit(1)
            .scalar_subquery()
        )
        loose = and_(table.c.file_id.is_(None), table.c.file_sha256.is_not(None))
        parts: list[Sequence[int] | None] = (
            [None] if ids is None else [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
        )
        for part in parts:
            where = loose if part is None else and_(loose, table.c.paper_id.in_(part))
            if table is NOTE:
                found = conn.execute(select(NOTE.c.id).where(where, match.is_not(None)))
                linked.extend(found.scalars())
            conn.execute(update(table).where(where).values(file_id=match))
    return linked


def positions_by_paper(conn: Connection, ids: Sequence[int]) -> dict[int, ReadingRecord]:
    """Reading positions (file by SHA-256) of these papers, for export and undo."""
    found: dict[int, ReadingRecord] = {}
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        rows = conn.execute(
            select(
                READING.c.paper_id, READING.c.file_sha256, READING.c.page, READING.c.updated_at
            ).where(READING.c.paper_id.in_(part), READING.c.file_sha256.is_not(None))
        )
        for pid, sha, page, updated in rows:
            found[pid] = ReadingRecord(sha, page, updated)
    return found


def notes_of(conn: Connection, ids: Sequence[int]) -> dict[int, list[NoteView]]:
    """The notes of these papers, oldest first, as NoteViews."""
    found: dict[int, list[NoteView]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        rows = conn.execute(
            select(NOTE).where(NOTE.c.paper_id.in_(part)).order_by(NOTE.c.created_at, NOTE.c.id)
        ).mappings()
        for row in rows:
            found[row["paper_id"]].append(note_view(row))
    return found
