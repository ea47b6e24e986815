"""Benchmark probe for related papers and suggestions, in its own process (no Qt).

`python -m tests.bench.related_probe LIB [N]` prints JSON: building the TF-IDF rows from
scratch (LIB/cache/ is built afresh and left in step for the window's probe) and opening them
from the cache files, with the in-step note and without it (time, and this process's memory
before and after); N related-paper queries against Whoosh's plain more-like-this on the same
papers (the yardstick, same run), and how many of each top 10 the exact cosine over every row
agrees with (what reading only the heaviest terms' postings costs); suggestions for a tag
(Rocchio centroid, also against its exact top 20) and the logistic regression's fit, with how
long a cancel takes to stop it and the longest stall of another Python thread meanwhile (what
the window's event loop would feel; idle_stall_ms is that stall with nothing running); an edit
followed by related papers (the delta, no rebuild) and folding the delta into a new base (a
rebuild, as after many edits).
"""

from __future__ import annotations

import contextlib
import json
import random
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from tests.bench.probe import memory_mb, percentile

TICK_S = 0.005
EDIT_TAG = "bench-related-probe"


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(values, 50) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "max_ms": max(values) * 1000,
    }


class Ticker:
    """Another Python thread asking for the GIL every TICK_S: the longest wait beyond that is
    how long a GUI event loop would have stalled."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.is_set():
            time.sleep(TICK_S)
            now = time.perf_counter()
            self.gaps.append(now - last - TICK_S)
            last = now

    @contextlib.contextmanager
    def watching(self) -> Iterator[dict[str, float]]:
        found: dict[str, float] = {}
        self._thread.start()
        try:
            yield found
        finally:
            self._stop.set()
            self._thread.join()
            found["max_stall_ms"] = max(self.gaps, default=0.0) * 1000


def _timed(work: Callable[[], object]) -> tuple[float, dict[str, float]]:
    ticker = Ticker()
    with ticker.watching() as stall:
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
    return seconds, stall


def _exact_top(matrix, query: np.ndarray, allowed: np.ndarray, k: int) -> set[int]:
    """The exact top k by query . row over every allowed row (the full pass)."""
    from storage.related.ranking import top

    scores = matrix.dot(np.arange(len(matrix)), query)
    return set(top(scores, k, allowed & matrix.live & (scores > 0)).tolist())


def probe(lib_dir: Path, queries: int) -> dict[str, object]:
    from storage.library import Library
    from storage.related import Cancelled
    from storage.related.engine import Engine
    from storage.related.files import BASE_FILE, DELTA_FILE
    from storage.related.models import centroid_weights
    from storage.related.sync import NOTE_FILE

    result: dict[str, object] = {}
    library = Library(lib_dir)
    cache = library.folder / "cache"  # built afresh, and left for the window's probe
    for name in (BASE_FILE, DELTA_FILE, NOTE_FILE):
        (cache / name).unlink(missing_ok=True)
    engine = Engine(cache, library.db_path)
    start = time.perf_counter()
    matrix = library._read(lambda conn: engine.matrix(conn))
    result["build_s"] = time.perf_counter() - start
    result["rows"] = len(matrix)
    result["entries"] = int(matrix.base.entries)
    result["terms"] = matrix.vocabulary
    saved = cache / BASE_FILE
    result["cache_mb"] = saved.stat().st_size / 1e6 if saved.exists() else None
    library._read(engine.settle)  # as a closing window does: the in-step note
    engine.close()
    result["memory_before_open_mb"] = memory_mb()
    again = Engine(cache, library.db_path)  # takes the in-step note
    start = time.perf_counter()
    library._read(lambda conn: again.matrix(conn))
    result["load_s"] = time.perf_counter() - start
    result["memory_opened_mb"] = memory_mb()
    checked = Engine(cache, library.db_path)  # no note left: as after a foreign write
    start = time.perf_counter()
    library._read(lambda conn: checked.matrix(conn))
    result["load_full_check_s"] = time.perf_counter() - start
    checked.close()
    library.__dict__["_engine"] = again  # related() below uses the opened engine

    ids = library.paper_ids()
    sample = random.Random(7).sample(ids, min(queries, len(ids)))
    related_times, mlt_times, agreement = [], [], []
    hits = {}
    for pid in sample:
        start = time.perf_counter()
        hits[pid] = library.related(pid, limit=10)
        related_times.append(time.perf_counter() - start)
    result["memory_after_queries_mb"] = memory_mb()
    for pid, found in hits.items():
        matrix = library._read(lambda conn: again.matrix(conn))
        row = matrix.row_of(pid)
        allowed = np.ones(len(matrix), bool)
        allowed[row] = False
        exact = _exact_top(matrix, matrix.dense(row), allowed, 10)
        if exact:
            agreement.append(len(exact & set(matrix.rows_of([h.id for h in found]).tolist()))
                             / len(exact))  # fmt: skip
    for pid in sample:
        start = time.perf_counter()
        paper = library.paper(pid)  # the baseline reads its text too
        library.index.more_like(
            paper.title + "\n" + (paper.abstract or ""), 10, exclude=frozenset({pid})
        )
        mlt_times.append(time.perf_counter() - start)
    result["related"] = _ms(related_times)
    result["related_exact_agreement"] = statistics.mean(agreement) if agreement else None
    result["whoosh_mlt"] = _ms(mlt_times)
    result["related_vs_mlt_p50"] = result["related"]["p50_ms"] / result["whoosh_mlt"]["p50_ms"]
    result["related_vs_mlt_p95"] = result["related"]["p95_ms"] / result["whoosh_mlt"]["p95_ms"]

    _seconds, idle = _timed(lambda: time.sleep(1.0))  # what the machine's load alone costs
    result["idle_stall_ms"] = idle["max_stall_ms"]
    positives = library.paper_ids(query="retrieval", sort="relevance")[:200]
    found_ids: list[int] = []
    for model in ("centroid", "logistic"):
        seconds, stall = _timed(
            lambda m=model: found_ids.extend(
                p for p, _s, _w in library._read(
                    lambda conn: again.suggest(conn, positives, (), 20, None, m)
                )
            )
        )  # fmt: skip
        result[f"suggest_{model}_s"] = seconds
        result[f"suggest_{model}_stall_ms"] = stall["max_stall_ms"]
        if model == "centroid":
            matrix = library._read(lambda conn: again.matrix(conn))
            rows = matrix.rows_of(positives)
            weights = centroid_weights(matrix, rows)[:-1].astype(np.float32)
            allowed = matrix.lengths() > 0
            allowed[rows] = False
            exact = _exact_top(matrix, weights, allowed, 20)
            chosen = set(matrix.rows_of(found_ids[:20]).tolist())
            result["suggest_exact_agreement"] = len(exact & chosen) / max(1, len(exact))
    result["logistic_cancel_latency_s"] = _cancel_latency(library, again, positives, Cancelled)
    result["positives"] = len(positives)

    edit_times = []
    for pid in sample[:5]:
        library.add_tags([pid], [EDIT_TAG])
        start = time.perf_counter()
        library.related(pid, limit=10)
        edit_times.append(time.perf_counter() - start)
    result["related_after_edit_ms"] = statistics.median(edit_times) * 1000
    seconds, stall = _timed(lambda: again.store._merge())
    result["merge_s"], result["merge_stall_ms"] = seconds, stall["max_stall_ms"]
    library.delete_tag(EDIT_TAG)  # the library as it was (but for those papers' updated_at)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    library.close()  # the cache in step with the library, for the window
    return result


def _cancel_latency(library, engine, positives: list[int], cancelled: type) -> float | None:
    """Seconds from a cancel asked 0.3 s into a logistic fit to the fit giving up."""
    asked = threading.Event()
    when: list[float] = []

    def ask() -> None:
        when.append(time.perf_counter())
        asked.set()

    timer = threading.Timer(0.3, ask)
    timer.start()
    try:
        library._read(lambda conn: engine.suggest(conn, positives, (), 20, asked.is_set,
                                                  "logistic"))  # fmt: skip
    except cancelled:
        return time.perf_counter() - when[0]
    finally:
        timer.cancel()
    return None  # finished before the cancel


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50)))
