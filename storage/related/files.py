"""The related-papers cache files under cache/.

The base (every term row as of the last merge, its stamps, the vocabulary and the TF-IDF arrays
derived from it) in related.arrays, memory- mapped when read, and the delta (rows read again
since, dead base rows, new terms) in related-delta.arrays. Writes are atomic; a missing, older
or damaged file is only ignored."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storage.related.arrays import ArrayFileError, load_arrays, save_arrays
from storage.related.rows import Rows, Vocabulary
from storage.related.text import Terms

CACHE_VERSION = 2
BASE_FILE = "related.arrays"
DELTA_FILE = "related-delta.arrays"
OLD_FILES = ("terms.npz",)  # the cache of earlier versions, removed when seen


def stamps_of(values: Sequence[object]) -> np.ndarray:
    """updated_at texts as a fixed-width byte array (compared as they are stored)."""
    return np.array([str(v).encode() for v in values], dtype="S") if values else no_stamps()


def no_stamps() -> np.ndarray:
    return np.zeros(0, "S1")


class CacheFiles:
    """Saving and loading a TermStore's rows (the TermStore is made of this and its upkeep)."""

    folder: Path | None
    terms: Terms
    base: Rows
    base_stamps: np.ndarray
    derived: dict[str, np.ndarray]
    delta: Rows
    delta_stamps: np.ndarray
    dead: np.ndarray
    vocabulary: Vocabulary
    base_vocabulary: int
    token: str
    delta_token: str | None
    unsaved: int
    generation: int
    delta_version: int

    def _tokens(self) -> dict[str, object]:
        return {"version": CACHE_VERSION, "base": self.token, "delta": self.delta_token}

    def _path(self, name: str) -> Path | None:
        return self.folder / name if self.folder is not None else None

    def _remove(self, *names: str) -> None:
        for name in names:
            path = self._path(name)
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)

    def _meta(self) -> dict[str, object]:
        return {"version": CACHE_VERSION, "pairs": self.terms.pairs, "base": self.token}

    def _save_base(self) -> None:
        """Write the base; then map it from the file (its pages leave this process's own
        memory). A failure only costs speed."""
        path = self._path(BASE_FILE)
        if path is None:
            return
        rows, derived = self.base, self.derived
        arrays = {
            "ids": rows.ids, "indptr": rows.indptr, "terms": rows.terms, "tf": rows.tf,
            "stamps": self.base_stamps, **self.vocabulary.packed(),
        }  # fmt: skip
        arrays.update({f"derived.{name}": array for name, array in derived.items()})
        meta = {**self._meta(), "vocabulary": len(self.vocabulary), "derived": list(derived)}
        try:
            save_arrays(path, arrays, meta)
        except OSError:
            return
        self._remove(DELTA_FILE)
        self.unsaved = 0
        with contextlib.suppress(OSError, ArrayFileError, KeyError):
            _meta, mapped = load_arrays(path)
            self.base = Rows(mapped["ids"], mapped["indptr"], mapped["terms"], mapped["tf"])
            self.base_stamps = mapped["stamps"]
            self.derived = {name: mapped[f"derived.{name}"] for name in derived}

    def _save_delta(self) -> None:
        path = self._path(DELTA_FILE)
        if path is None:
            return
        delta = self.delta
        terms, shown = self.vocabulary.since(self.base_vocabulary)
        packed = Vocabulary.pack(terms, shown)
        arrays = {
            "ids": delta.ids, "indptr": delta.indptr, "terms": delta.terms, "tf": delta.tf,
            "stamps": self.delta_stamps, "dead": self.base.ids[self.dead], **packed,
        }  # fmt: skip
        token = secrets.token_hex(8)
        meta = {**self._meta(), "from": self.base_vocabulary, "delta": token}
        with contextlib.suppress(OSError):
            save_arrays(path, arrays, meta)
            self.unsaved = 0
            self.delta_token = token

    def _load(self) -> None:
        """Map the saved base and read the delta saved with it; a missing, older or damaged
        file means starting afresh (the comparison with SQLite then reads what is needed)."""
        self._remove(*OLD_FILES)
        path = self._path(BASE_FILE)
        if path is None or not path.exists():
            return
        try:
            meta, arrays = load_arrays(path)
            if meta.get("version") != CACHE_VERSION or meta.get("pairs") != self.terms.pairs:
                return
            rows = _rows(arrays)
            vocabulary = Vocabulary.unpacked(arrays)
            names = meta["derived"]
            if not isinstance(names, list):
                raise ArrayFileError("derived arrays")
            derived = {str(name): arrays[f"derived.{name}"] for name in names}
            if len(vocabulary) != meta.get("vocabulary"):
                raise ArrayFileError("vocabulary size")
        except (OSError, ArrayFileError, KeyError, TypeError, ValueError):
            return
        self.base, self.base_stamps, self.derived = rows, arrays["stamps"], derived
        self.vocabulary, self.base_vocabulary = vocabulary, len(vocabulary)
        self.dead = np.zeros(len(rows.ids), bool)
        self.token = str(meta["base"])
        self.generation += 1
        self.delta_version += 1
        self._load_delta()

    def _load_delta(self) -> None:
        path = self._path(DELTA_FILE)
        if path is None or not path.exists():
            return
        try:
            meta, arrays = load_arrays(path)
            token = meta.pop("delta", None)
            if meta != {**self._meta(), "from": self.base_vocabulary} or not token:
                return
            delta = _rows(arrays)
            extra = Vocabulary.unpacked(arrays)
            dead = np.isin(self.base.ids, arrays["dead"])
            if len(extra):
                self.vocabulary.extend(*extra.since(0))
        except (OSError, ArrayFileError, KeyError, TypeError, ValueError):
            return
        self.delta = Rows(*(np.array(a) for a in (delta.ids, delta.indptr, delta.terms, delta.tf)))
        self.delta_stamps = np.array(arrays["stamps"])
        self.dead = dead
        self.delta_token = str(token)
        self.delta_version += 1


def _rows(arrays: dict[str, np.ndarray]) -> Rows:
    """Term rows from a file's arrays (ArrayFileError when they do not fit together)."""
    rows = Rows(arrays["ids"], arrays["indptr"], arrays["terms"], arrays["tf"])
    if (
        len(rows.indptr) != len(rows.ids) + 1 or len(arrays["stamps"]) != len(rows.ids)
        or int(rows.indptr[0]) != 0 or rows.entries != len(rows.terms)
        or len(rows.terms) != len(rows.tf)
        or rows.ids.dtype != np.int64 or rows.terms.dtype != np.int32
    ):  # fmt: skip
        raise ArrayFileError("rows do not fit together")
    return rows
