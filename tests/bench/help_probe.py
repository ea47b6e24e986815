"""What an empty search's explanation costs, against the search itself, in the same run.

    python -m tests.bench.help_probe [--papers 10000] [--repeat 5]

Imports a generated corpus (tests/bench/corpus.py) into a fresh library, then for zero-result
queries (typos, word mixes no paper has) times Library.search (top 20 with snippets, what the
command line runs first) and Library.search_help (corrections checked against the index, the
papers with most of the words, their snippets). Prints medians and the ratio help / search.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from storage.library import Library
from tests.bench.corpus import ensure_corpus

QUERIES = [
    "retreival",  # one typo
    "tokenizaton transformers",  # a typo and a word
    "dense retrieval quantum chemistry",  # words no paper has together
    "distillation calibration privacy hallucination",  # four words, each common
    "summarizaton multilingual benchmark",  # a typo among words that meet
    "graph NOT graph",  # excludes everything
]


def _median_ms(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = ensure_corpus(Path(tmp) / "corpus", args.papers)
        with Library(Path(tmp) / "lib") as library:
            library.import_file(corpus.bibtex, "bibtex")
            print(f"{args.papers} papers; medians of {args.repeat} runs")
            print(f"{'query':45} {'search ms':>10} {'help ms':>9} {'ratio':>6}  found")
            ratios = []
            for query in QUERIES:
                total = library.search(query, limit=20).total
                search = _median_ms(lambda q=query: library.search(q, limit=20), args.repeat)
                helped = library.search_help(query, limit=20)
                help_ms = _median_ms(
                    lambda q=query: library.search_help(q, limit=20), args.repeat
                )
                ratio = help_ms / search if search else float("nan")
                ratios.append(ratio)
                found = (
                    f"total {total}, {len(helped.corrections)} corrections, "
                    f"{helped.partial_total} partial"
                )
                print(f"{query:45} {search:10.1f} {help_ms:9.1f} {ratio:6.1f}  {found}")
            print(f"median ratio help/search: {statistics.median(ratios):.1f}")


if __name__ == "__main__":
    main()
