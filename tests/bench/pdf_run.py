"""PDF benchmark (a script, not a timed test): `python -m tests.bench.pdf_run [--pdfs 200]`.

In one run, on the same generated 12-20-page PDFs (pdf_corpus.py):
1. `pdftotext` (poppler-utils), one process per file, only extracting: seconds and pages/s;
2. `Library.import_file(folder)`: copy into files/, extract in the worker, match, store the
   pages in SQLite and index them, end to end: seconds, pages/s and the ratio to (1);
3. search p95 of the benchmark query mix plus phrase queries, on that library and on the
   same library without its file text (pages emptied, index rebuilt), and whether the first
   hit of each planted phrase names the right paper and page.
Optionally `--papers N` metadata-only papers (BibTeX of corpus.py) join both libraries.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from storage.library import Library
from tests.bench.corpus import generate, write_bibtex
from tests.bench.pdf_corpus import PdfSpec, write_pdfs
from tests.bench.queries import QUERIES


def pdftotext_seconds(specs: list[PdfSpec], out: Path) -> float:
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext is missing: apt-get install -y poppler-utils")
    started = time.perf_counter()
    for spec in specs:
        subprocess.run(["pdftotext", str(spec.path), str(out)], check=True)
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))]


def time_queries(library: Library, queries: list[str], runs: int) -> list[float]:
    times = []
    for text in queries:
        library.search(text)  # warm
        for _ in range(runs):
            started = time.perf_counter()
            library.search(text, limit=20)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--papers", type=int, default=0, help="metadata-only papers as well")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pdfbench-"))
    try:
        specs = write_pdfs(work / "pdfs", args.pdfs)
        pages = sum(spec.pages for spec in specs)
        size = sum(spec.path.stat().st_size for spec in specs) / 1e6
        print(f"{len(specs)} PDFs, {pages} pages, {size:.1f} MB")
        poppler = pdftotext_seconds(specs, work / "out.txt")
        print(f"pdftotext, one process per file: {poppler:.2f} s, {pages / poppler:.0f} pages/s")
        lib_dir = work / "lib"
        shutil.rmtree(lib_dir, ignore_errors=True)
        with Library(lib_dir) as library:
            if args.papers:
                bib = work / "meta.bib"
                write_bibtex(list(generate(args.papers, seed=3)), bib)
                library.import_file(bib)
            started = time.perf_counter()
            report = library.import_file(work / "pdfs")
            ours = time.perf_counter() - started
            assert not report.failed, report.failed[:3]
        print(
            f"papershelf import (copy, extract in a worker, match, store, index): {ours:.2f} s, "
            f"{pages / ours:.0f} pages/s, {ours / poppler:.2f}x pdftotext"
        )
        queries = [q.papershelf for q in QUERIES] + ['"vector search"', "text:retrieval"]
        planted = [(spec, f'"{spec.phrase}"') for spec in specs[:: max(1, len(specs) // 20)]]
        with Library(lib_dir) as library:
            full = time_queries(library, queries + [q for _s, q in planted], args.runs)
            right = 0
            for spec, text in planted:
                hits = library.search(text).hits
                title = library.paper(hits[0].id).title if hits else ""
                right += bool(hits) and hits[0].page == spec.phrase_page and title == spec.title
        bare = work / "bare"
        shutil.rmtree(bare, ignore_errors=True)
        shutil.copytree(lib_dir, bare, ignore=shutil.ignore_patterns("index"))
        with sqlite3.connect(bare / "library.db") as conn:
            conn.execute("UPDATE file_page SET text = ''")
        with Library(bare) as library:
            without = time_queries(library, queries + [q for _s, q in planted], args.runs)
        print(
            f"search p95: {p95(full) * 1000:.1f} ms with full text, "
            f"{p95(without) * 1000:.1f} ms without ({p95(full) / p95(without):.2f}x); "
            f"median {statistics.median(full) * 1000:.1f} / "
            f"{statistics.median(without) * 1000:.1f} ms"
        )
        print(f"planted phrases: first hit on the right paper and page {right}/{len(planted)}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
