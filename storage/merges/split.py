"""Undoing a merge.

The absorbed record becomes its own paper again, the survivor loses what that merge filled
(where still unchanged), and the pair is remembered so no import re-merges it."""

from __future__ import annotations

import json

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from storage.database import LibraryError
from storage.identity import IdentityIndex, family_key, stored_key, work_key
from storage.merges.fill import FILLABLE, Filled
from storage.merges.snapshot import record_from_json
from storage.models import (
    AUTHOR,
    MERGE_BLOCK,
    NOTE,
    PAPER,
    PAPER_MERGE,
    PAPER_TAG,
    TAG,
    as_utc,
    utcnow,
)
from storage.paper_rows import TagCache, fillable_values, insert_paper
from storage.records import AuthorRecord, normalize_tag
from storage.views import Change, MergeView


class SplitError(LibraryError):
    """No such merge on that paper, or it was split off already."""


def list_merges(conn: Connection, pid: int) -> list[MergeView]:
    """The merges recorded on a paper, oldest first (split ones included, with their paper)."""
    rows = conn.execute(
        select(PAPER_MERGE).where(PAPER_MERGE.c.paper_id == pid).order_by(PAPER_MERGE.c.id)
    ).mappings()
    views = []
    for row in rows:
        record, _tags = record_from_json(row["record_json"])
        views.append(
            MergeView(
                id=row["id"],
                paper_id=pid,
                source=row["source"],
                line=row["line"],
                rule=row["rule"],
                title=record.title,
                authors=tuple(a.display for a in record.authors if a.display),
                year=record.year,
                doi=record.doi,
                merged_at=as_utc(row["merged_at"]),  # type: ignore[arg-type]
                split_paper_id=row["split_paper_id"],
            )
        )
    return views


def _unfill_fields(conn: Connection, pid: int, filled: Filled) -> list[str]:
    """Put back the columns this merge filled, where they still hold what it put there;
    returns the FILLABLE columns left empty."""
    row = conn.execute(select(PAPER).where(PAPER.c.id == pid)).mappings().one()
    values: dict[str, object] = {
        name: before for name, (before, after) in filled.fields.items() if row[name] == after
    }
    if filled.extra and row["extra_json"]:
        extra = json.loads(row["extra_json"])
        kept = {k: v for k, v in extra.items() if filled.extra.get(k) != v}
        if kept != extra:
            values["extra_json"] = json.dumps(kept, ensure_ascii=False) if kept else None
    if filled.authors:
        rows = conn.execute(
            select(AUTHOR.c.family, AUTHOR.c.given, AUTHOR.c.literal)
            .where(AUTHOR.c.paper_id == pid)
            .order_by(AUTHOR.c.position)
        )
        now = [AuthorRecord(family=f, given=g, literal=lit).display for f, g, lit in rows]
        if now == filled.authors:
            conn.execute(delete(AUTHOR).where(AUTHOR.c.paper_id == pid))
            values["authors_text"] = ""
    values["updated_at"] = utcnow()
    conn.execute(update(PAPER).where(PAPER.c.id == pid).values(**values))
    return [name for name in FILLABLE if name in values and values[name] in (None, "")]


def _refill(conn: Connection, pid: int, merge_id: int, emptied: list[str]) -> None:
    """Columns the split emptied take the value another merge of the paper brought (oldest
    first); that merge then owns the fill, so splitting it later takes it back."""
    if not emptied:
        return
    values: dict[str, object] = {}
    others = conn.execute(
        select(PAPER_MERGE.c.id, PAPER_MERGE.c.record_json, PAPER_MERGE.c.filled_json)
        .where(
            PAPER_MERGE.c.paper_id == pid,
            PAPER_MERGE.c.id != merge_id,
            PAPER_MERGE.c.split_paper_id.is_(None),
        )
        .order_by(PAPER_MERGE.c.id)
    ).all()
    for other_id, record_json, filled_json in others:
        incoming = fillable_values(record_from_json(record_json)[0])
        took = {n: incoming[n] for n in emptied if n not in values and incoming[n]}
        if took:
            filled = Filled.from_json(filled_json)
            filled.fields.update({name: [None, value] for name, value in took.items()})
            conn.execute(
                update(PAPER_MERGE)
                .where(PAPER_MERGE.c.id == other_id)
                .values(filled_json=filled.as_json())
            )
            values.update(took)
    if values:
        conn.execute(update(PAPER).where(PAPER.c.id == pid).values(**values))


