"""What reading a PDF's annotations costs the text extraction (issue 12, highlights import).

`python -m tests.bench.annotations_probe [--pdfs 30] [--rounds 3]` builds paper-like PDFs
(tests/bench/pdf_corpus.py, 12-20 pages) in three kinds: plain; with 25 link annotations a page
(citations and references, as real papers have); with those links and 6 markup annotations a
page (highlights, underlines and a sticky note other programs left). It times
storage.pdf.extract_text on each with the annotations read (as every attach and import does)
and with their reading switched off (the baseline), interleaved, in the same run, and prints
JSON: ms per page for both and their ratio, and the annotations found.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))

from make_pdf import Markup, Page, make_pdf  # noqa: E402

from tests.bench.corpus import generate  # noqa: E402
from tests.bench.pdf_corpus import paper_pages  # noqa: E402

KINDS = ("plain", "links", "links+markups")


def _decorate(pages: list[Page], kind: str, rng: random.Random) -> list[Page]:
    for page in pages:
        if kind == "plain":
            continue
        for _ in range(25):
            x, y = rng.uniform(60, 500), rng.uniform(80, 720)
            target: int | str = rng.randrange(len(pages)) if rng.random() < 0.6 else (
                "https://doi.org/10.1234/x"
            )
            page.links.append(((x, y, x + 40, y + 10), target))
        if kind == "links+markups":
            lines = page.lines[5:45]
            for subtype in ("Highlight", "Highlight", "Underline", "StrikeOut", "Squiggly"):
                line = rng.choice(lines)
                box = (line.x, line.y - 2.5, line.x + 200, line.y + 8)
                page.markups.append(Markup(subtype, [box], contents="a comment"))
            page.markups.append(Markup("Text", [(540, 700, 560, 720)], contents="sticky"))
    return pages


def build(count: int, seed: int = 11) -> dict[str, list[tuple[bytes, int]]]:
    papers = list(generate(count + 200, seed))
    pool = [paper.abstract for paper in papers[count:]]
    rng = random.Random(seed)
    built: dict[str, list[tuple[bytes, int]]] = {kind: [] for kind in KINDS}
    for number, paper in enumerate(papers[:count]):
        pages = rng.randint(12, 20)
        for kind in KINDS:
            body, _ = paper_pages(number, paper.title, pool, pages)
            built[kind].append((make_pdf(_decorate(body, kind, rng)), pages))
    return built


def measure(pdfs: list[tuple[bytes, int]], rounds: int) -> dict[str, float]:
    from storage.pdf import extract, extract_text

    timings: dict[str, list[float]] = {"on": [], "off": []}
    found = 0
    pages = sum(count for _data, count in pdfs)
    limit = extract.MAX_ANNOTATIONS
    for round_number in range(rounds):
        order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
        for mode in order:
            extract.MAX_ANNOTATIONS = limit if mode == "on" else 0  # 0: never read them
            start = time.perf_counter()
            for data, _count in pdfs:
                text = extract_text(data)
                if mode == "on":
                    found += len(text.annotations)
            timings[mode].append((time.perf_counter() - start) / pages * 1000)
    extract.MAX_ANNOTATIONS = limit
    on, off = statistics.median(timings["on"]), statistics.median(timings["off"])
    return {
        "ms_per_page_reading_annotations": round(on, 3),
        "ms_per_page_baseline": round(off, 3),
        "ratio": round(on / off, 3),
        "annotations_per_file": round(found / rounds / len(pdfs), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    built = build(args.pdfs)
    result = {kind: measure(pdfs, args.rounds) for kind, pdfs in built.items()}
    result["pdfs"] = args.pdfs  # type: ignore[assignment]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
