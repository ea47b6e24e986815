"""Writing the search index: edits and imports in one commit, merges, whole rebuilds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager

from whoosh.reading import SegmentReader
from whoosh.writing import CLEAR

from storage.search.bulk import (
    MIN_DOCS_FOR_PROCS,
    PROCESS_LIMITMB,
    GuardedMpWriter,
    bulk_writer_args,
    default_procs,
    workers_failed,
)
from storage.search.errors import (
    WRITE_ERRNOS,
    IndexBusyError,
    IndexDamagedError,
    SearchIndexError,
)
from storage.search.files import abandon
from storage.search.opening import IndexBase
from storage.search.schema import IndexDoc, doc_fields
from storage.search.whoosh_compat import index_segments, lean_workers
from storage.search.writing import FOREGROUND_MERGE_DOCS, choose_merge, merge_policy, quiet_gc

log = logging.getLogger(__name__)

UPDATE_LIMITMB = 64
BULK_DOCS = 1000  # a replace() of this many papers or more is written as a bulk batch
# In one process, Whoosh sorts its whole in-memory posting pool in one call that holds the
# GIL: 256 MB of postings froze the window's thread for 0.8 s; 64 MB is as fast overall.
BULK_LIMITMB = 64
PROGRESS_EVERY = 500
# A write holding this many pages of PDF text or more is indexed by forked worker processes
# (storage.search.bulk), which also merge the index's small segments into theirs: Whoosh's
# posting code is pure Python, ~0.7 ms a page, and here it neither holds this process's
# GIL (the window's thread) nor waits for it, and runs beside the PDF readers.
HEAVY_PAGES = 200
HEAVY_BATCH = 8  # papers per job file of a worker (a paper's text is ~50 KB)


def _add(writer, doc: IndexDoc) -> None:
    """Add one paper; a parallel writer's workers make its fields themselves."""
    if isinstance(writer, GuardedMpWriter):
        writer.add_doc(doc)
    else:
        writer.add_document(**doc_fields(doc))


