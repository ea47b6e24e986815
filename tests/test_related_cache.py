"""The related-papers cache: memory-mapped files, edits read into a delta without a rebuild,
folding the delta in, the in-step note that spares a reopened library the comparison of
every paper, and ranking from postings (real SQLite, real cache files)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

import storage.related.store as store_module
from storage.library import Library
from storage.related import Cancelled
from storage.related.arrays import ArrayFileError, load_arrays, mapping_of, save_arrays
from storage.related.models import logistic_weights
from storage.related.ranking import Budget, rank
from storage.related.rows import SPREAD_REPEAT, entries_of, row_index, spread
from storage.related.sync import note_path
from tests.routine_support import ids_of, write_corpus


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library of the four topics; edits stay in the delta until every row changed."""
    monkeypatch.setattr(store_module, "MERGE_ENTRIES", 0)
    monkeypatch.setattr(store_module, "MERGE_SHARE", 1)
    with Library(tmp_path / "lib") as library:
        library.import_file(write_corpus(tmp_path))
    return tmp_path / "lib"


def _store(library: Library) -> store_module.TermStore:
    library.warm_related()
    return library._related_engine().store


def _mapped(array: np.ndarray) -> bool:
    """Whether the array's memory is a mapped file's."""
    return mapping_of(array) is not None


