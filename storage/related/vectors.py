"""TF-IDF vectors of the term rows (unit length), row-major and term-major.

Row-major for reading one paper's terms, term-major (postings) so that a query reads only the
rows that share its terms."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from storage.related.rows import Rows, entries_of, row_index, spread

MIN_DF = 2  # a term only one paper has links it to no other paper


def idf_of(df: np.ndarray, n: int) -> np.ndarray:
    """log((1 + n) / (1 + df)) + 1, and 0 for terms fewer than MIN_DF papers have."""
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    idf[df < MIN_DF] = 0.0
    return idf


def unit_weights(rows: Rows, idf: np.ndarray, owner: np.ndarray | None = None) -> np.ndarray:
    """tf * idf per entry, each row scaled to unit length (float32); owner: row_index."""
    owner = row_index(rows.indptr) if owner is None else owner
    data = rows.tf * idf[rows.terms]
    norms = np.sqrt(np.bincount(owner, weights=data * data, minlength=len(rows.ids)))
    norms[norms == 0] = 1.0
    return (data / norms[owner]).astype(np.float32)


def derive(rows: Rows, vocabulary: int) -> dict[str, np.ndarray]:
    """The TF-IDF arrays of a base: document frequencies, idf, the unit weights (row-major,
    beside the rows' terms), the postings (term-major: rows and weights of each term between
    starts[t] and starts[t + 1], rows ascending), the sum of all rows and each row's product
    with that sum (how typical it is: the centroid models' negative side)."""
    n = len(rows.ids)
    df = np.bincount(rows.terms, minlength=vocabulary).astype(np.int32)
    idf = idf_of(df, n)
    owner = row_index(rows.indptr)
    weights = unit_weights(rows, idf, owner)
    starts = np.zeros(vocabulary + 1, np.int64)
    np.cumsum(df, out=starts[1:])
    # entries by term, then by position (so rows ascend): sorting (term, position) keys is
    # ~8x quicker than a stable argsort of the terms
    order = (rows.terms.astype(np.int64) << 32) | np.arange(rows.entries, dtype=np.int64)
    order.sort()
    order &= 0xFFFFFFFF
    sums = np.bincount(rows.terms, weights=weights, minlength=vocabulary)
    typical = np.bincount(owner, weights=weights * sums[rows.terms], minlength=n)
    return {
        "df": df,
        "idf": idf,
        "weights": weights,
        "starts": starts,
        "posting_rows": owner[order],
        "posting_weights": weights[order],
        "sums": sums,
        "typical": typical,
    }


class Matrix:
    """The unit TF-IDF rows of the library now: the base rows (weights as of the last merge,
    with postings) then the changed rows (the delta, weighted with the idf of base and delta
    together). Rows are numbered base first; dead base rows are not live. Never changed in
    place: a change of the rows makes a new Matrix."""

    def __init__(
        self,
        base: Rows,
        derived: dict[str, np.ndarray],
        delta: Rows,
        dead: np.ndarray,
        vocabulary: int,
    ) -> None:
        self.vocabulary = vocabulary
        self.base = base
        self.derived = derived
        self.n_base = len(base.ids)
        self.delta = delta
        self.ids = np.concatenate([base.ids, delta.ids])
        self.live = np.concatenate([~dead, np.ones(len(delta.ids), bool)])
        self.live_count = int(self.live.sum())
        self._delta_rows = {pid: self.n_base + i for i, pid in enumerate(delta.ids.tolist())}
        df = _padded(derived["df"], vocabulary).astype(np.int64)
        df += np.bincount(delta.terms, minlength=vocabulary)
        self.delta_weights = unit_weights(delta, idf_of(df, self.n_base + len(delta.ids)))
        self._sums: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    # --- rows ----------------------------------------------------------------------------

    def row_of(self, pid: int) -> int | None:
        """The live row of a paper, None when it has none."""
        found = self._delta_rows.get(pid)
        if found is not None:
            return found
        ids = self.base.ids
        at = int(np.searchsorted(ids, pid))
        if at < len(ids) and int(ids[at]) == pid and self.live[at]:
            return at
        return None

    def rows_of(self, ids: Collection[int]) -> np.ndarray:
        """The live rows of those ids that have one (ascending)."""
        wanted = np.unique(np.fromiter(ids, np.int64, len(ids)))
        base_ids = self.base.ids
        at = np.minimum(np.searchsorted(base_ids, wanted), max(0, self.n_base - 1))
        found = []
        if self.n_base:
            hit = base_ids[at] == wanted
            found.append(at[hit][self.live[at[hit]]])
        found.append(np.asarray([self._delta_rows[p] for p in wanted.tolist()
                                 if p in self._delta_rows], np.int64))  # fmt: skip
        return np.unique(np.concatenate(found).astype(np.int64))

    def row(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, unit weights) of one row."""
        if r < self.n_base:
            start, end = self.base.indptr[r], self.base.indptr[r + 1]
            return self.base.terms[start:end], self.derived["weights"][start:end]
        d = r - self.n_base
        start, end = self.delta.indptr[d], self.delta.indptr[d + 1]
        return self.delta.terms[start:end], self.delta_weights[start:end]

    def entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(position of its row in rows, term, weight) of every entry of the given rows."""
        rows = np.asarray(rows, np.int64)
        in_base = rows < self.n_base
        parts = []
        for mask, segment, weights, shift in (
            (in_base, self.base, self.derived["weights"], 0),
            (~in_base, self.delta, self.delta_weights, self.n_base),
        ):
            picked = rows[mask] - shift
            positions = np.flatnonzero(mask)
            where = entries_of(segment.indptr, picked)
            lengths = segment.indptr[picked + 1] - segment.indptr[picked]
            parts.append((spread(positions, lengths), segment.terms[where], weights[where]))
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
        )

    def dot(self, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """The given rows times a dense vector over the vocabulary (cosine for a unit one)."""
        owner, terms, weights = self.entries(rows)
        return np.bincount(owner, weights=weights * vector[terms], minlength=len(rows))

    def dense(self, r: int) -> np.ndarray:
        """One row as a dense vector over the vocabulary."""
        vector = np.zeros(self.vocabulary, np.float32)
        terms, weights = self.row(r)
        vector[terms] = weights
        return vector

    def lengths(self) -> np.ndarray:
        """The number of terms of every row."""
        return np.concatenate([np.diff(self.base.indptr), np.diff(self.delta.indptr)])

    # --- whole-matrix sums and postings --------------------------------------------------

    def sums(self) -> np.ndarray:
        """Every live row summed into one dense vector (float64)."""
        if self._sums is None:
            sums = _padded(self.derived["sums"], self.vocabulary).astype(np.float64)
            dead = np.flatnonzero(~self.live[: self.n_base])
            if len(dead):
                _owner, terms, weights = self.entries(dead)
                sums -= np.bincount(terms, weights=weights, minlength=self.vocabulary)
            sums += np.bincount(
                self.delta.terms, weights=self.delta_weights, minlength=self.vocabulary
            )
            self._sums = sums
        return self._sums

    def base_postings(self, terms: np.ndarray) -> np.ndarray:
        """How many base rows hold each term (what reading its postings costs)."""
        starts = self.derived["starts"]
        known = terms < len(starts) - 1
        cost = np.zeros(len(terms), np.int64)
        cost[known] = starts[terms[known] + 1] - starts[terms[known]]
        return cost

    def postings_dot(self, terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Every base row times a sparse query (terms, weights), from those terms' postings
        only: a score for every base row (float32), zero for rows sharing none of them.
        Term by term: each term's postings are one contiguous slice and hold a row at most
        once (5x quicker than gathering all postings into one index array)."""
        starts = self.derived["starts"]
        rows, values = self.derived["posting_rows"], self.derived["posting_weights"]
        scores = np.zeros(self.n_base, np.float32)
        known = len(starts) - 1
        for term, weight in zip(terms.tolist(), weights.tolist(), strict=True):
            if term < known:
                start, end = int(starts[term]), int(starts[term + 1])
                scores[rows[start:end]] += np.float32(weight) * values[start:end]
        return scores


def _padded(values: np.ndarray, size: int) -> np.ndarray:
    """values with zeros after them up to size."""
    if len(values) >= size:
        return values[:size]
    return np.concatenate([values, np.zeros(size - len(values), values.dtype)])
