"""Benchmark probe for related papers and suggestions, in its own process (no Qt).

`python -m tests.bench.related_probe LIB [N]` prints JSON: building the TF-IDF rows from
scratch and loading them from the cache file; N related-paper queries against Whoosh's plain
more-like-this on the same papers (the yardstick, same run); suggestions for a tag with the
chosen model (Rocchio centroid) and the logistic regression's fit, cancel included.
"""

from __future__ import annotations

import contextlib
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.probe import percentile


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(values, 50) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "max_ms": max(values) * 1000,
    }


def probe(lib_dir: Path, queries: int) -> dict[str, object]:
    from storage.library import Library
    from storage.related import Cancelled
    from storage.related.engine import Engine

    result: dict[str, object] = {}
    library = Library(lib_dir)
    with tempfile.TemporaryDirectory() as scratch:
        engine = Engine(Path(scratch))  # a cache of its own: the library's stays as it is
        start = time.perf_counter()
        matrix = library._read(lambda conn: engine.matrix(conn))
        result["build_s"] = time.perf_counter() - start
        result["rows"] = len(matrix)
        result["entries"] = int(len(matrix.terms))
        result["terms"] = len(engine.store.vocab)
        saved = Path(scratch) / "terms.npz"
        result["cache_mb"] = saved.stat().st_size / 1e6 if saved.exists() else None
        again = Engine(Path(scratch))
        start = time.perf_counter()
        library._read(lambda conn: again.matrix(conn))
        result["load_s"] = time.perf_counter() - start
        library.__dict__["_engine"] = again  # related() below uses the warm engine

    ids = library.paper_ids()
    rng = random.Random(7)
    sample = rng.sample(ids, min(queries, len(ids)))
    related_times, mlt_times = [], []
    for pid in sample:
        start = time.perf_counter()
        library.related(pid, limit=10)
        related_times.append(time.perf_counter() - start)
    for pid in sample:
        start = time.perf_counter()
        paper = library.paper(pid)  # the baseline reads its text too
        library.index.more_like(
            paper.title + "\n" + (paper.abstract or ""), 10, exclude=frozenset({pid})
        )
        mlt_times.append(time.perf_counter() - start)
    result["related"] = _ms(related_times)
    result["whoosh_mlt"] = _ms(mlt_times)
    result["related_vs_mlt_p50"] = result["related"]["p50_ms"] / result["whoosh_mlt"]["p50_ms"]
    result["related_vs_mlt_p95"] = result["related"]["p95_ms"] / result["whoosh_mlt"]["p95_ms"]

    positives = library.paper_ids(query="retrieval", sort="relevance")[:200]
    engine = library.__dict__["_engine"]
    for model in ("centroid", "logistic"):
        start = time.perf_counter()
        library._read(lambda conn, m=model: engine.suggest(conn, positives, (), 20, None, m))
        result[f"suggest_{model}_s"] = time.perf_counter() - start
    calls = [0]

    def cancel_soon() -> bool:
        calls[0] += 1
        return calls[0] > 3  # after a few optimiser steps

    start = time.perf_counter()
    with contextlib.suppress(Cancelled):
        library._read(
            lambda conn: engine.suggest(conn, positives, (), 20, cancel_soon, "logistic")
        )
    result["logistic_cancel_s"] = time.perf_counter() - start
    result["positives"] = len(positives)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    library.close()
    return result


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50)))
