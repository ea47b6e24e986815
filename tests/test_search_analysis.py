"""The fused TextAnalyzer yields exactly the tokens of the Whoosh chain it stands for."""

from __future__ import annotations

import pickle

import pytest
from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

from storage.search.analysis import TextAnalyzer
from storage.search.schema import WORD_PATTERN

TEXTS = [
    "The Attention is all you need: a Transformer, an RNN and qwen2.5 in the U.S.A.",
    "Ünïcödé naïve café Straße İstanbul ÆON œuvre — résumé of the résumés",
    "a an the of to in is it",  # only stop words
    "",
    "running runs ran runner; indexing indexes indexed 3.14 x_y __init__",
    "Page one text.\n\f\nPage two: vector search and retrieval, retrieving, retrieved",
]


def chain():
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(cachesize=100_000)
    )


def tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos if kwargs.get("positions") else None, t.stopped, t.boost)
            for t in analyzer(text, **kwargs)]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"positions": True},
        {"positions": True, "start_pos": 7},
        {"positions": True, "removestops": False},
        {"removestops": False, "mode": "query"},
    ],
)
def test_same_tokens_as_the_chain(text: str, kwargs: dict) -> None:
    fused = TextAnalyzer(WORD_PATTERN)
    expected = tokens(chain(), text, **kwargs)
    assert tokens(fused, text, **kwargs) == expected
    assert tokens(fused, text, **kwargs) == expected  # again, from the word cache


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("removestops", [True, False])
def test_same_offsets_and_originals_as_the_chain(text: str, removestops: bool) -> None:
    fused, plain = TextAnalyzer(WORD_PATTERN), chain()
    kwargs = {"chars": True, "positions": True, "keeporiginal": True, "start_char": 3}
    kwargs["removestops"] = removestops

    def offsets(analyzer):
        return [(t.text, t.original, t.pos, t.startchar, t.endchar, t.stopped)
                for t in analyzer(text, **kwargs)]

    assert offsets(fused) == offsets(plain)


def test_no_morph_goes_through_the_chain() -> None:
    fused, plain = TextAnalyzer(WORD_PATTERN), chain()
    text = TEXTS[0]
    assert [t.text for t in fused(text, no_morph=True)] == [
        t.text for t in plain(text, no_morph=True)
    ]


def test_pickles_without_its_cache_and_compares_equal() -> None:
    fused = TextAnalyzer(WORD_PATTERN)
    list(fused(TEXTS[0]))
    copy = pickle.loads(pickle.dumps(fused))
    assert copy == fused and copy._words == {}
    assert tokens(copy, TEXTS[1], positions=True) == tokens(chain(), TEXTS[1], positions=True)
    assert fused != chain()  # another class: an index built by the chain is rebuilt
