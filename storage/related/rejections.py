"""Suggestions turned down, per tag and per reading list: never suggested for them again."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import Connection

from storage.metadata import EditError
from storage.models import LIST, LIST_REJECTION, TAG, TAG_REJECTION, utcnow
from storage.reading import chunks
from storage.records import normalize_tag

KINDS = ("tag", "list")


def _target(conn: Connection, kind: str, name: str) -> tuple[Table, str, int, str]:
    """(rejection table, its key column, the tag's or list's id, its stored name)."""
    if kind == "tag":
        row = conn.execute(select(TAG.c.id, TAG.c.name).where(TAG.c.name == normalize_tag(name)))
        table, column, what = TAG_REJECTION, "tag_id", "tag"
    elif kind == "list":
        row = conn.execute(select(LIST.c.id, LIST.c.name).where(LIST.c.name == name.strip()))
        table, column, what = LIST_REJECTION, "list_id", "reading list"
    else:
        raise ValueError(f"unknown suggestion target {kind!r}")
    found = row.first()
    if found is None:
        raise EditError(f"no {what} named {name.strip()!r}")
    return table, column, int(found[0]), str(found[1])


def target_name(conn: Connection, kind: str, name: str) -> str:
    """The stored spelling of a tag or list (EditError when there is none)."""
    return _target(conn, kind, name)[3]


def rejected(conn: Connection, kind: str, name: str) -> set[int]:
    """The papers turned down for a tag or list."""
    table, column, key, _ = _target(conn, kind, name)
    return set(conn.execute(select(table.c.paper_id).where(table.c[column] == key)).scalars())


def reject(conn: Connection, kind: str, name: str, ids: Sequence[int]) -> list[int]:
    """Remember papers as turned down for a tag or list; returns those newly remembered."""
    table, column, key, _ = _target(conn, kind, name)
    now = utcnow()
    added: list[int] = []
    for pid in dict.fromkeys(ids):
        result = conn.execute(
            insert(table)
            .prefix_with("OR IGNORE")
            .values({column: key, "paper_id": pid, "rejected_at": now})
        )
        if result.rowcount:
            added.append(pid)
    return added


def unreject(conn: Connection, kind: str, name: str, ids: Sequence[int]) -> list[int]:
    """Forget rejections (undo of reject); returns the papers that had one."""
    table, column, key, _ = _target(conn, kind, name)
    gone: list[int] = []
    for part in chunks(list(dict.fromkeys(ids))):
        had = list(
            conn.execute(
                select(table.c.paper_id).where(table.c[column] == key, table.c.paper_id.in_(part))
            ).scalars()
        )
        if had:
            conn.execute(delete(table).where(table.c[column] == key, table.c.paper_id.in_(had)))
            gone.extend(had)
    return gone


def rejections_of(conn: Connection, ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """(paper id, "tag"|"list", name) of every rejection of the papers, for the backup."""
    found: list[tuple[int, str, str]] = []
    for part in chunks(list(ids)):
        for pid, name in conn.execute(
            select(TAG_REJECTION.c.paper_id, TAG.c.name)
            .join(TAG, TAG.c.id == TAG_REJECTION.c.tag_id)
            .where(TAG_REJECTION.c.paper_id.in_(part))
            .order_by(TAG_REJECTION.c.paper_id, TAG.c.name)
        ):
            found.append((pid, "tag", name))
        for pid, name in conn.execute(
            select(LIST_REJECTION.c.paper_id, LIST.c.name)
            .join(LIST, LIST.c.id == LIST_REJECTION.c.list_id)
            .where(LIST_REJECTION.c.paper_id.in_(part))
            .order_by(LIST_REJECTION.c.paper_id, LIST.c.name)
        ):
            found.append((pid, "list", name))
    return found
