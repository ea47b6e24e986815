"""The routine's state on import and in the JSON backup: Inbox places, rejections, smart lists."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from storage import smart
from storage.database import inserted_id
from storage.metadata import EditError
from storage.models import IMPORT_BATCH, INBOX
from storage.reading import chunks
from storage.records import ParseResult, RoutineRecord
from storage.related.rejections import reject, rejections_of
from storage.triage.inbox import add_to_inbox
from storage.views import ImportReport


def routine_record(conn: Connection, ids: Sequence[int], everything: bool) -> RoutineRecord:
    """What the backup of the papers `ids` carries: which wait in the Inbox and their
    rejections (as positions in ids), and, for a backup of everything, the smart lists."""
    where = {pid: i for i, pid in reversed(list(enumerate(ids)))}  # first position wins
    waiting: set[int] = set()
    for part in chunks(list(ids)):
        waiting.update(
            conn.execute(select(INBOX.c.paper_id).where(INBOX.c.paper_id.in_(part))).scalars()
        )
    return RoutineRecord(
        inbox=sorted(where[pid] for pid in waiting),
        rejections=[(where[pid], kind, name) for pid, kind, name in rejections_of(conn, ids)],
        smart_lists=smart.records(conn) if everything else [],
    )


def after_import(conn: Connection, result: ParseResult, report: ImportReport) -> None:
    """In the import's transaction: the papers it created wait in the Inbox, under its batch.

    A Papershelf JSON file says itself which of its papers wait (a backup written before the
    Inbox existed: none, so restoring a library does not flood it), and brings its
    rejections and smart lists. A paper merged into one stored before never goes back."""
    fresh = set(report.new_ids)
    routine = result.routine
    if report.format != "json":
        add_to_inbox(conn, report.new_ids, report.batch_id)
        return
    if routine is None:
        return
    paper_of = report.record_ids
    waiting = [paper_of[i] for i in routine.inbox if 0 <= i < len(paper_of)]
    add_to_inbox(conn, [pid for pid in waiting if pid in fresh], report.batch_id)
    for index, kind, name in routine.rejections:
        if 0 <= index < len(paper_of):
            try:
                reject(conn, kind, name, [paper_of[index]])
            except (EditError, ValueError):  # the tag or list is not in the file: nothing to do
                continue
    for saved in routine.smart_lists:
        try:
            smart.put_back(conn, saved)  # a name in use keeps the list already there
        except EditError as error:
            report.notes.append(
                f"{report.source}: note: smart list {saved.name!r} left out: {error}"
            )


def pdf_batch(conn: Connection, source: str, new_ids: Sequence[int]) -> int:
    """An import batch for the papers a PDF import made (each PDF had its own transaction);
    they wait in the Inbox under it. Returns the batch id."""
    batch = inserted_id(
        conn.execute(
            insert(IMPORT_BATCH).values(source=source, format="pdf", new_count=len(new_ids))
        )
    )
    add_to_inbox(conn, new_ids, batch)
    return batch
