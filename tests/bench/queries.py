"""The fixed mix of 50 benchmark queries, in Papershelf (Whoosh) syntax and as FTS5 runs them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchQuery:
    kind: str  # term | and | phrase | field | prefix | fuzzy
    papershelf: str
    fts: str  # an FTS5 MATCH expression ("" with fuzzy: expanded from the vocabulary)
    years: tuple[int, int] | None = None  # FTS5 has no numeric fields: a join on the year
    fuzzy: str | None = None  # the misspelled word FTS5 expands itself (it has no `~`)


def _same(kind: str, *texts: str) -> list[BenchQuery]:
    return [BenchQuery(kind, text, text) for text in texts]


QUERIES: list[BenchQuery] = [
    *_same(
        "term",
        "retrieval",
        "transformers",
        "distillation",
        "calibration",
        "hallucination",
        "multilingual",
        "quantization",
        "benchmark",
        "summarization",
        "graph",
        "privacy",
        "tokenization",
    ),
    *_same(
        "and",
        "dense retrieval",
        "language models pruning",
        "contrastive learning robustness",
        "question answering",
        "sparse AND retrieval",
        "efficient AND inference",
        "federated privacy",
        "reward models alignment",
        "clinical text mining",
    ),
    BenchQuery("and", "zero-shot translation", '"zero shot" translation'),
    *_same(
        "phrase",
        '"language models"',
        '"dense passage retrieval"',
        '"mixture of experts"',
        '"knowledge graphs"',
        '"state of the art"',
        '"curriculum learning"',
        '"code is available"',
        '"distribution shift"',
    ),
    BenchQuery("field", "title:transformers", "title : transformers"),
    BenchQuery("field", "author:müller", "authors : muller"),
    BenchQuery("field", "author:zhang", "authors : zhang"),
    BenchQuery("field", "tag:retrieval", "tags : retrieval"),
    BenchQuery("field", "year:2020 calibration", "calibration", years=(2020, 2020)),
    BenchQuery("field", "year:[2018 TO 2020] retrieval", "retrieval", years=(2018, 2020)),
    BenchQuery("field", "title:survey", "title : survey"),
    BenchQuery("field", "abstract:hallucination", "abstract : hallucination"),
    *_same("prefix", "retriev*", "transform*", "quant*", "distil*", "multi*", "calib*"),
    *(
        BenchQuery("fuzzy", f"{word}~", "", fuzzy=word)
        for word in (
            "retreival",
            "transfomers",
            "halucination",
            "sumarization",
            "calibraton",
            "tokenizaton",
        )
    ),
]

assert len(QUERIES) == 50, len(QUERIES)
