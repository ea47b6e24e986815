"""Fuzzy, prefix and wildcard words: unfielded ones leave the PDF text out, `text:` ones use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.search import IndexDoc, SearchIndex


def paper(id: int, title: str, abstract: str, pages: list[str]) -> IndexDoc:
    return IndexDoc(
        id=id, title=title, authors=[], abstract=abstract, venue=None, year=None,
        status="unread", pages=pages,
    )


@pytest.fixture
def index(tmp_path: Path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild([
        paper(1, "Quantization of language models", "We study quantization.", []),
        paper(2, "Pruning", "Sparse networks.", ["Page one on quantization.", "Page two."]),
    ])
    yield index
    index.close()


def ids(index: SearchIndex, query: str) -> set[int]:
    return {hit.id for hit in index.search(query).hits}


def test_unfielded_expansions_skip_the_pdf_text(index: SearchIndex) -> None:
    for query in ("quantizaton~", "quantiz*", "quant?zation"):
        assert ids(index, query) == {1}, query
    assert ids(index, "quantization") == {1, 2}  # plain words still search the PDF text


def test_text_expansions_use_the_pdf_words(index: SearchIndex) -> None:
    for query in ("text:quantizaton~", "text:quantiz*", "text:quant?zation"):
        assert ids(index, query) == {2}, query
    assert ids(index, "text:sparse~") == set()  # the abstract's words are not the text's


def test_suggestions_come_from_both_word_lists(index: SearchIndex) -> None:
    assert "quantization" in index.suggest("quantizaton")
    assert "sparse" in index.suggest("sparce")
