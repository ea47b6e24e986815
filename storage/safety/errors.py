"""SQLite failures as one-line LibraryErrors that name the file: damaged, full, read-only, lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from storage.database import LibraryError

__all__ = [
    "DatabaseProblem",
    "DatabaseDamaged",
    "DatabaseFull",
    "DatabaseReadOnly",
    "DatabaseLost",
    "translate",
    "sqlite_error",
    "restore_hint",
    "is_busy",
]

# SQLite's primary result codes (the low byte of an extended code).
_CORRUPT, _NOTADB, _FULL, _READONLY, _CANTOPEN, _PERM, _IOERR = 11, 26, 13, 8, 14, 3, 10
_BUSY, _LOCKED = 5, 6


class DatabaseProblem(LibraryError):
    """The database file could not be used as asked; `reason` is SQLite's own words."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class DatabaseDamaged(DatabaseProblem):
    """The file fails SQLite's integrity check or cannot be read; writes are refused."""


class DatabaseFull(DatabaseProblem):
    """The disk (or SQLite's page limit) is full; the transaction was rolled back."""


class DatabaseReadOnly(DatabaseProblem):
    """The database file or its folder cannot be written."""


class DatabaseLost(DatabaseProblem):
    """library.db is missing or empty although the library held papers; nothing was started."""

    def __init__(self, message: str, backup: Path | None) -> None:
        super().__init__(message)
        self.backup = backup


def sqlite_error(error: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error behind error (a SQLAlchemy DBAPIError wraps it as .orig), if any."""
    if isinstance(error, sqlite3.Error):
        return error
    orig = getattr(error, "orig", None)
    return orig if isinstance(orig, sqlite3.Error) else None


def is_busy(error: BaseException) -> bool:
    """Whether error is SQLite's "database is locked": another connection held the write
    lock past the busy timeout (nothing was written; the same write may be tried again)."""
    found = sqlite_error(error)
    if found is None:
        return False
    code = getattr(found, "sqlite_errorcode", 0) & 0xFF
    return code in (_BUSY, _LOCKED) or "database is locked" in str(found).lower()


def restore_hint(backup: Path | None, backup_dir: Path) -> str:
    if backup is None:
        return f"there is no backup in {backup_dir}; export what can still be read"
    return f"run `papershelf restore` to go back to the newest backup ({backup})"


def is_damage(error: BaseException) -> bool:
    found = sqlite_error(error)
    if found is None:
        return False
    code = getattr(found, "sqlite_errorcode", 0) & 0xFF
    text = str(found).lower()
    return code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text


def is_file_problem(error: BaseException) -> bool:
    """Damage, a full disk, no permission to write, an I/O error: the file's state, not a bug or
    a constraint (those stay SQLAlchemy's own errors for the code that expects them)."""
    found = sqlite_error(error)
    if found is None:
        return False
    code = getattr(found, "sqlite_errorcode", 0) & 0xFF
    lowered = str(found).lower()
    return (
        is_damage(found)
        or code in (_FULL, _READONLY, _PERM, _CANTOPEN, _IOERR)
        or "disk is full" in lowered
        or "readonly" in lowered
    )


def translate(
    error: BaseException, db_path: Path, backup: Callable[[], Path | None], backup_dir: Path
) -> DatabaseProblem:
    """The one-line error for a sqlite3 (or SQLAlchemy-wrapped) error on db_path."""
    found = sqlite_error(error)
    reason = (str(found if found is not None else error).strip().splitlines() or ["?"])[0]
    code = getattr(found, "sqlite_errorcode", 0) & 0xFF
    lowered = reason.lower()
    if is_damage(error):
        return DatabaseDamaged(
            f"{db_path}: the database is damaged ({reason}); " + restore_hint(backup(), backup_dir),
            reason,
        )
    if code == _FULL or "disk is full" in lowered:
        return DatabaseFull(
            f"{db_path}: could not be written, the disk is full ({reason}); nothing was changed",
            reason,
        )
    if code in (_READONLY, _PERM, _CANTOPEN) or "readonly" in lowered:
        return DatabaseReadOnly(
            f"{db_path}: cannot be written ({reason}); check the permissions of the file and "
            "its folder; nothing was changed",
            reason,
        )
    if code == _IOERR:
        return DatabaseProblem(
            f"{db_path}: could not be read or written ({reason}); nothing was changed", reason
        )
    return DatabaseProblem(f"{db_path}: database error ({reason})", reason)
