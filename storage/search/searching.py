"""Searching the index: ranked hits with snippets, id lookups, suggestions, fingerprints."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from whoosh.query import QueryError as WhooshQueryError
from whoosh.reading import SegmentReader
from whoosh.support.levenshtein import damerau_levenshtein

from storage.search import lexicon  # (importing it installs the in-memory fuzzy walk)
from storage.search.matching import top_docs
from storage.search.opening import IndexBase, guarded_read
from storage.search.query import QueryError, parse
from storage.search.schema import (
    DEFAULT_FIELDS,
    FINGERPRINT,
    STEMMED_FIELDS,
    TEXT_WORDS,
    WORDS,
    fold,
)
from storage.search.snippets import SNIPPET_FIELDS, Matched, make_snippet, query_words
from storage.search.whoosh_compat import field_lengths

TextsFn = Callable[[list[int]], dict[int, dict[str, object]]]


@dataclass
class SearchHit:
    id: int
    score: float
    snippet: str  # matched words in <b>…</b>, everything else HTML-escaped; "" if nothing to show
    page: int | None = None  # the file page the snippet comes from; None for metadata, notes
    file_id: int | None = None  # the file that page is in (a paper may have several)


@dataclass
class SearchResult:
    query: str
    total: int  # all matches, not only those returned
    hits: list[SearchHit]  # best first


@dataclass
class Matches:
    """One evaluation of a query: the matching papers' ids (best first, or in a view's order)
    and what the query matched in each snippet field, so that any one of them gets its snippet
    without the query being searched again (SearchIndex.snippet)."""

    query: str
    ids: list[int]
    words: dict[str, Matched] = field(default_factory=dict, repr=False)

    def narrowed(self, ids: list[int]) -> Matches:
        """The same evaluation showing other ids (a view's: filtered, in its order)."""
        return Matches(self.query, ids, self.words)


@dataclass(frozen=True)
class Snippet:
    """A paper's search snippet: matched words in <b>…</b>, the rest HTML-escaped ('' if
    nothing to show), and the file page it comes from (None for metadata and notes)."""

    text: str
    page: int | None = None
    file_id: int | None = None


log = logging.getLogger(__name__)

# Fields whose own words an unfielded fuzzy or prefix word walks (the stemmed ones walk WORDS).
WALKED_AS_WRITTEN = tuple(name for name in DEFAULT_FIELDS if name not in STEMMED_FIELDS)


def _breathe() -> None:
    """A warm-up's pause: the GIL left to other threads for a moment."""
    time.sleep(0.002)


class IndexSearches(IndexBase):
    """The read side of SearchIndex: never waits for a write, only for the shared searcher."""

    def _leaves(self, searcher, with_ids: bool = True) -> list[tuple[SegmentReader, int, str]]:
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
        columns: dict[int, object] = {}  # one column reader a segment (each reads its offsets)
        found = []
        for docnum in docnums:
            reader, offset, _key = next(leaf for leaf in reversed(leaves) if leaf[1] <= docnum)
            column = columns.get(offset)
            if column is None:
                column = columns[offset] = reader.column_reader("id")
            found.append(int(column[docnum - offset]))  # type: ignore[index]
        return found

    def _lengths(self, reader, fieldname: str) -> bytes:
        """A length byte per document of one field in one segment (cached: segments never
        change), zero-padded to the segment's size."""
        key = (reader.segment().segment_id(), fieldname)
        data = self._segment_lengths.get(key)
        if data is None:
            data = self._segment_lengths[key] = field_lengths(reader, fieldname)
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
            for length_key in [k for k in self._segment_lengths if k[0] not in live]:
                del self._segment_lengths[length_key]
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

    @guarded_read
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
            SearchHit(pid, float(score), *make_snippet(originals.get(pid) or {}, words, analyzers))
            for pid, score in scored
        ]
        return SearchResult(query=query, total=total, hits=hits)

    def ids_matching(self, query: str, *, restrict_ids: Collection[int] | None = None) -> list[int]:
        """Every matching paper id, best first."""
        self._check_open()
        return [pid for pid, _ in self._run(query, None, restrict_ids, False)[2]]

    def matches(self, query: str, *, restrict_ids: Collection[int] | None = None) -> Matches:
        """Every matching paper id, best first, with the words each snippet field matched:
        a view's rows and any row's snippet from one evaluation of the query."""
        self._check_open()
        _q, _total, scored, words = self._run(query, None, restrict_ids, True)
        return Matches(query, [pid for pid, _ in scored], words)

    def snippet(self, matches: Matches, texts: Mapping[str, object]) -> Snippet:
        """The snippet of one of matches' papers, cut from its texts ({"abstract": …, "note":
        …, "pages": …}, as `search` reads them) with the words the query matched: no search."""
        return Snippet(*make_snippet(texts, matches.words, self._analyzers))

    def warm_up(self, pause: Callable[[], None] | None = None) -> None:
        """Read now what the first fuzzy or prefix search would otherwise read: the word lists
        that fuzzy, prefix and wildcard words walk (lexicon.words_of: ~45 ms of Python a
        segment at 100k papers, once; the PDF text's own words wait for a `text:` query).
        The window runs it on a side thread once it is idle, so that a first `tokenizaton~`
        does not pay it; pause() is called every ~1 ms of work (default: a 2 ms sleep,
        leaving the GIL to other threads). A head start only: whatever fails here (the index
        closed or changed meanwhile) ends it quietly, and never marks the index damaged."""
        try:
            with self._read_lock:
                self._check_open()
                searcher = self._current_searcher()
                readers = [reader for reader, _o, _k in self._leaves(searcher, with_ids=False)]
            # Outside the lock: a search meanwhile need not wait.
            for reader in readers:
                for fieldname in (WORDS, *WALKED_AS_WRITTEN):
                    lexicon.words_of(reader, fieldname, pause=pause or _breathe)
        except Exception as error:  # noqa: BLE001 (the first search reads them itself)
            log.debug("index warm-up ended early: %s", error)

    @guarded_read
    def doc_count(self) -> int:
        """How many papers the index holds."""
        self._check_open()
        with self._read_lock:
            return self._current_searcher().doc_count()

    @guarded_read
    def indexed_ids(self) -> set[int]:
        """The ids of every indexed paper (for consistency checks)."""
        self._check_open()
        with self._read_lock:
            searcher = self._current_searcher()
            ids = self._ids_by_docnum(searcher)
            return {ids[docnum] for docnum in searcher.reader().all_doc_ids()}

    @guarded_read
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
                for lexicon in (WORDS, TEXT_WORDS):
                    for candidate in reader.terms_within(lexicon, word, maxdist, prefix=1):
                        if candidate != word:
                            entry = found.setdefault(
                                candidate, [damerau_levenshtein(word, candidate), 0]
                            )
                            entry[1] += reader.doc_frequency(lexicon, candidate)
        ranked = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
        return [candidate for candidate, _ in ranked[:limit]]

    @guarded_read
    def fingerprints(self) -> dict[int, bytes]:
        """{paper id: fingerprint} of every indexed paper, as written (see schema)."""
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
