"""whoosh_compat: every fast path runs on the pinned Whoosh, and the public API gives the same."""

from __future__ import annotations

import os
import random
from collections import Counter
from pathlib import Path

import pytest
from bench.corpus import generate, write_bibtex
from bench.queries import QUERIES

from storage.library import Library
from storage.search import IndexDoc, SearchIndex, postings_cache, whoosh_compat
from storage.search.schema import INDEX_NAME, _text_analyzer, build_schema, doc_fields, fold

EXTRA_QUERIES = (
    'text:"kappa sigma"',
    "text:omega",
    "kappa",
    "text:sigm*",
    "text:sigmaa~",
    "retrieval NOT dense",
    "(graph OR privacy) AND year:[2015 TO 2022]",
    "title:transformers^3 OR abstract:benchmark",
)
SUGGEST = ("retreival", "transfomers", "halucination", "grph")
# The fast paths a search, an import and a rebuild with worker processes go through.
FAST_PATHS = {
    "term_postings",
    "position_deltas",
    "field_lengths",
    "expanded_words",
    "terms_within",
    "segment_writer",
    "live_file_names",
    "workers",
}


def docs(count: int = 240) -> list[IndexDoc]:
    """Bench papers; every fifth with two pages of PDF text (words repeated, stop words)."""
    rng = random.Random(3)
    words = ["kappa", "sigma", "omega", "the", "of", "state", "art", "Über", "naïve"]
    made = []
    for paper in generate(count, seed=4):
        pages = []
        if paper.index % 5 == 0:
            pages = [" ".join(rng.choice(words) for _ in range(200)) for _ in range(2)]
        made.append(
            IndexDoc(
                id=paper.index + 1,
                title=paper.title,
                authors=[f"{given} {family}" for given, family in paper.authors],
                abstract=paper.abstract,
                venue=paper.venue,
                year=paper.year,
                status="unread",
                tags=paper.tags,
                notes=[paper.note] if paper.note else [],
                doi=paper.doi,
                arxiv_id=paper.arxiv,
                pages=pages,
            )
        )
    return made


def texts_of(made: list[IndexDoc]):
    by_id = {doc.id: {"abstract": doc.abstract or "", "note": ""} for doc in made}
    return lambda ids: {pid: by_id[pid] for pid in ids}


def outcomes(index: SearchIndex, texts, limit: int = 20) -> dict:
    """What a user sees of the index: hits with scores and snippets, totals, suggestions,
    more-like-this, key terms, the checksums' verdict. Hits are ordered by score and id: two
    indexes written apart number their documents differently, so ties at the limit may pick
    other papers; compare those with a limit above the number of papers."""
    seen: dict = {}
    for text in [q.papershelf for q in QUERIES] + list(EXTRA_QUERIES):
        result = index.search(text, limit, texts=texts)
        hits = sorted((-round(h.score, 9), h.id, h.snippet, h.page) for h in result.hits)
        seen[text] = (result.total, hits, sorted(index.ids_matching(text)))
        seen[text, "restricted"] = sorted(index.ids_matching(text, restrict_ids=range(1, 150)))
    for word in SUGGEST:
        seen["suggest", word] = index.suggest(word)
    sample = "dense passage retrieval for open domain question answering with transformers"
    seen["more_like"] = sorted((-round(s, 9), pid) for pid, s in index.more_like(sample, limit))
    seen["key_terms"] = [(t, round(w, 9)) for t, w in index.key_terms(sample)]
    seen["check"] = index.verify_files()
    return seen


def build(folder: Path, made: list[IndexDoc]) -> SearchIndex:
    """A rebuild with two worker processes (one where they are not allowed), then edits."""
    index = SearchIndex(folder)
    index.rebuild(made, procs=2)
    index.update([made[0], made[7]], delete_ids=[12, 13])
    index.update([made[20]])
    return index


def ran(counts: Counter) -> tuple[set[str], set[str]]:
    """(fast paths taken, paths taken through the public API or slipped off the fast one)."""
    fast = {name for name in counts if ":" not in name}
    other = {name for name in counts if ":" in name}
    return fast, other


@pytest.fixture(scope="module")
def made() -> list[IndexDoc]:
    return docs()


@pytest.fixture(scope="module")
def fast_index(tmp_path_factory, made):
    whoosh_compat.calls.clear()
    index = build(tmp_path_factory.mktemp("fast"), made)
    yield index
    index.close()


