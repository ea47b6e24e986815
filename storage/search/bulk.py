"""Bulk (re)indexing: one writer, big memory pool, and worker processes where that is safe."""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
from collections.abc import Callable

from whoosh.multiproc import MpWriter
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from storage.search.errors import IndexBusyError
from storage.search.schema import IndexDoc, doc_fields
from storage.search.whoosh_compat import HookedMpWriter, HookedTask, workers_allowed

REBUILD_LIMITMB = 384  # per process; ~1.7M postings (~7k papers) before spilling to disk
PROCESS_LIMITMB = 256
# Index worker processes at most. Measured on 2 cores: one worker indexes 100k papers in
# ~125 s, two in ~81 s, and the parent's share (handing out the papers) is a few per cent, so
# 4 cores should take that to ~35-40 s. Not measured past 2 cores; capped because each
# worker leaves a segment of its own (a little more work for every search) and holds up to
# PROCESS_LIMITMB of postings.
MAX_PROCS = 4
MIN_DOCS_FOR_PROCS = 2000  # below this, starting processes costs more than it saves


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_procs() -> int:
    """Worker processes for a big write: one a core up to MAX_PROCS on a multi-core Linux
    machine (fork), else 1. Each writes a segment of its own (more segments, a little more
    work per search) and holds up to PROCESS_LIMITMB of postings.

    Whoosh's MpWriter forks; with another start method (macOS, Windows, Python 3.14's
    forkserver) its workers would have to re-import the application, which a frozen
    build cannot do, so it is only used where fork is the default (and where the Whoosh
    installed is the one whoosh_compat's hooks were written for).
    """
    if not workers_allowed():
        return 1
    cores = usable_cores()
    if not sys.platform.startswith("linux") or cores < 2:
        return 1
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return 1
    if multiprocessing.get_all_start_methods()[0] != "fork":
        return 1
    return min(cores, MAX_PROCS)


def bulk_writer_args(procs: int) -> dict:
    """Keyword arguments for Index.writer() for a rebuild with this many processes."""
    if procs <= 1:
        return {"limitmb": REBUILD_LIMITMB}
    # Each worker builds its own segment: no final merge (which would be single-threaded
    # and cost more than the parallel part saves).
    return {"procs": procs, "multisegment": True, "limitmb": PROCESS_LIMITMB, "batchsize": 100}


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this (forked) process when its parent dies (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the parent-alive check between batches still ends the worker


class WorkerDied(IndexBusyError):
    """A worker process of a parallel write died; nothing of the write was committed."""


class GuardedTask(HookedTask):
    """A Whoosh worker process that ends when the process that forked it has gone.

    Orphaned workers hold the index lock (they inherit its file descriptor) and would keep
    every other Papershelf from writing until they finish their queue, or forever.
    `merge`: segments (with the parent's deletions marked) that this worker copies into its
    own segment before its first documents, so that merging costs the parent nothing.
    """

    def __init__(self, *args, merge: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._parent = os.getpid()
        self._merge = list(merge or ())

    def _orphaned(self) -> bool:
        return os.getppid() != self._parent

    def run(self) -> None:
        die_with_parent()
        if self._orphaned():  # the parent died before the request took effect
            os._exit(1)
        super().run()

    def before_file(self) -> None:
        if self._orphaned():
            os._exit(1)
        writer = self.writer
        segments, self._merge = self._merge, []
        for segment in segments:  # the live documents of each, before the new ones
            reader = SegmentReader(self.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()

    def add_item(self, writer, code: int, item) -> None:
        """(0, fields) as MpWriter queues them, or (1, IndexDoc): its fields are made here
        (analysing its text) rather than in the parent."""
        writer.add_document(**(doc_fields(item) if code == 1 else item))


class GuardedMpWriter(HookedMpWriter):
    """Whoosh's MpWriter with GuardedTask workers; on_worker(pid) is told of each one.

    Segments listed in merge_in() before the first document are merged by the first worker
    into its segment and left out of the commit, which is then all or nothing: should a
    worker die, nothing is committed (WorkerDied) and the index stays as it was.
    """

    def __init__(self, ix, on_worker=None, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self._on_worker = on_worker
        self._merging: list = []
        self._grow: tuple[int, Callable[[], bool]] | None = None

    def grow(self, procs: int, when: Callable[[], bool]) -> None:
        """Start more workers, up to procs, once when() says so (checked at each batch of
        documents handed out): a write that began beside other work takes the cores that
        work leaves free."""
        self._grow = (procs, when)

    def before_batch(self) -> None:
        if self._grow is not None and self._grow[1]():
            procs: int = self.procs  # type: ignore[has-type]
            self.procs, self._grow = max(procs, self._grow[0]), None

    def add_doc(self, doc: IndexDoc) -> None:
        """add_document(**doc_fields(doc)), with doc_fields run by the worker process."""
        self.add_item(1, doc)

    def merge_in(self, segments: list) -> None:
        """Have the first worker merge these segments (taken from self.segments)."""
        if self.tasks:
            raise RuntimeError("merge_in() after the first document")
        self._merging = list(segments)

    def policy(self, fallback):
        """A mergetype: without the merged-in segments once a worker has them, else fallback."""

        def policy(writer, segments):
            if not self.tasks or not self._merging:
                return fallback(writer, segments)
            gone = {segment.segment_id() for segment in self._merging}
            return [segment for segment in segments if segment.segment_id() not in gone]

        return policy

    def make_task(self, *args) -> GuardedTask:
        return GuardedTask(*args, merge=self._merging if not self.tasks else None)

    def task_started(self, task) -> None:
        if self._on_worker is not None:
            self._on_worker([task.pid])

    def before_commit(self) -> None:
        if self._merging and any(task.exitcode for task in self.tasks):
            raise WorkerDied("indexing failed: a worker process died; it will catch up later")


def multiproc_writer(ix, args: dict, on_worker=None) -> GuardedMpWriter:
    """A parallel writer from bulk_writer_args; the caller holds the lock (no _lk)."""
    limitmb = args.get("limitmb", PROCESS_LIMITMB)
    return GuardedMpWriter(
        ix,
        on_worker=on_worker,
        procs=args["procs"],
        batchsize=args.get("batchsize", 100),
        subargs={"limitmb": limitmb},
        multisegment=args.get("multisegment", True),
        _lk=False,
        limitmb=limitmb,
    )


def cancel(writer) -> None:
    """Abandon a writer, stopping its worker processes (MpWriter.cancel leaves them waiting)."""
    if isinstance(writer, MpWriter):
        for task in writer.tasks:
            if task.is_alive():  # workers finish their queued batches, then exit
                try:
                    writer.jobqueue.put(None, timeout=5)
                except queue.Full:  # nobody takes from it any more
                    task.kill()
        for task in writer.tasks:
            task.join()
        writer.jobqueue.cancel_join_thread()  # what is left in it was for the dead
        SegmentWriter.cancel(writer)  # their segments are orphans; Whoosh removes them later
    else:
        writer.cancel()


def workers_failed(writer) -> bool:
    """Whether a worker process of a committed MpWriter died (its papers are missing)."""
    return isinstance(writer, MpWriter) and any(task.exitcode for task in writer.tasks)
