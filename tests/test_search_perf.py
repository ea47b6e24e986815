"""Rebuild throughput and warm query latency on synthetic papers (a measurement, no test).

Report: .venv/bin/python tests/test_search_perf.py 5000 [procs]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.search import IndexDoc, SearchIndex  # noqa: E402

TOPICS = [
    "language",
    "model",
    "retrieval",
    "dense",
    "passage",
    "encoder",
    "pruning",
    "sparsity",
    "quantization",
    "token",
    "tokenization",
    "vision",
    "transformer",
    "segmentation",
    "detection",
    "satellite",
    "remote",
    "sensing",
    "mamba",
    "state",
    "space",
    "attention",
    "memory",
    "latency",
    "benchmark",
    "dataset",
    "reasoning",
    "alignment",
    "reward",
    "policy",
    "graph",
    "neural",
    "message",
    "passing",
    "diffusion",
    "image",
    "video",
    "audio",
    "speech",
    "translation",
    "summarization",
]
FILLER = [
    "we",
    "propose",
    "novel",
    "method",
    "show",
    "results",
    "improve",
    "existing",
    "approaches",
    "across",
    "tasks",
    "using",
    "large",
    "scale",
    "training",
    "data",
    "experiments",
    "demonstrate",
    "strong",
    "performance",
    "while",
    "reducing",
    "cost",
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "for",
    "on",
    "with",
    "that",
    "this",
    "is",
    "are",
    "by",
    "as",
    "an",
    "our",
    "from",
]
QUERIES = [
    "mamba remote sensing",
    "retrieval",
    '"dense passage retrieval"',
    "tokenizaton~",
    "prun*",
    "language model alignment",
    "title:transformer year:[2019 TO 2022]",
    "attention NOT vision",
    "status:read tag:nlp",
]


def synthetic(count: int, seed: int = 5) -> list[IndexDoc]:
    """Papers with ~170-word abstracts mixing topic words (Zipf-like) into filler."""
    rng = random.Random(seed)
    rare = [f"{rng.choice(TOPICS)[:4]}{rng.choice(FILLER)[:3]}{n}" for n in range(20000)]
    weights = [1 / (1 + i) for i in range(len(TOPICS))]

    def words(n: int) -> str:
        out = []
        for _ in range(n):
            roll = rng.random()
            if roll < 0.3:
                out.append(rng.choices(TOPICS, weights)[0])
            elif roll < 0.45:
                out.append(rng.choice(rare))
            else:
                out.append(rng.choice(FILLER))
        return " ".join(out)

    return [
        IndexDoc(
            id=n,
            title=words(rng.randint(6, 12)).title(),
            authors=[f"{rng.choice(rare).title()} {rng.choice(rare).title()}" for _ in range(3)],
            abstract=". ".join(words(17) for _ in range(10)) + ".",
            venue=rng.choice(["NeurIPS", "ICML", "ACL", "CVPR", None]),
            year=rng.randint(2010, 2025),
            status=rng.choice(["unread", "reading", "read"]),
            tags=rng.sample(["nlp", "cv", "rl", "theory", "survey"], rng.randint(0, 2)),
            notes=[words(30)] if rng.random() < 0.1 else [],
        )
        for n in range(1, count + 1)
    ]


def measure(count: int, procs: int | None = None, repeat: int = 20) -> dict:
    docs = synthetic(count)
    texts = {d.id: {"abstract": d.abstract or "", "note": "\n\n".join(d.notes)} for d in docs}
    with tempfile.TemporaryDirectory() as folder, SearchIndex(Path(folder)) as index:
        started = time.perf_counter()
        index.rebuild(docs, procs=procs)
        rebuild = time.perf_counter() - started
        started = time.perf_counter()
        index.update([docs[0]])
        update_ms = (time.perf_counter() - started) * 1000
        latency = {}
        for query in QUERIES:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = index.search(query, texts=lambda ids: {i: texts[i] for i in ids})
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            latency[query] = (result.total, statistics.median(times), times[-2])
    return {"docs_per_s": count / rebuild, "update_ms": update_ms, "latency": latency}


# Speed is measured by running this as a script, and in `make bench`; never asserted in a
# test (issue 15).


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else None
    report = measure(n, procs)
    rate, update = report["docs_per_s"], report["update_ms"]
    print(f"{n} papers: rebuild {rate:.0f} papers/s, one update {update:.0f} ms")
    for query, (total, median, p95) in report["latency"].items():
        print(f"  {query!r:42} total {total:6d}  median {median:6.1f} ms  p95 {p95:6.1f} ms")
