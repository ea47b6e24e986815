"""Writes holding much PDF text: indexed by worker processes, which merge the small segments."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from storage.search import IndexBusyError, IndexDoc, SearchIndex, bulk
from storage.search.updates import HEAVY_PAGES

pytestmark = pytest.mark.skipif(
    bulk.default_procs() < 2, reason="worker processes need fork and two cores"
)
WORDS = [
    "otter",
    "heron",
    "marten",
    "badger",
    "kestrel",
    "vole",
    "shrew",
    "stoat",
    "curlew",
    "plover",
]


def doc(pid: int, pages: int = 4, extra: str = "") -> IndexDoc:
    rng = random.Random(pid)
    text = [" ".join(rng.choice(WORDS) for _ in range(80)) for _ in range(pages)]
    text[-1] += f" the marker{pid} sits here {extra}"
    return IndexDoc(
        pid, f"Paper {pid} about rivers", ["Ann Author"], None, None, 2020, "unread", pages=text
    )


def search_ids(index: SearchIndex, query: str) -> list[int]:
    return sorted(index.ids_matching(query))


def small_segments(index: SearchIndex, batches: list[list[int]]) -> None:
    for ids in batches:  # one commit each: a segment each (in this process)
        index.update([doc(pid) for pid in ids])


def test_a_heavy_write_matches_an_ordinary_one_and_merges_small_segments(tmp_path: Path) -> None:
    heavy = SearchIndex(tmp_path / "heavy")
    plain = SearchIndex(tmp_path / "plain")
    for index in (heavy, plain):
        small_segments(index, [[1, 2], [3], [4, 5]])
    assert heavy.segment_count() == 3
    changed = [doc(3, extra="kingfisher"), *(doc(pid, pages=10) for pid in range(10, 50))]
    count = heavy.replace([3, *range(10, 50)], changed, pages=HEAVY_PAGES, spread=True)
    plain.replace([3, *range(10, 50)], changed)
    assert count == 41
    # the three small segments went into the segments of the two workers
    assert heavy.segment_count() == 2 and heavy.doc_count() == 45
    for query in ("kingfisher", '"marker3 sits here"', "otter heron", "text:marker4*", "rivers"):
        assert search_ids(heavy, query) == search_ids(plain, query), query
    assert search_ids(heavy, "kingfisher") == [3] and len(search_ids(heavy, "rivers")) == 45
    hit = heavy.search('"marker17 sits"', limit=5).hits
    assert [h.id for h in hit] == [17]
    heavy.close()
    plain.close()


def test_one_worker_unless_spread(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    small_segments(index, [[1, 2], [3], [4, 5]])
    index.replace(range(10, 50), [doc(pid) for pid in range(10, 50)], pages=HEAVY_PAGES)
    assert index.segment_count() == 1 and index.doc_count() == 45
    index.replace(range(60, 70), [doc(pid) for pid in range(60, 70)], pages=HEAVY_PAGES)
    assert index.segment_count() == 2  # 45 papers are more than this write's 10: left as is
    index.close()


def test_a_worker_that_dies_leaves_the_index_as_it_was(tmp_path: Path, monkeypatch) -> None:
    index = SearchIndex(tmp_path / "ix")
    small_segments(index, [[1, 2], [3]])
    before = (index.segment_count(), search_ids(index, "rivers"))

    def die(self, filename, doc_count) -> None:
        os._exit(3)

    monkeypatch.setattr(bulk.GuardedTask, "_process_file", die)  # the forked worker's
    with pytest.raises(IndexBusyError, match="worker process died"):
        index.replace(
            [2, *range(10, 40)], [doc(pid) for pid in [2, *range(10, 40)]], pages=HEAVY_PAGES
        )
    monkeypatch.undo()
    assert (index.segment_count(), search_ids(index, "rivers")) == before
    assert search_ids(index, "marker2") == [2]  # the merged-in segment is still there
    index.replace([2, *range(10, 40)], [doc(pid) for pid in [2, *range(10, 40)]], pages=HEAVY_PAGES)
    assert len(search_ids(index, "rivers")) == 33
    index.close()


def test_a_light_write_stays_in_this_process(tmp_path: Path, monkeypatch) -> None:
    index = SearchIndex(tmp_path / "ix")

    def no_workers(*_args, **_kwargs):
        raise AssertionError("no worker process for a few pages")

    monkeypatch.setattr("storage.search.opening.multiproc_writer", no_workers)
    index.replace([1, 2], [doc(1), doc(2)], pages=8)
    assert search_ids(index, "rivers") == [1, 2]
    index.close()


def test_a_second_worker_joins_once_the_readers_are_done(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    asked: list[int] = []

    def readers_done() -> bool:  # false when the write starts, true from the next batch on
        asked.append(1)
        return len(asked) > 1

    index.replace(
        range(10, 60), [doc(pid) for pid in range(10, 60)], pages=HEAVY_PAGES, spread=readers_done
    )
    assert index.segment_count() == 2 and index.doc_count() == 50
    assert len(search_ids(index, "rivers")) == 50
    index.close()
