"""Fuzzy terms found from each segment's words in memory: exactly the words Whoosh finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh.codec.base import Automata
from whoosh.filedb.filestore import FileStorage

from storage.search import SearchIndex, lexicon
from storage.search.schema import IndexDoc

LETTERS = "abcdeiklmnorstu"


def whoosh_terms_within(reader, fieldname: str, text: str, maxdist: int, prefix: int) -> set:
    """Whoosh's own walk through the term file (what lexicon replaces)."""
    cursor = reader.cursor(fieldname)
    return set(Automata.find_matches(Automata.levenshtein_dfa(text, maxdist, prefix), cursor))


def make_index(folder: Path, words: list[str]):
    schema = fields.Schema(words=fields.KEYWORD(), name=fields.TEXT())
    ix = FileStorage(str(folder)).create_index(schema)
    with ix.writer() as writer:
        for start in range(0, len(words), 7):
            chunk = words[start : start + 7]
            writer.add_document(words=" ".join(chunk), name=" ".join(reversed(chunk)))
    return ix


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 300))
def test_the_same_words_as_walking_the_term_file(tmp_path_factory, seed: int, size: int) -> None:
    rng = random.Random(seed)
    words = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 9))) for _ in range(size)]
    words += ["naïve", "café", "zürich", "ſ", "\u00e9t\u00e9"]
    ix = make_index(tmp_path_factory.mktemp("lex"), words)
    with ix.reader() as reader:
        for _ in range(15):
            text = rng.choice(words)
            if rng.random() < 0.7:  # a typo of a known word, or a word of its own
                at = rng.randrange(len(text) + 1)
                text = text[:at] + rng.choice(LETTERS) + text[at + 1 :]
            maxdist, prefix = rng.choice([(1, 0), (2, 0), (1, 1), (2, 2)])
            prefix = min(prefix, len(text))  # Whoosh's automaton needs the prefix in the word
            for field in ("words", "name"):
                found = list(reader.terms_within(field, text, maxdist, prefix))
                assert found == sorted(found)
                assert set(found) == whoosh_terms_within(reader, field, text, maxdist, prefix)
    lexicon.forget()


@pytest.fixture
def three_segments(tmp_path: Path) -> SearchIndex:
    """An index of three papers, each added on its own (one segment each)."""
    index = SearchIndex(tmp_path / "ix")
    for pid, title in enumerate(["tokenization of text", "tokenisation again", "retrieval"], 1):
        index.update([IndexDoc(pid, title, [], None, None, None, "unread")])
    lexicon.forget()
    yield index
    index.close()


@pytest.fixture
def lexicon_reads(monkeypatch) -> list[str]:
    """The field of every segment lexicon read from the index files from now on."""
    reads: list[str] = []
    real = lexicon.SegmentReader.lexicon

    def counted(reader, fieldname):
        reads.append(fieldname)
        return real(reader, fieldname)

    monkeypatch.setattr(lexicon.SegmentReader, "lexicon", counted)
    return reads


def test_each_segments_words_are_read_once(
    three_segments: SearchIndex, lexicon_reads: list[str]
) -> None:
    assert sorted(three_segments.ids_matching("tokenizaton~")) == [1]
    first = len(lexicon_reads)
    assert sorted(three_segments.ids_matching("tokenizaton~ OR retrievl~")) == [1, 3]
    assert first > 0 and len(lexicon_reads) == first  # nothing read again


def test_warm_up_reads_every_segments_words_before_a_search(
    three_segments: SearchIndex, lexicon_reads: list[str]
) -> None:
    """SearchIndex.warm_up reads the word lists a first fuzzy word walks, so that the first
    `tokenizaton~` reads nothing (the window runs it on a side thread once it is idle)."""
    three_segments.warm_up()
    assert lexicon_reads.count("words") == 3 and "author" in lexicon_reads  # a segment a paper
    warmed = len(lexicon_reads)
    assert sorted(three_segments.ids_matching("tokenizaton~ OR retrievl~")) == [1, 3]
    assert len(lexicon_reads) == warmed  # the search read no word list


def test_a_failing_warm_up_never_marks_the_index_damaged(tmp_path: Path, monkeypatch) -> None:
    """The warm-up is a head start only: a reader closed under it (here any error) ends it
    quietly; the index is not called damaged (which would have it rebuilt)."""
    index = SearchIndex(tmp_path / "ix")
    index.update([IndexDoc(1, "tokenization of text", [], None, None, None, "unread")])

    def broken(*_args, **_kwargs):
        raise EOFError("the segment went away")

    monkeypatch.setattr(lexicon, "words_of", broken)
    index.warm_up()
    assert not index.damaged
    monkeypatch.undo()
    assert index.ids_matching("tokenizaton~") == [1]
    index.close()
    index.warm_up()  # closed: nothing to warm, no error
