"""The "in step" note beside the related-papers cache.

Written when a library closes with its term rows exactly as in SQLite, so that the next process
can trust the cache without comparing every paper's updated_at (a scan of the whole paper table:
~0.15-0.6 s at 100k papers).

Every write to the library removes the note first and again after committing, unless the
process keeps the rows in step itself (its engine marks the papers it wrote); an opening
process takes its look at SQLite's data_version before reading the note, and removes it. So a
note that is read was written after the last commit any writer made (no numpy here: writers
that never ask for related papers import this cheaply)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from sqlalchemy.engine import Connection

NOTE_FILE = "related.synced"


def note_path(cache_folder: Path) -> Path:
    return cache_folder / NOTE_FILE


def forget(cache_folder: Path) -> None:
    """Remove the note (a write is about to happen, or has happened)."""
    with contextlib.suppress(OSError):
        note_path(cache_folder).unlink(missing_ok=True)


def database_state(conn: Connection, db_path: Path) -> dict[str, object]:
    """What a foreign writer (an older Papershelf, a restored file) would most likely change:
    the file's identity, the schema version, how many papers and which ids."""
    count, id_sum = conn.exec_driver_sql(
        "SELECT count(*), coalesce(sum(id), 0) FROM paper"
    ).one()  # a covering index: ~10 ms at 100k papers
    version = conn.exec_driver_sql("PRAGMA user_version").scalar()
    return {
        "inode": os.stat(db_path).st_ino,
        "user_version": int(version or 0),
        "papers": int(count),
        "id_sum": int(id_sum),
    }


def write(cache_folder: Path, cache: dict[str, object], state: dict[str, object]) -> None:
    """Write the note: which cache files (their tokens) match the database in which state."""
    path = note_path(cache_folder)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    with contextlib.suppress(OSError):
        with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            json.dump({"cache": cache, "database": state}, out)
        os.replace(part, path)
    with contextlib.suppress(OSError):
        part.unlink(missing_ok=True)


def take(cache_folder: Path) -> dict[str, object] | None:
    """Read and remove the note (None when there is none or it is unreadable)."""
    path = note_path(cache_folder)
    try:
        text = path.read_text()
    except OSError:
        return None
    forget(cache_folder)
    try:
        note = json.loads(text)
    except ValueError:
        return None
    return note if isinstance(note, dict) else None


def holds(
    note: dict[str, object] | None, cache: dict[str, object], state: dict[str, object]
) -> bool:
    """Whether a note taken at opening vouches for these cache files in this database state."""
    return note is not None and note.get("cache") == cache and note.get("database") == state
