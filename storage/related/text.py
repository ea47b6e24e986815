"""A paper's evidence as terms: stemmed words and word pairs of its title, abstract, notes, tags."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem

# Words that say nothing about a paper's topic: English stop words, the stock phrases of
# abstracts, and the parts of links (code URLs are common in abstracts).
EXTRA_STOP = frozenset(
    """
    also although among however thus therefore hence whereas whether within without upon via
    paper papers propose proposed proposes present presents presented introduce introduces show
    shows shown demonstrate demonstrates study studies work works approach approaches method
    methods result results experiment experiments experimental novel new existing recent
    recently furthermore moreover specifically first second third one two three using used use
    uses based well significantly significant achieve achieves achieved across state art
    outperforms outperform extensive various different code available publicly https http www
    com github org io html et al e g i ie eg etc which while since can could may might would
    should must our ours we us they them their its it's more most much many several such other
    others each both over under between through into onto than then there here
    """.split()  # noqa: SIM905
)
STOP = frozenset(STOP_WORDS) | EXTRA_STOP
_WORD = re.compile(r"[^\W\d_][^\W_]*")
TITLE_WEIGHT = 3  # a title's terms count thrice: it is the paper's own summary (measured)
TAG_PREFIX = "#"  # tag terms: "#retrieval"; never word pairs


class Terms:
    """Turns text into terms: lowercased, accents folded, stop words dropped, Porter-stemmed,
    plus each pair of neighbouring kept words ("dens passag") within one field."""

    def __init__(self, pairs: bool = True) -> None:
        self.pairs = pairs
        self._stems: dict[str, str | None] = {}
        self.shown: dict[str, str] = {}  # stem (or tag term) -> its shortest word seen

    def _stem(self, word: str) -> str | None:
        found = self._stems.get(word, "")
        if found != "":
            return found
        folded = unicodedata.normalize("NFKD", word.casefold())
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        result = None if len(folded) < 2 or folded in STOP else stem(folded)
        if len(self._stems) > 500_000:
            self._stems.clear()
        self._stems[word] = result
        if result is not None:
            known = self.shown.get(result)
            if known is None or len(folded) < len(known):  # "dense" rather than "densely"
                self.shown[result] = folded
        return result

    def field(self, text: str | None, counts: Counter[str], weight: int = 1) -> None:
        """Add one field's terms to counts."""
        if not text:
            return
        previous: str | None = None
        for word in _WORD.findall(text):
            term = self._stem(word)
            if term is None:
                previous = None
                continue
            counts[term] += weight
            if previous is not None and self.pairs:
                counts[previous + " " + term] += weight
            previous = term

    def display(self, term: str) -> str:
        """A term as words: each stem as its shortest word seen ("dense passage")."""
        return " ".join(self.shown.get(part, part) for part in term.split(" "))

    def paper(
        self, title: str | None, abstract: str | None, notes: list[str], tags: list[str]
    ) -> Counter[str]:
        """Every term of one paper with its count (title terms weigh TITLE_WEIGHT)."""
        counts: Counter[str] = Counter()
        self.field(title, counts, TITLE_WEIGHT)
        self.field(abstract, counts)
        for note in notes:
            self.field(note, counts)
        for tag in tags:
            term = TAG_PREFIX + tag.casefold()
            counts[term] += 1
            self.shown.setdefault(term, TAG_PREFIX + tag)
        return counts
