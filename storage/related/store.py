"""The term rows of every paper, kept in step with SQLite.

A base (every row as of the last merge, with the TF-IDF arrays derived from it, memory-mapped
from cache/related.arrays) and the rows of papers changed since (a small delta, in memory and in
cache/related-delta.arrays). An edit reads only the papers it touched; the delta is folded into
a new base when it grows."""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import String, select, type_coerce
from sqlalchemy.engine import Connection

from storage.models import PAPER
from storage.reading import chunks, notes_by_paper, tags_by_paper
from storage.related import sync
from storage.related.arrays import ArrayFileError
from storage.related.files import BASE_FILE, DELTA_FILE, CacheFiles, no_stamps, stamps_of
from storage.related.results import Cancelled
from storage.related.rows import Rows, Vocabulary
from storage.related.text import Terms
from storage.watch import ChangeWatch

READ_CHUNK = 500
MERGE_SHARE = 32  # changed rows are folded into a new base once they are 1/32 of it...
MERGE_ENTRIES = 250_000  # ...or at once while the base has fewer entries (cheap to rebuild)
DELTA_SAVE = 64  # papers read again before the delta file is written (and at close)
CancelFn = Callable[[], bool]
Derive = Callable[[Rows, int], dict[str, np.ndarray]]


class TermStore(CacheFiles):
    """The term rows of every paper, brought up to date on demand.

    SQLite stays the truth. A look at its data_version (storage.watch) tells whether anyone
    committed; then every paper's updated_at is compared with the rows' and only the papers
    that differ, new ones and deleted ones are read again. Writes of this process name their
    papers (mark): those are read again without the comparison (updated_at has whole seconds,
    so it may not show a second edit)."""

    def __init__(
        self, folder: Path | None, db_path: Path | None, derive: Derive, pairs: bool = True
    ) -> None:
        self.folder = folder
        self.db_path = db_path
        self.derive = derive
        self.lock = threading.RLock()
        self.terms = Terms(pairs=pairs)
        self._watch: ChangeWatch | None = None  # made at the first look (its baseline)
        self._watch_lock = threading.Lock()  # looks come from readers and the write lane
        self.generation = 0  # bumped whenever the base is replaced
        self.delta_version = 0  # bumped whenever the delta or the dead rows change
        self._loaded = False
        self._dirty = True  # someone else may have written: compare every stamp
        self._marked: set[int] = set()
        self._reset()

    def _reset(self) -> None:
        self.base = Rows.empty()
        self.base_stamps = no_stamps()
        self.derived = self.derive(self.base, 0)
        self.delta = Rows.empty()
        self.delta_stamps = no_stamps()
        self.dead = np.zeros(0, bool)  # base rows deleted or read again (then in the delta)
        self.vocabulary = Vocabulary()
        self.base_vocabulary = 0  # terms the base file knows (the delta file adds the rest)
        self.token = secrets.token_hex(8)  # names the base, for the delta file
        self.delta_token: str | None = None  # names the delta file that holds the delta
        self.unsaved = 0
        self.generation += 1
        self.delta_version += 1

    def _committed(self) -> bool:
        """Whether anyone may have committed since the last look: SQLite's data_version on a
        connection of the watch's own (µs); True at the first look, and when a look fails."""
        if self.db_path is None:
            return True
        with self._watch_lock:
            if self._watch is None:
                self._watch = ChangeWatch(self.db_path)  # its first look
                return True
            return self._watch.changed_or_unknown()

    # --- writes of this process ------------------------------------------------------------

    def before_write(self) -> None:
        """Called before a write of this process: a commit seen now was someone else's."""
        if self._committed():
            self._dirty = True

    def after_write(self, ids: Sequence[int]) -> None:
        """Called after a write of this process committed, with the papers it touched: they
        are read again at the next refresh, and the commit seen now is that write."""
        with self.lock:
            self._marked.update(ids)
        self._committed()

    def mark(self, ids: Sequence[int]) -> None:
        """Papers to read again at the next refresh."""
        with self.lock:
            self._marked.update(ids)

    # --- keeping up with the database ----------------------------------------------------

    def refresh(self, conn: Connection, cancel: CancelFn | None = None) -> bool:
        """Bring the rows up to the database; True when they changed. Raises Cancelled
        (nothing is changed then)."""
        with self.lock:
            if not self._loaded:
                self._loaded = True
                self._load()
                self._dirty = not self._opened_in_step(conn)
            elif self._committed():
                self._dirty = True
            marked = set(self._marked)
            if not self._dirty and not marked:
                return False
            try:
                changed = self._catch_up(conn, None if self._dirty else marked, cancel)
            except ArrayFileError:  # the saved vocabulary is damaged: start afresh
                self._reset()
                self._remove(BASE_FILE, DELTA_FILE)
                changed = self._catch_up(conn, None, cancel)
            self._dirty = False
            self._marked -= marked
            if changed and self._merge_due():
                self._merge()
            elif self.unsaved >= DELTA_SAVE:
                self._save_delta()
            return changed

    def _known(self) -> tuple[np.ndarray, np.ndarray]:
        """(paper ids, stamps) of every live row, ordered by id."""
        live = ~self.dead
        ids = np.concatenate([self.base.ids[live], self.delta.ids])
        stamps = np.concatenate([self.base_stamps[live], self.delta_stamps])
        order = np.argsort(ids, kind="stable")
        return ids[order], stamps[order]

    def _catch_up(self, conn: Connection, only: set[int] | None, cancel: CancelFn | None) -> bool:
        """Read again the papers in only (or, for None, every paper whose stamp differs) and
        forget deleted ones."""
        known_ids, known_stamps = self._known()
        if only is None:
            found = conn.exec_driver_sql(  # plain tuples: Row objects cost 0.2 s at 100k
                "SELECT id, updated_at FROM paper ORDER BY id"
            ).cursor.fetchall()
            db_ids = np.fromiter((row[0] for row in found), np.int64, len(found))
            db_stamps = stamps_of([row[1] for row in found])
            at = np.minimum(np.searchsorted(known_ids, db_ids), max(0, len(known_ids) - 1))
            same = np.zeros(len(db_ids), bool)
            if len(known_ids):
                same = (known_ids[at] == db_ids) & (known_stamps[at] == db_stamps)
            stale = db_ids[~same].tolist()
            gone = known_ids[~np.isin(known_ids, db_ids)].tolist()
        else:
            stale = sorted(only)
            gone = []
        fresh, fresh_stamps = self._read(conn, stale, cancel)
        if only is not None:
            read = set(fresh.ids.tolist())
            gone = [pid for pid in stale if pid not in read]
        if not stale and not gone:
            return False
        self._apply(fresh, fresh_stamps, np.asarray(sorted(set(stale) | set(gone)), np.int64))
        return True

    def _apply(self, fresh: Rows, fresh_stamps: np.ndarray, drop: np.ndarray) -> None:
        """Rows of the papers in drop leave (base rows become dead); fresh rows join."""
        if len(self.base.ids) and len(drop):
            at = np.minimum(np.searchsorted(self.base.ids, drop), len(self.base.ids) - 1)
            hit = at[self.base.ids[at] == drop]
            if len(hit):
                self.dead = self.dead.copy()  # the matrix in use keeps the old mask
                self.dead[hit] = True
        keep = np.flatnonzero(~np.isin(self.delta.ids, drop))
        self.delta = self.delta.select(keep).joined(fresh)
        self.delta_stamps = np.concatenate([self.delta_stamps[keep], fresh_stamps])
        self.delta_version += 1
        self.delta_token = None
        self.unsaved += len(drop)

    def _read(
        self, conn: Connection, ids: Collection[int], cancel: CancelFn | None
    ) -> tuple[Rows, np.ndarray]:
        """The term rows and stamps of the given papers, read in chunks (cancel is checked
        between them); papers that no longer exist are left out."""
        all_ids: list[int] = []
        stamps: list[object] = []
        lengths: list[int] = []
        terms: list[int] = []
        counts: list[int] = []
        vocabulary, split = self.vocabulary, self.terms
        index = vocabulary.index if ids else {}
        for part in chunks(sorted(ids), READ_CHUNK):
            if cancel is not None and cancel():
                raise Cancelled()
            tags = tags_by_paper(conn, part)
            notes = notes_by_paper(conn, part)
            rows = conn.execute(
                select(
                    PAPER.c.id, PAPER.c.title, PAPER.c.abstract,
                    type_coerce(PAPER.c.updated_at, String),  # as stored, like the comparison
                ).where(PAPER.c.id.in_(part))
            )  # fmt: skip
            for pid, title, abstract, stamp in rows:
                found: Counter[str] = split.paper(
                    title,
                    abstract,
                    [n.body + ("\n" + n.quote if n.quote else "") for n in notes.get(pid, [])],
                    tags.get(pid, []),
                )
                for term, count in found.items():
                    tid = index.get(term)
                    if tid is None:
                        tid = vocabulary.add(term, split.display(term))
                    terms.append(tid)
                    counts.append(count)
                all_ids.append(pid)
                stamps.append(stamp)
                lengths.append(len(found))
        indptr = np.zeros(len(all_ids) + 1, np.int64)
        np.cumsum(np.asarray(lengths, np.int64), out=indptr[1:])
        tf = (1.0 + np.log(np.asarray(counts, np.float32))).astype(np.float32)
        rows_read = Rows(np.asarray(all_ids, np.int64), indptr, np.asarray(terms, np.int32), tf)
        order = np.argsort(rows_read.ids, kind="stable")
        return rows_read.select(order), stamps_of(stamps)[order]

    def display(self, tid: int) -> str:
        """A term id as words (the shortest word seen for each stem, in this process or when
        the term was first seen)."""
        term = self.vocabulary.term(tid)
        if all(part in self.terms.shown for part in term.split(" ")):
            return self.terms.display(term)
        return self.vocabulary.shown(tid)

    # --- merging the delta into the base -------------------------------------------------

    def _merge_due(self) -> bool:
        changed = len(self.delta.ids) + int(self.dead.sum())
        return bool(changed) and (
            self.base.entries < MERGE_ENTRIES or changed * MERGE_SHARE >= len(self.base.ids)
        )

    def _merge(self) -> None:
        """A new base of every live row, its TF-IDF arrays derived again; saved."""
        rows = self.base.joined(self.delta)  # one copy, then one gather of the live rows
        stamps = np.concatenate([self.base_stamps, self.delta_stamps])
        live = np.flatnonzero(np.concatenate([~self.dead, np.ones(len(self.delta.ids), bool)]))
        order = live[np.argsort(rows.ids[live], kind="stable")]
        self.base, self.base_stamps = rows.select(order), stamps[order]
        self.derived = self.derive(self.base, len(self.vocabulary))
        self.delta, self.delta_stamps = Rows.empty(), no_stamps()
        self.dead = np.zeros(len(self.base.ids), bool)
        self.base_vocabulary = len(self.vocabulary)
        self.token = secrets.token_hex(8)
        self.delta_token = None
        self.generation += 1
        self.delta_version += 1
        self._save_base()

    # --- the files under cache/ ----------------------------------------------------------

    def settle(self, conn: Connection) -> None:
        """At closing: read the papers this process wrote, save the delta, and when the rows
        are exactly the database's, write the in-step note (storage.related.sync)."""
        with self.lock:
            if not self._loaded:
                return
            if self._committed():
                self._dirty = True
            marked = set(self._marked)
            if marked and not self._dirty:
                self._catch_up(conn, marked, None)
                self._marked -= marked
            if self.unsaved:
                self._save_delta()
            if self._dirty or self._marked or self.unsaved or self.folder is None:
                return  # (unsaved: the delta file could not be written)
            if self.db_path is None:
                return
            sync.write(self.folder, self._tokens(), sync.database_state(conn, self.db_path))
            if self._committed():  # someone committed meanwhile
                sync.forget(self.folder)

    def close(self) -> None:
        """Let the database go (settle first to keep what was read)."""
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None

    def _opened_in_step(self, conn: Connection) -> bool:
        """Whether the loaded files are the database's rows (the note says so, for this very
        database state); the watch's first look is taken before the note is read."""
        if self.folder is None or self.db_path is None:
            return False
        self._committed()  # the baseline: a later commit is seen
        note = sync.take(self.folder)
        try:
            state = sync.database_state(conn, self.db_path)
        except OSError:
            return False
        return sync.holds(note, self._tokens(), state)
