"""SQLite engine with PRAGMAs, schema migrations by PRAGMA user_version, and backups."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import CursorResult, Engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, create_engine

from storage import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.errors import LibraryError  # defined apart, re-exported here

SCHEMA_VERSION = 6
BUSY_TIMEOUT_MS = 10_000


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_library_engine(db_path: Path) -> Engine:
    """An engine on db_path with WAL, foreign keys and a busy timeout on every connection."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def inserted_id(result: CursorResult) -> int:
    """The integer primary key of the row a single-row INSERT added."""
    key = result.inserted_primary_key
    assert key is not None, "not a single-row INSERT"
    return int(key[0])


def user_version(connection: Connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def private_file(path: Path) -> None:
    """Create path empty with mode 0600 if it does not exist (SQLite keeps an existing mode,
    and gives the -wal and -shm files the database's mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup_database(db_path: Path, backup_dir: Path, label: str) -> Path:
    """Copy the live database (consistent, WAL included) to backup_dir; returns the new file.

    The copy is written beside its final name, mode 0600, checked with SQLite's quick_check
    (sqlite3.DatabaseError when the database is damaged) and renamed only when complete.
    """
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"library-{label}-{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = backup_dir / f"library-{label}-{stamp}-{counter}.db"
    part = target.with_name(f".{target.name}.{os.getpid()}.part")  # two processes never share
    part.unlink(missing_ok=True)
    private_file(part)
    try:
        source = sqlite3.connect(db_path)
        try:
            dest = sqlite3.connect(part)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal
                verdict = dest.execute("PRAGMA quick_check").fetchone()
                if verdict != ("ok",):  # a copy of a damaged file is no backup
                    raise sqlite3.DatabaseError(f"database disk image is malformed ({verdict})")
            finally:
                dest.close()
        finally:
            source.close()
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


# Ordered migrations: MIGRATIONS[n] takes a database at version n to version n + 1.
# Version 0 is an empty file; its step creates the whole current schema.
Migration = Callable[[Connection], None]


def _create_schema(connection: Connection) -> None:
    SQLModel.metadata.create_all(connection)


def _add_merge_provenance(connection: Connection) -> None:
    """v2: paper_merge (what each import merge absorbed) and merge_block (split pairs)."""
    SQLModel.metadata.create_all(connection, tables=[models.PAPER_MERGE, models.MERGE_BLOCK])


def _add_files(connection: Connection) -> None:
    """v3: paper_file (PDFs attached to papers) and file_page (their text per page)."""
    SQLModel.metadata.create_all(connection, tables=[models.PAPER_FILE, models.FILE_PAGE])


def _add_key_generated(connection: Connection) -> None:
    """v4: paper.key_generated (a key Papershelf made up may be remade by a merge); an older
    library's keys count as generated where they have the generated shape for their paper."""
    from storage.metadata.keys import mark_generated_keys

    columns = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(paper)")}
    if "key_generated" not in columns:  # a new file has it from _create_schema
        connection.exec_driver_sql(
            "ALTER TABLE paper ADD COLUMN key_generated BOOLEAN NOT NULL DEFAULT 0"
        )
        mark_generated_keys(connection)


def _add_highlights(connection: Connection) -> None:
    """v5: notes become highlights (integer page, file, colour, rects, annotation identity)
    and reading_position. The note table is rebuilt (SQLite cannot change a column's type):
    a numeric page ("12", "p. 12") becomes the number, other text stays as its label."""
    from storage.records import split_page

    columns = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(note)")}
    if "color" not in columns:  # a new file has it from _create_schema
        connection.exec_driver_sql("DROP INDEX IF EXISTS ix_note_paper")
        connection.exec_driver_sql("ALTER TABLE note RENAME TO note_v4")
        models.NOTE.create(connection)
        rows = connection.exec_driver_sql(
            "SELECT id, paper_id, body, quote, page, created_at, updated_at FROM note_v4"
        ).all()
        values = []
        for note_id, paper_id, body, quote, page, created, updated in rows:
            number, label = split_page(page)
            values.append((note_id, paper_id, body, quote, number, label, created, updated))
        if values:
            connection.exec_driver_sql(
                "INSERT INTO note (id, paper_id, body, quote, page, page_label, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        connection.exec_driver_sql("DROP TABLE note_v4")
    SQLModel.metadata.create_all(connection, tables=[models.READING])


def _add_routine(connection: Connection) -> None:
    """v6: inbox_item (papers waiting for triage), tag_rejection and list_rejection
    (suggestions turned down), smart_list (saved searches). Existing papers start outside
    the Inbox. Idempotent: tables that exist already are left as they are."""
    SQLModel.metadata.create_all(
        connection,
        tables=[models.INBOX, models.TAG_REJECTION, models.LIST_REJECTION, models.SMART_LIST],
    )


MIGRATIONS: dict[int, Migration] = {
    0: _create_schema,
    1: _add_merge_provenance,
    2: _add_files,
    3: _add_key_generated,
    4: _add_highlights,
    5: _add_routine,
}


def migrate(engine: Engine, db_path: Path, backup_dir: Path) -> list[int]:
    """Bring the database to SCHEMA_VERSION; back it up first when it holds data.

    Returns the versions it passed through. Raises LibraryError for a newer schema.
    """
    with engine.connect() as connection:
        current = user_version(connection)
        has_tables = bool(
            connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).scalar()
        )
    if current > SCHEMA_VERSION:
        raise LibraryError(
            f"{db_path}: made by a newer Papershelf (schema {current}, this one knows "
            f"{SCHEMA_VERSION}); upgrade Papershelf to open it"
        )
    if current == SCHEMA_VERSION:
        return []
    if has_tables:
        backup_database(db_path, backup_dir, f"v{current}")
    passed = []
    while current < SCHEMA_VERSION:
        step = MIGRATIONS[current]
        with engine.begin() as connection:
            step(connection)
            current += 1
            connection.exec_driver_sql(f"PRAGMA user_version={current}")
        passed.append(current)
    return passed


def _reason(error: Exception) -> str:
    """SQLite's words for an error (a DatabaseProblem keeps them as .reason)."""
    return str(getattr(error, "reason", None) or getattr(error, "orig", None) or error)


def integrity_problems(engine: Engine) -> list[str]:
    """SQLite's own integrity and foreign-key checks, then a read of every row of every table
    (damage integrity_check can miss shows up there); empty when all is well."""
    try:
        with engine.connect() as connection:
            return _problems(connection)
    except (DBAPIError, LibraryError) as error:  # not even a connection: the header is gone
        return [f"integrity: the database cannot be opened ({_reason(error)})"]


def _problems(connection: Connection) -> list[str]:
    problems: list[str] = []
    try:
        for (row,) in connection.execute(text("PRAGMA integrity_check")):
            if row != "ok":  # SQLite may report several lines in one row: keep it one line
                problems.append("integrity: " + " ".join(str(row).split()))
    except (DBAPIError, LibraryError) as error:
        return [f"integrity: the database cannot be read ({_reason(error)})"]
    try:
        for row in connection.execute(text("PRAGMA foreign_key_check")):
            problems.append(f"foreign key: table {row[0]} row {row[1]} points at missing {row[2]}")
        tables = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table'"
        ).scalars()
        for name in list(tables):
            table = name.replace('"', '""')
            for _row in connection.exec_driver_sql(f'SELECT * FROM "{table}"'):
                pass
    except (DBAPIError, LibraryError) as error:
        problems.append(f"integrity: the database cannot be read in full ({_reason(error)})")
    return problems
