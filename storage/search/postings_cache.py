"""Decoded posting lists of frequent terms, kept within a memory budget (segments never change).

A search reads each term's posting blocks from the segment file and unpickles them: for a
word in a third of 100k abstracts with its positions (a phrase), ~100 ms a query, most of a
phrase search's time. Lists of at least MIN_POSTINGS postings are kept here once decoded,
least recently used first out when the budget is spent: the next query with the same word
(another phrase, a word added to the query, the same search again) only scores them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any, TypeVar

__all__ = ["MAX_BYTES", "MIN_POSTINGS", "PostingsCache", "shared"]

MAX_BYTES = 128 * 1024 * 1024
MIN_POSTINGS = 1024  # shorter lists decode in well under a millisecond
T = TypeVar("T")
Block = tuple[Any, Any, Any]  # ids, weights (a sequence or one float), values or None


def _merged(blocks: Iterable[Block]) -> tuple[list[Block], int]:
    """The whole list as one block of numpy arrays (ids, weights or one weight for all), and
    its size in bytes."""
    import numpy as np  # not at import time: the command line starts without it

    parts = list(blocks)
    count = sum(len(part[0]) for part in parts)
    ids = np.fromiter(chain.from_iterable(part[0] for part in parts), np.int64, count)
    floats = {w for _ids, w, _vals in parts if isinstance(w, float)}
    weights: Any
    if len(floats) == len(parts) and len(floats) <= 1:
        weights = floats.pop() if floats else 1.0  # one weight for every posting
    else:
        weights = np.fromiter(
            chain.from_iterable([w] * len(i) if isinstance(w, float) else w for i, w, _v in parts),
            np.float64,
            count,
        )
    size = ids.nbytes + (weights.nbytes if isinstance(weights, np.ndarray) else 0)
    return [(ids, weights, None)], size


class PostingsCache:
    """(segment id, field, term, what) -> a decoded list, least recently used out first."""

    def __init__(self, max_bytes: int = MAX_BYTES, min_postings: int = MIN_POSTINGS) -> None:
        self.max_bytes = max_bytes
        self.min_postings = min_postings
        self.size = 0
        self.hits = 0
        self._kept: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def kept(self, key: tuple, doc_frequency: int, build: Callable[[], tuple[T, int]]) -> T:
        """The value for key: kept from an earlier call, or build() (value, size in bytes),
        kept when the list is long enough and small enough for the budget."""
        if doc_frequency >= self.min_postings:
            with self._lock:
                found = self._kept.get(key)
                if found is not None:
                    self._kept.move_to_end(key)
                    self.hits += 1
                    return found[0]  # type: ignore[return-value]
        value, size = build()
        if doc_frequency >= self.min_postings and size <= self.max_bytes // 8:
            with self._lock:
                old = self._kept.pop(key, None)
                self.size += size - (old[1] if old is not None else 0)
                self._kept[key] = (value, size)
                while self.size > self.max_bytes and self._kept:
                    _key, (_value, dropped) = self._kept.popitem(last=False)
                    self.size -= dropped
        return value

    def blocks(
        self, key: tuple, doc_frequency: int, decode: Callable[[], Iterable[Block]]
    ) -> list[Block]:
        """A term's (ids, weights, None) as one block of numpy arrays: kept, or decode()d."""
        return self.kept((*key, "blocks"), doc_frequency, lambda: _merged(decode()))

    def offer_blocks(self, key: tuple, doc_frequency: int, blocks: Iterable[Block]) -> None:
        """Keep a term's blocks decoded for another purpose (positions), if worth it."""
        if doc_frequency >= self.min_postings:
            self.kept((*key, "blocks"), doc_frequency, lambda: _merged(blocks))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.size = 0


shared = PostingsCache()  # for every index in the process (segment ids are unique)