def test_the_pinned_whoosh_takes_every_fast_path(fast_index: SearchIndex, made) -> None:
    # A Whoosh upgrade (or a private name gone) turns them off: this says so first.
    assert whoosh_compat.state.FAST, whoosh_compat.PROBLEMS
    assert whoosh_compat.PROBLEMS == []
    outcomes(fast_index, texts_of(made))
    fast, other = ran(whoosh_compat.calls)
    assert fast >= FAST_PATHS
    assert other == set()  # nothing slipped to the public API


def test_the_public_api_gives_the_same_results(
    fast_index: SearchIndex, made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = texts_of(made)
    expected = outcomes(fast_index, texts)
    assert expected["retrieval"][0] > 20 and expected['"state of the art"'][0] > 0
    assert expected['text:"kappa sigma"'][0] > 0 and expected["suggest", "retreival"]
    monkeypatch.setattr(whoosh_compat.state, "FAST", False)
    whoosh_compat.calls.clear()
    postings_cache.shared.clear()  # lists decoded on the fast path
    # The index written on the fast paths, read through the public API.
    assert outcomes(fast_index, texts) == expected
    # An index written through the public API (one process), read through it.
    everything = outcomes(fast_index, texts, limit=len(made))
    with build(tmp_path / "public", made) as public:
        assert outcomes(public, texts, limit=len(made)) == everything
    fast, other = ran(whoosh_compat.calls)
    assert fast == set()
    assert {name.split(":")[0] for name in other} >= FAST_PATHS


def test_field_lengths_and_file_names_agree(fast_index: SearchIndex, monkeypatch) -> None:
    searcher = fast_index._current_searcher()
    readers = [reader for reader, _ in searcher.reader().leaf_readers()]
    folder = fast_index.folder
    names = sorted(os.listdir(folder))
    generation = fast_index._ix.latest_generation()
    segments = [reader.segment().segment_id() for reader in readers]
    got = []
    for fast in (True, False):
        monkeypatch.setattr(whoosh_compat.state, "FAST", fast)
        got.append(
            (
                [
                    whoosh_compat.field_lengths(reader, field)
                    for reader in readers
                    for field in ("title", "abstract", "text", "words", "tag", "year")
                ],
                whoosh_compat.live_file_names(names, INDEX_NAME, generation, segments),
            )
        )
    assert got[0] == got[1]
    assert any(any(lengths) for lengths in got[0][0]) and len(got[0][1]) > len(segments)


def test_pdf_text_is_analysed_alike(monkeypatch) -> None:
    analyzer = _text_analyzer()
    value = "The Über naïve state-of-the-art model of the art, 3.5 v2.0 models model\f\nnext"
    field = build_schema()["text"]
    fast = analyzer.postings(value)
    assert sorted(fast[0]) == sorted(field.index(value))
    monkeypatch.setattr(whoosh_compat.state, "FAST", False)
    assert sorted(analyzer.postings(value)[0]) == sorted(fast[0])
    assert {fold(w) for w in fast[1]} == analyzer.postings(value)[1]
    doc = IndexDoc(1, "T", [], None, None, None, "unread", pages=[value])
    public = doc_fields(doc)
    monkeypatch.setattr(whoosh_compat.state, "FAST", True)
    assert doc_fields(doc) == public


def test_an_import_through_the_public_api(tmp_path: Path, monkeypatch) -> None:
    bib = tmp_path / "papers.bib"
    write_bibtex(list(generate(150, seed=8)), bib)
    seen = []
    for fast in (True, False):
        monkeypatch.setattr(whoosh_compat.state, "FAST", fast)
        with Library(tmp_path / f"lib{fast}") as library:
            report = library.import_file(bib)
            pid = library.paper_ids(sort="title")[0]
            seen.append(
                (
                    len(report.new_ids),
                    {
                        q: [(h.id, round(h.score, 9), h.snippet) for h in library.search(q).hits]
                        for q in ("retrieval", '"language models"', "retrievl~", "transform*")
                    },
                    [(h.id, round(h.score, 9)) for h in library.related(pid)],
                    library.check().problems,
                )
            )
    assert seen[0] == seen[1]
    assert seen[0][0] > 100 and all(seen[0][1].values()), seen[0][1]


def test_another_whoosh_version_turns_the_fast_paths_off(monkeypatch) -> None:
    import whoosh
    from whoosh.writing import SegmentWriter

    assert whoosh_compat.state._problems() == []
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 6))
    assert whoosh_compat.state._problems() == [
        "Whoosh 2.7.6 is installed; the fast paths were written for 2.7.5"
    ]
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    monkeypatch.delattr(SegmentWriter, "_flush_segment")
    assert whoosh_compat.state._problems() == ["SegmentWriter._flush_segment is missing"]
