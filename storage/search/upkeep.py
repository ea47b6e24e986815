"""Keeping the search index in step with the database: catch-up, rebuilds, checks, notices."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine, delete, select

from storage import reading
from storage.models import QUEUE
from storage.search import (
    IndexBusyError,
    IndexDamagedError,
    IndexWriteError,
    SearchIndex,
    SearchIndexError,
)
from storage.search.schema import FINGERPRINT, doc_fields

log = logging.getLogger(__name__)
T = TypeVar("T")

INDEX_BATCH = 2000  # papers read from the database at a time for the index
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
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Replay the queue (or rebuild); whether the index is in step afterwards. A busy,
        unwritable or damaged index leaves the queue for later and says so. progress(done,
        total): papers indexed so far, of those queued (or in the library, for a rebuild)."""
        with self._lock:
            try:
                if full or self.index.needs_rebuild or self.index.damaged:
                    self.rebuild(wait=wait, why=why or "it was missing or outdated")
                else:
                    self._replay_queue(wait, progress)
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
        self, wait: float | None, progress: Callable[[int, int], None] | None = None
    ) -> None:
        for _round in range(QUEUE_ROUNDS):
            queued = self._read(lambda conn: list(conn.execute(select(QUEUE.c.paper_id)).scalars()))
            if not queued:
                return
            self._reindex(queued, wait, _counted(progress, len(queued)))
            if progress is not None:
                progress(len(queued), len(queued))

    def _reindex(
        self, ids: list[int], wait: float | None, progress: Callable[[int], None] | None = None
    ) -> None:
        # One commit for the whole batch (an import of 100k papers included): the
        # documents are read from the database chunk by chunk as the writer takes them.
        with self.engine.connect() as conn:
            docs = (
                doc
                for part in reading.chunks(ids, INDEX_BATCH)
                for doc in reading.index_docs(conn, part)
            )
            self.index.replace(ids, docs, progress, wait=wait)
        self._dequeue(ids)

    def _dequeue(self, ids: list[int]) -> None:
        with self.engine.begin() as conn:
            for part in reading.chunks(ids):
                conn.execute(delete(QUEUE).where(QUEUE.c.paper_id.in_(part)))

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            return work(conn)

    # -- reading ----------------------------------------------------------------------------

    def matching_ids(
        self, query: str, listed: Callable[[str], list[int]], sort: str, filtered: bool
    ) -> list[int]:
        """Ids matching query, in `sort` order (listed(order) gives the filter's ids) or by
        relevance; papers deleted since the index last caught up are left out."""
        if sort != "relevance":
            wanted = set(self.index.ids_matching(query))
            return [pid for pid in listed(sort) if pid in wanted]
        if filtered:
            return self.index.ids_matching(query, restrict_ids=set(listed("added")))
        # Search-as-you-type on the whole library: the index answers alone. Only when papers
        # wait to be re-indexed (a write could not catch up) may it know ones since deleted.
        matches = self.index.ids_matching(query)
        if self._read(lambda conn: conn.execute(select(QUEUE.c.paper_id).limit(1)).first()):
            existing = set(self._read(reading.all_ids))
            return [pid for pid in matches if pid in existing]
        return matches

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


def _database_fingerprints(conn: Connection) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for part in reading.chunks(reading.all_ids(conn), INDEX_BATCH):
        for doc in reading.index_docs(conn, part):
            fingerprint = doc_fields(doc)[FINGERPRINT]
            assert isinstance(fingerprint, bytes)
            found[doc.id] = fingerprint
    return found
