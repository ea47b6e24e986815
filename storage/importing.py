"""Storing parsed records.

Each new work becomes a paper, each duplicate merges (counted, listed and undoable); identity
rules live in storage.identity, merges in storage.merges."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.database import LibraryError, inserted_id
from storage.highlights.rows import link_to_files, reading_row
from storage.identity import IdentityIndex, work_key
from storage.merges import FILLABLE, Filled, merge_paper, record_merge
from storage.models import (
    AUTHOR,
    IMPORT_BATCH,
    LIST,
    LIST_ITEM,
    NOTE,
    PAPER,
    PAPER_FILE,
    PAPER_TAG,
    READING,
    as_utc,
    utcnow,
)
from storage.paper_rows import (
    TagCache,
    add_tags,
    author_rows,
    citation_key_for,
    file_rows,
    insert_paper,
    note_row,
    paper_values,
    remember_new,
)
from storage.records import FormatError, PaperRecord, ParseResult, normalize_tag
from storage.safety import DatabaseFull, DatabaseProblem, DatabaseReadOnly
from storage.views import ImportReport, MergeEvent

__all__ = [  # the row writers are re-exported for the modules that took them from here
    "FILLABLE",
    "CancelFn",
    "IdentityIndex",
    "ImportCancelled",
    "ImportFailed",
    "import_failed",
    "ProgressFn",
    "TagCache",
    "add_tags",
    "append_to_list",
    "citation_key_for",
    "ensure_list",
    "insert_paper",
    "parse_file",
    "parse_text",
    "store_file",
    "store_parse_result",
]

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ImportFailed(LibraryError):
    """A file could not be imported; the message names it. Nothing was written."""


class ImportCancelled(Exception):
    """The user cancelled; the transaction is rolled back and the library is as it was."""


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
        self.files: list[dict[str, object]] = []
        self.reading: list[dict[str, object]] = []
        self.to_link: set[int] = set()  # papers with highlights or a reading place in a file

    def add(self, record: PaperRecord, identity: IdentityIndex, extra_tags: list[str]) -> int:
        values = paper_values(record, identity)
        if self.next_id is None:
            pid = inserted_id(self.conn.execute(insert(PAPER).values(**values)))
            self.next_id = pid + 1
        else:
            pid = self.next_id
            self.next_id += 1
            values["id"] = pid
            self.papers.append(values)
        self.pending.add(pid)
        remember_new(identity, pid, record, values)
        self.authors.extend(author_rows(pid, record.authors))
        tag_ids = {
            self.tags.id_for(name)
            for name in (normalize_tag(raw) for raw in [*record.tags, *extra_tags])
            if name
        }
        self.links.extend({"paper_id": pid, "tag_id": tid} for tid in sorted(tag_ids))
        now = utcnow()
        sources: set[object] = set()  # an annotation's identity once a paper (a file may repeat it)
        for note in record.notes:
            if note.body.strip() or note.quote:
                row = note_row(pid, note, now)
                if row["source_key"] in sources:
                    row["source_key"] = None  # the note is kept, as a note of its own
                elif row["source_key"]:
                    sources.add(row["source_key"])
                self.notes.append(row)
        self.files.extend(file_rows(pid, record))
        if record.reading is not None:
            self.reading.append(reading_row(pid, record.reading, now))
        if record.reading is not None or any(note.file_sha256 for note in record.notes):
            self.to_link.add(pid)
        if len(self.pending) >= self.BATCH:
            self.flush()
        return pid

    def flush(self) -> None:
        """Write every waiting paper (with its authors, tags and notes)."""
        for table, rows in (
            (insert(PAPER), self.papers),
            (insert(AUTHOR), self.authors),
            (insert(PAPER_TAG).prefix_with("OR IGNORE"), self.links),
            (insert(PAPER_FILE), self.files),
            (insert(NOTE), self.notes),
            (insert(READING), self.reading),
        ):
            if rows:
                self.conn.execute(table, rows)
                rows.clear()
        if self.to_link:
            link_to_files(self.conn, self.to_link)
            self.to_link.clear()
        self.pending.clear()


def ensure_list(
    conn: Connection, name: str, description: str | None = None, created_at: datetime | None = None
) -> int:
    found = conn.execute(select(LIST.c.id).where(LIST.c.name == name)).scalar()
    if found is not None:
        return int(found)
    when = {"created_at": as_utc(created_at)} if created_at else {}
    result = conn.execute(insert(LIST).values(name=name, description=description, **when))
    return inserted_id(result)


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


def _report_merge(
    conn: Connection,
    report: ImportReport,
    pid: int,
    record: PaperRecord,
    extra_tags: list[str],
    filled: Filled,
    rule: str,
) -> None:
    """Keep the merge's provenance and list it in the report."""
    merge_id = record_merge(conn, pid, record, extra_tags, filled, source=report.source, rule=rule)
    title = conn.execute(select(PAPER.c.title).where(PAPER.c.id == pid)).scalar() or ""
    report.merges.append(
        MergeEvent(report.source, record.line, record.title, pid, title, rule, merge_id)
    )


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
    merged: set[int] = set()  # papers stored before that this file merged into
    for done, record in enumerate(result.records, start=1):
        if cancel is not None and done % 50 == 1 and cancel():
            raise ImportCancelled(report.source)
        work = work_key(record)
        found = identity.find(  # untitled entries of one file never meet by their made-up title
            work, fresh if own_backup else frozenset(), fresh if work.untitled else frozenset()
        )
        if found is None:
            pid = new_papers.add(record, identity, extra_tags)
            report.new_ids.append(pid)
            fresh.add(pid)
        else:
            pid, rule = found
            if pid in new_papers.pending:
                new_papers.flush()
            filled = merge_paper(conn, pid, record, tags, extra_tags, identity.keys)
            identity.absorb(pid, work)
            # A second entry for a paper of this import, or one that changes a stored paper,
            # is a merge (counted, listed, undoable); an entry that brings nothing new to a
            # paper stored before (a re-import) is "already present".
            if pid in fresh or pid in merged or filled:
                _report_merge(conn, report, pid, record, extra_tags, filled, rule)
                if pid not in fresh and pid not in merged:
                    report.merged_ids.append(pid)
                    merged.add(pid)
            else:
                report.unchanged_ids.append(pid)
        paper_ids.append(pid)
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    new_papers.flush()
    if cancel is not None and cancel():  # a cancel that came during the last records
        raise ImportCancelled(report.source)
    report.record_ids = paper_ids
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


