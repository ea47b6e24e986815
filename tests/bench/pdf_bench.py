"""The PDF part of `make bench`: import, search and the window on a library with full text.

`bench(cache, pdfs=1000, papers=10_000)` measures, in one run, on `pdfs` generated paper-like
PDFs of 12-20 pages (pdf_corpus.py) and a library of `papers` papers in all (the rest
metadata only, imported from BibTeX once and cached):

1. `pdftotext` (poppler-utils), one process per file, only extracting, once before and once
   after (3), which the ratio uses the mean of;
2. `Library.import_file(folder)` of the PDFs into a copy of the metadata library: copy,
   extract in the reader processes, match, store, index, end to end (wall and CPU time);
4. search p95 of the benchmark query mix plus phrase queries on that library and on the same
   library without its file text (pages emptied, index rebuilt), the two taking turns, and
   whether the first hit of each planted phrase is the right paper and page;
5. the window (offscreen, gui_probe) opening each of the two libraries: first rows, peak RSS;
6. the longest GUI-thread stall while the window imports `stall_pdfs` of the PDFs into
   another copy of the metadata library.
"""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tests.bench.pdf_corpus import PdfSpec, write_pdfs
from tests.bench.queries import QUERIES

if TYPE_CHECKING:  # the PDF readers an import spawns import this module again: kept light
    from storage.library import Library

PDF_QUERIES = [q.papershelf for q in QUERIES] + ['"vector search"', "text:retrieval"]
WINDOW_QUERIES = ["retrieval", '"knowledge graphs"', "tokenizaton~"]  # each finds papers in both

Log = Callable[[str], None]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))]


def pdftotext_seconds(specs: list[PdfSpec], out: Path) -> float:
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext is missing: apt-get install -y poppler-utils")
    started = time.perf_counter()
    for spec in specs:
        subprocess.run(["pdftotext", str(spec.path), str(out)], check=True)
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (readers, index workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_queries(libraries: list[Library], queries: list[str], runs: int) -> list[list[float]]:
    """Per library, the median of `runs` timings of each query (top 20 with snippets) after a
    warm run; the libraries take turns query by query, run by run, so that the load of a
    shared machine falls on them alike."""
    medians: list[list[float]] = [[] for _ in libraries]
    for text in queries:
        for library in libraries:
            library.search(text)
        times: list[list[float]] = [[] for _ in libraries]
        for _ in range(runs):
            for library, timed in zip(libraries, times, strict=True):
                started = time.perf_counter()
                library.search(text, limit=20)
                timed.append(time.perf_counter() - started)
        for median, timed in zip(medians, times, strict=True):
            median.append(statistics.median(timed))
    return medians


def planted_right(library: Library, planted: list[tuple[PdfSpec, str]]) -> int:
    right = 0
    for spec, text in planted:
        hits = library.search(text).hits
        title = library.paper(hits[0].id).title if hits else ""
        right += bool(hits) and hits[0].page == spec.phrase_page and title == spec.title
    return right


def metadata_library(cache: Path, papers: int, log: Log) -> Path:
    """A library of `papers` metadata-only papers (BibTeX of corpus.py), made once."""
    folder = cache / f"pdf-base-{papers}"
    if (folder / "library.db").exists():
        return folder
    from storage.library import Library
    from tests.bench.corpus import generate, write_bibtex

    log(f"PDFs: a library of {papers:,} metadata papers (once)")
    bib = cache / f"pdf-meta-{papers}.bib"
    write_bibtex(list(generate(papers, seed=3)), bib)
    work = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    with Library(work) as library:
        library.import_file(bib)
    work.rename(folder)
    return folder


def without_text(source: Path, target: Path) -> None:
    """A copy of the library with its PDF pages emptied and no index (rebuilt at open)."""
    from storage.library import Library

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("index"))
    with sqlite3.connect(target / "library.db") as conn:
        conn.execute("UPDATE file_page SET text = ''")
    with Library(target):
        pass


