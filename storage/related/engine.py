"""The related-papers engine of one library: the term store, its TF-IDF matrix (rebuilt only
when the rows changed), related papers by cosine, suggestions by a linear model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from storage.models import LIST_ITEM, NOTE, PAPER, PAPER_TAG
from storage.related.models import centroid_weights, explain, logistic_weights
from storage.related.results import Cancelled
from storage.related.store import TermStore
from storage.related.vectors import Matrix, top

CancelFn = Callable[[], bool]
ReadFn = Callable[[Callable[[Connection], object]], object]
MODELS = ("centroid", "logistic")
CACHE_FILE = "terms.npz"


class Engine:
    """TF-IDF over every paper's title (x3), abstract, notes and tags, word pairs included.

    Thread-safe: one lock around refreshing the rows and rebuilding the matrix; queries run
    on the matrix they got (it is never changed in place)."""

    def __init__(self, cache_folder: Path | None) -> None:
        self.store = TermStore(cache_folder / CACHE_FILE if cache_folder else None)
        self._lock = threading.Lock()
        self._matrix: Matrix | None = None
        self._version = -1

    def matrix(self, conn: Connection, cancel: CancelFn | None = None) -> Matrix:
        """The TF-IDF matrix of the library as it is now (raises Cancelled)."""
        with self._lock:
            self.store.refresh(conn, cancel)
            if self._matrix is None or self._version != self.store.version:
                self._matrix = Matrix(self.store.rows, len(self.store.vocab))
                self._version = self.store.version
            return self._matrix

    def related(
        self, conn: Connection, pid: int, limit: int, cancel: CancelFn | None = None
    ) -> list[tuple[int, float]]:
        """(paper id, cosine) of the papers most like pid, best first; dismissed papers
        are left out. Empty when the paper has no terms."""
        matrix = self.matrix(conn, cancel)
        row = matrix.row_of.get(pid)
        if row is None or limit <= 0:
            return []
        scores = matrix.dot(matrix.dense(row), cancel)
        allowed = scores > 0
        allowed[row] = False
        allowed[_rows(matrix, _dismissed(conn))] = False
        return [(int(matrix.ids[r]), float(scores[r])) for r in top(scores, limit, allowed)]

    def suggest(
        self,
        conn: Connection,
        positives: Collection[int],
        excluded: Collection[int],
        limit: int,
        cancel: CancelFn | None = None,
        model: str = "centroid",
    ) -> list[tuple[int, float, tuple[str, ...]]]:
        """(paper id, score, why) of the papers most like the positives (a tag's or list's
        papers), best first; papers in excluded (rejected) and dismissed ones left out."""
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}: one of {', '.join(MODELS)}")
        matrix = self.matrix(conn, cancel)
        positive = _rows(matrix, positives)
        if not len(positive) or limit <= 0:
            return []
        weights = self._weights(matrix, positive, model, cancel)
        if cancel is not None and cancel():
            raise Cancelled()
        scores = matrix.dot(weights[:-1].astype(np.float32), cancel) + weights[-1]
        allowed = np.ones(len(matrix), bool)
        allowed[positive] = False
        allowed[_rows(matrix, excluded)] = False
        allowed[_rows(matrix, _dismissed(conn))] = False
        allowed &= np.diff(matrix.indptr) > 0  # papers without any term say nothing
        best = top(scores, limit, allowed)
        return [
            (int(matrix.ids[r]), float(scores[r]), explain(matrix, r, weights, self.store.display))
            for r in best
        ]

    def _weights(
        self, matrix: Matrix, positive: np.ndarray, model: str, cancel: CancelFn | None
    ) -> np.ndarray:
        if model == "logistic":
            negative = np.flatnonzero(~np.isin(np.arange(len(matrix)), positive))
            return logistic_weights(matrix, positive, negative, cancel=cancel)
        return centroid_weights(matrix, positive)

    def interest(
        self, conn: Connection, ids: Sequence[int], cancel: CancelFn | None = None
    ) -> dict[int, float]:
        """Scores for papers against everything the user engaged with (_engaged); {} when
        there is nothing yet to compare with."""
        engaged = _engaged(conn)
        if not engaged:
            return {}
        matrix = self.matrix(conn, cancel)
        positive = _rows(matrix, engaged)
        if not len(positive):
            return {}
        weights = centroid_weights(matrix, positive)
        rows = _rows(matrix, ids)
        scores = matrix.dot(weights[:-1].astype(np.float32), cancel)
        return {int(matrix.ids[r]): float(scores[r]) for r in rows.tolist()}


def _rows(matrix: Matrix, ids: Collection[int]) -> np.ndarray:
    """The matrix rows of those ids that have one."""
    row_of = matrix.row_of
    return np.asarray([row_of[pid] for pid in ids if pid in row_of], np.int64)


def _dismissed(conn: Connection) -> list[int]:
    return list(conn.execute(select(PAPER.c.id).where(PAPER.c.status == "dismissed")).scalars())


def _engaged(conn: Connection) -> set[int]:
    """Papers the user did something with (tagged, listed, annotated, rated, reading or
    read; in the Inbox too, a paper tagged during triage counts), not dismissed."""
    found: set[int] = set()
    found.update(conn.execute(select(PAPER_TAG.c.paper_id).distinct()).scalars())
    found.update(conn.execute(select(LIST_ITEM.c.paper_id).distinct()).scalars())
    found.update(conn.execute(select(NOTE.c.paper_id).distinct()).scalars())
    found.update(
        conn.execute(
            select(PAPER.c.id).where(
                or_(PAPER.c.status.in_(("reading", "read")), PAPER.c.rating > 0)
            )
        ).scalars()
    )
    found -= set(_dismissed(conn))
    return found
