"""The term table of a library: every paper's terms as a sparse row, kept in step with SQLite
(only papers changed since are read again) and saved under cache/ for the next process."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage.models import PAPER
from storage.reading import chunks, notes_by_paper, tags_by_paper
from storage.related.results import Cancelled
from storage.related.text import Terms

CACHE_VERSION = 1
READ_CHUNK = 500
SLICE = 50_000  # items turned into (or out of) arrays at a time: each such call holds the GIL
CancelFn = Callable[[], bool]


def as_array(items: Sequence[object], dtype: type | str) -> np.ndarray:
    """np.asarray(items, dtype) a slice at a time: one call over millions of Python objects
    holds the GIL for a good part of a second, freezing the window while a worker builds."""
    if len(items) <= SLICE:
        return np.asarray(items, dtype)
    return np.concatenate(
        [np.asarray(items[i : i + SLICE], dtype) for i in range(0, len(items), SLICE)]
    )


def as_list(array: np.ndarray) -> list:
    """array.tolist() a slice at a time (see as_array)."""
    found: list = []
    for i in range(0, len(array), SLICE):
        found.extend(array[i : i + SLICE].tolist())
    return found


@dataclass
class Rows:
    """Sparse rows (CSR): the terms of row r are terms[indptr[r]:indptr[r + 1]], each with
    its sublinear term frequency 1 + log(count) in tf."""

    ids: np.ndarray  # int64 paper id per row
    indptr: np.ndarray  # int64, len(ids) + 1
    terms: np.ndarray  # int32 term ids
    tf: np.ndarray  # float32

    @classmethod
    def empty(cls) -> Rows:
        return cls(
            np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int32),
            np.zeros(0, np.float32),
        )  # fmt: skip

    def take(self, keep: np.ndarray) -> Rows:
        """The rows where keep (bool per row) is true."""
        lengths = np.diff(self.indptr)
        mask = np.repeat(keep, lengths)
        indptr = np.zeros(int(keep.sum()) + 1, np.int64)
        np.cumsum(lengths[keep], out=indptr[1:])
        return Rows(self.ids[keep], indptr, self.terms[mask], self.tf[mask])

    def joined(self, other: Rows) -> Rows:
        return Rows(
            np.concatenate([self.ids, other.ids]),
            np.concatenate([self.indptr, other.indptr[1:] + self.indptr[-1]]),
            np.concatenate([self.terms, other.terms]),
            np.concatenate([self.tf, other.tf]),
        )


class TermStore:
    """The term rows of every paper, brought up to date on demand and saved to a file.

    SQLite stays the truth: a cheap signature (count, ids, latest update) says whether
    anything changed; then the papers whose updated_at differs, new ones and deleted ones
    are found and only those are read and split into terms again. Every edit of a paper's
    text, tags or notes touches its updated_at."""

    def __init__(self, path: Path | None, pairs: bool = True) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.terms = Terms(pairs=pairs)
        self.vocab: list[str] = []
        self.index: dict[str, int] = {}
        self.shown: list[str] = []
        self.rows = Rows.empty()
        self.stamps: dict[int, str] = {}
        self.signature: tuple[object, ...] | None = None
        self.version = 0  # bumped on every change of the rows
        self.unsaved = 0  # rows read again since the file was written
        self._loaded = False
        self._marked: set[int] = set()  # papers this process wrote since the last refresh

    def mark(self, ids: Sequence[int]) -> None:
        """Papers a write of this process touched: read again on the next refresh (their
        updated_at may not show it: it has whole seconds)."""
        with self.lock:
            self._marked.update(ids)

    # --- keeping up with the database ----------------------------------------------------

    def refresh(self, conn: Connection, cancel: CancelFn | None = None) -> bool:
        """Bring the rows up to the database; True when they changed. Raises Cancelled."""
        with self.lock:
            if not self._loaded:
                self._loaded = True
                self._load()
            signature = tuple(
                conn.exec_driver_sql(
                    "SELECT count(*), coalesce(max(id), 0), coalesce(sum(id), 0), "
                    "max(updated_at) FROM paper"
                ).one()
            )
            marked, self._marked = self._marked, set()
            if signature == self.signature and not marked:
                return False
            current = {int(pid): str(stamp) for pid, stamp in conn.exec_driver_sql(
                "SELECT id, updated_at FROM paper"
            )}  # fmt: skip
            stale = [
                pid
                for pid, stamp in current.items()
                if pid in marked or self.stamps.get(pid) != stamp
            ]
            gone = self.stamps.keys() - current.keys()
            fresh = self._read(conn, stale, cancel)
            if stale or gone:
                drop = set(stale) | gone
                keep = np.fromiter((pid not in drop for pid in self.rows.ids.tolist()), bool,
                                   count=len(self.rows.ids))  # fmt: skip
                self.rows = self.rows.take(keep).joined(fresh)
                self.version += 1
                self.unsaved += len(stale) + len(gone)
            self.stamps = current
            self.signature = signature
            if self.unsaved and (
                self.unsaved >= max(200, len(current) // 100) or not self._saved_exists()
            ):
                self._save()
            return bool(stale or gone)

    def _read(self, conn: Connection, ids: Sequence[int], cancel: CancelFn | None) -> Rows:
        """The term rows of the given papers, read in chunks (cancel is checked between)."""
        all_ids: list[int] = []
        lengths: list[int] = []
        terms: list[int] = []
        counts: list[int] = []
        done_terms: list[np.ndarray] = []  # each chunk's terms and counts as arrays (see as_array)
        done_counts: list[np.ndarray] = []
        index, vocab, shown, split = self.index, self.vocab, self.shown, self.terms
        for part in chunks(sorted(ids), READ_CHUNK):
            if cancel is not None and cancel():
                raise Cancelled()
            done_terms.append(np.asarray(terms, np.int32))
            done_counts.append(np.asarray(counts, np.float32))
            terms, counts = [], []
            tags = tags_by_paper(conn, part)
            notes = notes_by_paper(conn, part)
            rows = conn.execute(
                select(PAPER.c.id, PAPER.c.title, PAPER.c.abstract).where(PAPER.c.id.in_(part))
            )
            for pid, title, abstract in rows:
                found: Counter[str] = split.paper(
                    title,
                    abstract,
                    [n.body + ("\n" + n.quote if n.quote else "") for n in notes.get(pid, [])],
                    tags.get(pid, []),
                )
                for term, count in found.items():
                    tid = index.get(term)
                    if tid is None:
                        tid = index[term] = len(vocab)
                        vocab.append(term)
                        shown.append(split.display(term))
                    terms.append(tid)
                    counts.append(count)
                all_ids.append(pid)
                lengths.append(len(found))
        done_terms.append(np.asarray(terms, np.int32))
        done_counts.append(np.asarray(counts, np.float32))
        indptr = np.zeros(len(all_ids) + 1, np.int64)
        np.cumsum(as_array(lengths, np.int64), out=indptr[1:])
        tf = (1.0 + np.log(np.concatenate(done_counts))).astype(np.float32)
        return Rows(as_array(all_ids, np.int64), indptr, np.concatenate(done_terms), tf)

    def display(self, tid: int) -> str:
        """A term id as words (the shortest word seen for each stem, in this process or when
        the term was first seen)."""
        term = self.vocab[tid]
        if all(part in self.terms.shown for part in term.split(" ")):
            return self.terms.display(term)
        return self.shown[tid]

    # --- the file under cache/ -----------------------------------------------------------

    def _saved_exists(self) -> bool:
        return self.path is not None and self.path.exists()

    def _save(self) -> None:
        """Write the rows beside the file and rename over it; a failure only costs speed."""
        if self.path is None:
            return
        part = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            stamp_ids = as_array(list(self.stamps), np.int64)
            stamps = as_array(list(self.stamps.values()), str)
            with os.fdopen(
                os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb"
            ) as handle:
                np.savez(
                    handle,
                    version=np.asarray([CACHE_VERSION, int(self.terms.pairs)]),
                    ids=self.rows.ids,
                    indptr=self.rows.indptr,
                    terms=self.rows.terms,
                    tf=self.rows.tf,
                    vocab=as_array(self.vocab, str),
                    shown=as_array(self.shown, str),
                    stamp_ids=stamp_ids,
                    stamps=stamps,
                )
            os.replace(part, self.path)
            self.unsaved = 0
        except OSError:
            with contextlib.suppress(OSError):
                part.unlink()

    def _load(self) -> None:
        """Read the saved rows; a missing, older or unreadable file means starting afresh."""
        if not self._saved_exists():
            return
        assert self.path is not None
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if data["version"].tolist() != [CACHE_VERSION, int(self.terms.pairs)]:
                    return
                rows = Rows(data["ids"], data["indptr"], data["terms"], data["tf"])
                vocab = as_list(data["vocab"])
                shown = as_list(data["shown"])
                stamps = dict(
                    zip(as_list(data["stamp_ids"]), as_list(data["stamps"]), strict=True)
                )
        except (OSError, KeyError, ValueError):
            return
        if len(rows.indptr) != len(rows.ids) + 1 or len(shown) != len(vocab):
            return
        self.rows, self.vocab, self.shown, self.stamps = rows, vocab, shown, stamps
        self.index = {term: i for i, term in enumerate(vocab)}
        self.version += 1
