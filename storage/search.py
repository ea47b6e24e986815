"""The Whoosh full-text index of papers: derived from the database, always rebuildable."""

from __future__ import annotations

import functools
import gc
import logging
import threading
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sized
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.query import QueryError as WhooshQueryError
from whoosh.reading import SegmentReader
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.writing import CLEAR

from storage import search_checksums
from storage.search_bulk import (
    MIN_DOCS_FOR_PROCS,
    bulk_writer_args,
    default_procs,
    forking_allowed,
    multiproc_writer,
    workers_failed,
)
from storage.search_errors import (
    WRITE_ERRNOS,
    IndexBusyError,
    IndexDamagedError,
    IndexWriteError,
    SearchIndexError,
    write_error,
)
from storage.search_files import (
    WHOOSH_FILE,
    abandon,
    close_files_of_failed,
    drop_leaked_files,
    open_existing,
)
from storage.search_lock import WriteLock
from storage.search_matching import top_docs
from storage.search_query import QueryError, make_parser, parse
from storage.search_schema import (
    FINGERPRINT,
    INDEX_NAME,
    WORDS,
    IndexDoc,
    build_schema,
    doc_fields,
    fold,
    same_schema,
)
from storage.search_snippets import SNIPPET_FIELDS, Matched, make_snippet, query_words
from storage.search_writing import (
    FOREGROUND_MERGE_DOCS,
    FastSegmentWriter,
    choose_merge,
    lean_workers,
    merge_policy,
    quiet_gc,
    read_lengths,
)

__all__ = [
    "IndexBusyError",
    "IndexDamagedError",
    "IndexWriteError",
    "SearchIndexError",
    "IndexDoc",
    "QueryError",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
]

log = logging.getLogger(__name__)

TextsFn = Callable[[list[int]], dict[int, dict[str, str]]]
UPDATE_LIMITMB = 64
BULK_DOCS = 1000  # a replace() of this many papers or more is written as a bulk batch
# In one process, Whoosh sorts its whole in-memory posting pool in one call that holds the
# GIL: 256 MB of postings froze the window's thread for 0.8 s; 64 MB is as fast overall.
BULK_LIMITMB = 64
PROGRESS_EVERY = 500


LOCK_NAME = f"{INDEX_NAME}_WRITELOCK"


def _reading(method):
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


@dataclass
class SearchHit:
    id: int
    score: float
    snippet: str  # matched words in <b>…</b>, everything else HTML-escaped; "" if nothing to show
    page: int | None = None  # the file page the snippet comes from; None for metadata, notes


@dataclass
class SearchResult:
    query: str
    total: int  # all matches, not only those returned
    hits: list[SearchHit]  # best first


