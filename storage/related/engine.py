"""The related-papers engine of one library.

The term store, the TF-IDF matrix made of it (a new one only when the rows changed), related
papers by cosine, suggestions by a linear model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from storage.models import LIST_ITEM, NOTE, PAPER, PAPER_TAG
from storage.reading import chunks
from storage.related.arrays import release_pages
from storage.related.models import centroid_weights, explain, logistic_weights
from storage.related.ranking import RELATED, SUGGESTIONS, rank
from storage.related.store import TermStore
from storage.related.vectors import Matrix, derive

CancelFn = Callable[[], bool]
MODELS = ("centroid", "logistic")


class Engine:
    """TF-IDF over every paper's title (x3), abstract, notes and tags, word pairs included.

    Thread-safe: one lock around refreshing the rows and making the matrix; queries run on
    the matrix they got (it is never changed in place)."""

    def __init__(self, cache_folder: Path | None, db_path: Path | None = None) -> None:
        self.store = TermStore(cache_folder, db_path, derive)
        self._lock = threading.Lock()
        self._matrix: Matrix | None = None
        self._made_from: tuple[int, int] = (-1, -1)

    def settle(self, conn: Connection) -> None:
        """At closing: save what the cache files lack, and note when they are in step. Skipped
        while a query or a build runs on another thread (closing never waits for it; the next
        process then compares the papers' stamps)."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            self.store.settle(conn)
        finally:
            self._lock.release()

    def close(self) -> None:
        """Close the store's own connection (without waiting for a query that runs)."""
        self.store.close()

    def matrix(self, conn: Connection, cancel: CancelFn | None = None) -> Matrix:
        """The TF-IDF matrix of the library as it is now (raises Cancelled)."""
        with self._lock:
            store = self.store
            store.refresh(conn, cancel)
            made_from = (store.generation, store.delta_version)
            if self._matrix is None or self._made_from != made_from:
                self._matrix = Matrix(
                    store.base, store.derived, store.delta, store.dead, len(store.vocabulary)
                )
                self._made_from = made_from
            return self._matrix

    def related(
        self, conn: Connection, pid: int, limit: int, cancel: CancelFn | None = None
    ) -> list[tuple[int, float]]:
        """(paper id, cosine) of the papers most like pid, best first; dismissed papers
        are left out. Empty when the paper has no terms."""
        matrix = self.matrix(conn, cancel)
        row = matrix.row_of(pid)
        if row is None or limit <= 0:
            return []
        allowed = np.ones(len(matrix), bool)
        allowed[row] = False
        allowed[_rows(matrix, _dismissed(conn))] = False
        found = rank(matrix, matrix.dense(row), limit, allowed, RELATED, positive_only=True)
        release_pages(matrix.base.terms)
        return [
            (int(matrix.ids[r]), float(s)) for r, s in zip(found.rows, found.scores, strict=True)
        ]

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
        try:
            weights = self._weights(matrix, positive, model, cancel)
            allowed = matrix.lengths() > 0  # papers without any term say nothing
            allowed[positive] = False
            allowed[_rows(matrix, excluded)] = False
            allowed[_rows(matrix, _dismissed(conn))] = False
            found = rank(matrix, weights[:-1], limit, allowed, SUGGESTIONS)
            return [
                (int(matrix.ids[r]), float(s) + float(weights[-1]),
                 explain(matrix, int(r), weights, self.store.display))
                for r, s in zip(found.rows, found.scores, strict=True)
            ]  # fmt: skip
        finally:
            release_pages(matrix.base.terms)

    def _weights(
        self, matrix: Matrix, positive: np.ndarray, model: str, cancel: CancelFn | None
    ) -> np.ndarray:
        if model == "logistic":
            others = matrix.live.copy()
            others[positive] = False
            return logistic_weights(matrix, positive, np.flatnonzero(others), cancel=cancel)
        return centroid_weights(matrix, positive)

    def interest(
        self, conn: Connection, ids: Sequence[int], cancel: CancelFn | None = None
    ) -> dict[int, float]:
        """Scores for papers against everything the user engaged with (_engaged); {} when
        there is nothing yet to compare with. Reads the asked papers' rows only."""
        engaged = _engaged(conn)
        if not engaged:
            return {}
        matrix = self.matrix(conn, cancel)
        positive = _rows(matrix, engaged)
        if not len(positive):
            return {}
        weights = centroid_weights(matrix, positive)[:-1].astype(np.float32)
        rows = _rows(matrix, ids)
        scores = matrix.dot(rows, weights)
        release_pages(matrix.base.terms)
        return {
            int(matrix.ids[r]): float(s)
            for r, s in zip(rows.tolist(), scores.tolist(), strict=True)
        }


def _rows(matrix: Matrix, ids: Collection[int]) -> np.ndarray:
    """The live matrix rows of those ids that have one."""
    return matrix.rows_of(ids)


def titles(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    """The titles of those papers that exist (plain SQL: building the statement with
    SQLAlchemy costs more than running it)."""
    found: dict[int, str] = {}
    for part in chunks([int(pid) for pid in ids], 500):
        marks = ", ".join("?" * len(part))
        rows = conn.exec_driver_sql(
            f"SELECT id, title FROM paper WHERE id IN ({marks})", tuple(part)
        )
        found.update((int(pid), str(title)) for pid, title in rows.cursor.fetchall())
    return found


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
