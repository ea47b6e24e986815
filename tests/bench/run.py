"""`python -m tests.bench.run`: Papershelf against SQLite FTS5 on the same synthetic corpus.

For each size (default 10k and 100k papers) it generates (once; cached in .bench-cache/) a
BibTeX file and its plain text, then measures, in this one run:

- import: Library.import_file of the BibTeX file into an empty library (parse, dedupe,
  store, index), against loading the plain text into FTS5;
- warm search: p50/p95 over 50 queries x rounds, top 20 with snippets, against FTS5;
- cold `papershelf search` in a new process (start-up included), and whether the command
  line imports Qt (python -X importtime);
- the window (offscreen): open to first rows, keystroke-to-results, peak memory, the longest
  GUI-thread stall while searching and while a 10k import runs through the window (in its
  library process), each against the idle window's longest gap in the same run, and that
  import's time to rows and time to searchable (tests/bench/window_rows.py);
- the daily routine in the window: a tag's suggestions refitted on their worker, the related
  papers pane while arrowing through the table (pane on against off, same run), with the
  longest GUI-thread stall of each;
- one-paper edits (Library.add_tags) and the segment count after many of them;
- PDFs (pdf_bench.py, --pdfs N, default 1,000; 0 leaves them out): N generated PDFs imported
  into a library of 10k papers against pdftotext, search with and without the full text, the
  window on both, and the GUI-thread stalls while the window imports PDFs.

Prints a table with the ratios and writes JSON (--out). The machine is shared and noisy:
compare ratios measured in the same run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench import pdf_bench
from tests.bench.corpus import ensure_corpus
from tests.bench.fts5_baseline import Fts5Searcher, load
from tests.bench.probe import percentile
from tests.bench.queries import QUERIES
from tests.bench.routine_rows import routine_rows
from tests.bench.targets import timed_here, timed_in_children, verdict_table
from tests.bench.window_rows import window_rows

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"
TARGETS = {
    "import_100k_s": 150.0,
    "search_p95_ms": 50.0,
    "search_p95_vs_fts5": 3.0,
    "cold_cli_s": 1.0,
    "window_first_rows_s": 4.0,
    "window_rss_mb": 500.0,
    "gui_stall_ms": 50.0,  # issue 15
    "edit_ms": 200.0,
}
GUI_QUERIES = [
    "retrieval",
    "question answering",
    '"knowledge graphs"',
    "title:survey",
    "author:müller",
    "transform*",
    "tokenizaton~",
    "year:[2018 TO 2020] retrieval",
]
CLI_QUERY = "dense retrieval"
REFIT_TAG = "reasoning"  # a tag of the synthetic corpus (~8% of the papers)
EDIT_PAUSE_S = 0.05  # between one-paper edits (back to back, some would wait for merges)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_json(args: list[str], timeout: float = 1800, env: dict | None = None) -> dict:
    """Run a probe module in a fresh interpreter and parse the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "ram_gb": mem_gb,
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
    }


def fts_search_times(db: Path, rounds: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    searcher = Fts5Searcher(db)
    for q in QUERIES:  # warm
        searcher.search(q)
    times: dict[str, list[float]] = {q.papershelf: [] for q in QUERIES}
    totals: dict[str, int] = {}
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            total, _hits = searcher.search(q)
            times[q.papershelf].append(time.perf_counter() - start)
            totals[q.papershelf] = total
    searcher.close()
    return times, totals


def summary(times: dict[str, list[float]]) -> dict[str, float]:
    flat = [t for values in times.values() for t in values]
    return {
        "p50_ms": percentile(flat, 50) * 1000,
        "p95_ms": percentile(flat, 95) * 1000,
        "max_ms": max(flat) * 1000,
    }


def by_kind(times: dict[str, list[float]]) -> dict[str, float]:
    kinds: dict[str, list[float]] = {}
    for q in QUERIES:
        kinds.setdefault(q.kind, []).extend(times[q.papershelf])
    return {kind: statistics.median(v) * 1000 for kind, v in kinds.items()}


def cold_cli(lib: Path, runs: int) -> dict[str, object]:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "app", "--library", str(lib), "search", CLI_QUERY],
            capture_output=True,
            check=True,
            cwd=ROOT,
        )
        walls.append(time.perf_counter() - start)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app", "--library", str(lib), "search", "x"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    modules = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    qt = [line for line in modules if "PySide6" in line or "shiboken" in line]
    heaviest = sorted(
        (
            (int(parts[1].strip()), parts[2].strip())
            for parts in (line.split("|") for line in modules[1:])
            if len(parts) == 3 and parts[1].strip().isdigit()
        ),
        reverse=True,
    )[:8]
    baseline = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(walls),
        "runs_s": walls,
        "bare_python_s": statistics.median(baseline),
        "imports_qt": bool(qt),
        "modules_imported": len(modules),
        "heaviest_imports_us": heaviest,
    }


