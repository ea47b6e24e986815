"""Odd and broken search input: interpreted sensibly or a gentle QueryError, never a traceback."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import CORPUS, texts

from storage.search import QueryError, SearchIndex, SearchResult


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("index"))
    index.rebuild(CORPUS)
    yield index
    index.close()


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("year:[abc TO", "year:2020"),
        ("year:abc", "year:2020"),
        ("year:[2019 TO", "year:"),
        ("title:", "title:transformer"),
        ("mamba title:", "title:"),
        ("author:   ", "author:"),
        ("(tag:)", "tag:nlp"),
    ],
)
def test_query_errors_are_gentle(shared: SearchIndex, query: str, hint: str) -> None:
    with pytest.raises(QueryError) as caught:
        shared.search(query)
    message = str(caught.value)
    assert hint in message
    assert "Traceback" not in message and "Error" not in message
    with pytest.raises(QueryError):
        shared.ids_matching(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mamba OR OR pruning", {1, 3, 8, 9}),
        ("NOT mamba", {doc.id for doc in CORPUS} - {1, 3}),
        ("title:ELECTRA^2", {4}),
        ("title:ELECTRA^abc", set()),  # no such words
        ("year:[2024 TO]", {1, 10}),
        ("year:[TO 2019]", {9}),
        ("mamba~9", {1, 3, 8, 9}),  # at most two edits: mamba, marta (an author)
        ("*", {doc.id for doc in CORPUS}),
        ("\\", set()),
        ("ÉLECTRA", {4}),
        ("C++ OR F#", set()),
    ],
)
def test_odd_queries_are_interpreted(shared: SearchIndex, query: str, expected: set[int]) -> None:
    assert set(shared.ids_matching(query)) == expected
    result = shared.search(query, texts=texts)
    assert result.total == len(expected)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unbalanced quote', "The quote before “unbalanced” is never closed"),
        ('title:"dense passage', "The quote before “dense” is never closed"),
        ("(mamba OR pruning", "A “(” is never closed"),
        ("mamba)", "A “)” has no “(” before it"),
        ("()", "“()” holds nothing to search for"),
        ("NOT", "“NOT” needs a word after it"),
        ("mamba AND", "“AND” needs a word after it"),
        ("OR mamba", "“OR” needs a word before it"),
        ("mamba AND OR pruning", "“AND OR” cannot both join the words"),
        ("nosuchfield:mamba", "There is no field “nosuchfield:”"),
        ("Mamba:pruning", "There is no field “Mamba:”"),
        ("[", "The range “[” is never closed"),
        ("year:[2019 TO", "The range “[2019 TO” is never closed"),
        ("year:>", "A year comparison needs a year"),
    ],
)
def test_malformed_queries_are_reported_not_run(
    shared: SearchIndex, query: str, message: str
) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        shared.search(query)
    with pytest.raises(QueryError):
        shared.ids_matching(query)


@pytest.mark.parametrize(
    "query",
    ['"mamba: a"', "https://github.com/x", "10:30", "doi:10.1/x:y", "title: mamba",
     "year:[2019 TO 2021}", "year:{2019 TO 2021]", "mamba OR OR pruning", "NOT mamba"],
)  # fmt: skip
def test_colons_and_ranges_that_are_fine(shared: SearchIndex, query: str) -> None:
    shared.search(query)  # no QueryError


def test_empty_query(shared: SearchIndex) -> None:
    assert shared.search("") == SearchResult("", 0, [])


QUERY_PIECES = st.sampled_from(
    [
        "mamba", "pruning", "title:", "author:", "year:", "tag:", "status:", "doi:", "note:",
        "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", "[", "]", "{", "}", '"', "'", "*",
        "?", "~", "~2", "^", "^2", "TO", "2020", "<", ">", "=", ":", "\\", "-", "+", "/",
        " ", " ", "é", "tokenizaton~", "prun*", "1e9", "99999999999", "-5", "\x00", "\t",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(QUERY_PIECES, max_size=8).map("".join))
def test_any_input_either_works_or_raises_query_error(shared: SearchIndex, query: str) -> None:
    try:
        result = shared.search(query, limit=5, texts=texts)
    except QueryError as exc:
        assert str(exc)
    else:
        assert result.total >= len(result.hits)
        assert {hit.id for hit in result.hits} <= {doc.id for doc in CORPUS}


def _generated(count: int) -> list:
    """Papers of random words over a small vocabulary, so that patterns hit many of them."""
    import random

    from test_search import paper

    rng = random.Random(11)
    stems = ["token", "prun", "retriev", "segment", "align", "distill", "quantiz", "sparsif"]
    endings = ["", "s", "ing", "ed", "er", "ers", "ation", "ations", "ize", "izing"]
    vocab = [stem + end for stem in stems for end in endings] + ["model", "data", "layer"]
    return [
        paper(n, " ".join(rng.sample(vocab, 4)), " ".join(rng.choices(vocab, k=40)))
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    "pattern", ["tokeniz*", "prunin*", "retrievation~", "quantizng~", "s?gment*"]
)
def test_expansions_agree_with_a_scan(tmp_path, pattern: str) -> None:
    # Hundreds of matches: Whoosh swaps in pruned matchers as the top N fills up, and
    # the expansion's filter on original words must survive that.
    import fnmatch

    from whoosh.support.levenshtein import damerau_levenshtein

    docs = _generated(400)
    text = pattern.rstrip("~")

    def hit(word: str) -> bool:
        if pattern.endswith("~"):
            return damerau_levenshtein(word, text) <= 1
        return fnmatch.fnmatchcase(word, text)

    expected = {
        doc.id for doc in docs if any(hit(w) for w in f"{doc.title} {doc.abstract}".split())
    }
    with SearchIndex(tmp_path) as index:
        index.rebuild(docs)
        result = index.search(pattern, limit=10)
        assert set(index.ids_matching(pattern)) == expected
        assert result.total == len(expected) > 20
