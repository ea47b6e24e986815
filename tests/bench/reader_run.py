"""Reader benchmark (a script, not a timed test): `python -m tests.bench.reader_run [--runs 7]`.

In one run, on two-column papers with real fonts (paper_pdf.py; 30 and 300 pages, cached in
.bench-cache/reader/), in the window (offscreen, 1400x900, reader_probe.py):
1. open the 30-page paper to its first page on screen (a new PDF process each time), against
   `pdftoppm` (poppler-utils) drawing that page at the same scale in a new process;
2. every page drawn at the fit-width scale: p50/p95 through the reader's PDF process and with
   PDFium in-process, against `pdftoppm` drawing each page in a new process and all pages in
   one process (per page);
3. scrolling the 300-page paper from the first page to the last at ~7 screens a second: the
   longest wait of the GUI thread, and peak memory of the window and of the PDF process.
Prints a table with the goals and writes JSON (--out).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.probe import percentile

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache" / "reader"
GOALS = {"open_first_page_ms": 300.0, "scroll_max_gap_ms": 50.0}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def paper(pages: int) -> Path:
    """The cached paper of that many pages (written once, in a process of its own)."""
    path = CACHE / f"quokka-{pages}.pdf"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "tests.bench.paper_pdf", str(path), "--pages", str(pages)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return path


def library_with(folder: Path, pdf: Path) -> int:
    from storage.library import Library

    library = Library(folder)
    try:
        library.import_file(pdf)
        (paper_id,) = library.paper_ids()
        return paper_id
    finally:
        library.close()


def probe(*args: object, timeout: float = 1200) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Started with -c, as `python -m app` starts: the PDF process then imports nothing of the
    # main module (multiprocessing's spawn would import a main module named otherwise).
    code = "import sys; from tests.bench.reader_probe import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"reader_probe {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pdftoppm(pdf: Path, dpi: float, first: int, last: int, out: Path) -> float:
    """Seconds for one pdftoppm process drawing pages first..last at dpi (PPM, no PNG)."""
    started = time.perf_counter()
    subprocess.run(
        ["pdftoppm", "-f", str(first), "-l", str(last), "-r", f"{dpi:.2f}", str(pdf), str(out)],
        check=True,
    )
    return time.perf_counter() - started


def ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": 1000 * statistics.median(values),
        "p95_ms": 1000 * percentile(values, 95),
        "max_ms": 1000 * max(values),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.reader_run", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="opens of the 30-page paper")
    parser.add_argument("--rounds", type=int, default=3, help="renders of each page")
    parser.add_argument("--out", default="bench-reader.json", help="JSON results file")
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is missing: apt-get install -y poppler-utils")
    short, long = paper(30), paper(300)
    work = Path(tempfile.mkdtemp(prefix="papershelf-reader-bench-"))
    try:
        log("libraries…")
        short_id = library_with(work / "short", short)
        long_id = library_with(work / "long", long)
        log("open…")
        opened = probe("open", work / "short", short_id, args.runs)
        log("render…")
        rendered = probe("render", work / "short", short_id, args.rounds)
        dpi = rendered["dpi"]
        out = work / "ppm"
        first_page = [pdftoppm(short, dpi, 1, 1, out) for _ in range(args.runs)]
        per_page = [pdftoppm(short, dpi, n, n, out) for n in range(1, 31)] * 1
        one_process = pdftoppm(short, dpi, 1, 30, out) / 30
        log("scroll…")
        scrolled = probe("scroll", work / "long", long_id)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {
        "open": {
            **ms(opened["first_page_s"]),
            "all_on_screen": ms(opened["all_on_screen_s"]),
            "runs": opened["runs"],
            "cold": ms(opened["cold"]["first_page_s"]),
            "max_gap_ms": 1000 * max(opened["max_gap_s"] + opened["cold"]["max_gap_s"]),
            "max_gap_later_runs_ms": 1000 * max(opened["max_gap_s"][1:], default=0.0),
            "pdftoppm_first_page": ms(first_page),
        },  # fmt: skip
        "render": {
            "dpi": dpi,
            "pixels": rendered["pixels"],
            "process": ms(rendered["process_s"]),
            "in_process": ms(rendered["in_process_s"]),
            "pdftoppm_process_per_page": ms(per_page),
            "pdftoppm_one_process_per_page_ms": 1000 * one_process,
        },  # fmt: skip
        "scroll": scrolled,
    }
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


def table(r: dict) -> str:
    o, d, s = r["open"], r["render"], r["scroll"]
    ratio = o["p50_ms"] / o["pdftoppm_first_page"]["p50_ms"]
    lines = [
        "reader (1400x900 window, offscreen)                  measured     baseline / goal",
        f"open 30-page paper to first page on screen, p50   {o['p50_ms']:7.0f} ms   "
        f"pdftoppm page 1 {o['pdftoppm_first_page']['p50_ms']:.0f} ms ({ratio:.2f}x); goal < 300",
        f"  cold: no PDF process started ahead, p50          {o['cold']['p50_ms']:7.0f} ms   "
        f"max {o['cold']['max_ms']:.0f} ms (warm max {o['max_ms']:.0f} ms)",
        f"  until every page on screen is drawn, p50        {o['all_on_screen']['p50_ms']:7.0f} ms",
        f"  longest GUI-thread wait while opening           {o['max_gap_ms']:7.0f} ms   "
        f"{o['max_gap_later_runs_ms']:.0f} ms after the first (the paper already reading)",
        f"page render at fit width ({d['pixels'][0]}x{d['pixels'][1]} px), p95:",
        f"  through the reader's PDF process                {d['process']['p95_ms']:7.1f} ms   "
        f"pdftoppm a process a page {d['pdftoppm_process_per_page']['p95_ms']:.1f} ms "
        f"({d['process']['p95_ms'] / d['pdftoppm_process_per_page']['p95_ms']:.2f}x)",
        f"  PDFium in this process (no isolation)           {d['in_process']['p95_ms']:7.1f} ms   "
        f"pdftoppm one process, per page {d['pdftoppm_one_process_per_page_ms']:.1f} ms",
        f"scroll {s['pages']} pages in {s['scroll_s']:.1f} s ({s['step_px']} px every 16 ms):",
        f"  longest GUI-thread wait                         {1000 * s['max_gap_s']:7.0f} ms   "
        "goal < 50",
        f"    of which the GUI thread was busy              {1000 * s['max_gap_cpu_s']:7.0f} ms",
        f"  p99 wait, waits over 50 ms                      {1000 * s['p99_gap_s']:7.0f} ms   "
        f"{s['gaps_over_50ms']} of {s['ticks']} ticks",
        f"  same window idle {s['idle']['seconds']:.0f} s first: longest wait"
        f"          {1000 * s['idle']['max_gap_s']:7.0f} ms   "
        f"p99 {1000 * s['idle']['p99_gap_s']:.0f} ms, {s['idle']['gaps_over_50ms']} of "
        f"{s['idle']['ticks']} over 50 ms (the machine's noise)",
        f"  window peak RSS (idle {s['idle_window_rss_mb']:.0f} MB)"
        f"                     {s['peak_rss_while_scrolling_mb']:7.0f} MB   "
        f"page cache peak {s['cache_peak_mb']:.0f} of {s['cache_budget_mb']:.0f} MB",
        f"  PDF process peak RSS                            {s['pdf_process_maxrss_mb']:7.0f} MB",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
