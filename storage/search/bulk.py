"""Bulk (re)indexing: one writer, big memory pool, and worker processes where that is safe."""

from __future__ import annotations

import multiprocessing
import os
import sys

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

REBUILD_LIMITMB = 384  # per process; ~1.7M postings (~7k papers) before spilling to disk
PROCESS_LIMITMB = 256
MIN_DOCS_FOR_PROCS = 2000  # below this, starting processes costs more than it saves


def default_procs() -> int:
    """Worker processes for a rebuild: 2 on a multi-core Linux machine (fork), else 1.

    Whoosh's MpWriter forks; with another start method (macOS, Windows, Python 3.14's
    forkserver) its workers would have to re-import the application, which a frozen
    build cannot do, so it is only used where fork is the default.
    """
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return 1
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return 1
    if multiprocessing.get_all_start_methods()[0] != "fork":
        return 1
    return 2


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


class GuardedTask(SubWriterTask):
    """A Whoosh worker process that ends when the process that forked it has gone.

    Orphaned workers hold the index lock (they inherit its file descriptor) and would keep
    every other Papershelf from writing until they finish their queue, or forever.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._parent = os.getpid()

    def _orphaned(self) -> bool:
        return os.getppid() != self._parent

    def run(self) -> None:
        die_with_parent()
        if self._orphaned():  # the parent died before the request took effect
            os._exit(1)
        super().run()

    def _process_file(self, filename, doc_count) -> None:
        if self._orphaned():
            os._exit(1)
        super()._process_file(filename, doc_count)


class GuardedMpWriter(MpWriter):
    """Whoosh's MpWriter with GuardedTask workers; on_worker(pid) is told of each one."""

    def __init__(self, ix, on_worker=None, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self._on_worker = on_worker

    def _new_task(self):
        task = GuardedTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        if self._on_worker is not None:
            self._on_worker([task.pid])
        return task


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
        for _task in writer.tasks:
            writer.jobqueue.put(None)  # workers finish their queued batches, then exit
        for task in writer.tasks:
            task.join()
        SegmentWriter.cancel(writer)  # their segments are orphans; Whoosh removes them later
    else:
        writer.cancel()


def workers_failed(writer) -> bool:
    """Whether a worker process of a committed MpWriter died (its papers are missing)."""
    return isinstance(writer, MpWriter) and any(task.exitcode for task in writer.tasks)
