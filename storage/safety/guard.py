"""Opening a library safely.

Private modes, a marker of what it held, refusing a lost or damaged database, and a daily
verified backup."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError

from storage.database import (
    LibraryError,
    create_library_engine,
    integrity_problems,
    migrate,
    private_file,
)
from storage.safety.backups import daily_backup, inspect_backup, list_backups, newest_backup
from storage.safety.errors import (
    DatabaseDamaged,
    DatabaseLost,
    DatabaseProblem,
    is_file_problem,
    restore_hint,
    translate,
)
from storage.views import CheckReport

__all__ = ["DatabaseGuard", "MARKER", "DAMAGED_FLAG"]

MARKER = "papershelf.json"  # {"papers": N} at the last open or close: what the library held
DAMAGED_FLAG = "library.damaged"  # present (holding the reason) once the database failed a check
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def _write_private(path: Path, text: str) -> None:
    """Replace path with text (mode 0600), never leaving a half-written file."""
    part = path.with_name(f".{path.name}.part")
    part.unlink(missing_ok=True)
    private_file(part)
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def _index_papers(index_dir: Path) -> int:
    """How many papers the search index holds, read without opening it for writing; 0 if none."""
    if not index_dir.is_dir():
        return 0
    try:
        from whoosh.index import open_dir

        from storage.search.schema import INDEX_NAME

        ix = open_dir(str(index_dir), indexname=INDEX_NAME, readonly=True)
        try:
            return int(ix.doc_count())
        finally:
            ix.close()
    except Exception:  # absent, foreign or damaged: it says nothing either way
        return 0


def _tighten(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):
        if path.exists() and path.stat().st_uid == os.getuid():
            os.chmod(path, mode)


class DatabaseGuard:
    """What Library asks before it opens, before it writes and after a check."""

    def __init__(self, folder: Path, db_path: Path) -> None:
        self.folder, self.db_path = folder, db_path
        self.backup_dir = folder / "backups"
        self._verified = False  # quick_check passed in this process (done before the first write)

    # -- opening ----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create the folder (0700) and the database file (0600); refuse a lost database."""
        created = not self.folder.exists()
        for path in (self.folder, *self.folder.parents):  # the first existing part must be a folder
            if path.exists():
                if not path.is_dir():
                    raise LibraryError(f"{path}: is a file, not a folder (a library is a folder)")
                break
        try:
            self.folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        except OSError as error:
            raise LibraryError(
                f"{self.folder}: cannot create the library folder ({error.strerror})"
            ) from None
        if created:
            _tighten(self.folder, PRIVATE_DIR)
        if not os.access(self.folder, os.W_OK):
            raise LibraryError(f"{self.folder}: the library folder is not writable")
        if not (self.folder / MARKER).exists():
            self._tighten_existing()
        self._refuse_lost()
        try:
            private_file(self.db_path)
        except OSError as error:
            raise LibraryError(f"{self.db_path}: cannot be created ({error.strerror})") from None

    def _tighten_existing(self) -> None:
        """A library made before modes were private (no marker yet) becomes private once."""
        if not self.db_path.exists():
            return
        _tighten(self.folder, PRIVATE_DIR)
        for name in ("", "-wal", "-shm"):
            _tighten(self.db_path.with_name(self.db_path.name + name), PRIVATE_FILE)
        for folder in (self.backup_dir, self.folder / "index"):
            _tighten(folder, PRIVATE_DIR)
        for backup in list_backups(self.backup_dir):
            _tighten(backup, PRIVATE_FILE)

    def _refuse_lost(self) -> None:
        if self.db_path.exists() and self.db_path.stat().st_size > 0:
            return
        held: list[tuple[int, str]] = [(self.marked_papers(), MARKER)]
        usable = None
        for path in list_backups(self.backup_dir):
            info = inspect_backup(path, full=False)
            if info.papers is not None:
                usable = path
                held.append((info.papers, f"backup {path.name}"))
                break
        held.append((_index_papers(self.folder / "index"), "the search index"))
        papers, source = max(held)
        if papers == 0:
            return
        state = "missing" if not self.db_path.exists() else "empty (0 bytes)"
        raise DatabaseLost(
            f"{self.db_path}: the database is {state} but this library held {papers} papers "
            f"(says {source}); not starting an empty library over it; "
            + (
                restore_hint(usable, self.backup_dir)
                if usable is not None
                else f"no backup in {self.backup_dir}: put library.db back from a copy of your "
                f"own, or move {self.folder} away to start afresh"
            ),
            usable,
        )

    def marked_papers(self) -> int:
        try:
            return int(json.loads((self.folder / MARKER).read_text(encoding="utf-8"))["papers"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0

    def opened(self, papers: int) -> None:
        """After a successful open or before a close: note what the library holds and make
        the daily backup if it is due."""
        self.record(papers)
        problem = daily_backup(self.db_path, self.backup_dir, papers)
        if problem is not None:
            self.note_damage(problem)

    def record(self, papers: int) -> None:
        """Keep the marker's paper count (best effort: a full disk must not stop anything)."""
        if (self.folder / MARKER).exists() and self.marked_papers() == papers:
            return
        with contextlib.suppress(OSError):
            _write_private(self.folder / MARKER, json.dumps({"papers": papers}) + "\n")

    # -- damage -----------------------------------------------------------------------------

    def watch(self, engine: Engine) -> None:
        """Every damaged, full or read-only error on engine's connections (statements, fetches,
        connecting) is raised as the one-line DatabaseProblem instead of SQLAlchemy's."""

        def on_error(context: ExceptionContext) -> None:
            if is_file_problem(context.original_exception):
                raise self.problem(context.original_exception)

        event.listen(engine, "handle_error", on_error)

    def open_engine(self) -> Engine:
        """The database's engine, watched (damaged, full, read-only: one-line DatabaseProblems)
        and migrated (a backup before that); raises the DatabaseProblem if it cannot be."""
        engine = create_library_engine(self.db_path)
        self.watch(engine)
        try:
            migrate(engine, self.db_path, self.backup_dir)
        except (DBAPIError, sqlite3.DatabaseError) as error:  # the backup before it included
            engine.dispose()
            raise self.problem(error) from None
        except DatabaseProblem:
            engine.dispose()
            raise
        return engine

    def problem(self, error: BaseException) -> DatabaseProblem:
        """The one-line error for a database error; damage is remembered for later writes."""
        found = translate(
            error, self.db_path, lambda: newest_backup(self.backup_dir), self.backup_dir
        )
        if isinstance(found, DatabaseDamaged):
            self.note_damage(found.reason)
        return found

    def damaged(self, reason: str) -> DatabaseDamaged:
        reason = " ".join(reason.split())  # the message stays one line
        return DatabaseDamaged(
            f"{self.db_path}: the database is damaged ({reason}); writes are refused; "
            + restore_hint(newest_backup(self.backup_dir), self.backup_dir),
            reason,
        )

    def noted_damage(self) -> str | None:
        try:
            return (self.folder / DAMAGED_FLAG).read_text(encoding="utf-8").strip() or "damaged"
        except OSError:
            return None

    def note_damage(self, reason: str) -> None:
        with contextlib.suppress(OSError):
            _write_private(self.folder / DAMAGED_FLAG, reason.splitlines()[0] + "\n")

    def clear_damage(self) -> None:
        with contextlib.suppress(OSError):
            (self.folder / DAMAGED_FLAG).unlink(missing_ok=True)
        self._verified = True

    def before_write(self, engine: Engine) -> None:
        """Refuse to write into a database known to be damaged, or failing quick_check (run
        once per process, before its first write)."""
        noted = self.noted_damage()
        if noted is not None:
            raise self.damaged(noted)
        if self._verified:
            return
        try:
            with engine.connect() as connection:
                verdict = connection.exec_driver_sql("PRAGMA quick_check").fetchmany(1)
        except DBAPIError as error:
            raise self.problem(error) from None
        first = str(verdict[0][0]) if verdict else "no answer"
        if first != "ok":
            self.note_damage(first)
            raise self.damaged(first)
        self._verified = True

    def checked(self, problems: list[str]) -> str | None:
        """After `check`: remember or forget damage; returns the restore hint when damaged."""
        damage = [p for p in problems if p.startswith("integrity:")]
        if not damage:
            self.clear_damage()
            return None
        self.note_damage(damage[0].removeprefix("integrity:").strip())
        return "database: " + restore_hint(newest_backup(self.backup_dir), self.backup_dir)

    def check(
        self, engine: Engine, index_check: Callable[[], tuple[list[str], list[str]]]
    ) -> CheckReport:
        """SQLite integrity, then (unless the database is damaged) index_check's (problems,
        repairs); a damaged database gets the restore hint and refuses writes."""
        problems = integrity_problems(engine)
        restore_hint = self.checked(problems)
        if restore_hint is not None:  # the rest would read a damaged file: report, refuse writes
            return CheckReport(problems=(*problems, restore_hint), repaired=())
        index_problems, repaired = index_check()
        problems += index_problems
        return CheckReport(problems=tuple(problems), repaired=tuple(repaired))
