"""The Inbox in SQL: papers an import created wait here until they are kept or dismissed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import Join

from storage.models import IMPORT_BATCH, INBOX, PAPER, utcnow
from storage.reading import chunks
from storage.views import Change

DISMISSED = "dismissed"


@dataclass(frozen=True)
class InboxPaper:
    """One paper waiting in the Inbox; score is its recommendation score when asked for."""

    id: int
    title: str
    batch_id: int | None  # the import that created it
    added_at: datetime  # when it landed in the Inbox
    score: float | None = None


@dataclass(frozen=True)
class Inbox:
    """The Inbox: how many papers wait in it, and those asked for, in order."""

    total: int
    papers: tuple[InboxPaper, ...]

    def as_json(self) -> dict[str, object]:
        """The `inbox --json` shape of the command-line contract."""
        return {
            "total": self.total,
            "papers": [{"id": p.id, "title": p.title} for p in self.papers],
        }


@dataclass(frozen=True)
class InboxBatch:
    """The papers of one import that still wait in the Inbox ("12 new from daily.txt")."""

    id: int | None  # the import_batch (None: papers put in the Inbox without one)
    source: str | None  # the file imported ("Clipboard" for pasted text)
    format: str | None
    started_at: datetime | None
    waiting: int


@dataclass(frozen=True)
class TriageState:
    """Where a paper stood before keep or dismiss: its status and its Inbox row (if any)."""

    paper_id: int
    status: str
    batch_id: int | None
    added_at: datetime | None  # None: it was not in the Inbox


@dataclass(frozen=True)
class TriageChange(Change):
    """What keep or dismiss changed, and the states before it (Library.undo_triage takes them)."""

    previous: tuple[TriageState, ...] = ()


def add_to_inbox(conn: Connection, ids: Iterable[int], batch_id: int | None) -> int:
    """Put papers in the Inbox under an import batch; returns how many were added."""
    now = utcnow()
    rows = [{"paper_id": pid, "batch_id": batch_id, "added_at": now} for pid in dict.fromkeys(ids)]
    if not rows:
        return 0
    result = conn.execute(insert(INBOX).prefix_with("OR IGNORE"), rows)
    return int(result.rowcount or 0)


def _waiting() -> Join:
    """Inbox rows joined to their papers (callers leave the dismissed ones out)."""
    return INBOX.join(PAPER, PAPER.c.id == INBOX.c.paper_id)


def inbox_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(_waiting()).where(PAPER.c.status != DISMISSED)
        ).scalar()
        or 0
    )


def inbox_papers(conn: Connection, limit: int | None = None) -> list[InboxPaper]:
    """Papers waiting, newest import first, then in the order the import read them."""
    query = (
        select(PAPER.c.id, PAPER.c.title, INBOX.c.batch_id, INBOX.c.added_at)
        .select_from(_waiting())
        .where(PAPER.c.status != DISMISSED)
        .order_by(
            INBOX.c.batch_id.is_(None),
            INBOX.c.batch_id.desc(),
            INBOX.c.added_at.desc(),
            INBOX.c.paper_id,
        )
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        InboxPaper(pid, title, batch, added) for pid, title, batch, added in conn.execute(query)
    ]


def inbox_batches(conn: Connection) -> list[InboxBatch]:
    """The imports with papers still waiting, newest first, with how many wait."""
    query = (
        select(
            INBOX.c.batch_id,
            IMPORT_BATCH.c.source,
            IMPORT_BATCH.c.format,
            IMPORT_BATCH.c.started_at,
            func.count(),
        )
        .select_from(_waiting().outerjoin(IMPORT_BATCH, IMPORT_BATCH.c.id == INBOX.c.batch_id))
        .where(PAPER.c.status != DISMISSED)
        .group_by(INBOX.c.batch_id)
        .order_by(INBOX.c.batch_id.is_(None), INBOX.c.batch_id.desc())
    )
    return [
        InboxBatch(batch, source, fmt, started, int(count))
        for batch, source, fmt, started, count in conn.execute(query)
    ]


def states(conn: Connection, ids: Sequence[int]) -> list[TriageState]:
    """The current status and Inbox row of each existing paper, in the order of ids."""
    found: dict[int, TriageState] = {}
    for part in chunks(list(dict.fromkeys(ids))):
        rows = conn.execute(
            select(PAPER.c.id, PAPER.c.status, INBOX.c.batch_id, INBOX.c.added_at)
            .select_from(PAPER.outerjoin(INBOX, INBOX.c.paper_id == PAPER.c.id))
            .where(PAPER.c.id.in_(part))
        )
        for pid, status, batch, added in rows:
            found[pid] = TriageState(pid, status, batch, added)
    return [found[pid] for pid in dict.fromkeys(ids) if pid in found]


def _set_status(conn: Connection, ids: Sequence[int], status: str) -> None:
    now = utcnow()
    for part in chunks(list(ids)):
        conn.execute(
            update(PAPER).where(PAPER.c.id.in_(part)).values(status=status, updated_at=now)
        )


def _leave_inbox(conn: Connection, ids: Sequence[int]) -> None:
    for part in chunks(list(ids)):
        conn.execute(delete(INBOX).where(INBOX.c.paper_id.in_(part)))


def keep(conn: Connection, ids: Sequence[int]) -> TriageChange:
    """Papers leave the Inbox for the library; a dismissed one comes back as unread, any other
    status is kept. Papers neither waiting nor dismissed are left alone."""
    before = [s for s in states(conn, ids) if s.added_at is not None or s.status == DISMISSED]
    _leave_inbox(conn, [s.paper_id for s in before])
    _set_status(conn, [s.paper_id for s in before if s.status == DISMISSED], "unread")
    return TriageChange(paper_ids=frozenset(s.paper_id for s in before), previous=tuple(before))


def dismiss(conn: Connection, ids: Sequence[int]) -> TriageChange:
    """Papers leave the Inbox with status `dismissed`: hidden from the default views, found by
    `status:dismissed`, and never back in the Inbox (a re-import merges into them)."""
    before = [s for s in states(conn, ids) if s.added_at is not None or s.status != DISMISSED]
    _leave_inbox(conn, [s.paper_id for s in before])
    _set_status(conn, [s.paper_id for s in before if s.status != DISMISSED], DISMISSED)
    return TriageChange(paper_ids=frozenset(s.paper_id for s in before), previous=tuple(before))


def restore(conn: Connection, previous: Sequence[TriageState]) -> Change:
    """Undo keep or dismiss: each paper gets its status and its Inbox row back."""
    present = {s.paper_id for s in states(conn, [p.paper_id for p in previous])}
    changed: list[int] = []
    for state in previous:
        if state.paper_id not in present:
            continue  # deleted since
        conn.execute(
            update(PAPER)
            .where(PAPER.c.id == state.paper_id, PAPER.c.status != state.status)
            .values(status=state.status, updated_at=utcnow())
        )
        conn.execute(delete(INBOX).where(INBOX.c.paper_id == state.paper_id))
        if state.added_at is not None:
            conn.execute(
                insert(INBOX).values(
                    paper_id=state.paper_id, batch_id=state.batch_id, added_at=state.added_at
                )
            )
        changed.append(state.paper_id)
    return Change(paper_ids=frozenset(changed))


def inbox_ids(conn: Connection) -> list[int]:
    """Every waiting paper's id, in Inbox order."""
    return [paper.id for paper in inbox_papers(conn)]


def in_inbox(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Which of the papers wait in the Inbox (dismissed ones do not)."""
    found: set[int] = set()
    for part in chunks(list(ids)):
        found.update(
            conn.execute(
                select(INBOX.c.paper_id)
                .select_from(_waiting())
                .where(INBOX.c.paper_id.in_(part), PAPER.c.status != DISMISSED)
            ).scalars()
        )
    return found