def parse_file(path: Path, fmt: str = "auto") -> tuple[ParseResult, ImportReport]:
    """Read and parse one file (fmt "auto": detected); raises ImportFailed naming the file
    (and the line, where there is one). The report is empty but for its warnings."""
    from storage.formats.detect import read_source

    try:
        text = read_source(path)
    except FormatError as error:
        raise ImportFailed(f"{path}: {error}") from None
    return parse_text(text, str(path), fmt, path.name)


def parse_text(
    text: str, source: str, fmt: str = "auto", filename: str | None = None
) -> tuple[ParseResult, ImportReport]:
    """Parse text that came from `source` (a file, or e.g. "Clipboard"); raises ImportFailed
    naming the source (and the line)."""
    from storage.formats.detect import detect_format, normalize_format, parse

    try:
        if not text.strip():
            raise FormatError("nothing to import (no text)")
        chosen = normalize_format(fmt)
        chosen = detect_format(text, filename) if chosen == "auto" else chosen
        result = parse(text, chosen, filename)
    except FormatError as error:
        where = f"{source}:{error.line}" if error.line else source
        raise ImportFailed(f"{where}: {error}") from None
    report = ImportReport(
        source=source,
        format=chosen,
        warnings=[w.format(source) for w in result.warnings],
        notes=[w.format(source, "note: ") for w in result.notes],
    )
    return result, report


def import_failed(path: Path, error: DatabaseProblem | DBAPIError) -> ImportFailed:
    """The one-line ImportFailed for a database error in an import's transaction."""
    if isinstance(error, (DatabaseFull, DatabaseReadOnly)):
        return ImportFailed(f"{path}: could not be stored ({error.reason}); nothing was imported")
    if isinstance(error, DatabaseProblem):
        return ImportFailed(f"{path}: nothing was imported; {error}")
    return ImportFailed(f"{path}: could not be stored ({error.orig}); nothing was imported")


def store_file(
    conn: Connection,
    result: ParseResult,
    report: ImportReport,
    *,
    tags: Iterable[str] = (),
    list_name: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """One import's transaction (the caller's): the records, the tags a JSON backup holds
    without papers, and the import batch row."""
    store_parse_result(
        conn,
        result,
        report,
        extra_tags=list(tags),
        list_name=list_name,
        progress=progress,
        cancel=cancel,
    )
    if result.tags:  # tags a JSON backup holds without papers
        bare_tags = TagCache(conn)
        for name in result.tags:
            bare_tags.id_for(name)
    report.batch_id = inserted_id(
        conn.execute(
            insert(IMPORT_BATCH).values(
                source=report.source,
                format=report.format,
                new_count=len(report.new_ids),
                merged_count=len(report.merges),
                skipped_count=len(report.warnings),
            )
        )
    )
    return report
