"""Ranking papers against a query vector without reading the whole matrix.

The postings of the query's heaviest terms give every base row an estimate, then the best
estimates and every changed row are scored exactly. Cost follows the postings read, not the
library's size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storage.related.vectors import Matrix


@dataclass(frozen=True)
class Budget:
    """How much one ranking reads: at most `postings` postings, from the query's heaviest
    terms down (always its heaviest term); then at least `candidates` estimated rows, and
    `per_result` per result asked for, are scored exactly. When all of the query's terms fit,
    the estimate is the exact score already."""

    postings: int
    candidates: int
    per_result: int


RELATED = Budget(postings=500_000, candidates=300, per_result=30)
SUGGESTIONS = Budget(postings=1_500_000, candidates=1_000, per_result=50)


@dataclass(frozen=True)
class Ranked:
    """Rows and their exact scores, best first; `pruned` says whether terms were left out
    of the estimate (then a row outside the candidates could have been missed)."""

    rows: np.ndarray
    scores: np.ndarray
    pruned: bool


def heaviest_terms(matrix: Matrix, query: np.ndarray, postings: int) -> tuple[np.ndarray, bool]:
    """The query's positive terms, heaviest first, as many as fit in the postings budget
    (at least one); and whether any was left out."""
    terms = np.flatnonzero(query > 0)
    terms = terms[np.argsort(-query[terms], kind="stable")]
    cost = np.cumsum(matrix.base_postings(terms))
    kept = max(1, int(np.searchsorted(cost, postings, side="right")))
    return terms[:kept], kept < len(terms)


def rank(
    matrix: Matrix,
    query: np.ndarray,
    limit: int,
    allowed: np.ndarray,
    budget: Budget,
    positive_only: bool = False,
) -> Ranked:
    """The `limit` allowed rows (a bool per row) with the best query . row, best first (ties:
    the lower row first); positive_only leaves out rows scoring 0 or less."""
    query = np.asarray(query, np.float32)
    empty = Ranked(np.zeros(0, np.int64), np.zeros(0), False)
    if limit <= 0 or not len(matrix):
        return empty
    allowed = allowed & matrix.live
    terms, pruned = heaviest_terms(matrix, query, budget.postings)
    n_base = matrix.n_base
    candidates = np.flatnonzero(allowed[n_base:]) + n_base  # every changed row
    if n_base and len(terms):
        estimate = matrix.postings_dot(terms, query[terms])
        exact = not pruned and not bool((query < 0).any())  # then the estimate is the score
        wanted = limit if exact else max(budget.candidates, budget.per_result * limit)
        sharing = allowed[:n_base] & (estimate > 0)
        picked = top(estimate, wanted, sharing)
        if not positive_only and len(picked) < limit:  # few rows share a term: the rest too
            picked = np.concatenate([picked, np.flatnonzero(allowed[:n_base] & ~sharing)])
        candidates = np.concatenate([picked, candidates])
    elif n_base and not positive_only:
        candidates = np.concatenate([np.flatnonzero(allowed[:n_base]), candidates])
    if not len(candidates):
        return empty
    scores = matrix.dot(candidates, query)
    keep = scores > 0 if positive_only else np.ones(len(scores), bool)
    best = top(scores, limit, keep, tie=candidates)
    return Ranked(candidates[best], scores[best], pruned)


def top(
    scores: np.ndarray, k: int, allowed: np.ndarray, tie: np.ndarray | None = None
) -> np.ndarray:
    """Positions of the k best scores among the allowed ones (a bool mask), best first;
    ties go to the lower position, or the lower `tie` value when given."""
    candidates = np.flatnonzero(allowed)
    if not len(candidates) or k <= 0:
        return np.zeros(0, np.int64)
    picked = scores[candidates]
    if len(candidates) > k:
        part = np.argpartition(-picked, k - 1)[:k]
        candidates, picked = candidates[part], picked[part]
    order = np.lexsort((candidates if tie is None else tie[candidates], -picked))
    return candidates[order]