class SearchIndex:
    """One Whoosh index in a folder, with one long-lived searcher shared by all threads."""

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
        search_checksums.forget(self.folder)
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

    def __enter__(self) -> SearchIndex:
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
            if kwargs.get("procs", 1) > 1:
                return multiproc_writer(self._ix, kwargs, on_worker=lock.add_workers)
            kwargs.pop("procs", None)
            return FastSegmentWriter(self._ix, _lk=False, **kwargs)
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
            search_checksums.record(
                self.folder,
                INDEX_NAME,
                self._ix.latest_generation(),
                [seg.segment_id() for seg in self._ix._segments()],
            )
        except OSError as error:  # the index is fine; `check` will say it is unverified
            log.warning("could not record the search index checksums: %s", error)
            with suppress(OSError):
                search_checksums.forget(self.folder)

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
    ) -> int:
        """Bring papers `ids` up to date in one commit; returns how many docs were added.

        Every indexed copy of them goes, then docs (their current versions, read lazily;
        papers that no longer exist simply have none) come in, the first of an id winning.
        Big batches (an import) write with more memory and without garbage collection;
        small ones (an edit) merge at most a few small segments, so they stay fast.
        Raises IndexBusyError (after `wait` seconds), IndexWriteError, IndexDamagedError.
        """
        self._check_open()
        wanted = {int(pid) for pid in ids}
        if not wanted:
            return 0
        bulk = len(wanted) >= BULK_DOCS
        procs = default_procs() if len(wanted) >= MIN_DOCS_FOR_PROCS else 1
        if procs > 1:
            args = bulk_writer_args(procs)  # worker processes: also keeps big sorts off this one
        else:
            args = {"limitmb": BULK_LIMITMB if bulk else UPDATE_LIMITMB}
        count = 0
        with (
            self._write_lock,
            quiet_gc(bulk),
            forking_allowed(),
            lean_workers(),
            self._locked(wait) as lock,
        ):
            if self.damaged:
                raise self._damage(RuntimeError("damaged"))
            writer = self._writer(lock, **args)
            try:
                with self._old_segments():
                    self._delete_indexed(writer, wanted)
                for doc in docs:
                    pid = int(doc.id)
                    if pid not in wanted:
                        continue
                    wanted.discard(pid)
                    writer.add_document(**doc_fields(doc))
                    count += 1
                    if progress and count % PROGRESS_EVERY == 0:
                        progress(count)
                with self._old_segments():  # a merge reads them
                    writer.commit(mergetype=merge_policy(None if bulk else FOREGROUND_MERGE_DOCS))
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
        _chosen, due = choose_merge(self._ix._segments(), FOREGROUND_MERGE_DOCS, incoming=0)
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

    def wait_for_merges(self) -> None:
        """Wait for a background merge to finish (tests, and before closing)."""
        merger = self._merger
        if merger is not None:
            merger.join()

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

    @_reading
    def segment_count(self) -> int:
        """How many segments the index is made of (each costs a little on every search)."""
        self._check_open()
        with self._read_lock:
            return len(self._ix._segments())

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
            procs = default_procs()
            if isinstance(docs, Sized) and len(docs) < MIN_DOCS_FOR_PROCS:
                procs = 1
        count = 0
        seen: set[int] = set()
        with self._write_lock, forking_allowed(), lean_workers(), self._locked(wait) as lock:
            if fresh or self.damaged:
                self.damaged = True  # _file_index then recreates the files
            self._file_index()
            writer = self._writer(lock, **bulk_writer_args(procs))
            try:
                for doc in docs:
                    if doc.id in seen:  # the first version of a paper wins
                        continue
                    seen.add(doc.id)
                    writer.add_document(**doc_fields(doc))
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

    def _refresh(self) -> None:
        with self._read_lock:
            if not self._closed:
                self._current_searcher()

    # -- reading -----------------------------------------------------------------------

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

    def _leaves(self, searcher, with_ids: bool = True) -> list[tuple[object, int, str]]:
        """(segment reader, docnum offset, segment key) for every non-empty segment, with
        the paper ids of each segment loaded into _segment_ids unless with_ids is False."""
        leaves = []
        for reader, offset in searcher.reader().leaf_readers():
            if reader.doc_count_all() == 0:
                continue
            key = reader.segment().segment_id()
            if with_ids and key not in self._segment_ids:
                self._segment_ids[key] = [int(v) for v in reader.column_reader("id")]
            leaves.append((reader, offset, key))
        return leaves

    def _ids_of(self, searcher, docnums: list[int]) -> list[int]:
        """The paper ids of some document numbers. A few are looked up one by one: a first
        search in a fresh process (the command line) need not read 100k ids (~100 ms)."""
        if len(docnums) > 64 or (self._docnum_ids is not None and self._docnum_ids[0] is searcher):
            ids = self._ids_by_docnum(searcher)
            return [ids[docnum] for docnum in docnums]
        leaves = self._leaves(searcher, with_ids=False)
        found = []
        for docnum in docnums:
            reader, offset, _key = next(leaf for leaf in reversed(leaves) if leaf[1] <= docnum)
            found.append(int(reader.column_reader("id")[docnum - offset]))
        return found

    def _lengths(self, reader, fieldname: str) -> bytes:
        """A length byte per document of one field in one segment (cached: segments never
        change), zero-padded to the segment's size."""
        key = (reader.segment().segment_id(), fieldname)
        data = self._segment_lengths.get(key)
        if data is None:
            data = read_lengths(reader._perdoc, fieldname) or b""
            data += bytes(reader.doc_count_all() - len(data))
            self._segment_lengths[key] = data
        return data

    def _ids_by_docnum(self, searcher) -> list[int]:
        if self._docnum_ids is None or self._docnum_ids[0] is not searcher:
            leaves = self._leaves(searcher)
            ids: list[int] = []
            for _reader, _offset, key in leaves:
                ids.extend(self._segment_ids[key])
            live = {key for _, _, key in leaves}
            for stale in self._segment_ids.keys() - live:
                self._segment_ids.pop(stale, None)
                self._segment_pos.pop(stale, None)
            for key in [k for k in self._segment_lengths if k[0] not in live]:
                del self._segment_lengths[key]
            self._docnum_ids = (searcher, ids)
        return self._docnum_ids[1]

    def _allowed_docnums(self, searcher, restrict_ids: Collection[int]) -> set[int]:
        wanted = restrict_ids if isinstance(restrict_ids, (set, frozenset)) else set(restrict_ids)
        allowed: set[int] = set()
        for _reader, offset, key in self._leaves(searcher):
            ids = self._segment_ids[key]
            if len(wanted) * 4 < len(ids):
                pos = self._segment_pos.get(key)
                if pos is None:
                    pos = self._segment_pos[key] = {pid: n for n, pid in enumerate(ids)}
                allowed.update(offset + pos[pid] for pid in wanted if pid in pos)
            else:
                allowed.update(offset + n for n, pid in enumerate(ids) if pid in wanted)
        return allowed

    @_reading
    def _run(
        self, text: str, limit: int | None, restrict_ids: Collection[int] | None, want_words: bool
    ):
        """(query, total, [(id, score)], words per snippet field) under the read lock."""
        q = parse(self._parser, text)
        if q is None:
            return None, 0, [], {}
        with self._read_lock:
            self._check_open()
            searcher = self._current_searcher()
            allowed = None
            if restrict_ids is not None:
                allowed = self._allowed_docnums(searcher, restrict_ids)
                if not allowed:
                    return q, 0, [], {}
            for reader, _offset, _key in self._leaves(searcher, with_ids=False):
                # Lexicon expansions are shared within one query, not kept across queries.
                reader.__dict__.pop("_papershelf_expansions", None)
            try:
                total, top = top_docs(searcher, q, limit, allowed, self._lengths)
            except WhooshQueryError as exc:
                raise QueryError(f"Could not run the search “{text}”: {exc}") from None
            ids = self._ids_of(searcher, [docnum for _score, docnum in top])
            scored = [(pid, score) for pid, (score, _docnum) in zip(ids, top, strict=True)]
            words: dict[str, Matched] = {}
            if want_words and scored:
                for reader, _offset, _key in self._leaves(searcher, with_ids=False):
                    for name, found in query_words(q, reader, SNIPPET_FIELDS).items():
                        words.setdefault(name, Matched()).update(found)
        return q, total, scored, words

    def search(
        self,
        query: str,
        limit: int = 20,
        *,
        restrict_ids: Collection[int] | None = None,
        texts: TextsFn | None = None,
    ) -> SearchResult:
        """The best `limit` hits for query (Whoosh syntax), with snippets when texts is given.

        texts(ids) returns {id: {"abstract": …, "note": …}} for the returned hits; nothing
        big is stored in the index, so snippets are cut from that text.
        """
        self._check_open()
        _q, total, scored, words = self._run(query, max(1, limit), restrict_ids, texts is not None)
        scored = scored[: max(0, limit)]
        originals = texts([pid for pid, _ in scored]) if texts and scored else {}
        analyzers = self._analyzers
        hits = [
            SearchHit(pid, float(score), make_snippet(originals.get(pid) or {}, words, analyzers))
            for pid, score in scored
        ]
        return SearchResult(query=query, total=total, hits=hits)

    def ids_matching(self, query: str, *, restrict_ids: Collection[int] | None = None) -> list[int]:
        """Every matching paper id, best first."""
        self._check_open()
        return [pid for pid, _ in self._run(query, None, restrict_ids, False)[2]]

    @_reading
    def doc_count(self) -> int:
        """How many papers the index holds."""
        self._check_open()
        with self._read_lock:
            return self._current_searcher().doc_count()

    @_reading
    def indexed_ids(self) -> set[int]:
        """The ids of every indexed paper (for consistency checks)."""
        self._check_open()
        with self._read_lock:
            searcher = self._current_searcher()
            ids = self._ids_by_docnum(searcher)
            return {ids[docnum] for docnum in searcher.reader().all_doc_ids()}

    @_reading
    def suggest(self, word: str, limit: int = 5) -> list[str]:
        """Indexed words close to word (edit distance 1, then 2), most common first."""
        self._check_open()
        word = fold(word.strip())
        if len(word) < 3 or limit <= 0:
            return []
        found: dict[str, list[int]] = {}  # word -> [edit distance, papers containing it]
        maxdist = 2 if len(word) >= 5 else 1
        with self._read_lock:
            searcher = self._current_searcher()
            for reader, _offset, _key in self._leaves(searcher, with_ids=False):
                for candidate in reader.terms_within(WORDS, word, maxdist, prefix=1):
                    if candidate != word:
                        entry = found.setdefault(
                            candidate, [damerau_levenshtein(word, candidate), 0]
                        )
                        entry[1] += reader.doc_frequency(WORDS, candidate)
        ranked = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
        return [candidate for candidate, _ in ranked[:limit]]

    @_reading
    def fingerprints(self) -> dict[int, bytes]:
        """{paper id: fingerprint} of every indexed paper, as written (see search_schema)."""
        with self._read_lock:
            searcher = self._current_searcher()
            found: dict[int, bytes] = {}
            for reader, _offset, key in self._leaves(searcher):
                ids = self._segment_ids[key]
                has = reader.has_column(FINGERPRINT)
                column = reader.column_reader(FINGERPRINT) if has else None
                for docnum in reader.all_doc_ids():
                    found[ids[docnum]] = bytes(column[docnum]) if column is not None else b""
            return found

    def verify_files(self) -> list[str]:
        """Problems with the index files (missing, or checksums differing from the commit's)."""
        self._check_open()
        if self.catching_up or self.damaged or isinstance(self._ix.storage, RamStorage):
            return []  # nothing on disk to compare yet: the caller rebuilds or waits
        try:
            with self._read_lock:
                generation = self._ix.latest_generation()
                segments = [seg.segment_id() for seg in self._ix._segments()]
        except Exception as exc:
            return [f"index: the search index cannot be read ({type(exc).__name__})"]
        return search_checksums.verify(self.folder, INDEX_NAME, generation, segments)
