"""Bulk (re)indexing: one writer, big memory pool, and worker processes where that is safe."""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from contextlib import contextmanager

from whoosh.multiproc import MpWriter
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


@contextmanager
def forking_allowed():
    """Python 3.12+ warns (DeprecationWarning) when forking a multi-threaded process.

    The workers only run Whoosh's pure-Python indexing code and exit, never touching
    locks the other threads (Qt, SQLite) may hold, so the warning does not apply.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*use of fork\(\) may lead to deadlocks")
        yield


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
