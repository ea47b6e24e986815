"""The postings of a segment being written, grouped by term as they come (no posting-wise sort).

Whoosh's PostingPool keeps every posting as a (field, term, docnum, weight, value) tuple and
sorts them all when the segment is written; past its memory limit it pickles them one at a
time to run files and merges the runs posting by posting through a heap. On an import of
10k papers (2.6M postings) that spill and merge was ~40 % of the index time. Documents come
in increasing document numbers, so each term's postings, kept in a list of their own, are
already in order: the segment is written by sorting the distinct terms only, and runs
(spilled a chunk of terms per pickle) merge by term, concatenating each term's lists in run
order. It answers the calls SegmentWriter makes on its pool: add, iter_postings, cleanup,
fieldnames; iter_terms gives the postings a term at a time (whoosh_compat's block writer).
"""

from __future__ import annotations

import contextlib
import heapq
import pickle
from collections.abc import Callable, Iterator
from itertools import chain, groupby
from operator import itemgetter

Posting = tuple  # (fieldname, term bytes, docnum, weight, value bytes or None)
CHUNK = 2048  # terms per pickle in a run file


class GroupedPool:
    """Postings by (field, term), in document order within each term; spilled past limitmb."""

    def __init__(self, tempstore, limitmb: float, name: Callable[[], str]) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0  # estimated bytes held, as Whoosh's pool estimates them
        self.terms: dict[tuple[str, bytes], list[Posting]] = {}
        self.runs: list[str] = []
        self._name = name
        self._fields: set[str] = set()

    @property
    def fieldnames(self) -> set[str]:
        return self._fields | {field for field, _term in self.terms}

    def add(self, item: Posting) -> None:
        key = item[:2]
        found = self.terms.get(key)
        if found is None:
            self.terms[key] = [item]
            self.size += 120 + 2 * len(item[1])  # the key, its list
        else:
            found.append(item)
        self.size += 140 + len(item[1]) + len(item[4] or b"")
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the postings held to a run file, a chunk of terms per pickle, in term order."""
        if not self.terms:
            return
        terms, self.terms, self.size = self.terms, {}, 0
        self._fields.update(field for field, _term in terms)
        path = f"{self._name()}.run"
        keys = sorted(terms)
        with self.tempstore.create_file(path).raw_file() as handle:
            for start in range(0, len(keys), CHUNK):
                chunk = [(key, terms[key]) for key in keys[start : start + CHUNK]]
                pickle.dump(chunk, handle, pickle.HIGHEST_PROTOCOL)
        self.runs.append(path)

    def _read(self, path: str, order: int) -> Iterator[tuple[tuple[str, bytes], int, list]]:
        try:
            with self.tempstore.open_file(path).raw_file() as handle:
                while True:
                    try:
                        chunk = pickle.load(handle)
                    except EOFError:
                        return
                    for key, items in chunk:
                        yield key, order, items
        finally:
            self.tempstore.delete_file(path)
            self.runs.remove(path)

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, by field, term, then document number."""
        return chain.from_iterable(items for _key, items in self.iter_terms())

    def iter_terms(self) -> Iterator[tuple[tuple[str, bytes], list[Posting]]]:
        """((field, term), its postings in document order) for every term, in term order."""
        if not self.runs:
            terms = self.terms
            return ((key, terms[key]) for key in sorted(terms))
        self.save()
        # Runs hold documents in the order they came: a term's lists, concatenated in run
        # order, are in document order.
        sources = [self._read(path, order) for order, path in enumerate(list(self.runs))]
        merged = heapq.merge(*sources)
        return (
            (key, [posting for _key, _order, items in group for posting in items])
            for key, group in groupby(merged, key=itemgetter(0))
        )

    def cleanup(self) -> None:
        for path in list(self.runs):
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(path)
        self.runs.clear()
        self.terms = {}