class IndexUpdates(IndexBase):
    """The write side of SearchIndex: every change is one commit under the write lock."""

    # False in a process that runs other threads (the window's: Qt's, the search worker's):
    # its writes never fork worker processes, which could inherit a lock another thread
    # holds. The window imports in a process of its own (storage.background), which may.
    worker_processes = True

    def _procs(self) -> int:
        """Indexing processes a big write may use here."""
        return default_procs() if self.worker_processes else 1

    def update(self, docs: Iterable[IndexDoc], delete_ids: Iterable[int] = ()) -> None:
        """Add or replace docs and remove delete_ids, in one commit."""
        self._check_open()
        latest = {int(doc.id): doc for doc in docs}  # the last version of a paper wins
        doomed = {int(pid) for pid in delete_ids} - latest.keys()
        if latest or doomed:
            self.replace(latest.keys() | doomed, latest.values())

    def replace(
        self,
        ids: Iterable[int],
        docs: Iterable[IndexDoc],
        progress: Callable[[int], None] | None = None,
        *,
        wait: float | None = None,
        pages: int = 0,
        spread: bool | Callable[[], bool] = False,
    ) -> int:
        """Bring papers `ids` up to date in one commit; returns how many docs were added.

        Every indexed copy of them goes, then docs (their current versions, read lazily;
        papers that no longer exist simply have none) come in, the first of an id winning.
        Big batches (an import) write with more memory and without garbage collection;
        small ones (an edit) merge at most a few small segments, so they stay fast.
        pages: how many pages of PDF text the docs hold; from HEAVY_PAGES on, a worker
        process indexes them (two with spread=True, when nothing else runs, e.g. at the end
        of a PDF import; one otherwise, so the PDF readers keep a core, and a second one as
        soon as spread(), when it is a call, says they are done) and merges the segments of
        up to as many papers into its own.
        Raises IndexBusyError (after `wait` seconds), IndexWriteError, IndexDamagedError.
        """
        self._check_open()
        wanted = {int(pid) for pid in ids}
        if not wanted:
            return 0
        bulk = len(wanted) >= BULK_DOCS
        heavy = pages >= HEAVY_PAGES and self._procs() > 1  # never in the window's process
        procs = self._procs() if len(wanted) >= MIN_DOCS_FOR_PROCS else 1
        many = len(wanted) >= 4 * HEAVY_BATCH  # enough documents for two workers
        spread_now = spread() if callable(spread) else spread
        if heavy:
            args = {
                "procs": 2 if spread_now and many else 1,
                "forked": True,
                "multisegment": True,
                "limitmb": PROCESS_LIMITMB,
                "batchsize": HEAVY_BATCH,
            }
        elif procs > 1:
            args = bulk_writer_args(procs)  # worker processes: also keeps big sorts off this one
        else:
            args = {"limitmb": BULK_LIMITMB if bulk else UPDATE_LIMITMB}
        count = 0
        with (
            self._write_lock,
            quiet_gc(bulk),
            lean_workers(),
            self._locked(wait) as lock,
        ):
            if self.damaged:
                raise self._damage(RuntimeError("damaged"))
            writer = self._writer(lock, **args)
            try:
                with self._old_segments():
                    self._delete_indexed(writer, wanted)
                if heavy:
                    limit = len(wanted)
                    writer.merge_in([s for s in writer.segments if s.doc_count_all() <= limit])
                    if callable(spread) and many and not spread_now:
                        writer.grow(2, spread)
                for doc in docs:
                    pid = int(doc.id)
                    if pid not in wanted:
                        continue
                    wanted.discard(pid)
                    _add(writer, doc)
                    count += 1
                    if progress and count % PROGRESS_EVERY == 0:
                        progress(count)
                policy = merge_policy(None if bulk else FOREGROUND_MERGE_DOCS)
                with self._old_segments():  # a merge reads them
                    writer.commit(mergetype=writer.policy(policy) if heavy else policy)
            except BaseException:
                abandon(writer)
                raise
            failed = workers_failed(writer)
            self._committed(writer)
        self._refresh()
        if failed:  # the papers stay queued: the next write or open indexes them again
            raise IndexBusyError("indexing failed: a worker process died; it will catch up later")
        if not bulk:
            self._merge_later_if_due()
        return count

    @contextmanager
    def _old_segments(self) -> Iterator[None]:
        """While reading existing segments for a write: a failure other than a full disk or
        an unwritable folder means they are damaged."""
        try:
            yield
        except OSError as error:
            if error.errno in WRITE_ERRNOS:
                raise
            raise self._damage(error) from None
        except SearchIndexError:
            raise
        except Exception as error:
            raise self._damage(error) from None

    def _damage(self, error: Exception) -> IndexDamagedError:
        log.warning("search index unreadable while writing: %s", f"{type(error).__name__}: {error}")
        self.damaged = True
        return IndexDamagedError(
            f"{self.folder}: the search index could not be read ({type(error).__name__})"
        )

    def _merge_later_if_due(self) -> None:
        """Start a background merge when one bigger than an edit may pay for is due.

        It keeps the segment count bounded (a few per size level) after thousands of
        one-paper edits. Writes wait for it (the write lane), reads never do.
        """
        _chosen, due = choose_merge(index_segments(self._ix), FOREGROUND_MERGE_DOCS, incoming=0)
        if due and (self._merger is None or not self._merger.is_alive()):
            self._merger = threading.Thread(
                target=self._merge_in_background, name="papershelf-index-merge", daemon=True
            )
            self._merger.start()

    def _merge_in_background(self) -> None:
        try:
            with self._write_lock:
                if self._closed:
                    return
                with self._locked() as lock:
                    writer = self._writer(lock, limitmb=UPDATE_LIMITMB)
                    try:
                        writer.commit(mergetype=merge_policy(None, incoming=0))
                    except BaseException:
                        abandon(writer)
                        raise
                    self._committed(writer)
            self._refresh()
        except Exception as exc:  # the index stays as it was: correct, in more segments
            log.warning("background index merge failed: %s", f"{type(exc).__name__}: {exc}")

    def _delete_indexed(self, writer, wanted: set[int]) -> None:
        """Mark every live copy of the wanted papers deleted, in the writer's own segments.

        Looks ids up in the per-segment id lists (cached, as segments never change) rather
        than asking the index term by term: 100k new papers cost no lookups at all.
        """
        base = 0
        for segment in writer.segments:
            positions = self._segment_positions(writer, segment)
            if len(wanted) * 4 < len(positions):
                hits = [(pid, positions[pid]) for pid in wanted if pid in positions]
            else:
                hits = [(pid, n) for pid, n in positions.items() if pid in wanted]
            for _pid, docnum in hits:
                if not segment.is_deleted(docnum):
                    writer.delete_document(base + docnum)
            base += segment.doc_count_all()

    def _segment_positions(self, writer, segment) -> dict[int, int]:
        """{paper id: docnum} of one segment (a paper appears at most once per segment)."""
        key = segment.segment_id()
        with self._read_lock:
            positions = self._segment_pos.get(key)
            if positions is None:
                ids = self._segment_ids.get(key)
                if ids is None:
                    reader = SegmentReader(writer.storage, writer.schema, segment)
                    try:
                        ids = self._segment_ids[key] = [int(v) for v in reader.column_reader("id")]
                    finally:
                        reader.close()
                positions = self._segment_pos[key] = {pid: n for n, pid in enumerate(ids)}
        return positions

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        progress: Callable[[int], None] | None = None,
        *,
        procs: int | None = None,
        wait: float | None = None,
        fresh: bool = False,
    ) -> int:
        """Replace the whole index with docs in one commit; returns how many were indexed.

        progress(count) is called every few hundred papers; an exception raised from it
        (e.g. a cancel) abandons the rebuild and leaves the previous index in place.
        procs: indexing processes (default: 2 where Linux forks and there are 2+ cores,
        for more than a couple of thousand papers). fresh (or a damaged index): remove the
        old files first instead of replacing them in a commit.
        """
        self._check_open()
        if procs is None:
            procs = self._procs()
            if isinstance(docs, Sized) and len(docs) < MIN_DOCS_FOR_PROCS:
                procs = 1
        count = 0
        seen: set[int] = set()
        with self._write_lock, lean_workers(), self._locked(wait) as lock:
            if fresh or self.damaged:
                self.damaged = True  # _file_index then recreates the files
            self._file_index()
            writer = self._writer(lock, **bulk_writer_args(procs))
            try:
                for doc in docs:
                    if doc.id in seen:  # the first version of a paper wins
                        continue
                    seen.add(doc.id)
                    _add(writer, doc)
                    count += 1
                    if progress and count % PROGRESS_EVERY == 0:
                        progress(count)
                writer.commit(mergetype=CLEAR)
            except BaseException:
                abandon(writer)
                raise
            failed = workers_failed(writer)
            self._committed(writer)
        self.needs_rebuild = failed
        self._refresh()
        if failed:
            raise IndexBusyError("rebuilding the search index failed (a worker process died)")
        if progress:
            progress(count)
        return count
