"""Smart lists in SQL: saved searches with an optional scope, created, renamed, edited, deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.metadata import EditError
from storage.models import SMART_LIST, as_utc, utcnow
from storage.records import STATUSES, SmartListRecord
from storage.views import Change

SCOPE_KINDS = ("status", "tag", "list")
MAX_QUERY = 10_000  # characters: a saved search is a line, not a document


@dataclass(frozen=True)
class SmartList:
    """A saved search: its query, run within its scope (a status, tag or reading list)."""

    id: int
    name: str
    query: str
    scope: str | None  # "status:read", "tag:NAME", "list:NAME" or None (all papers)
    created_at: datetime
    updated_at: datetime

    @property
    def scope_filter(self) -> dict[str, str]:
        """The scope as Library.paper_ids keywords: {"status"|"tag"|"list_name": value}."""
        parsed = parse_scope(self.scope)
        if parsed is None:
            return {}
        kind, value = parsed
        return {"list_name" if kind == "list" else kind: value}


@dataclass(frozen=True)
class SmartListCount:
    """A smart list with its live count (the search total within its scope)."""

    name: str
    query: str
    scope: str | None
    count: int

    def as_json(self) -> dict[str, object]:
        """An item of `smart list --json`."""
        return {"name": self.name, "query": self.query, "papers": self.count}


def parse_scope(scope: str | None) -> tuple[str, str] | None:
    """("status"|"tag"|"list", value) from "kind:value"; None for no scope. Raises EditError."""
    if scope is None or not scope.strip():
        return None
    kind, sep, value = scope.strip().partition(":")
    kind, value = kind.strip().casefold(), value.strip()
    if not sep or kind not in SCOPE_KINDS or not value:
        raise EditError(f"a scope is status:STATUS, tag:NAME or list:NAME, not {scope.strip()!r}")
    if kind == "status" and value not in STATUSES:
        raise EditError(f"scope status must be one of {', '.join(STATUSES)}, not {value!r}")
    return kind, value


def _scope_text(kind: str | None, value: str | None) -> str | None:
    return f"{kind}:{value}" if kind and value else None


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise EditError("a smart list needs a name")
    return name


def _clean_query(query: str) -> str:
    query = query.strip()
    if not query:
        raise EditError("a smart list needs a search query")
    if len(query) > MAX_QUERY:
        raise EditError(f"a smart list's query is at most {MAX_QUERY:,} characters")
    return query


def _row_to_list(row: object) -> SmartList:
    r = row._mapping  # type: ignore[attr-defined]
    return SmartList(
        id=r["id"],
        name=r["name"],
        query=r["query"],
        scope=_scope_text(r["scope_kind"], r["scope_value"]),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )


def all_smart_lists(conn: Connection) -> list[SmartList]:
    """Every smart list, by name (case ignored)."""
    rows = conn.execute(select(SMART_LIST).order_by(func.lower(SMART_LIST.c.name)))
    return [_row_to_list(row) for row in rows]


def find(conn: Connection, name: str) -> SmartList | None:
    row = conn.execute(select(SMART_LIST).where(SMART_LIST.c.name == name.strip())).first()
    return _row_to_list(row) if row is not None else None


def _taken(conn: Connection, name: str, other_than: int | None = None) -> bool:
    query = select(SMART_LIST.c.id).where(SMART_LIST.c.name == name)
    if other_than is not None:
        query = query.where(SMART_LIST.c.id != other_than)
    return conn.execute(query).first() is not None


def create(conn: Connection, name: str, query: str, scope: str | None = None) -> Change:
    """A new smart list (the caller has checked that the query can be read)."""
    name, query = _clean_name(name), _clean_query(query)
    parsed = parse_scope(scope)
    if _taken(conn, name):
        raise EditError(f"a smart list named {name!r} exists already")
    now = utcnow()
    conn.execute(
        insert(SMART_LIST).values(
            name=name,
            query=query,
            scope_kind=parsed[0] if parsed else None,
            scope_value=parsed[1] if parsed else None,
            created_at=now,
            updated_at=now,
        )
    )
    return Change(smart_lists=frozenset({name}))


def _existing(conn: Connection, name: str) -> SmartList:
    found = find(conn, name)
    if found is None:
        raise EditError(f"no smart list named {name.strip()!r}")
    return found


def rename(conn: Connection, old: str, new: str) -> Change:
    current, new = _existing(conn, old), _clean_name(new)
    if _taken(conn, new, other_than=current.id):
        raise EditError(f"a smart list named {new!r} exists already")
    conn.execute(
        update(SMART_LIST)
        .where(SMART_LIST.c.id == current.id)
        .values(name=new, updated_at=utcnow())
    )
    return Change(smart_lists=frozenset({current.name, new}))


def follow_rename(conn: Connection, kind: str, old: str, new: str) -> frozenset[str]:
    """Smart lists scoped to tag or list `old` are scoped to `new`; returns their names."""
    scoped = (SMART_LIST.c.scope_kind == kind) & (SMART_LIST.c.scope_value.collate("NOCASE") == old)
    names = frozenset(conn.execute(select(SMART_LIST.c.name).where(scoped)).scalars())
    if names and new != old:
        conn.execute(update(SMART_LIST).where(scoped).values(scope_value=new, updated_at=utcnow()))
    return names


KEEP = object()  # edit(): leave the scope as it is


def edit(
    conn: Connection, name: str, query: str | None = None, scope: str | None | object = KEEP
) -> Change:
    """Change a smart list's query and/or scope (scope None: all papers)."""
    current = _existing(conn, name)
    values: dict[str, object] = {"updated_at": utcnow()}
    if query is not None:
        values["query"] = _clean_query(query)
    if scope is not KEEP:
        parsed = parse_scope(scope if isinstance(scope, str) else None)
        values["scope_kind"], values["scope_value"] = parsed if parsed else (None, None)
    conn.execute(update(SMART_LIST).where(SMART_LIST.c.id == current.id).values(**values))
    return Change(smart_lists=frozenset({current.name}))


def remove(conn: Connection, name: str) -> tuple[Change, SmartList]:
    """Delete a smart list; returns the change and what it was (to put it back on undo)."""
    current = _existing(conn, name)
    conn.execute(delete(SMART_LIST).where(SMART_LIST.c.id == current.id))
    return Change(smart_lists=frozenset({current.name})), current


def put_back(conn: Connection, saved: SmartList | SmartListRecord) -> Change:
    """Recreate a smart list as it was (undo of delete, import of a backup); a name in use
    is left as it is."""
    name = _clean_name(saved.name)
    if _taken(conn, name):
        return Change()
    parsed = parse_scope(saved.scope)
    now = utcnow()
    same_id = {}  # undo of delete: the same id, when it is free
    if (
        isinstance(saved, SmartList)
        and not conn.execute(select(SMART_LIST.c.id).where(SMART_LIST.c.id == saved.id)).first()
    ):
        same_id = {"id": saved.id}
    conn.execute(
        insert(SMART_LIST).values(
            **same_id,
            name=name,
            query=_clean_query(saved.query),
            scope_kind=parsed[0] if parsed else None,
            scope_value=parsed[1] if parsed else None,
            created_at=as_utc(saved.created_at) or now,
            updated_at=as_utc(saved.updated_at) or now,
        )
    )
    return Change(smart_lists=frozenset({name}))


def records(conn: Connection) -> list[SmartListRecord]:
    """Every smart list as the JSON backup writes it."""
    return [
        SmartListRecord(s.name, s.query, s.scope, s.created_at, s.updated_at)
        for s in all_smart_lists(conn)
    ]
