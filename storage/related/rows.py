"""Sparse term rows (CSR) and the term vocabulary they are numbered by.

The plain data the term store keeps in step with SQLite and the TF-IDF matrix is made of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storage.related.arrays import ArrayFileError

SPREAD_REPEAT = 1 << 16  # below this many values np.repeat is quicker than cumulative sums


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

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def entries(self) -> int:
        return int(self.indptr[-1])

    def select(self, rows: np.ndarray) -> Rows:
        """The given rows (indices, in that order) as rows of their own."""
        rows = np.asarray(rows, np.int64)
        picked = entries_of(self.indptr, rows)
        indptr = np.zeros(len(rows) + 1, np.int64)
        np.cumsum(self.indptr[rows + 1] - self.indptr[rows], out=indptr[1:])
        return Rows(self.ids[rows], indptr, self.terms[picked], self.tf[picked])

    def joined(self, other: Rows) -> Rows:
        return Rows(
            np.concatenate([self.ids, other.ids]),
            np.concatenate([self.indptr, other.indptr[1:] + self.indptr[-1]]),
            np.concatenate([self.terms, other.terms]),
            np.concatenate([self.tf, other.tf]),
        )

    def by_id(self) -> Rows:
        """The same rows ordered by paper id (rows can then be found by binary search)."""
        if len(self.ids) < 2 or bool(np.all(self.ids[1:] > self.ids[:-1])):
            return self
        return self.select(np.argsort(self.ids, kind="stable"))


def entries_of(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The entry positions of the given rows, row after row."""
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.int64)
    shift = np.zeros(len(rows), np.int64)  # start of each row minus where its entries begin
    np.cumsum(lengths[:-1], out=shift[1:])
    return np.arange(total, dtype=np.int64) + spread(starts - shift, lengths)


