"""Fuzzy terms walk each segment's words in memory (a sorted list), not its term file.

Whoosh finds the words within an edit distance of a fuzzy term by stepping a Levenshtein
automaton through the segment's term table, and every step is a binary search in that file
(~30k small reads for `tokenizaton~` on a 10k-paper library): 6-15 ms a segment and field,
so each extra segment (PDF imports leave one or two) cost a fuzzy query 15-20 ms. Here the
automaton steps through a sorted list of the segment's words (read once; segments never
change), and the automaton itself is built once per word rather than once per segment.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from itertools import islice

from whoosh.automata import lev
from whoosh.codec.base import Automata
from whoosh.reading import SegmentReader

from storage.search.whoosh_compat import install_terms_within

__all__ = ["MAX_WORDS", "forget", "install", "words_of"]

PAUSE_EVERY = 2000  # words read between two pauses of a warm-up (~1 ms of Python)
MAX_WORDS = 4_000_000  # words kept in all (about 300 MB at most); the oldest lists go first

_lists: OrderedDict[tuple[object, str, str], list[str]] = OrderedDict()
_kept = [0]
_lock = threading.Lock()


@lru_cache(maxsize=512)
def _automaton(text: str, maxdist: int, prefix: int):
    return lev.levenshtein_automaton(text, maxdist, prefix).to_dfa()


class _ListCursor:
    """The two moves Automata.find_matches makes on a term cursor, over a sorted list."""

    def __init__(self, words: list[str]) -> None:
        self._words = words
        self._at = 0

    def text(self) -> str | None:
        return self._words[self._at] if self._at < len(self._words) else None

    def find(self, term: str) -> str | None:
        self._at = bisect_left(self._words, term)
        return self.text()


def words_of(
    reader: SegmentReader, fieldname: str, pause: Callable[[], None] | None = None
) -> list[str]:
    """The segment's terms of a text field, decoded, in order (cached per segment); pause()
    is called after every PAUSE_EVERY words when given (a warm-up that leaves the GIL to
    the window's thread now and then)."""
    storage = reader.storage()
    key = (getattr(storage, "folder", id(storage)), reader.segment().segment_id(), fieldname)
    with _lock:
        words = _lists.get(key)
        if words is not None:
            _lists.move_to_end(key)
            return words
    field = reader.schema[fieldname]
    terms = reader.lexicon(fieldname)
    if pause is None:
        words = [field.from_bytes(term) for term in terms]
    else:
        words = []
        while chunk := [field.from_bytes(term) for term in islice(terms, PAUSE_EVERY)]:
            words.extend(chunk)
            pause()
    with _lock:
        if key not in _lists:
            _lists[key] = words
            _kept[0] += len(words)
            while _kept[0] > MAX_WORDS and len(_lists) > 1:
                _old, dropped = _lists.popitem(last=False)
                _kept[0] -= len(dropped)
    return words


def forget() -> None:
    """Drop every list (tests; a process that closes its libraries)."""
    with _lock:
        _lists.clear()
        _kept[0] = 0


def _terms_within(reader: SegmentReader, fieldname: str, text: str, maxdist: int, prefix: int = 0):
    spelled = reader.schema[fieldname].spelling_fieldname(fieldname)
    words = words_of(reader, spelled)
    if not words:
        return iter(())
    return Automata.find_matches(_automaton(text, maxdist, prefix), _ListCursor(words))


def install() -> None:
    """Make every SegmentReader find fuzzy terms this way (the same words, in order)."""
    install_terms_within(_terms_within)


install()
