"""The paper index over time: updates, deletes, rebuilds, schema changes, locks, threads."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from test_search import CORPUS, paper
from whoosh import fields
from whoosh import index as whoosh_index

from storage.search import IndexBusyError, IndexDoc, SearchIndex
from storage.search.bulk import default_procs
from storage.search.schema import INDEX_NAME


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def index(folder: Path) -> SearchIndex:
    index = SearchIndex(folder, lock_timeout=0.5)
    index.rebuild(CORPUS)
    yield index
    index.close()


def test_new_folder_needs_rebuild_until_rebuilt(folder: Path) -> None:
    index = SearchIndex(folder)
    assert index.needs_rebuild
    assert index.doc_count() == 0 and index.indexed_ids() == set()
    assert index.search("mamba").total == 0
    progress: list[int] = []
    assert index.rebuild(CORPUS, progress=progress.append) == len(CORPUS)
    assert progress[-1] == len(CORPUS)
    assert not index.needs_rebuild
    assert index.search("mamba").total == 2  # the searcher sees the rebuild at once
    index.close()


def test_reopen_after_close(index: SearchIndex, folder: Path) -> None:
    index.update([paper(99, "Quokka Population Dynamics")])
    index.close()
    index.close()  # twice is fine
    with pytest.raises(RuntimeError, match="closed"):
        index.search("quokka")
    with SearchIndex(folder) as again:
        assert not again.needs_rebuild
        assert again.ids_matching("quokka") == [99]
        assert again.indexed_ids() == {doc.id for doc in CORPUS} | {99}


def test_update_replaces_and_deletes(index: SearchIndex) -> None:
    index.update([paper(8, "Quantising Large Language Models", "Four-bit weights.")])
    assert index.ids_matching("title:pruning") == [9]
    assert index.ids_matching("quantising") == [8]
    assert index.doc_count() == len(CORPUS)  # replaced, not added
    index.update([], delete_ids=[9, 12345])
    assert index.ids_matching("magnitude") == []
    assert 9 not in index.indexed_ids()
    assert index.doc_count() == len(CORPUS) - 1
    index.update([paper(9, "Structured Sparsity Through Magnitude Pruning")])
    assert index.ids_matching("magnitude") == [9]


def test_update_and_delete_of_the_same_paper_keeps_the_new_version(index: SearchIndex) -> None:
    index.update([paper(3, "Renamed paper"), paper(3, "Renamed again")], delete_ids=[3])
    assert index.ids_matching("renamed") == [3]
    assert index.ids_matching("again") == [3]
    assert index.doc_count() == len(CORPUS)


def test_many_small_updates_stay_consistent(index: SearchIndex) -> None:
    # Each commit adds a segment and merges small ones; deletions in merged-away segments
    # must not resurrect papers nor show one paper twice.
    for round_ in range(3):
        for doc in CORPUS[:6]:
            index.update([paper(doc.id, f"{doc.title} version{round_}", doc.abstract)])
            assert index.doc_count() == len(CORPUS)
    assert sorted(index.ids_matching("*")) == sorted(doc.id for doc in CORPUS)
    assert sorted(index.ids_matching("version2")) == [doc.id for doc in CORPUS[:6]]
    assert index.ids_matching("version1") == []
    assert len(index._ix._segments()) <= 6


def test_rebuild_replaces_everything(index: SearchIndex) -> None:
    index.update([paper(77, "Stray paper that the database no longer has")])
    count = index.rebuild(doc for doc in CORPUS[:3])
    assert count == 3
    assert index.indexed_ids() == {1, 2, 3}
    assert index.ids_matching("stray") == []


def test_rebuild_skips_repeated_ids(index: SearchIndex) -> None:
    assert index.rebuild([paper(1, "First"), paper(1, "Second"), paper(2, "Other")]) == 2
    assert index.doc_count() == 2


def test_cancelled_rebuild_keeps_the_old_index(index: SearchIndex) -> None:
    def cancel(count: int) -> None:
        raise KeyboardInterrupt

    many = [paper(1000 + n, f"Filler {n}") for n in range(600)]
    with pytest.raises(KeyboardInterrupt):
        index.rebuild(many, progress=cancel)
    assert index.indexed_ids() == {doc.id for doc in CORPUS}
    index.update([paper(5, "Still writable")])  # the lock was released
    assert index.ids_matching("writable") == [5]


def test_other_schema_is_recreated_empty(folder: Path) -> None:
    folder.mkdir()
    old = whoosh_index.create_in(
        str(folder), fields.Schema(id=fields.ID(stored=True), body=fields.TEXT), INDEX_NAME
    )
    writer = old.writer()
    writer.add_document(id="1", body="old style")
    writer.commit()
    index = SearchIndex(folder)
    assert index.needs_rebuild
    assert index.doc_count() == 0
    index.rebuild(CORPUS[:2])
    index.close()
    with SearchIndex(folder) as again:  # closed: its segment files stay open until then
        assert not again.needs_rebuild


def test_older_schema_version_is_removed(folder: Path) -> None:
    folder.mkdir()
    old = whoosh_index.create_in(str(folder), fields.Schema(id=fields.ID), "papers_v0")
    writer = old.writer()
    writer.add_document(id="1")
    writer.commit()
    (folder / "notes.txt").write_text("not an index file")
    index = SearchIndex(folder)
    assert index.needs_rebuild
    assert not whoosh_index.exists_in(str(folder), "papers_v0")
    assert not any(p.name.startswith(("papers_v0", "_papers_v0")) for p in folder.iterdir())
    assert (folder / "notes.txt").exists()  # only Whoosh's own files are removed
    index.close()


def test_unreadable_index_is_recreated(index: SearchIndex, folder: Path) -> None:
    index.close()
    for toc in folder.glob("_*.toc"):
        toc.write_bytes(b"garbage")
    again = SearchIndex(folder)
    assert again.needs_rebuild and again.doc_count() == 0
    again.close()


def _hold_lock(folder: Path):
    lock = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME).lock("WRITELOCK")
    assert lock.acquire()
    return lock


def test_busy_index_raises_index_busy_error(index: SearchIndex, folder: Path) -> None:
    lock = _hold_lock(folder)
    try:
        started = time.monotonic()
        with pytest.raises(IndexBusyError, match="busy") as caught:
            index.update([paper(5, "Blocked")])
        assert time.monotonic() - started >= 0.4  # it waited (lock_timeout=0.5) ...
        assert caught.value.__context__ is None and caught.value.__cause__ is None
        with pytest.raises(IndexBusyError):
            index.rebuild(CORPUS)
    finally:
        lock.release()
    assert index.ids_matching("title:blocked") == []
    index.update([paper(5, "Unblocked")])  # ... and works once the lock is free
    assert index.ids_matching("unblocked") == [5]


def test_writer_waits_for_a_lock_released_in_time(index: SearchIndex, folder: Path) -> None:
    index.lock_timeout = 5.0
    lock = _hold_lock(folder)
    releaser = threading.Timer(0.3, lock.release)
    releaser.start()
    try:
        index.update([paper(5, "Patience pays")])
    finally:
        releaser.join()
    assert index.ids_matching("patience") == [5]


def test_searches_while_another_thread_writes(index: SearchIndex) -> None:
    known = {doc.id for doc in CORPUS} | set(range(500, 540))
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for n in range(40):
                index.update([paper(500 + n, f"Concurrent mamba paper {n}")], delete_ids=[n % 3])
        except BaseException as exc:  # reported below
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    seen_totals = []
    while writer.is_alive():
        result = index.search("mamba", limit=50)
        assert {hit.id for hit in result.hits} <= known
        assert len({hit.id for hit in result.hits}) == len(result.hits)
        seen_totals.append(result.total)
    writer.join()
    assert not errors
    assert index.search("concurrent").total == 40
    assert len(seen_totals) > 1


def test_index_docs_with_missing_fields(folder: Path) -> None:
    with SearchIndex(folder) as index:
        index.update(
            [
                IndexDoc(1, "", [], None, None, None, ""),
                IndexDoc(2, "Only a title", [""], "", "", None, "unread", tags=["", " "]),
                IndexDoc(3, "Odd tag", ["A, B"], None, None, 1999, "read", tags=["a,b c"]),
            ]
        )
        assert index.indexed_ids() == {1, 2, 3}
        assert index.ids_matching("title") == [2]
        assert index.ids_matching('tag:"a b c"') == [3]
        assert index.ids_matching("year:1999") == [3]


def _filler(count: int, start: int = 1000) -> list[IndexDoc]:
    words = ["alpha", "beta", "gamma", "delta", "mamba", "pruning", "tokenization"]
    return [
        paper(start + n, f"Filler {words[n % 7]} {n}", f"{words[n % 5]} {words[n % 3]} body {n}")
        for n in range(count)
    ]


@pytest.mark.skipif(default_procs() < 2, reason="worker processes need fork and two cores")
def test_rebuild_with_worker_processes_matches_a_single_process(tmp_path: Path) -> None:
    docs = CORPUS + _filler(450)
    queries = ["mamba", "filler alpha", '"pruning large"', "tokenizaton~", "year:[2019 TO 2021]"]
    answers = {}
    for procs in (1, 2):
        with SearchIndex(tmp_path / f"procs{procs}") as index:
            assert index.rebuild(docs, procs=procs) == len(docs)
            assert index.doc_count() == len(docs)
            answers[procs] = {q: sorted(index.ids_matching(q)) for q in queries}
            if procs == 2:
                assert len(index._ix._segments()) == 2  # one segment per worker, no final merge
                index.update([paper(1, "Edited after a parallel rebuild")])
                assert index.ids_matching("edited") == [1]
    assert answers[1] == answers[2]


@pytest.mark.skipif(default_procs() < 2, reason="worker processes need fork and two cores")
def test_cancelled_parallel_rebuild_stops_its_workers(index: SearchIndex) -> None:
    def cancel(count: int) -> None:
        if count >= 1000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.rebuild(_filler(3000), progress=cancel, procs=2)
    assert multiprocessing.active_children() == []
    assert index.indexed_ids() == {doc.id for doc in CORPUS}
    index.update([paper(5, "Still writable")])
    assert index.ids_matching("writable") == [5]
