"""The library's plumbing: folder, engine, safety guard, index upkeep, one read and write lane."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Self, TypeVar

from platformdirs import user_data_dir
from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage import reading
from storage.database import LibraryError
from storage.files import FileOps
from storage.models import QUEUE
from storage.safety import DatabaseGuard, DatabaseProblem
from storage.search import SearchIndex
from storage.search.upkeep import WRITE_WAIT, IndexUpkeep
from storage.views import Change
from storage.watch import ChangeWatch

__all__ = [
    "LibraryCore",
    "NotFound",
    "changed_papers",
    "default_library_dir",
    "no_papers",
]

T = TypeVar("T")


class NotFound(LibraryError):
    """No paper, tag or list by that name or id."""


def default_library_dir() -> Path:
    """PAPERSHELF_LIBRARY if set, else the platform's data folder for papershelf."""
    return Path(
        os.environ.get("PAPERSHELF_LIBRARY") or user_data_dir("papershelf", appauthor=False)
    )


class LibraryCore:
    """The typed base of storage.Library's parts: a library folder, `library.db` (SQLite),
    `index/` (Whoosh), `backups/`, and the read and write lanes every part goes through."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_library_dir()
        self.db_path = self.folder / "library.db"
        self.safety = DatabaseGuard(self.folder, self.db_path)
        self.safety.prepare()  # folder 0700, database 0600; refuses a lost database
        self._lock = threading.RLock()  # the one write lane
        self._deferred = threading.local()  # .on: this thread's writes leave the index for later
        # Set by a window: its writes ask it to catch the index up (on a thread of its own)
        # instead of writing the index on the thread that wrote the database.
        self.index_catch_up: Callable[[], None] | None = None
        # Sets of paper ids written while an index catch-up runs beside the writes.
        self._written: list[set[int]] = []
        self.engine = self.safety.open_engine()  # watched for damage, migrated (backup first)
        self._files = FileOps(
            self.folder, self._read, self._write, self._catch_up_index, self._catch_up_apart
        )
        self.index = SearchIndex(self.folder / "index")
        self._upkeep = IndexUpkeep(self.engine, self.index, self._lock)
        try:
            self._repair_index_at_open()
            self.safety.opened(self._read(reading.stats).papers)  # the marker, daily backup
        except DBAPIError as error:
            self.close()
            raise self.safety.problem(error) from None
        except DatabaseProblem:
            self.close()
            raise

    def close(self) -> None:
        with contextlib.suppress(DBAPIError, LibraryError):
            self.safety.opened(self._read(reading.stats).papers)  # marker, daily backup
        self.index.close()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            return work(conn)

    def _write(
        self,
        work: Callable[[Connection], T],
        papers: Callable[[T], Iterable[int]],
        catch_up: bool = True,
    ) -> T:
        """Run work in one transaction, queue the papers it touched, then update the index
        (unless catch_up is False: many small writes in a row catch up once, after them)."""
        with self._lock:
            self.safety.before_write(self.engine)  # refuses a damaged database
            with self.engine.begin() as conn:
                result = work(conn)
                ids = list(papers(result))
                if ids:
                    conn.execute(
                        insert(QUEUE).prefix_with("OR IGNORE"), [{"paper_id": i} for i in ids]
                    )
                for written in self._written:
                    written.update(ids)
            if catch_up and not getattr(self._deferred, "on", False):
                self._catch_up_index()
            return result

    @contextlib.contextmanager
    def index_later(self) -> Iterator[None]:
        """Writes made inside, on this thread, are committed without bringing the index up to
        them: their papers stay queued until catch_up_index() (an import shows its papers as
        soon as they are stored, and indexes them after)."""
        before = getattr(self._deferred, "on", False)
        self._deferred.on = True
        try:
            yield
        finally:
            self._deferred.on = before

    def catch_up_index(self, progress: Callable[[int, int], None] | None = None) -> bool:
        """Bring the index up to the database now (the papers queued by writes made with
        index_later(), or by another process); progress(done, total) while it indexes.
        Whether the index is in step afterwards (a busy or unwritable one says so in notices)."""
        return self._upkeep.catch_up(wait=WRITE_WAIT, progress=progress)

    def _repair_index_at_open(self) -> None:
        """A missing, outdated or out-of-step index is caught up or rebuilt before first use,
        unless another process is writing it (then searches say it is catching up)."""
        self._upkeep.at_open()

    def _catch_up_index(self, full: bool = False, spread: bool = False) -> None:
        """Bring the index up to the database: replay the queue, or rebuild when asked to.
        A busy, unwritable or damaged index leaves the queue for later, with a notice.
        With index_catch_up set, a replay is handed to it (the queue keeps the papers)."""
        if not full and self.index_catch_up is not None:
            self.index_catch_up()
            return
        self._upkeep.catch_up(full=full, wait=None if full else WRITE_WAIT, spread=spread)

    def _catch_up_apart(self, spread: bool | Callable[[], bool] = False) -> None:
        """Catch the index up with the papers queued now while writes go on (a long PDF
        import records the next files meanwhile); the papers written meanwhile stay queued.
        With index_catch_up set, it is handed to that instead."""
        if self.index_catch_up is not None:
            self.index_catch_up()
            return
        written: set[int] = set()
        with self._lock:
            self._written.append(written)
        try:
            self._upkeep.catch_up_apart(written, spread=spread)
        finally:
            with self._lock:
                self._written.remove(written)

    def change_watch(self) -> ChangeWatch:
        """A watch that says when another connection (a command, another window) committed
        to this library's database; the window polls it while idle."""
        return ChangeWatch(self.db_path)

    @property
    def notices(self) -> list[str]:
        """One-line notes about the search index (catching up, rebuilt, not writable)."""
        return list(self._upkeep.notices)

    @property
    def index_catching_up(self) -> bool:
        """Whether searches may miss recent changes until another process catches up."""
        return self._upkeep.catching_up


def changed_papers(change: Change) -> frozenset[int]:
    """The papers a change touched: _write queues them for the index."""
    return change.paper_ids


def no_papers(_change: Change) -> tuple[int, ...]:
    """For changes (to reading lists) that the index does not see."""
    return ()
