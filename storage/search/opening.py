"""The search index's lifecycle: opening or recreating its files, the write lock, refreshes."""

from __future__ import annotations

import functools
import gc
import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Self

from whoosh.filedb.filestore import FileStorage, RamStorage

from storage.search import checksums
from storage.search.bulk import PROCESS_LIMITMB, multiproc_writer
from storage.search.errors import (
    WRITE_ERRNOS,
    IndexBusyError,
    IndexDamagedError,
    IndexWriteError,
    SearchIndexError,
    write_error,
)
from storage.search.files import (
    WHOOSH_FILE,
    close_files_of_failed,
    drop_leaked_files,
    open_existing,
)
from storage.search.lock import WriteLock
from storage.search.query import QueryError, make_parser
from storage.search.schema import INDEX_NAME, build_schema, same_schema
from storage.search.snippets import SNIPPET_FIELDS
from storage.search.whoosh_compat import index_segments, segment_writer, workers_allowed

log = logging.getLogger(__name__)

LOCK_NAME = f"{INDEX_NAME}_WRITELOCK"


def guarded_read(method):
    """Turn any failure reading the index files into an IndexDamagedError (one line)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self._check_open()
        try:
            return method(self, *args, **kwargs)
        except (QueryError, SearchIndexError):
            raise
        except Exception as exc:
            if self._closed:
                raise
            log.warning("reading the search index failed: %s", f"{type(exc).__name__}: {exc}")
            self.damaged = True
            failure = IndexDamagedError(
                f"{self.folder}: the search index could not be read "
                f"({type(exc).__name__}: {str(exc)[:80]})"
            )
        drop_leaked_files()
        raise failure

    return wrapper


class IndexBase:
    """One Whoosh index in a folder: its files, its write lock and its shared searcher."""

    def __init__(self, folder: Path, *, lock_timeout: float = 10.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self.needs_rebuild = False
        # The index files could not be read (or opened): rebuild(fresh=True) replaces them.
        self.damaged = False
        # Another process held the lock when this one had to recreate the index: until it is
        # caught up, searches run on what there is (an empty stand-in at worst).
        self.catching_up = False
        self.problem: str | None = None  # one line: why the index could not be set up
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._closed = False
        self._storage = FileStorage(str(self.folder), supports_mmap=False)
        self._ix = self._open_or_create()
        self._schema = self._ix.schema
        self._parser = make_parser(self._schema)
        self._analyzers = {name: self._schema[name].analyzer for name in SNIPPET_FIELDS}
        self._searcher = self._first_searcher()
        # Paper id of each document number, per segment (segments never change once written)
        # and for the current searcher as a whole.
        self._segment_ids: dict[str, list[int]] = {}
        self._segment_pos: dict[str, dict[int, int]] = {}
        self._docnum_ids: tuple[object, list[int]] | None = None
        self._segment_lengths: dict[tuple[str, str], bytes] = {}
        self._merger: threading.Thread | None = None

    # -- opening -----------------------------------------------------------------------

    def _open_or_create(self):
        """The index in the folder; recreated empty (needs_rebuild) when absent, unreadable
        or of another schema, if the lock can be had at once; else an empty stand-in."""
        # No mmap: Whoosh wraps a mapped segment file in a BytesIO, which copies the whole
        # postings and terms files into memory at every searcher (re)open: 470 MB and
        # 140 ms for 100k papers, after every single edit. Plain reads cost nothing up front.
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.problem = str(write_error(self.folder, error))
            return self._stand_in()
        schema = build_schema()
        ix = open_existing(self._storage)
        if ix is not None:
            if same_schema(ix.schema, schema):
                return ix
            log.info("search index schema changed; recreating it in %s", self.folder)
        try:
            with self._locked(0.0):
                return self._recreate()
        except IndexBusyError:
            self.catching_up = True  # the holder is (re)building it
        except IndexWriteError as error:
            self.problem = str(error)
        return self._stand_in()

    def _stand_in(self):
        """An empty index in memory, searched until the real one can be written."""
        self.needs_rebuild = True
        return RamStorage().create_index(build_schema(), indexname=INDEX_NAME)

    def _recreate(self):
        """Remove every file of any index version and start an empty one (lock held)."""
        checksums.forget(self.folder)
        for name in self._storage.list():
            # Keep our own lock file: another process may hold it right now.
            if WHOOSH_FILE.match(name) and name != LOCK_NAME:
                with suppress(FileNotFoundError):
                    self._storage.delete_file(name)
        self.needs_rebuild = True
        self.damaged = False
        return self._storage.create_index(build_schema(), indexname=INDEX_NAME)

    def _first_searcher(self):
        # As in _open_existing: Whoosh leaves the segment file open when it fails to read it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return self._ix.searcher()
            except Exception as exc:  # a segment file is missing or unreadable
                log.warning("search index unreadable (%s)", f"{type(exc).__name__}: {exc}")
            gc.collect()
        self.damaged = True
        self._ix = self._stand_in()
        return self._ix.searcher()

    def _file_index(self) -> None:
        """With the lock held: make sure the real index (not the stand-in) is the one used."""
        if not isinstance(self._ix.storage, RamStorage) and not self.damaged:
            return
        ix = None if self.damaged else open_existing(self._storage)
        if ix is None or not same_schema(ix.schema, build_schema()):
            ix = self._recreate()
        with self._read_lock:
            self._ix = ix
            self.catching_up = False
            self.problem = None
            old, self._searcher = self._searcher, ix.searcher()
            old.close()

    def close(self) -> None:
        """Release the searcher; the object cannot be used afterwards."""
        self.wait_for_merges()
        with self._write_lock, self._read_lock:
            if not self._closed:
                self._closed = True
                self._searcher.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("The search index is closed.")

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def _locked(self, wait: float | None = None) -> Iterator[WriteLock]:
        """Hold the index's write lock (waiting up to `wait`, default lock_timeout); a disk
        full or unwritable folder inside becomes an IndexWriteError naming the folder."""
        lock = WriteLock(self._storage, LOCK_NAME, self.folder)
        lock.acquire(self.lock_timeout if wait is None else wait)
        try:
            yield lock
        except OSError as error:
            if error.errno not in WRITE_ERRNOS:
                raise
            raise write_error(self.folder, error) from None
        finally:
            lock.release()

    def _writer(self, lock: WriteLock, **kwargs):
        """A writer on the real index, under `lock` (held by the caller)."""
        self._file_index()
        try:
            if kwargs.get("procs", 1) > 1 or kwargs.get("forked"):
                if workers_allowed():
                    return multiproc_writer(self._ix, kwargs, on_worker=lock.add_workers)
                kwargs = {"limitmb": kwargs.get("limitmb", PROCESS_LIMITMB)}
            kwargs.pop("procs", None)
            return segment_writer(self._ix, **kwargs)
        except OSError as error:
            close_files_of_failed(error)
            raise
        except Exception as exc:  # the table of contents cannot be read
            self.damaged = True
            raise IndexDamagedError(
                f"{self.folder}: the search index could not be read ({type(exc).__name__})"
            ) from None

    def _committed(self, writer) -> None:
        """Record the checksums of the files the commit left (the lock is still held)."""
        try:
            checksums.record(
                self.folder,
                INDEX_NAME,
                self._ix.latest_generation(),
                [seg.segment_id() for seg in index_segments(self._ix)],
            )
        except OSError as error:  # the index is fine; `check` will say it is unverified
            log.warning("could not record the search index checksums: %s", error)
            with suppress(OSError):
                checksums.forget(self.folder)

    def _refresh(self) -> None:
        with self._read_lock:
            if not self._closed:
                self._current_searcher()

    def _current_searcher(self):
        """The shared searcher, reopened if the index changed (here or in another process).

        Not Searcher.refresh(): in Whoosh-Reloaded 2.7.5 it keeps reusing a segment's reader
        after documents in it were deleted (they still match) and re-adds segments that a
        merge has replaced (documents show up twice). Reopening costs a few milliseconds
        and only happens after a write.
        """
        searcher = self._searcher
        if not searcher.up_to_date():
            self._searcher = self._ix.searcher()
            searcher.close()
        return self._searcher

    @guarded_read
    def segment_count(self) -> int:
        """How many segments the index is made of (each costs a little on every search)."""
        self._check_open()
        with self._read_lock:
            return len(index_segments(self._ix))

    def wait_for_merges(self) -> None:
        """Wait for a background merge to finish (tests, and before closing)."""
        merger = self._merger
        if merger is not None:
            merger.join()

    def verify_files(self) -> list[str]:
        """Problems with the index files (missing, or checksums differing from the commit's)."""
        self._check_open()
        if self.catching_up or self.damaged or isinstance(self._ix.storage, RamStorage):
            return []  # nothing on disk to compare yet: the caller rebuilds or waits
        try:
            with self._read_lock:
                generation = self._ix.latest_generation()
                segments = [seg.segment_id() for seg in index_segments(self._ix)]
        except Exception as exc:
            return [f"index: the search index cannot be read ({type(exc).__name__})"]
        return checksums.verify(self.folder, INDEX_NAME, generation, segments)
