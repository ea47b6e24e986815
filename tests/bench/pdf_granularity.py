"""Per-page or per-paper Whoosh documents for PDF text? `python -m tests.bench.pdf_granularity`.

Both layouts index the same extracted text of N generated PDFs (default 300 of 15 pages) with
the index's own stemming analyzer; each query then yields what `search --json` needs: the
total of matching papers, the best 20 papers, and for each the page and snippet of its best
page. Reported: build time, size on disk, and query latency p50/p95 per layout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from whoosh import fields, index
from whoosh.qparser import QueryParser

from storage.pdf import extract_text
from storage.search.schema import _text_analyzer
from storage.search.snippets import Matched, best_fragment, best_page, query_words
from tests.bench.pdf_corpus import write_pdfs

QUERIES = [
    "retrieval",
    "vector search",
    "bounds generalization",
    '"vector search"',
    '"theoretical analysis"',
    "calibration OR faithfulness",
]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def build(folder: Path, layout: str, texts: dict[int, list[str]]) -> float:
    analyzer = _text_analyzer()
    schema = fields.Schema(
        id=fields.NUMERIC(int, stored=True, sortable=True),
        page=fields.NUMERIC(int, stored=True),
        text=fields.TEXT(analyzer=analyzer, phrase=True),
    )
    started = time.perf_counter()
    ix = index.create_in(folder, schema)
    writer = ix.writer(limitmb=256)
    for pid, pages in texts.items():
        if layout == "paper":
            writer.add_document(id=pid, page=0, text="\n\n".join(pages))
        else:
            for number, page in enumerate(pages, start=1):
                writer.add_document(id=pid, page=number, text=page)
    writer.commit()
    return time.perf_counter() - started


def _locate(pages: list[str], matched: Matched, analyzer) -> tuple[int | None, str]:
    """The best page and its snippet, as the index's snippet code finds them."""
    found = best_page(list(enumerate(pages, start=1)), matched, analyzer)
    return found[:2] if found else (None, "")


def query(folder: Path, layout: str, text: str, texts: dict[int, list[str]]) -> tuple[int, list]:
    ix = index.open_dir(folder)
    analyzer = ix.schema["text"].analyzer
    with ix.searcher() as searcher:
        q = QueryParser("text", ix.schema).parse(text)
        matched = query_words(q, searcher.reader(), ["text"]).get("text", Matched())
        hits = []
        if layout == "paper":
            results = searcher.search(q, limit=20)
            total = len(results)
            for hit in results:
                pid = hit["id"]
                hits.append((pid, *_locate(texts[pid], matched, analyzer)))
        else:
            results = searcher.search(q, limit=None)
            best: dict[int, tuple[float, int]] = {}
            for hit in results:
                pid = hit["id"]
                if pid not in best:
                    best[pid] = (hit.score, hit["page"])
            total = len(best)
            for pid, (_score, page) in list(best.items())[:20]:
                found = best_fragment(texts[pid][page - 1], matched, analyzer)
                hits.append((pid, page, found[1] if found else ""))
        return total, hits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=300)
    parser.add_argument("--pages", type=int, default=15)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pdfgran-"))
    try:
        specs = write_pdfs(work / "pdfs", args.papers, low=args.pages, high=args.pages)
        texts = {n: extract_text(spec.path).pages for n, spec in enumerate(specs, start=1)}
        queries = [*QUERIES, f'"{specs[7].phrase}"']
        results = {}
        for layout in ("paper", "page"):
            folder = work / layout
            folder.mkdir()
            seconds = build(folder, layout, texts)
            times, answers = [], []
            for text in queries:
                query(folder, layout, text, texts)  # warm
                for _ in range(args.runs):
                    started = time.perf_counter()
                    answer = query(folder, layout, text, texts)
                    times.append(time.perf_counter() - started)
                answers.append(answer)
            results[layout] = answers
            times.sort()
            print(
                f"{layout:>5}: build {seconds:.2f} s, {_size(folder) / 1e6:.1f} MB, query p50 "
                f"{statistics.median(times) * 1000:.1f} ms, p95 "
                f"{times[int(len(times) * 0.95)] * 1000:.1f} ms ({len(queries)} queries)"
            )
        paired = zip(queries, results["paper"], results["page"], strict=True)
        for text, per_paper, per_page in paired:
            same = per_paper[0] == per_page[0]
            print(f"  {text!r}: papers {per_paper[0]} / {per_page[0]}{'' if same else ' DIFFER'}")
        spec = specs[7]
        print(
            f"  planted phrase on page {spec.phrase_page}: per-paper says "
            f"{results['paper'][-1][1][0][1]}, per-page says {results['page'][-1][1][0][1]}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.environ.pop("_", None)


if __name__ == "__main__":
    main()
