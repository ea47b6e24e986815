"""Issue 15's import and search targets, each measured against FTS5 in the same run, with a
verdict and, where one is missed, what bounds it and the next step."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import TypeVar

from tests.bench.queries import QUERIES

IMPORT_S = 150.0  # at 100k papers
IMPORT_VS_FTS5 = 10.0
IMPORT_CPU_VS_FTS5 = 30.0
SEARCH_P95_MS = 50.0  # at 100k papers
SEARCH_P95_VS_FTS5 = 3.0
TARGET_SIZE = 100_000  # the absolute targets are for this many papers; ratios for any size

T = TypeVar("T")


def children_cpu_s() -> float:
    """CPU seconds (user + system) of the child processes waited for so far, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_in_children(work: Callable[[], T]) -> tuple[T, float]:
    """work()'s result and the CPU seconds of the processes it started (and their workers)."""
    before = children_cpu_s()
    result = work()
    return result, children_cpu_s() - before


def timed_here(work: Callable[[], T]) -> tuple[T, float]:
    """work()'s result and the CPU seconds this process spent on it."""
    before = time.process_time()
    result = work()
    return result, time.process_time() - before


def _import_bound(imp: dict) -> str:
    phases = {name: imp.get(f"{name}_s") or 0.0 for name in ("parse", "store", "index")}
    total = sum(phases.values()) or 1.0
    shares = ", ".join(f"{n} {s:.0f} s ({100 * s / total:.0f} %)" for n, s in phases.items())
    worst = max(phases, key=lambda n: phases[n])
    step = {
        "index": "Whoosh's pure-Python posting writer (half of a worker's time writes the "
        "postings, ~250 a paper, half of them the unstemmed word field); next: a block-at-a-"
        "time posting writer, fewer word postings (only where a stem has several spellings), "
        "or more cores (one index worker a core, up to 4)",
        "parse": "the BibTeX parser and the TeX decoder (read in chunks, one process a core); "
        "next: overlap the reading with storing",
        "store": "SQLite inserts and dedupe; next: fewer index lookups per record",
    }[worst]
    return f"{shares}; bound by {step}"


def _search_bound(search: dict, times: dict | None) -> str:
    if not times:
        return "see the p50 by kind in the JSON"
    kinds = {q.papershelf: q.kind for q in QUERIES}
    medians = sorted(
        ((sorted(v)[len(v) // 2] * 1000, q) for q, v in times.items() if v), reverse=True
    )[:3]
    slowest = ", ".join(f"{q} ({kinds.get(q, '?')}) {ms:.0f} ms" for ms, q in medians)
    why = {
        "field": "a year range's terms are read and each word scored in every field",
        "phrase": "the words' positions are matched (numpy) and each word scored in every field",
        "and": "each word's postings scored in six fields (numpy) and the snippets",
        "term": "each word's postings scored in six fields (numpy) and the snippets",
        "prefix": "the prefix in the venue and tag fields goes through Whoosh's matcher",
        "fuzzy": "every expansion of the word is scored apart",
    }
    bounds = "; ".join(dict.fromkeys(why.get(kinds.get(q, ""), "?") for _ms, q in medians))
    return (
        f"slowest: {slowest}; bound by: {bounds}; next: prefixes of unstemmed fields set at a "
        "time, snippets cut from fewer tokens"
    )


def verdict_rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(measure, measured, target, verdict) rows for one size's results."""
    rows = []
    size = r["size"]
    absolute = size >= TARGET_SIZE
    fts = r["fts5_load"]
    imp = r.get("import")
    if imp:
        wall, ratio = imp["seconds"], imp["seconds"] / fts["seconds"]
        ok = ratio <= IMPORT_VS_FTS5 and (not absolute or wall <= IMPORT_S)
        rows.append(
            (
                "import of the BibTeX file, wall",
                f"{wall:.1f} s = {ratio:.1f}× FTS5 ({fts['seconds']:.1f} s)",
                f"≤{IMPORT_S:.0f} s and ≤{IMPORT_VS_FTS5:.0f}×",
                "met" if ok else "missed: " + _import_bound(imp),
            )
        )
        cpu, fts_cpu = imp.get("cpu_s"), fts.get("cpu_s")
        if cpu and fts_cpu:
            ratio = cpu / fts_cpu
            rows.append(
                (
                    "  CPU of all processes",
                    f"{cpu:.1f} s = {ratio:.1f}× FTS5's ({fts_cpu:.1f} s)",
                    f"≤{IMPORT_CPU_VS_FTS5:.0f}×",
                    "met" if ratio <= IMPORT_CPU_VS_FTS5 else "missed: " + _import_bound(imp),
                )
            )
    search = r.get("search")
    if search:
        p95, fts_p95 = search["papershelf"]["p95_ms"], search["fts5"]["p95_ms"]
        ratio = p95 / fts_p95
        ok = ratio <= SEARCH_P95_VS_FTS5 and (not absolute or p95 <= SEARCH_P95_MS)
        rows.append(
            (
                "warm search p95, top 20 with snippets",
                f"{p95:.1f} ms = {ratio:.1f}× FTS5 ({fts_p95:.1f} ms)",
                f"≤{SEARCH_P95_MS:.0f} ms and ≤{SEARCH_P95_VS_FTS5:.0f}×",
                "met" if ok else "missed: " + _search_bound(search, search.get("times")),
            )
        )
    return rows


def verdict_table(results: list[dict]) -> str:
    """The verdict rows of every size, as a text table."""
    lines = []
    for r in results:
        rows = verdict_rows(r)
        if not rows:
            continue
        scope = "" if r["size"] >= TARGET_SIZE else " (absolute targets apply at 100k)"
        header = (f"targets at {r['size'] // 1000}k papers{scope}", "measured", "target", "")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            cells = [c.ljust(w) for c, w in zip(row[:3], widths, strict=True)]
            lines.append(" | ".join([*cells, row[3]]).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip()