def bench(
    cache: Path,
    pdfs: int,
    papers: int,
    runs: int,
    log: Log,
    gui: Callable[[list[str]], dict] | None = None,
    stall_pdfs: int = 200,
) -> dict[str, object]:
    """Every PDF measure in one run (see the module docstring); gui(args) runs gui_probe."""
    from storage.library import Library

    result: dict[str, object] = {"pdfs": pdfs, "papers": papers}
    log(f"PDFs: {pdfs:,} generated PDFs")
    specs = write_pdfs(cache / f"pdfs-{pdfs}", pdfs)
    pages = sum(spec.pages for spec in specs)
    result["pages"] = pages
    result["pdf_mb"] = round(sum(spec.path.stat().st_size for spec in specs) / 1e6, 1)
    base = metadata_library(cache, max(0, papers - pdfs), log)
    lib, bare = cache / "pdf-library", cache / "pdf-library-bare"
    shutil.rmtree(lib, ignore_errors=True)
    shutil.copytree(base, lib)

    log(f"PDFs: pdftotext, one process per file ({pages:,} pages)")
    before = pdftotext_seconds(specs, cache / "pdftotext.txt")
    log("PDFs: papershelf import of the folder")
    cpu = cpu_seconds()
    with Library(lib) as library:
        started = time.perf_counter()
        report = library.import_file(specs[0].path.parent)
        ours = time.perf_counter() - started
        segments = library.index.segment_count()
    cpu = cpu_seconds() - cpu
    log("PDFs: pdftotext again")
    after = pdftotext_seconds(specs, cache / "pdftotext.txt")
    poppler = (before + after) / 2
    result["pdftotext_s"] = [before, after]
    result["import"] = {
        "seconds": ours,
        "cpu_s": cpu,
        "pages_per_s": pages / ours,
        "vs_pdftotext": ours / poppler,
        "new": len(report.new_ids),
        "matched": len(report.merged_ids),
        "failed": len(getattr(report, "failed", [])),
        "segments_after": segments,
    }

    log("PDFs: search with and without the full text")
    step = max(1, len(specs) // 20)
    planted = [(spec, f'"{spec.phrase}"') for spec in specs[::step]]
    queries = PDF_QUERIES + [text for _spec, text in planted]
    without_text(lib, bare)
    with Library(lib) as library, Library(bare) as plain_library:
        full, plain = time_queries([library, plain_library], queries, runs)
        right = planted_right(library, planted)
    result["search"] = {
        "full_p95_ms": p95(full) * 1000,
        "full_p50_ms": statistics.median(full) * 1000,
        "bare_p95_ms": p95(plain) * 1000,
        "bare_p50_ms": statistics.median(plain) * 1000,
        "p95_ratio": p95(full) / p95(plain),
        "planted_right": right,
        "planted": len(planted),
    }
    if gui is not None:
        log("PDFs: the window on both libraries")
        result["window"] = gui(["open", str(lib), *WINDOW_QUERIES])
        result["window_bare"] = gui(["open", str(bare), *WINDOW_QUERIES])
        if stall_pdfs:
            log(f"PDFs: GUI stalls while the window imports {stall_pdfs} PDFs")
            folder = cache / f"pdfs-{pdfs}-first-{stall_pdfs}"
            if not folder.is_dir():
                folder.mkdir()
                for spec in specs[:stall_pdfs]:
                    (folder / spec.path.name).symlink_to(spec.path)
            work = cache / "pdf-library-gui-import"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(base, work)
            result["gui_import"] = gui(["import", str(work), str(folder)])
            shutil.rmtree(work, ignore_errors=True)
    return result


def rows(result: dict) -> list[tuple[str, str, str]]:
    """(measure, value, target) rows for the bench table."""
    imp, search = result["import"], result["search"]
    before, after = result["pdftotext_s"]
    out = [
        (
            f"PDF import: {result['pdfs']:,} PDFs, {result['pages']:,} pages",
            f"{imp['seconds']:.1f} s, {imp['pages_per_s']:.0f} pages/s, {imp['cpu_s']:.0f} s CPU",
            "",
        ),
        ("  pdftotext, before / after", f"{before:.1f} / {after:.1f} s", ""),
        ("  ratio to pdftotext (mean)", f"{imp['vs_pdftotext']:.2f}×", "≤2×"),
        (
            "search p95 / p50, full text",
            f"{search['full_p95_ms']:.1f} / {search['full_p50_ms']:.1f} ms",
            "",
        ),
        (
            "  abstracts only (same papers)",
            f"{search['bare_p95_ms']:.1f} / {search['bare_p50_ms']:.1f} ms",
            "",
        ),
        ("  p95 ratio", f"{search['p95_ratio']:.2f}×", "≤2×"),
        (
            "  planted phrase: first hit's page right",
            f"{search['planted_right']}/{search['planted']}",
            "all",
        ),
    ]
    if "window" in result:
        full, bare = result["window"], result["window_bare"]
        out.append(
            (
                "window open → first rows, with / without PDFs",
                f"{full['to_first_rows_s']:.2f} / {bare['to_first_rows_s']:.2f} s",
                "same",
            )
        )
        out.append(
            (
                "  peak RSS, with / without PDFs",
                f"{full['maxrss_mb']:.0f} / {bare['maxrss_mb']:.0f} MB",
                "≤500 MB",
            )
        )
    if "gui_import" in result:
        stall = result["gui_import"]
        out.append(
            (
                "GUI stall while the window imports PDFs (max)",
                f"{stall['max_gap_during_import_s'] * 1000:.0f} ms "
                f"({stall['import_s']:.1f} s import)",
                "≤100 ms",
            )
        )
    return out


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="The PDF benchmark alone (see tests.bench.run)")
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--papers", type=int, default=0, help="papers in all (default: --pdfs)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", default=".bench-cache")
    parser.add_argument("--gui", action="store_true", help="the window's measures too")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    cache = Path(args.cache)
    cache.mkdir(exist_ok=True)
    gui = None
    if args.gui:
        from tests.bench.run import run_json

        def gui(probe: list[str]) -> dict:
            return run_json(["-m", "tests.bench.gui_probe", *probe])

    papers = max(args.papers, args.pdfs)
    result = bench(cache, args.pdfs, papers, args.runs, log, gui, min(200, args.pdfs))
    if args.json:
        print(json.dumps(result))
        return
    for name, value, target in rows(result):
        print(f"{name:48} {value:36} {target}")


if __name__ == "__main__":
    main()