def copy_library(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def bench_size(size: int, args: argparse.Namespace, small_bib: Path | None) -> dict[str, object]:
    result: dict[str, object] = {"size": size}
    log(f"{size:,} papers: corpus")
    corpus = ensure_corpus(CACHE, size)
    result["bibtex_entries"] = corpus.entries
    result["bibtex_mb"] = round(corpus.bibtex.stat().st_size / 1e6, 1)

    log(f"{size:,}: FTS5 load")
    fts_db = CACHE / f"fts5-{size}.db"
    result["fts5_load"], fts_cpu = timed_here(lambda: load(fts_db, corpus.plain))
    result["fts5_load"]["cpu_s"] = fts_cpu

    lib = CACHE / f"library-{size}"
    if args.reuse and (lib / "library.db").exists():
        log(f"{size:,}: reusing {lib} (no import measured)")
        result["import"] = None
    else:
        log(f"{size:,}: Papershelf import (Library.import_file)")
        shutil.rmtree(lib, ignore_errors=True)
        result["import"], import_cpu = timed_in_children(
            lambda: run_json(["-m", "tests.bench.probe", "import", str(lib), str(corpus.bibtex)])
        )
        result["import"]["cpu_s"] = import_cpu  # the probe and its index workers
        result["import"]["cpu_vs_fts5"] = import_cpu / fts_cpu
        result["import"]["vs_fts5"] = result["import"]["seconds"] / result["fts5_load"]["seconds"]
    result["library_mb"] = round(
        sum(f.stat().st_size for f in lib.rglob("*") if f.is_file()) / 1e6, 1
    )

    log(f"{size:,}: warm search, {args.rounds} rounds x 50 queries")
    fts_times, fts_totals = fts_search_times(fts_db, args.rounds)
    ours = run_json(["-m", "tests.bench.probe", "search", str(lib), str(args.rounds)])
    result["search"] = {
        "papershelf": summary(ours["times"]),
        "fts5": summary(fts_times),
        "papershelf_by_kind_p50_ms": by_kind(ours["times"]),
        "fts5_by_kind_p50_ms": by_kind(fts_times),
        "segments": ours["segments"],
        "paper_ids_p50_ms": percentile(ours["ids_times"], 50) * 1000,
        "paper_ids_p95_ms": percentile(ours["ids_times"], 95) * 1000,
        "totals": {q: [ours["totals"][q], fts_totals[q]] for q in ours["totals"]},
        "times": ours["times"],
    }
    s = result["search"]
    s["p50_vs_fts5"] = s["papershelf"]["p50_ms"] / s["fts5"]["p50_ms"]
    s["p95_vs_fts5"] = s["papershelf"]["p95_ms"] / s["fts5"]["p95_ms"]

    if args.parts == "import,search":
        return result

    log(f"{size:,}: related papers and suggestions")
    result["related"] = run_json(
        ["-m", "tests.bench.related_probe", str(lib), "20" if args.quick else "50"]
    )

    log(f"{size:,}: cold command line")
    result["cold_cli"] = cold_cli(lib, 3 if args.quick else 5)

    log(f"{size:,}: window (offscreen)")
    result["window"] = run_json(["-m", "tests.bench.gui_probe", "open", str(lib), *GUI_QUERIES])
    searches = result["window"]["searches"]
    result["window"]["keystroke_p50_s"] = statistics.median(x["seconds"] for x in searches)
    result["window"]["keystroke_max_s"] = max(x["seconds"] for x in searches)
    result["window"]["search_max_gap_s"] = max(x["max_gap_s"] for x in searches)
    # The same queries typed by a user who first looks at the window for 3 s (its idle-time
    # warm-up of the index's word lists runs meanwhile).
    looked = run_json(
        ["-m", "tests.bench.gui_probe", "open", str(lib), "--idle", "3", *GUI_QUERIES]
    )
    result["window"]["search_max_gap_after_idle_s"] = max(
        x["max_gap_s"] for x in looked["searches"]
    )

    log(f"{size:,}: the window's routine: a tag's suggestions refitted, related papers pane")
    work = CACHE / f"library-{size}-routine"
    copy_library(lib, work)  # the TF-IDF cache these build stays out of the cached library
    result["gui_refit"] = run_json(["-m", "tests.bench.gui_probe", "refit", str(work), REFIT_TAG])
    result["gui_related"] = run_json(
        ["-m", "tests.bench.gui_probe", "related", str(work), "100" if args.quick else "200"]
    )
    shutil.rmtree(work, ignore_errors=True)

    if small_bib is not None:
        log(f"{size:,}: GUI stalls during an import of {small_bib.name} (in a copy)")
        work = CACHE / f"library-{size}-gui-import"
        copy_library(lib, work)
        result["gui_import"] = run_json(
            ["-m", "tests.bench.gui_probe", "import", str(work), str(small_bib)]
        )
        shutil.rmtree(work, ignore_errors=True)

    log(f"{size:,}: {args.edits} one-paper edits")
    work = CACHE / f"library-{size}-edits"
    copy_library(lib, work)
    result["edits"] = run_json(
        ["-m", "tests.bench.probe", "edits", str(work), str(args.edits), str(EDIT_PAUSE_S)]
    )
    result["edits"].pop("times", None)
    shutil.rmtree(work, ignore_errors=True)
    return result


def fmt(value: float | None, unit: str = "", digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}{unit}"


def table(results: list[dict[str, object]]) -> str:
    rows = [("measure", *(f"{r['size'] // 1000}k papers" for r in results), "target")]

    def add(name: str, getter, target: str = "") -> None:
        cells = []
        for r in results:
            try:
                cells.append(getter(r))
            except (KeyError, TypeError):
                cells.append("—")
        if any(cell != "—" for cell in cells):  # a part left out (--parts) leaves no row
            rows.append((name, *cells, target))

    add("import (parse+dedupe+store+index)", lambda r: fmt(r["import"]["seconds"], " s"), "≤150 s")
    add(
        "  parse / store / index",
        lambda r: " / ".join(fmt(r["import"][k], " s") for k in ("parse_s", "store_s", "index_s")),
    )
    add("  FTS5 load", lambda r: fmt(r["fts5_load"]["seconds"], " s"))
    add("  ratio to FTS5", lambda r: fmt(r["import"]["vs_fts5"], "×"), "≤10×")
    add(
        "  CPU, all processes / FTS5's",
        lambda r: (
            fmt(r["import"]["cpu_s"], " s")
            + " / "
            + fmt(r["fts5_load"]["cpu_s"], " s")
            + " ("
            + fmt(r["import"]["cpu_vs_fts5"], "×")
            + ")"
        ),
        "≤30×",
    )
    add("search p50 (top 20 + snippets)", lambda r: fmt(r["search"]["papershelf"]["p50_ms"], " ms"))
    add("search p95", lambda r: fmt(r["search"]["papershelf"]["p95_ms"], " ms"), "≤50 ms")
    add(
        "  FTS5 p50 / p95",
        lambda r: (
            fmt(r["search"]["fts5"]["p50_ms"], " ms")
            + " / "
            + fmt(r["search"]["fts5"]["p95_ms"], " ms")
        ),
    )
    add(
        "  ratio p50 / p95",
        lambda r: (
            fmt(r["search"]["p50_vs_fts5"], "×") + " / " + fmt(r["search"]["p95_vs_fts5"], "×")
        ),
        "p95 ≤3×",
    )
    add(
        "window search ids p95 (all matches)", lambda r: fmt(r["search"]["paper_ids_p95_ms"], " ms")
    )
    rel = "related"
    add(
        "related papers p50 / p95 (TF-IDF)",
        lambda r: (
            fmt(r[rel]["related"]["p50_ms"], " ms")
            + " / "
            + fmt(r[rel]["related"]["p95_ms"], " ms")
        ),
        "≤100 ms (10k), ≤300 ms (100k)",
    )
    add(
        "  Whoosh more-like-this p50 / p95",
        lambda r: (
            fmt(r[rel]["whoosh_mlt"]["p50_ms"], " ms")
            + " / "
            + fmt(r[rel]["whoosh_mlt"]["p95_ms"], " ms")
        ),
    )
    add(
        "  ratio p50 / p95",
        lambda r: (
            fmt(r[rel]["related_vs_mlt_p50"], "×", 2)
            + " / "
            + fmt(r[rel]["related_vs_mlt_p95"], "×", 2)
        ),
    )
    add(
        "  top 10 as the exact cosine's",
        lambda r: fmt(r[rel]["related_exact_agreement"] * 100, " %", 1),
    )
    add("  after an edit (no rebuild)", lambda r: fmt(r[rel]["related_after_edit_ms"], " ms"))
    add(
        "TF-IDF rows: build / open / open, all compared",
        lambda r: (
            fmt(r[rel]["build_s"], " s")
            + " / "
            + fmt(r[rel]["load_s"] * 1000, " ms", 0)
            + " / "
            + fmt(r[rel]["load_full_check_s"], " s", 2)
        ),
    )
    add(
        "  memory opened: own / mapped after queries",
        lambda r: fmt(r[rel]["memory_opened_mb"]["RssAnon"]
                      - r[rel]["memory_before_open_mb"]["RssAnon"], " MB", 0)
        + " / "
        + fmt(r[rel]["memory_after_queries_mb"]["RssFile"], " MB", 0),
    )  # fmt: skip
    add("  merge of the delta (rebuild)", lambda r: fmt(r[rel]["merge_s"], " s"))
    add(
        "suggestions for a tag (centroid) / logistic fit",
        lambda r: (
            fmt(r[rel]["suggest_centroid_s"] * 1000, " ms", 0)
            + " / "
            + fmt(r[rel]["suggest_logistic_s"], " s")
        ),
        "≤1 s (centroid)",
    )
    add(
        "  top 20 as the exact centroid's",
        lambda r: fmt(r[rel]["suggest_exact_agreement"] * 100, " %", 1),
    )
    add(
        "  logistic fit stops after a cancel",
        lambda r: fmt(r[rel]["logistic_cancel_latency_s"] * 1000, " ms", 0),
    )
    add(
        "  thread stall: idle / fit / merge",
        lambda r: " / ".join(
            fmt(r[rel][k], " ms", 0)
            for k in ("idle_stall_ms", "suggest_logistic_stall_ms", "merge_stall_ms")
        ),
    )
    add("cold `papershelf search`", lambda r: fmt(r["cold_cli"]["median_s"], " s", 2), "≤1 s")
    add("  bare python start", lambda r: fmt(r["cold_cli"]["bare_python_s"], " s", 2))
    add("  imports Qt", lambda r: "yes" if r["cold_cli"]["imports_qt"] else "no", "no")
    add("window open → first rows", lambda r: fmt(r["window"]["to_first_rows_s"], " s", 2), "≤4 s")
    add("  from process start", lambda r: fmt(r["window"]["process_start_to_rows_s"], " s", 2))
    add(
        "keystroke → results p50 / max",
        lambda r: (
            fmt(r["window"]["keystroke_p50_s"] * 1000, " ms")
            + " / "
            + fmt(r["window"]["keystroke_max_s"] * 1000, " ms")
        ),
    )
    add("window peak RSS", lambda r: fmt(r["window"]["maxrss_mb"], " MB", 0), "≤500 MB")
    add(
        "window: related first / next (worker)",
        lambda r: (
            fmt(r["window"]["related"]["related_first"]["seconds"] * 1000, " ms", 0)
            + " / "
            + fmt(r["window"]["related"]["related_next"]["seconds"] * 1000, " ms", 0)
        ),
    )
    add(
        "  GUI stall: idle / busy core / related / suggest / logistic",
        lambda r: (
            " / ".join(
                fmt(r["window"]["related"][k]["max_gap_s"] * 1000, "", 0)
                for k in ("idle", "busy", "related_first", "suggest", "refit_logistic")
            )
            + " ms"
        ),
        "≤100 ms",
    )
    add(
        "  RSS own / mapped: before, after related + suggest",
        lambda r: " → ".join(
            fmt(m["RssAnon"], "", 0) + " / " + fmt(m["RssFile"], " MB", 0)
            for m in (
                r["window"]["related"]["memory_before_mb"],
                r["window"]["related"]["suggest"]["memory_mb"],
            )
        ),
    )
    add(
        "  peak RSS with a logistic refit too",
        lambda r: fmt(r["window"]["maxrss_with_related_mb"], " MB", 0),
    )
    window_rows(add, fmt)  # issue 15: the window's stalls, an import's time to rows
    routine_rows(add, fmt)  # the window's related papers pane and a tag's refit
    add(
        "one-paper edit p50 / p95 / max",
        lambda r: " / ".join(fmt(r["edits"][k] * 1000, " ms", 0) for k in ("p50", "p95", "max")),
        "≤200 ms",
    )
    add(
        "  segments before / max / after",
        lambda r: "{} / {} / {}".format(
            r["edits"]["segments_before"], r["edits"]["segments_max"], r["edits"]["segments_after"]
        ),
    )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def simple_table(rows: list[tuple[str, str, str]]) -> str:
    rows = [("measure (PDFs)", "value", "target"), *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated paper counts")
    parser.add_argument("--out", default="bench-results.json", help="JSON results file")
    parser.add_argument("--quick", action="store_true", help="10k only, fewer repetitions")
    parser.add_argument("--reuse", action="store_true", help="reuse cached libraries (no import)")
    parser.add_argument("--rounds", type=int, default=None, help="search rounds (default 3)")
    parser.add_argument("--edits", type=int, default=None, help="one-paper edits (default 300)")
    parser.add_argument(
        "--parts",
        choices=("all", "import,search"),
        default="all",
        help="import,search: only the import and warm search against FTS5 (no window, PDFs)",
    )
    parser.add_argument(
        "--pdfs", type=int, default=None, help="PDFs in the PDF part (default 1000, 200 quick)"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        sizes = [min(sizes)]
    args.rounds = args.rounds or (2 if args.quick else 3)
    args.edits = args.edits or (60 if args.quick else 300)
    CACHE.mkdir(exist_ok=True)
    started = time.perf_counter()
    info = machine()
    log(f"machine: {info}")
    small = None  # another 10k papers for the GUI import
    if args.parts == "all":
        small = ensure_corpus(CACHE, 10_000, seed=2).bibtex
    results = [bench_size(size, args, small) for size in sizes]
    pdfs = args.pdfs if args.pdfs is not None else (200 if args.quick else 1000)
    if args.parts != "all":
        pdfs = 0
    pdf_result = None
    if pdfs:
        log(f"PDFs: {pdfs:,} of them, in a process of their own")
        pdf_result = run_json(
            [
                "-m",
                "tests.bench.pdf_bench",
                *("--pdfs", str(pdfs), "--papers", "10000", "--runs", str(max(5, args.rounds))),
                *("--cache", str(CACHE), "--gui", "--json"),
            ],
            timeout=3600,
        )
    report = {
        "machine": info,
        "command": " ".join(["python -m tests.bench.run", *(argv or sys.argv[1:])]),
        "targets": TARGETS,
        "results": results,
        "pdfs": pdf_result,
        "elapsed_s": time.perf_counter() - started,
    }
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(table(results))
    print()
    print(verdict_table(results))
    if pdf_result is not None:
        print()
        print(simple_table(pdf_bench.rows(pdf_result)))
    print(
        f"\n{info['nproc']} cores, {info['cpu']}, {info['ram_gb']} GB RAM, Python "
        f"{info['python']}; {report['elapsed_s'] / 60:.1f} min; JSON: {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