def _tags_other_merges_brought(conn: Connection, pid: int, merge_id: int) -> set[str]:
    brought: set[str] = set()
    for (text,) in conn.execute(
        select(PAPER_MERGE.c.record_json).where(
            PAPER_MERGE.c.paper_id == pid,
            PAPER_MERGE.c.id != merge_id,
            PAPER_MERGE.c.split_paper_id.is_(None),
        )
    ):
        record, import_tags = record_from_json(text)
        brought |= {normalize_tag(t).casefold() for t in [*record.tags, *import_tags]}
    return brought


def _untag_and_drop_notes(
    conn: Connection, pid: int, merge_id: int, filled: Filled, note_texts: set[tuple]
) -> set[str]:
    """Remove the tags only this merge added, and its notes the user has not edited since."""
    keep = _tags_other_merges_brought(conn, pid, merge_id)
    removed = set()
    for name in filled.tags:
        if name.casefold() in keep:
            continue
        tag_id = conn.execute(select(TAG.c.id).where(TAG.c.name == name)).scalar()
        if tag_id is not None:
            gone = conn.execute(
                delete(PAPER_TAG).where(PAPER_TAG.c.paper_id == pid, PAPER_TAG.c.tag_id == tag_id)
            )
            if gone.rowcount:
                removed.add(name)
    for note_id in filled.notes:
        found = conn.execute(
            select(NOTE.c.body, NOTE.c.quote).where(NOTE.c.id == note_id, NOTE.c.paper_id == pid)
        ).first()
        if found is not None and tuple(found) in note_texts:
            conn.execute(delete(NOTE).where(NOTE.c.id == note_id))
    return removed


def _current_key_fingerprint(conn: Connection, pid: int) -> str:
    doi, arxiv, title_key, title, year = conn.execute(
        select(PAPER.c.doi, PAPER.c.arxiv_id, PAPER.c.title_key, PAPER.c.title, PAPER.c.year).where(
            PAPER.c.id == pid
        )
    ).one()
    first = conn.execute(
        select(AUTHOR.c.family, AUTHOR.c.literal).where(
            AUTHOR.c.paper_id == pid, AUTHOR.c.position == 0
        )
    ).first()
    family = family_key(AuthorRecord(family=first[0], literal=first[1])) if first else None
    return stored_key(doi, arxiv, title_key, family, year, title).fingerprint()


def split_merge(conn: Connection, pid: int, merge_id: int) -> Change:
    """Split merge_id off paper pid: returns the change (the survivor and the new paper)."""
    row = (
        conn.execute(
            select(PAPER_MERGE).where(PAPER_MERGE.c.id == merge_id, PAPER_MERGE.c.paper_id == pid)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise SplitError(f"paper {pid} has no merge {merge_id}")
    if row["split_paper_id"] is not None:
        raise SplitError(f"merge {merge_id} was split off already (paper {row['split_paper_id']})")
    record, import_tags = record_from_json(row["record_json"])
    filled = Filled.from_json(row["filled_json"])
    _refill(conn, pid, merge_id, _unfill_fields(conn, pid, filled))
    note_texts = {(n.body, n.quote) for n in record.notes}
    removed = _untag_and_drop_notes(conn, pid, merge_id, filled, note_texts)
    keys = IdentityIndex(
        keys={k.casefold() for k in conn.execute(select(PAPER.c.citation_key)).scalars() if k}
    )
    new_id = insert_paper(conn, record, keys, TagCache(conn), import_tags)
    conn.execute(
        update(PAPER_MERGE)
        .where(PAPER_MERGE.c.id == merge_id)
        .values(split_paper_id=new_id, split_at=utcnow())
    )
    conn.execute(
        insert(MERGE_BLOCK).prefix_with("OR IGNORE"),
        [
            {"paper_id": pid, "fingerprint": work_key(record).fingerprint()},
            {"paper_id": new_id, "fingerprint": _current_key_fingerprint(conn, pid)},
        ],
    )
    tags = removed | {normalize_tag(t) for t in [*record.tags, *import_tags] if normalize_tag(t)}
    return Change(paper_ids=frozenset({pid, new_id}), tags=frozenset(tags))
