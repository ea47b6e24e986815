"""A small library of papers on four topics (written for these tests) for the routine's tests."""

from __future__ import annotations

from pathlib import Path

TOPICS = {
    "retrieval": [
        (
            "Dense passage retrieval for open-domain question answering",
            "We train a dual encoder of questions and passages for dense retrieval; passage "
            "embeddings are indexed and the nearest passages answer open-domain questions.",
        ),
        (
            "Pre-training a passage encoder for dense retrieval",
            "A masked auto-encoder pre-trains the passage encoder so that dense retrieval of "
            "passages for questions improves over sparse retrieval.",
        ),
        (
            "Hard negatives for training dense passage retrievers",
            "Mining hard negative passages makes the dual encoder of dense retrieval robust; "
            "question answering recall improves on open-domain benchmarks.",
        ),
        (
            "Distilling a cross-encoder into a dense retriever",
            "A cross-encoder reranker teaches the dense retriever which passages answer a "
            "question, and retrieval recall of the dual encoder rises.",
        ),
        (
            "Multilingual dense retrieval of passages",
            "Dense retrieval across languages: questions in one language retrieve passages in "
            "another with a shared multilingual passage encoder.",
        ),
    ],
    "tokenization": [
        (
            "Byte-level tokenization without a vocabulary",
            "Subword tokenization splits words by a learned vocabulary; we model bytes directly "
            "and drop the tokenizer, with byte-level language models.",
        ),
        (
            "Adaptive subword tokenization for fair multilingual language models",
            "Tokenization over-segments some scripts; an adaptive subword tokenizer gives each "
            "language a fair share of tokens in the vocabulary.",
        ),
        (
            "Transferring a language model to a new tokenizer",
            "We swap the tokenizer of a pretrained language model for a new subword vocabulary "
            "and predict embeddings for the new tokens.",
        ),
        (
            "How tokenization shapes byte-level probabilities",
            "A tokenized language model assigns probabilities to tokens; we recover exact "
            "byte-level probabilities and fix tokenization bias at subword boundaries.",
        ),
    ],
    "experts": [
        (
            "Sparse mixture of experts language models",
            "A router sends each token to a few experts; the mixture of experts layer grows "
            "parameters without growing compute in sparse language models.",
        ),
        (
            "Upcycling dense checkpoints into a mixture of experts",
            "We copy a dense model's feed-forward layers into experts and train the router, "
            "upcycling it into a sparse mixture of experts.",
        ),
        (
            "Load balancing the router of expert layers",
            "Experts collapse when the router prefers a few of them; an auxiliary loss balances "
            "the load across the mixture of experts.",
        ),
        (
            "Fast inference of mixture of experts models with offloading",
            "Experts not used by the router stay in host memory; offloading the mixture of "
            "experts makes inference of sparse models fit a small GPU.",
        ),
    ],
    "vision": [
        (
            "Remote sensing foundation models with state space layers",
            "Satellite images of remote sensing are large; a state space vision backbone scales "
            "to high resolution remote sensing imagery.",
        ),
        (
            "Open-vocabulary object detection in aerial images",
            "Detecting objects in aerial remote sensing images with an open vocabulary of "
            "categories, aligned with language.",
        ),
        (
            "Segmenting satellite images with a vision transformer",
            "A vision transformer segments land cover in satellite remote sensing images at "
            "high resolution.",
        ),
    ],
}


def bibtex(topics: dict[str, list[tuple[str, str]]] = TOPICS, year: int = 2024) -> str:
    entries = []
    for number, (title, abstract) in enumerate(
        (paper for papers in topics.values() for paper in papers), start=1
    ):
        entries.append(
            f"@article{{p{number},\n  title = {{{title}}},\n  author = {{Author, A{number}}},\n"
            f"  year = {{{year}}},\n  abstract = {{{abstract}}}\n}}\n"
        )
    return "\n".join(entries)


def write_corpus(folder: Path) -> Path:
    """The corpus as a BibTeX file in folder; papers get ids 1.. in TOPICS order."""
    path = folder / "corpus.bib"
    path.write_text(bibtex(), encoding="utf-8")
    return path


def ids_of(topic: str) -> list[int]:
    """The ids the corpus's papers on one topic get in a fresh library."""
    start = 1
    for name, papers in TOPICS.items():
        if name == topic:
            return list(range(start, start + len(papers)))
        start += len(papers)
    raise KeyError(topic)
