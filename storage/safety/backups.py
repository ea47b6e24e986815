"""The library's `backups/` folder: a verified daily copy of the database, rotated, newest first."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from storage.database import SCHEMA_VERSION, backup_database
from storage.safety.errors import is_damage

__all__ = ["BackupInfo", "list_backups", "newest_backup", "inspect_backup", "daily_backup"]

DAILY_LABEL = "daily"
KEEP_DAILY = 5  # daily copies kept; migration copies (library-vN-…) are never rotated away
DAILY_EVERY_S = 20 * 3600  # "daily", with room for a morning that starts a little earlier


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    papers: int | None  # None when the file cannot be read as a Papershelf database
    problem: str | None  # why it cannot be restored, None when it can


def list_backups(backup_dir: Path) -> list[Path]:
    """Every finished backup (library-*.db) in backup_dir, newest first."""
    if not backup_dir.is_dir():
        return []
    found = [p for p in backup_dir.glob("library-*.db") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def inspect_backup(path: Path, full: bool = True) -> BackupInfo:
    """How many papers path holds, and whether it passes SQLite's integrity_check (its
    quick_check when not full)."""
    if not path.is_file() or path.stat().st_size == 0:
        return BackupInfo(path, None, "the file is missing or empty")
    try:
        connection = _open_read_only(path)
    except sqlite3.Error as error:
        return BackupInfo(path, None, str(error))
    try:
        pragma = "integrity_check" if full else "quick_check"
        verdict = [row[0] for row in connection.execute(f"PRAGMA {pragma}").fetchmany(3)]
        if verdict != ["ok"]:
            return BackupInfo(path, None, f"fails SQLite's integrity check ({verdict[0]})")
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION or version == 0:
            return BackupInfo(path, None, f"not a database this Papershelf can open ({version})")
        papers = int(connection.execute("SELECT count(*) FROM paper").fetchone()[0])
        return BackupInfo(path, papers, None)
    except sqlite3.Error as error:
        return BackupInfo(path, None, str(error))
    finally:
        connection.close()


def newest_backup(backup_dir: Path) -> Path | None:
    """The newest backup that passes SQLite's quick_check (a copy of a damaged file does not)."""
    for path in list_backups(backup_dir):
        if inspect_backup(path, full=False).problem is None:
            return path
    return None


def daily_backup(
    db_path: Path, backup_dir: Path, papers: int, keep: int = KEEP_DAILY
) -> str | None:
    """Copy the database when the newest daily copy is older than a day, check the copy, and
    drop the oldest daily copies beyond `keep`. A copy that fails the check is deleted (the
    older ones stay) and its problem returned: then the live database is damaged too.
    Nothing is copied for an empty library. Failures to write (a full disk) are ignored."""
    if papers == 0:
        return None
    for stale in backup_dir.glob(".library-*.part"):  # left by a copy that was killed
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    dailies = [p for p in list_backups(backup_dir) if p.name.startswith(f"library-{DAILY_LABEL}-")]
    if dailies and time.time() - dailies[0].stat().st_mtime < DAILY_EVERY_S:
        return None
    try:
        made = backup_database(db_path, backup_dir, DAILY_LABEL)
    except sqlite3.Error as error:
        return str(error) if is_damage(error) else None
    except OSError:
        return None  # a full disk or a read-only folder: the older copies stay as they are
    info = inspect_backup(made, full=False)
    if info.problem is not None:
        made.unlink(missing_ok=True)
        return info.problem
    for old in [made, *dailies][keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return None