def test_spread_and_entries_match_numpy() -> None:
    rng = np.random.default_rng(3)
    for size in (0, 1, 7, SPREAD_REPEAT + 5):
        lengths = rng.integers(0, 4, size=max(1, size // 2))
        lengths[::5] = 0  # empty rows among them
        values = rng.integers(-50, 50, size=len(lengths))
        assert np.array_equal(spread(values, lengths), np.repeat(values, lengths))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        expected = np.repeat(np.arange(len(lengths)), lengths)
        assert np.array_equal(row_index(indptr), expected)
        rows = rng.permutation(len(lengths))[: len(lengths) // 2]
        wanted = [i for r in rows for i in range(indptr[r], indptr[r + 1])]
        assert entries_of(indptr, rows).tolist() == wanted


def test_array_files_round_trip_mapped_and_refuse_damage(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "a.arrays"
    arrays = {
        "ints": np.arange(10, dtype=np.int64),
        "empty": np.zeros(0, np.float32),
        "stamps": np.array([b"2024-01-01 10:00:00", b"x"], dtype="S"),
        "grid": np.ones((3, 4), np.float32),
    }
    save_arrays(path, arrays, {"kind": "test"})
    assert path.stat().st_mode & 0o077 == 0
    meta, loaded = load_arrays(path)
    assert meta == {"kind": "test"}
    for name, array in arrays.items():
        assert np.array_equal(loaded[name], array) and loaded[name].dtype == array.dtype
    assert _mapped(loaded["ints"]) and not loaded["ints"].flags.writeable
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 8])
    with pytest.raises(ArrayFileError, match="cut short"):
        load_arrays(path)
    path.write_bytes(b"not an array file at all")
    with pytest.raises(ArrayFileError):
        load_arrays(path)


def test_an_edit_goes_to_the_delta_without_a_rebuild(folder: Path) -> None:
    first = ids_of("retrieval")[0]
    satellite = ids_of("vision")[0]
    with Library(folder) as library:
        store = _store(library)
        generation = store.generation
        before = {h.id: h.score for h in library.related(first, limit=20)}.get(satellite, 0.0)
        library.add_note(satellite, "Compare with dense passage retrieval of questions")
        after = {h.id: h.score for h in library.related(first, limit=20)}[satellite]
        assert after > before
        assert store.generation == generation  # no new base: the paper is in the delta
        assert store.delta.ids.tolist() == [satellite]
        library.delete_papers([ids_of("retrieval")[1]])
        assert ids_of("retrieval")[1] not in {h.id for h in library.related(first, limit=20)}
        assert store.generation == generation and int(store.dead.sum()) == 2


def test_the_delta_is_folded_into_a_new_base_like_a_fresh_build(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(folder) as library:
        store = _store(library)
        library.add_tags(ids_of("tokenization"), ["tokens"])
        library.update_paper(ids_of("vision")[1], title="Dense passage retrieval from images")
        generation = store.generation
        monkeypatch.setattr(store_module, "MERGE_SHARE", 32)  # now 6 of 16 rows is enough
        library.add_tags([1], ["one"])
        merged = [library.related(pid, limit=5) for pid in (1, 6, 12)]
        assert store.generation == generation + 1 and not len(store.delta.ids)
        assert _mapped(store.base.terms) and _mapped(store.derived["posting_rows"])
    for cached in folder.glob("cache/*"):
        cached.unlink()
    with Library(folder) as fresh:
        assert [fresh.related(pid, limit=5) for pid in (1, 6, 12)] == merged


def test_a_reopened_library_trusts_its_in_step_note(folder: Path) -> None:
    edited = ids_of("vision")[0]
    with Library(folder) as library:
        _store(library)
        library.add_note(edited, "Compare with dense passage retrieval of questions")
        expected = library.related(ids_of("retrieval")[0], limit=20)
    assert note_path(folder / "cache").exists()
    with Library(folder) as library:
        store = library._related_engine().store
        compared: list[object] = []
        real = store._catch_up
        store._catch_up = lambda conn, only, cancel: (
            compared.append(only)
            or real(  # type: ignore[method-assign]
                conn, only, cancel
            )
        )
        assert library.related(ids_of("retrieval")[0], limit=20) == expected
        assert compared == []  # neither every paper compared nor any read again
        assert store.delta.ids.tolist() == [edited]  # the delta came from its file
        assert not note_path(folder / "cache").exists()  # taken: rewritten at closing


def test_closing_does_not_wait_for_a_query_that_runs(folder: Path) -> None:
    library = Library(folder)
    _store(library)
    engine = library._related_engine()
    held, closed = threading.Event(), threading.Event()

    def query() -> None:  # holds the engine as a query or a build on a worker does
        with engine._lock:
            held.set()
            closed.wait(timeout=10)  # (a closing that waited would settle after this)

    worker = threading.Thread(target=query)
    worker.start()
    held.wait()
    library.close()
    closed.set()
    worker.join()
    assert not note_path(folder / "cache").exists()  # not settled: the query ran
    with Library(folder) as library:  # the next one compares the stamps, and all is well
        assert library.related(ids_of("retrieval")[0], limit=1)[0].id in ids_of("retrieval")


def test_a_write_elsewhere_voids_the_note(folder: Path) -> None:
    paper, first = ids_of("vision")[0], ids_of("retrieval")[0]
    with sqlite3.connect(folder / "library.db") as conn:  # stamps have whole seconds: the
        conn.execute("UPDATE paper SET updated_at = '2020-01-01 00:00:00.000000'")  # edit's differs
    with Library(folder) as library:
        before = {h.id: h.score for h in library.related(first, limit=20)}.get(paper, 0.0)
    assert note_path(folder / "cache").exists()
    with Library(folder) as other:  # a command that never asks for related papers
        other.update_paper(paper, title="Dense passage retrieval of open-domain questions")
    assert not note_path(folder / "cache").exists()
    with Library(folder) as library:
        assert {h.id: h.score for h in library.related(first, limit=20)}[paper] > before


def test_a_note_for_another_database_state_is_not_trusted(folder: Path) -> None:
    gone = ids_of("vision")[0]
    with Library(folder) as library:
        _store(library)
    with sqlite3.connect(folder / "library.db") as conn:  # a writer that knows no notes
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM paper WHERE id = ?", (gone,))
    with Library(folder) as library:
        assert gone not in {h.id for h in library.related(ids_of("vision")[1], limit=10)}
        engine = library._related_engine()
        assert library._read(engine.matrix).row_of(gone) is None  # its row was dropped


def test_a_damaged_vocabulary_is_rebuilt(folder: Path) -> None:
    with Library(folder) as library:
        expected = library.related(1, limit=5)
    path = folder / "cache" / "related.arrays"
    meta, arrays = load_arrays(path)
    arrays = {name: np.array(array) for name, array in arrays.items()}
    arrays["vocab_offsets"][-1] += 7  # the offsets no longer fit the packed words
    save_arrays(path, arrays, meta)
    with Library(folder) as library:
        assert library.related(1, limit=5) == expected


def test_ranking_from_a_few_postings_scores_exactly(folder: Path) -> None:
    with Library(folder) as library:
        library.warm_related()
        matrix = library._read(lambda conn: library._related_engine().matrix(conn))
        everything = np.arange(len(matrix))
        for row in range(len(matrix)):
            query = matrix.dense(row)
            allowed = np.ones(len(matrix), bool)
            allowed[row] = False
            exact = matrix.dot(everything, query)
            full = rank(matrix, query, 5, allowed, Budget(10**9, 1, 1), positive_only=True)
            assert not full.pruned
            expected = sorted((r for r in everything if allowed[r] and exact[r] > 0),
                              key=lambda r: (-exact[r], r))[:5]  # fmt: skip
            assert full.rows.tolist() == expected
            one = rank(matrix, query, 5, allowed, Budget(1, 1, 1), positive_only=True)
            assert one.pruned and len(one.rows)  # the heaviest term's postings only
            assert np.allclose(one.scores, exact[one.rows])  # scored exactly all the same


def test_a_logistic_fit_stops_within_one_step_of_a_cancel(folder: Path) -> None:
    with Library(folder) as library:
        library.warm_related()
        matrix = library._read(lambda conn: library._related_engine().matrix(conn))
        asked = []

        def cancel() -> bool:
            asked.append(True)
            return len(asked) > 2

        rows = np.arange(len(matrix))
        with pytest.raises(Cancelled):
            logistic_weights(matrix, rows[:4], rows[4:], cancel=cancel)
        assert len(asked) == 3  # asked before every evaluation, not once per iteration
