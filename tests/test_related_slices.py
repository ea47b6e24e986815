"""The related engine works in slices (so a worker never holds the GIL for long): the same
results a step at a time, cancel between steps, and the cache file read and written in slices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import storage.related.store as store
import storage.related.vectors as vectors
from storage.library import Library
from storage.related import Cancelled
from tests.routine_support import ids_of, write_corpus


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(tmp_path / "lib") as lib:
        lib.import_file(write_corpus(tmp_path))
        yield lib


def test_as_array_and_as_list_in_slices_equal_the_whole(monkeypatch) -> None:
    monkeypatch.setattr(store, "SLICE", 3)
    words = [f"w{i}" for i in range(10)]
    assert store.as_array(words, str).tolist() == words
    assert store.as_array(list(range(10)), np.int32).dtype == np.int32
    assert store.as_list(np.arange(10)) == list(range(10))
    assert store.as_array([], np.int64).shape == (0,)


def test_dot_in_steps_equals_dot_in_one(library: Library, monkeypatch) -> None:
    engine = library._related_engine()
    matrix = library._read(lambda conn: engine.matrix(conn))
    vector = np.random.default_rng(1).random(matrix.vocabulary).astype(np.float32)
    whole = matrix.dot(vector)
    monkeypatch.setattr(vectors, "DOT_SLICE", 7)  # a few entries a step: many steps
    steps: list[bool] = []
    stepped = matrix.dot(vector, lambda: steps.append(True) or False)
    assert len(steps) > 5
    np.testing.assert_allclose(stepped, whole, rtol=1e-6)
    with pytest.raises(Cancelled):
        matrix.dot(vector, lambda: len(steps) > 8 or bool(steps.append(True)))


def test_suggestions_and_related_cancel_between_steps(library: Library, monkeypatch) -> None:
    library.add_tags(ids_of("retrieval")[:2], ["retrieval"])
    expected = library.recommend(tag="retrieval", limit=5)
    monkeypatch.setattr(vectors, "DOT_SLICE", 7)
    assert library.recommend(tag="retrieval", limit=5) == expected
    asked: list[int] = []

    def cancel_on_third() -> bool:
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(Cancelled):
        library.recommend(tag="retrieval", limit=5, cancel=cancel_on_third)
    asked.clear()
    with pytest.raises(Cancelled):
        library.related(ids_of("retrieval")[0], cancel=cancel_on_third)


def test_the_cache_written_and_read_in_slices(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store, "SLICE", 5)
    folder = tmp_path / "lib"
    with Library(folder) as library:
        library.import_file(write_corpus(tmp_path))
        expected = library.related(1, limit=5)
    with Library(folder) as library:
        engine = library._related_engine()
        assert library.related(1, limit=5) == expected
        assert engine.store.stamps and len(engine.store.vocab) == len(engine.store.shown)
