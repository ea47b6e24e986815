"""The fused TextAnalyzer yields exactly the tokens of the Whoosh chain it stands for."""

from __future__ import annotations

import pickle
import re

import pytest
from whoosh import fields
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
from storage.search.schema import (
    PAGE_BREAK,
    WORD_PATTERN,
    AnalyzedText,
    IndexDoc,
    PageTextField,
    doc_fields,
    fingerprint_of,
    fold,
    spelling_words,
)

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


PAGE_TEXTS = [
    *TEXTS,
    "The the THE of of: positions after stop words, and after the first word being one\n\f\n"
    "hyphen-ated words, Übergrößenträger, 3.14.15 and x_y, running running running",
]


@pytest.mark.parametrize("text", PAGE_TEXTS)
def test_postings_are_what_whoosh_would_index(text: str) -> None:
    whoosh_field = fields.TEXT(analyzer=chain(), phrase=True)
    fused = TextAnalyzer(WORD_PATTERN)
    postings, kept = fused.postings(text)
    assert sorted(postings) == sorted(whoosh_field.index(text))
    assert sorted(fused.postings(text)[0]) == sorted(postings)  # again, from the word cache
    words = {word for word in re.findall(WORD_PATTERN, text)}
    stopped = {word for word in words if fold(word) in STOP_WORDS}
    assert kept == words - stopped


@pytest.mark.parametrize("text", PAGE_TEXTS)
def test_the_page_text_field_indexes_as_whoosh_text(text: str) -> None:
    field = PageTextField(analyzer=TextAnalyzer(WORD_PATTERN), phrase=True)
    expected = sorted(fields.TEXT(analyzer=chain(), phrase=True).index(text))
    assert sorted(field.index(text)) == expected
    analysed = AnalyzedText(text, TextAnalyzer(WORD_PATTERN).postings(text)[0])
    assert sorted(field.index(analysed)) == expected and analysed == text
    assert type(pickle.loads(pickle.dumps(analysed))) is str
    assert sorted(field.index(text, mode="index")) == expected  # through Whoosh's own path


@pytest.mark.parametrize("text", PAGE_TEXTS)
def test_doc_fields_words_of_the_pdf_text(text: str) -> None:
    doc = IndexDoc(1, "A title", [], None, None, None, "unread", pages=[text, "second page"])
    values = doc_fields(doc)
    joined = PAGE_BREAK.join(doc.pages)
    each = {fold(word) for word in re.findall(WORD_PATTERN, joined)} - STOP_WORDS
    assert values["text"] == joined and values["textwords"] == " ".join(sorted(each))
    if joined.isascii():  # folding a word or the whole text first differs only beyond ASCII
        assert values["textwords"] == spelling_words(joined)
    assert values["fp"] == fingerprint_of(doc)
