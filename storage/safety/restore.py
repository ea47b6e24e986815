"""`papershelf restore`: put a checked backup in place of library.db in one rename.

Keeps the replaced files, and queues every paper so the search index catches up at the next
open."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.database import LibraryError, private_file
from storage.models import PAPER, QUEUE
from storage.safety.backups import inspect_backup, list_backups, newest_backup
from storage.safety.guard import DatabaseGuard

__all__ = ["RestoreReport", "restore_backup", "choose_backup"]


@dataclass(frozen=True)
class RestoreReport:
    backup: Path
    papers: int
    kept: Path | None  # where the replaced database files were moved, None if there were none

    def summary(self) -> str:
        kept = f"; the replaced database is kept in {self.kept}" if self.kept else ""
        return f"restored {self.papers} papers from {self.backup}{kept}"


def choose_backup(folder: Path, name: str | None) -> Path:
    """The backup to restore: the one named (a path, or a file name in backups/), else the newest
    one that passes SQLite's check."""
    backup_dir = folder / "backups"
    if name:
        given = Path(name).expanduser()
        if not given.exists() and (backup_dir / name).exists():
            given = backup_dir / name
        return given
    newest = newest_backup(backup_dir)
    if newest is not None:
        return newest
    backups = list_backups(backup_dir)
    if backups:
        raise LibraryError(
            f"{backup_dir}: none of the {len(backups)} backups passes SQLite's check"
        )
    raise LibraryError(f"{backup_dir}: there is no backup to restore")


def _sync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _prepare_copy(backup: Path, part: Path) -> None:
    """A self-contained copy of backup at part (0600) with every paper queued for the index."""
    part.unlink(missing_ok=True)
    private_file(part)
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(part)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            with dest:
                dest.execute(
                    f"INSERT OR IGNORE INTO {QUEUE.name} (paper_id) SELECT id FROM {PAPER.name}"
                )
        finally:
            dest.close()
    finally:
        source.close()
    _sync(part)


def restore_backup(folder: Path, name: str | None = None) -> RestoreReport:
    """Replace folder/library.db by a backup after checking it (integrity_check in full).

    The live database, its -wal and -shm move to backups/replaced-STAMP/ first (a stale -wal
    must never be replayed onto the restored file); then one rename puts the copy in place.
    Close every window and command on this library first. Raises LibraryError naming the file.
    """
    db_path = folder / "library.db"
    backup = choose_backup(folder, name)
    info = inspect_backup(backup, full=True)
    if info.problem is not None or info.papers is None:
        raise LibraryError(f"{backup}: cannot be restored ({info.problem})")
    part = folder / ".library.db.restoring"
    try:
        _prepare_copy(backup, part)
    except (OSError, sqlite3.Error) as error:
        part.unlink(missing_ok=True)
        raise LibraryError(f"{backup}: could not be copied into {folder} ({error})") from None
    live = [db_path.with_name(db_path.name + s) for s in ("", "-wal", "-shm")]
    kept: Path | None = None
    try:
        if any(p.exists() and p.stat().st_size > 0 for p in live):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept = folder / "backups" / f"replaced-{stamp}"
            kept.mkdir(mode=0o700, parents=True, exist_ok=True)
            if db_path.exists():
                try:  # the old file stays in place until the rename
                    os.link(db_path, kept / db_path.name)
                except OSError:
                    shutil.copy2(db_path, kept / db_path.name)
            for extra in live[1:]:
                if extra.exists():
                    os.replace(extra, kept / extra.name)
        os.replace(part, db_path)
    except OSError as error:
        part.unlink(missing_ok=True)
        raise LibraryError(f"{db_path}: could not be replaced ({error.strerror})") from None
    _sync(folder)
    guard = DatabaseGuard(folder, db_path)
    guard.clear_damage()
    guard.record(info.papers)
    return RestoreReport(backup=backup, papers=info.papers, kept=kept)