def spread(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """np.repeat(values, lengths) for integers, without holding the GIL for long on big
    outputs (np.repeat does: 0.35 s for a 100k-paper matrix, a stall of the window)."""
    total = int(lengths.sum())
    if total < SPREAD_REPEAT:
        return np.repeat(values, lengths)
    filled = lengths > 0
    values, lengths = values[filled], lengths[filled]
    steps = np.zeros(total, values.dtype)  # each row's value, added where its run begins
    steps[0] = values[0]
    steps[np.cumsum(lengths[:-1])] = np.diff(values)
    return np.cumsum(steps, dtype=values.dtype)


def row_index(indptr: np.ndarray) -> np.ndarray:
    """The row of every entry (int32)."""
    return spread(np.arange(len(indptr) - 1, dtype=np.int32), np.diff(indptr))


class Vocabulary:
    """Term ids: the terms known at the last save (kept as packed UTF-8, decoded only when a
    paper is read again or a term is shown) and those seen since, appended."""

    def __init__(
        self, packed: np.ndarray | None = None, offsets: np.ndarray | None = None,
        packed_shown: np.ndarray | None = None, offsets_shown: np.ndarray | None = None,
    ) -> None:  # fmt: skip
        self._packed = (packed, offsets, packed_shown, offsets_shown)
        self._saved = 0 if offsets is None else len(offsets) - 1
        if offsets is not None:
            _check(packed, offsets, len(offsets))
            _check(packed_shown, offsets_shown, len(offsets))
        self._terms: list[str] | None = None if self._saved else []
        self._shown: list[str] | None = None if self._saved else []
        self._index: dict[str, int] | None = None if self._saved else {}

    def __len__(self) -> int:
        return self._saved if self._terms is None else len(self._terms)

    def _decode(self) -> None:
        if self._terms is None:
            packed, offsets, packed_shown, offsets_shown = self._packed
            self._terms = _unpack(packed, offsets)
            self._shown = _unpack(packed_shown, offsets_shown)
            self._index = {term: i for i, term in enumerate(self._terms)}

    @property
    def index(self) -> dict[str, int]:
        """Term -> id of every known term (read-only: add() numbers new ones)."""
        self._decode()
        assert self._index is not None
        return self._index

    def add(self, term: str, shown: str) -> int:
        """Number a term not known yet (shown: its words for display)."""
        self._decode()
        assert self._index is not None and self._terms is not None and self._shown is not None
        tid = self._index[term] = len(self._terms)
        self._terms.append(term)
        self._shown.append(shown)
        return tid

    def term(self, tid: int) -> str:
        return self._one(tid, 0)

    def shown(self, tid: int) -> str:
        return self._one(tid, 2)

    def _one(self, tid: int, which: int) -> str:
        decoded = self._terms if which == 0 else self._shown
        if decoded is not None:
            return decoded[tid]
        packed, offsets = self._packed[which], self._packed[which + 1]
        assert packed is not None and offsets is not None
        return packed[int(offsets[tid]) : int(offsets[tid + 1])].tobytes().decode()

    def extend(self, terms: Sequence[str], shown: Sequence[str]) -> None:
        """Append terms that must all be new (ArrayFileError otherwise; nothing is added)."""
        self._decode()
        assert self._index is not None and self._terms is not None and self._shown is not None
        if len(terms) != len(shown) or any(term in self._index for term in terms):
            raise ArrayFileError("vocabulary: terms already known")
        for term, words in zip(terms, shown, strict=True):
            self.add(term, words)

    def since(self, start: int) -> tuple[list[str], list[str]]:
        """(terms, their words) numbered from start on."""
        if start >= len(self):
            return [], []
        self._decode()
        assert self._terms is not None and self._shown is not None
        return self._terms[start:], self._shown[start:]

    def packed(self) -> dict[str, np.ndarray]:
        """The vocabulary as arrays for a cache file (Vocabulary.unpacked reads them)."""
        if self._terms is None:
            packed, offsets, packed_shown, offsets_shown = self._packed
            assert packed is not None and offsets is not None
            assert packed_shown is not None and offsets_shown is not None
            return {
                "vocab": packed, "vocab_offsets": offsets,
                "shown": packed_shown, "shown_offsets": offsets_shown,
            }  # fmt: skip
        assert self._shown is not None
        return self.pack(self._terms, self._shown)

    @staticmethod
    def pack(terms: Sequence[str], shown: Sequence[str]) -> dict[str, np.ndarray]:
        vocab, vocab_offsets = _pack(terms)
        words, shown_offsets = _pack(shown)
        return {
            "vocab": vocab, "vocab_offsets": vocab_offsets,
            "shown": words, "shown_offsets": shown_offsets,
        }  # fmt: skip

    @classmethod
    def unpacked(cls, arrays: dict[str, np.ndarray]) -> Vocabulary:
        """The vocabulary of a cache file's arrays (ArrayFileError when they do not fit)."""
        if len(arrays["vocab_offsets"]) <= 1:
            _check(arrays["vocab"], arrays["vocab_offsets"], 1)
            return cls()
        return cls(
            arrays["vocab"], arrays["vocab_offsets"], arrays["shown"], arrays["shown_offsets"]
        )


def _pack(items: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [item.encode() for item in items]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), np.uint8), offsets


def _check(packed: np.ndarray | None, offsets: np.ndarray | None, count: int) -> None:
    """ArrayFileError unless offsets (count of them) cut packed from its start to its end."""
    if (
        packed is None or offsets is None or len(offsets) != count or not count
        or int(offsets[0]) != 0 or int(offsets[-1]) != len(packed)
        or bool(np.any(offsets[1:] < offsets[:-1]))
    ):  # fmt: skip
        raise ArrayFileError("vocabulary: offsets do not fit")


def _unpack(packed: np.ndarray | None, offsets: np.ndarray | None) -> list[str]:
    if packed is None or offsets is None:
        return []
    raw = packed.tobytes()
    bounds = offsets.tolist()
    try:
        return [raw[a:b].decode() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    except UnicodeDecodeError as error:
        raise ArrayFileError(f"vocabulary: {error}") from None
