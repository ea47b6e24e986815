"""Benchmark probes that run in their own process (no Qt): import, search, edits.

`python -m tests.bench.probe import LIB BIB` imports BIB into a fresh library LIB and prints
JSON timings (the whole Library.import_file call, and within it parsing and indexing);
`search LIB` times the query mix; `edits LIB N [PAUSE]` times N one-paper tag edits.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from tests.bench.queries import QUERIES


def memory_mb() -> dict[str, float]:
    """This process's resident memory now (MB): all of it, its own (anonymous) pages, and
    pages of mapped files (shared with the page cache, given back under pressure)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            found[key] = int(value.split()[0]) / 1024
    return found


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's ru_maxrss keeps, across fork and exec, the
    peak of the process that started this one (the bench's own, ~500 MB after its 100k
    part); /proc's VmHWM is this program's alone."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_rss_mb = peak_rss_mb


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def probe_import(lib_dir: Path, bib: Path) -> dict[str, object]:
    import storage.formats.detect as detect_module
    from storage.library import Library

    phases = {"parse": 0.0, "index": 0.0}
    real_parse = detect_module.parse

    def timed_parse(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_parse(*args, **kwargs)
        finally:
            phases["parse"] += time.perf_counter() - start

    detect_module.parse = timed_parse  # Library.import_file imports it when called
    library = Library(lib_dir)
    real_catch_up = library._catch_up_index

    def timed_catch_up(full: bool = False) -> None:
        start = time.perf_counter()
        try:
            real_catch_up(full)
        finally:
            phases["index"] += time.perf_counter() - start

    library._catch_up_index = timed_catch_up  # type: ignore[method-assign]
    start = time.perf_counter()
    report = library.import_file(bib)
    seconds = time.perf_counter() - start
    stats = library.stats()
    segments = library.index.segment_count()
    library.close()
    return {
        "seconds": seconds,
        "parse_s": phases["parse"],
        "index_s": phases["index"],
        "store_s": seconds - phases["parse"] - phases["index"],
        "new": len(report.new_ids),
        "merged": len(report.merged_ids),
        "papers": stats.papers,
        "segments": segments,
        "maxrss_mb": _rss_mb(),
    }


def probe_search(lib_dir: Path, rounds: int) -> dict[str, object]:
    from storage.library import Library

    library = Library(lib_dir)
    for q in QUERIES:  # warm: searcher, id map, caches
        library.search(q.papershelf, limit=20)
    per_query: dict[str, list[float]] = {q.papershelf: [] for q in QUERIES}
    totals: dict[str, int] = {}
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            result = library.search(q.papershelf, limit=20)
            per_query[q.papershelf].append(time.perf_counter() - start)
            totals[q.papershelf] = result.total
    # paper_ids(query=...) is what the window's search field runs (every match, ranked).
    ids_times = []
    for q in QUERIES:
        start = time.perf_counter()
        library.paper_ids(query=q.papershelf, sort="relevance")
        ids_times.append(time.perf_counter() - start)
    segments = library.index.segment_count()
    library.close()
    return {"times": per_query, "totals": totals, "ids_times": ids_times, "segments": segments}


def probe_edits(lib_dir: Path, count: int, pause: float, seed: int = 3) -> dict[str, object]:
    """count one-paper add_tags calls on random papers, `pause` seconds apart (0: back to
    back, the worst case: an edit may wait for a background merge)."""
    from storage.library import Library

    library = Library(lib_dir)
    ids = library.paper_ids()
    rng = random.Random(seed)
    segments_before = library.index.segment_count()
    times, segments = [], []
    for n in range(count):
        pid = rng.choice(ids)
        start = time.perf_counter()
        library.add_tags([pid], [f"bench-tag-{n % 7}"])
        times.append(time.perf_counter() - start)
        segments.append(library.index.segment_count())
        time.sleep(pause)
    library.index.wait_for_merges()
    segments.append(library.index.segment_count())
    check_start = time.perf_counter()
    hits = library.search(f"tag:bench-tag-{(count - 1) % 7}", limit=1).total
    search_after = time.perf_counter() - check_start
    library.close()
    return {
        "times": times,
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "max": max(times),
        "segments_before": segments_before,
        "segments_max": max(segments),
        "segments_after": segments[-1],
        "found_after": hits,
        "search_after_s": search_after,
    }


def main(argv: list[str]) -> int:
    command, lib = argv[0], Path(argv[1])
    if command == "import":
        result = probe_import(lib, Path(argv[2]))
    elif command == "search":
        result = probe_search(lib, int(argv[2]) if len(argv) > 2 else 3)
    elif command == "edits":
        result = probe_edits(lib, int(argv[2]), float(argv[3]) if len(argv) > 3 else 0.0)
    else:
        print(f"unknown probe {command}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
