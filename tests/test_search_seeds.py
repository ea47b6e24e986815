"""Search quality on the real listing dumps in ../shared/seeds (skipped when they are absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage.search import IndexDoc, SearchIndex

pytestmark = pytest.mark.seeds

CHROME = {
    "new",
    "Subscribe",
    "Get trending papers in your email inbox!",
    "Get trending papers in your email inbox once a day!",
    "byAK and the research community",
}
DATE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}$")


def crude_entries(path: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs: chrome dropped, then lines alternate title / abstract."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and line not in CHROME and not DATE.match(line)]
    if lines and lines[0].startswith("Subscribe"):
        lines[0] = lines[0].removeprefix("Subscribe")
    return list(zip(lines[0::2], lines[1::2], strict=False))


@pytest.fixture(scope="module")
def seeded(seed_files: list[Path], tmp_path_factory) -> tuple[SearchIndex, dict[int, IndexDoc]]:
    papers: dict[str, IndexDoc] = {}
    for path in seed_files:
        for title, abstract in crude_entries(path):
            papers.setdefault(
                title, IndexDoc(len(papers) + 1, title, [], abstract, None, None, "unread")
            )
    assert len(papers) == 390  # the crude parse found every distinct paper
    index = SearchIndex(tmp_path_factory.mktemp("seeds"))
    index.rebuild(papers.values())
    yield index, {doc.id: doc for doc in papers.values()}
    index.close()


def scan(docs: dict[int, IndexDoc], pattern: str) -> set[int]:
    regex = re.compile(pattern, re.IGNORECASE)
    return {pid for pid, doc in docs.items() if regex.search(f"{doc.title}\n{doc.abstract}")}


def test_phrase_finds_every_paper_with_the_phrase(seeded) -> None:
    index, docs = seeded
    hits = set(index.ids_matching('"dense passage retrieval"'))
    exact = scan(docs, r"dense\s+passage\s+retrieval")
    assert len(exact) >= 10
    assert exact <= hits
    # and nothing else but the stemmed variants of the same phrase
    assert hits <= scan(docs, r"dense\s+passages?\s+retriev")


def test_mamba_remote_sensing_ranks_roma_first(seeded) -> None:
    index, docs = seeded
    result = index.search("mamba remote sensing")
    assert docs[result.hits[0].id].title.startswith("RoMA: ")


def test_title_electra(seeded) -> None:
    index, docs = seeded
    hits = index.ids_matching("title:ELECTRA")
    assert docs[hits[0]].title.startswith("ELECTRA: ")
    assert all("electra" in docs[pid].title.lower() for pid in hits)
    # ELECTRA is also named in another paper's abstract; the title match comes first
    assert index.ids_matching("electra")[0] == hits[0]


def test_misspelt_fuzzy_finds_the_tokenization_papers(seeded) -> None:
    index, docs = seeded
    expected = scan(docs, r"\btokenization\b")
    assert len(expected) >= 5
    assert set(index.ids_matching("tokenizaton~")) == expected
    assert index.search("tokenizaton").total == 0


def test_snippets_escape_tex_and_urls(seeded) -> None:
    index, docs = seeded

    def texts(ids: list[int]) -> dict[int, dict[str, str]]:
        return {pid: {"abstract": docs[pid].abstract or ""} for pid in ids}

    for hit in index.search("github", limit=50, texts=texts).hits:
        assert "<b>github</b>" in hit.snippet.lower()
        assert "<" not in re.sub(r"</?b>", "", hit.snippet)
