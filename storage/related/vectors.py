"""TF-IDF vectors of the term rows (unit length) and the products related papers and the
suggestion models are made of."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from storage.related.results import Cancelled
from storage.related.store import Rows

MIN_DF = 2  # a term only one paper has links it to no other paper
DOT_SLICE = 250_000  # entries per step of dot(): a step holds the GIL a few ms, not 100s


class Matrix:
    """Unit-length TF-IDF rows: weight = (1 + log count) * (log((1 + n) / (1 + df)) + 1)."""

    def __init__(self, rows: Rows, vocabulary: int) -> None:
        n = len(rows.ids)
        self.ids = rows.ids
        self.row_of = {pid: r for r, pid in enumerate(rows.ids.tolist())}
        self.vocabulary = vocabulary
        lengths = np.diff(rows.indptr)
        df = np.bincount(rows.terms, minlength=vocabulary)
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        idf[df < MIN_DF] = 0.0
        self.idf = idf
        self.row_index = np.repeat(np.arange(n, dtype=np.int32), lengths)  # row of each entry
        data = rows.tf * idf[rows.terms]
        norms = np.sqrt(np.bincount(self.row_index, weights=data * data, minlength=n))
        norms[norms == 0] = 1.0
        self.data = (data / norms[self.row_index]).astype(np.float32)
        self.indptr = rows.indptr
        self.terms = rows.terms
        self._sums: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, weights) of one row."""
        start, end = self.indptr[r], self.indptr[r + 1]
        return self.terms[start:end], self.data[start:end]

    def dense(self, r: int) -> np.ndarray:
        """One row as a dense vector over the vocabulary."""
        vector = np.zeros(self.vocabulary, np.float32)
        terms, weights = self.row(r)
        vector[terms] = weights
        return vector

    def dot(
        self, vector: np.ndarray, cancel: Callable[[], bool] | None = None
    ) -> np.ndarray:
        """Every row times a dense vector over the vocabulary (cosine for a unit vector),
        DOT_SLICE entries a step (cancel, if given, is asked between steps: Cancelled)."""
        n = len(self.ids)
        if len(self.terms) <= DOT_SLICE:
            products = self.data * vector[self.terms]
            return np.bincount(self.row_index, weights=products, minlength=n)
        result = np.zeros(n, np.float64)
        cuts = np.searchsorted(self.indptr, np.arange(0, len(self.terms), DOT_SLICE))
        bounds = [*np.unique(np.clip(cuts, 0, n)).tolist(), n]
        for first, end in zip(bounds, bounds[1:], strict=False):
            if cancel is not None and cancel():
                raise Cancelled()
            if end <= first:
                continue
            start, stop = int(self.indptr[first]), int(self.indptr[end])
            products = self.data[start:stop] * vector[self.terms[start:stop]]
            result[first:end] = np.bincount(
                self.row_index[start:stop] - first, weights=products, minlength=end - first
            )
        return result

    def mean(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """The mean of some rows as a dense vector (zero for no rows)."""
        vector = np.zeros(self.vocabulary, np.float64)
        picked = np.asarray(rows, np.int64)
        if not len(picked):
            return vector.astype(np.float32)
        lengths = self.indptr[picked + 1] - self.indptr[picked]
        starts = np.repeat(self.indptr[picked] - np.cumsum(lengths) + lengths, lengths)
        entries = starts + np.arange(int(lengths.sum()))
        vector += np.bincount(
            self.terms[entries], weights=self.data[entries], minlength=self.vocabulary
        )
        return (vector / len(picked)).astype(np.float32)

    def sums(self) -> np.ndarray:
        """Every row summed into one dense vector (cached: the rows never change)."""
        if self._sums is None:
            self._sums = np.bincount(self.terms, weights=self.data, minlength=self.vocabulary)
        return self._sums

    def transposed_dot(self, per_row: np.ndarray) -> np.ndarray:
        """X^T v: a weight per row summed into a dense vector over the vocabulary."""
        return np.bincount(
            self.terms, weights=self.data * per_row[self.row_index], minlength=self.vocabulary
        )


def top(scores: np.ndarray, k: int, allowed: np.ndarray) -> list[int]:
    """The rows of the k best scores among the allowed rows (bool mask), best first (ties:
    the lower row first)."""
    candidates = np.flatnonzero(allowed)
    if not len(candidates) or k <= 0:
        return []
    picked = scores[candidates]
    if len(candidates) > k:
        part = np.argpartition(-picked, k - 1)[:k]
        candidates, picked = candidates[part], picked[part]
    order = np.lexsort((candidates, -picked))
    return candidates[order].tolist()
