"""Keeping the search index in step with the database: catch-up, rebuilds, checks, notices."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine, delete, func, select

from storage import reading
from storage.models import FILE_PAGE, PAPER_FILE, QUEUE
from storage.search import (
    IndexBusyError,
    IndexDamagedError,
    IndexWriteError,
    Matches,
    SearchIndex,
    SearchIndexError,
)
from storage.search.schema import fingerprint_of

log = logging.getLogger(__name__)
T = TypeVar("T")

INDEX_BATCH = 2000  # papers read from the database at a time for the index
PAGES_BATCH = 100  # the same when they have PDF text (~50 KB a paper)
WRITE_WAIT = 2.0  # seconds an edit waits for another process's index write
CATCHING_UP = "the search index is catching up; results may be incomplete"
STALE_AFTER_WRITE = (
    "the search index is busy (another Papershelf is updating it); "
    "this change is saved and will be searchable once it catches up"
)
QUEUE_ROUNDS = 3  # queue replays per catch-up (papers queued meanwhile by other processes)


class IndexUpkeep:
    """The Library's side of the index: what to re-index, when to rebuild, what to tell."""

    def __init__(self, engine: Engine, index: SearchIndex, lock: threading.RLock) -> None:
        self.engine = engine
        self.index = index
        self._lock = lock
        self.notices: list[str] = []  # one line each, for the CLI (stderr) or the window
        self.repaired: list[str] = []  # repairs done without being asked (open, search)
        self.stale = False  # another process held the index when it had to catch up

    @property
    def catching_up(self) -> bool:
        """Whether searches may miss recent changes until another process catches up."""
        return self.stale or self.index.catching_up

    def note(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)
        log.info("%s", text)

    # -- catching up ----------------------------------------------------------------------

    def at_open(self) -> None:
        """Catch up or rebuild a missing, outdated or damaged index, never waiting for the
        lock: a reader searches what the index has while another process writes it."""
        index = self.index
        if index.problem:
            self.note(index.problem)
        if index.catching_up:
            self.note(CATCHING_UP)
            return
        if index.needs_rebuild or index.damaged:
            why = "it was damaged" if index.damaged else "it was missing or outdated"
            self.catch_up(full=True, wait=0.0, why=why)
            return
        if not self.catch_up(wait=0.0):
            return
        try:
            held = index.doc_count()
        except IndexDamagedError:
            self.catch_up(full=True, wait=0.0, why="it could not be read")
            return
        papers = self._read(lambda conn: len(reading.all_ids(conn)))
        if held != papers:
            self.catch_up(full=True, wait=0.0, why=f"it held {held} of {papers} papers")

    def catch_up(
        self,
        full: bool = False,
        wait: float | None = None,
        why: str = "",
        spread: bool = False,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Replay the queue (or rebuild); whether the index is in step afterwards. A busy,
        unwritable or damaged index leaves the queue for later and says so. spread: PDF text
        may be indexed on every core (nothing else is running). progress(done, total): papers
        indexed so far, of those queued (or in the library, for a rebuild)."""
        with self._lock:
            try:
                if full or self.index.needs_rebuild or self.index.damaged:
                    self.rebuild(wait=wait, why=why or "it was missing or outdated")
                else:
                    self._replay_queue(wait, spread, progress)
                self.stale = False
                return True
            except IndexBusyError:
                self.stale = True
                self.note(CATCHING_UP if wait == 0.0 else STALE_AFTER_WRITE)
            except IndexWriteError as error:
                self.note(f"{error}; it will catch up once it can be written")
            except IndexDamagedError as error:
                if full:
                    self.note(str(error))
                    return False
                log.warning("%s", error)
                return self.catch_up(full=True, wait=wait, why="it could not be read")
            return False

    def rebuild(self, wait: float | None = None, why: str = "", fresh: bool = False) -> int:
        """Rebuild the index from the database; raises SearchIndexError."""
        with self._lock, self.engine.connect() as conn:
            queued = list(conn.execute(select(QUEUE.c.paper_id)).scalars())
            ids = reading.all_ids(conn)
            count = self.index.rebuild(
                (
                    doc
                    for part in reading.chunks(ids, INDEX_BATCH)
                    for doc in reading.index_docs(conn, part)
                ),
                wait=wait,
                fresh=fresh,
            )
        self._dequeue(queued)  # papers queued meanwhile stay for the next catch-up
        self.stale = False
        if why and count:
            done = f"rebuilt the search index ({count} papers; {why})"
            self.repaired.append(done)
            self.note(done)
        return count

    def _replay_queue(
        self,
        wait: float | None,
        spread: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        for _round in range(QUEUE_ROUNDS):
            queued = self._read(lambda conn: list(conn.execute(select(QUEUE.c.paper_id)).scalars()))
            if not queued:
                return
            self._reindex(queued, wait, spread, _counted(progress, len(queued)))
            if progress is not None:
                progress(len(queued), len(queued))

    def _reindex(
        self,
        ids: list[int],
        wait: float | None,
        spread: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self._index_papers(ids, wait, spread, progress)
        self._dequeue(ids)

    def _index_papers(
        self,
        ids: list[int],
        wait: float | None,
        spread: bool | Callable[[], bool],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        # One commit for the whole batch (an import of 100k papers included): the
        # documents are read from the database chunk by chunk as the writer takes them.
        with self.engine.connect() as conn:
            pages = _page_count(conn, ids)
            batch = PAGES_BATCH if pages else INDEX_BATCH
            docs = (
                doc for part in reading.chunks(ids, batch) for doc in reading.index_docs(conn, part)
            )
            self.index.replace(ids, docs, progress, wait=wait, pages=pages, spread=spread)

    def catch_up_apart(self, written: set[int], spread: bool | Callable[[], bool] = False) -> bool:
        """Index the papers queued now while writes go on: the write lane is held only to
        read the queue and to take those papers off it. The Library adds the papers written
        meanwhile to `written`; they stay queued for the next catch-up (their new version
        may have come after the one indexed here). Whether it caught up with them; an index
        that needs more than this (busy, damaged, to be rebuilt) is left to catch_up()."""
        with self._lock:
            if self.index.needs_rebuild or self.index.damaged:
                return False
            queued = self._read(lambda conn: list(conn.execute(select(QUEUE.c.paper_id)).scalars()))
        if not queued:
            return True
        try:
            self._index_papers(queued, WRITE_WAIT, spread)
        except SearchIndexError as error:  # the queue stays: the next catch_up() deals with it
            log.info("index catch-up beside the writes: %s", error)
            return False
        with self._lock:
            self._dequeue([pid for pid in queued if pid not in written])
        return True

    def _dequeue(self, ids: list[int]) -> None:
        with self.engine.begin() as conn:
            for part in reading.chunks(ids):
                conn.execute(delete(QUEUE).where(QUEUE.c.paper_id.in_(part)))

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            return work(conn)

    # -- reading ----------------------------------------------------------------------------

    def matching(
        self, query: str, listed: Callable[[str], list[int]], sort: str, filtered: bool
    ) -> Matches:
        """Papers matching query, in `sort` order (listed(order) gives the filter's ids) or by
        relevance, from one evaluation (its matched words give any of them a snippet); papers
        deleted since the index last caught up are left out."""
        if sort != "relevance":
            found = self.index.matches(query)
            wanted = set(found.ids)
            return found.narrowed([pid for pid in listed(sort) if pid in wanted])
        if filtered:
            return self.index.matches(query, restrict_ids=set(listed("added")))
        # Search-as-you-type on the whole library: the index answers alone. Only when papers
        # wait to be re-indexed (a write could not catch up) may it know ones since deleted.
        found = self.index.matches(query)
        if self._read(lambda conn: conn.execute(select(QUEUE.c.paper_id).limit(1)).first()):
            existing = set(self._read(reading.all_ids))
            return found.narrowed([pid for pid in found.ids if pid in existing])
        return found

    def read(self, work: Callable[[], T]) -> T:
        """Run a search; a damaged index is rebuilt from the database (said in a notice)
        and the search run again. Raises SearchIndexError when that cannot be done."""
        try:
            return work()
        except IndexDamagedError as error:
            log.warning("%s", error)
            with self._lock:
                if self.index.damaged:
                    self.rebuild(why="it could not be read", fresh=True)
            return work()

    # -- checking ---------------------------------------------------------------------------

    def check(self, repair: bool = False, rebuild: bool = False) -> tuple[list[str], list[str]]:
        """(problems, repairs): index files against their checksums, and every paper's
        fingerprint in the index against the database's."""
        file_problems = self.index.verify_files()
        problems = list(file_problems)
        if self.index.catching_up:
            problems.append("index: another Papershelf is writing the search index; check later")
        try:
            indexed: dict[int, bytes] | None = self.index.fingerprints()
        except SearchIndexError as error:
            problems.append(f"index: {error}")
            indexed = None
        expected = self._read(_database_fingerprints)
        differing: set[int] = set()
        if indexed is not None:
            missing = expected.keys() - indexed.keys()
            extra = indexed.keys() - expected.keys()
            both = expected.keys() & indexed.keys()
            changed = {pid for pid in both if indexed[pid] != expected[pid]}
            if missing:
                problems.append(f"index: {len(missing)} papers missing from the search index")
            if extra:
                problems.append(f"index: {len(extra)} deleted papers still in the search index")
            if changed:
                problems.append(f"index: {len(changed)} papers differ from the database")
            differing = missing | extra | changed
        queued = self._read(lambda conn: conn.execute(select(QUEUE.c.paper_id)).all())
        if queued:
            problems.append(f"index: {len(queued)} papers waiting to be re-indexed")
        # Repairs made at open are reported; with problems left and no repair asked for,
        # the notices carry them instead (a report's repairs answer its problems).
        repaired = list(self.repaired) if repair or rebuild or not problems else []
        wanted = rebuild or (repair and any(p.startswith("index:") for p in problems))
        if not wanted:
            return problems, repaired
        few = indexed is not None and len(differing) <= max(50, len(expected) // 10)
        files_bad = indexed is None or bool(file_problems)
        with self._lock:
            if rebuild or files_bad or not few:
                count = self.rebuild(wait=self.index.lock_timeout, fresh=files_bad)
                why = f"{len(differing)} papers differed" if differing else "as asked"
                if files_bad:
                    why = "its files were damaged"
                repaired.append(f"rebuilt the search index ({count} papers; {why})")
            else:
                if differing:
                    self._reindex(sorted(differing), self.index.lock_timeout)
                self._replay_queue(self.index.lock_timeout)
                repaired.append(f"re-indexed the search index ({len(differing)} papers differed)")
        return problems, repaired


def _counted(
    progress: Callable[[int, int], None] | None, total: int
) -> Callable[[int], None] | None:
    """A replace() progress callback reporting (done, total); called once at 0 here."""
    if progress is None:
        return None
    progress(0, total)
    return lambda done: progress(min(done, total), total)


def _page_count(conn: Connection, ids: list[int]) -> int:
    """How many pages of PDF text the papers have (the index writes them differently)."""
    total = 0
    for part in reading.chunks(ids):
        total += conn.execute(
            select(func.count())
            .select_from(FILE_PAGE)
            .join(PAPER_FILE, PAPER_FILE.c.id == FILE_PAGE.c.file_id)
            .where(PAPER_FILE.c.paper_id.in_(part))
        ).scalar_one()
    return total


def _database_fingerprints(conn: Connection) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for part in reading.chunks(reading.all_ids(conn), INDEX_BATCH):
        for doc in reading.index_docs(conn, part):
            found[doc.id] = fingerprint_of(doc)
    return found
