"""The stemming text analyzer, fused into one loop (the Whoosh chain costs ~6 us a word)."""

from __future__ import annotations

from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from storage.search import whoosh_compat

__all__ = ["Posting", "TextAnalyzer"]

Posting = tuple[bytes, int, float, bytes]  # as Field.index() yields: term, freq, weight, value

_STOPPED = None  # cached outcome of a word that is a stop word (or too short)
CACHE_LIMIT = 200_000  # raw words remembered; the cache starts over when it is full


class TextAnalyzer(CompositeAnalyzer):
    """RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map) | StopFilter | StemFilter.

    Yields exactly the tokens (text, positions renumbered past stop words, stopped flags) of
    that chain, which it still is for Whoosh's purposes (items, ==, pickling), but runs as
    one loop with one dictionary lookup per raw word. Calls asking for no tokenizing or no
    morphology go through the chain itself.
    """

    def __init__(self, pattern: str, cachesize: int = 100_000) -> None:
        super().__init__(
            RegexTokenizer(pattern),
            LowercaseFilter(),
            CharsetFilter(accent_map),
            StopFilter(stoplist=STOP_WORDS, minsize=1),
            StemFilter(cachesize=cachesize),
        )
        self._words: dict[str, str | None] = {}

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_words", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._words = {}

    def _outcome(self, word: str) -> str | None:
        """The indexed form of one raw word, or _STOPPED."""
        _tokenizer, _lower, charset, stops, stemmer = self.items
        text = word.lower().translate(charset.charmap)
        if len(text) < stops.min or (stops.max is not None and len(text) > stops.max):
            return _STOPPED
        if text in stops.stops:
            return _STOPPED
        if stemmer.stemfn is not stem or stemmer.lang:  # not the Porter stemmer: ask it
            return whoosh_compat.stem(stemmer, text) if text not in stemmer.ignore else text
        return stem(text) if text not in stemmer.ignore else text

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        no_morph=False,
        **kwargs,
    ):
        if not tokenize or no_morph or not self.fusable():
            return super().__call__(
                value,
                no_morph=no_morph,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=tokenize,
                mode=mode,
                **kwargs,
            )
        return self._fast(
            value, positions, chars, keeporiginal, removestops, start_pos, start_char, mode, kwargs
        )

    def _fast(
        self, value, positions, chars, keeporiginal, removestops, start_pos, start_char, mode, kw
    ):
        assert isinstance(value, str), f"{value!r} is not unicode"
        words = self._words
        if len(words) > CACHE_LIMIT:
            words.clear()
        outcome = self._outcome
        t = Token(positions, chars, removestops=removestops, mode=mode, **kw)
        pos = None  # the StopFilter's renumbering: the first kept word keeps its position
        expression = self.items[0].expression
        found = expression.finditer(value) if chars else expression.findall(value)
        for index, match in enumerate(found):
            word = match.group(0) if chars else match
            if keeporiginal:
                t.original = word
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            try:
                text = words[word]
            except KeyError:
                text = words[word] = outcome(word)
            t.boost = 1.0
            if text is _STOPPED:
                if removestops:
                    continue
                t.text = word.lower().translate(self.items[2].charmap)
                t.stopped = True
                if positions:
                    t.pos = start_pos + index
                yield t
                continue
            t.text = text
            t.stopped = False
            if positions:
                pos = start_pos + index if pos is None else pos + 1
                t.pos = pos
            yield t

    def postings(self, value: str) -> tuple[list[Posting], set[str]]:
        """What fields.TEXT(analyzer=self, phrase=True).index(value) yields (each term with its
        frequency, weight and Whoosh-encoded positions), in one loop without Token objects;
        and the distinct words that were kept (not stop words), as they were written.

        Whoosh's way (a token generator, formats.Positions.word_values, a dict of weights)
        costs twice as long on the text of a PDF; it is taken when fusable() says no.
        """
        assert isinstance(value, str), f"{value!r} is not unicode"
        if not self.fusable():
            made = Positions().word_values(value, self, mode="index")
            written = {t.text for t in super().__call__(value, no_morph=True)}
            return [(text.encode("utf-8"), *rest) for text, *rest in made], written
        words = self._words
        if len(words) > CACHE_LIMIT:
            words.clear()
        outcome = self._outcome
        positions: dict[str, list[int]] = {}
        kept: set[str] = set()
        pos = -1
        first = True
        for index, word in enumerate(self.items[0].expression.findall(value)):
            try:
                text = words[word]
            except KeyError:
                text = words[word] = outcome(word)
            if text is _STOPPED:
                continue
            if first:  # the StopFilter's renumbering: the first kept word keeps its position
                pos, first = index, False
            else:
                pos += 1
            kept.add(word)
            found = positions.get(text)
            if found is None:
                positions[text] = [pos]
            else:
                found.append(pos)
        out: list[Posting] = []
        for text, found in positions.items():
            deltas = [found[0]]
            deltas.extend(b - a for a, b in zip(found, found[1:]))  # noqa: B905
            out.append(
                (
                    text.encode("utf-8"),
                    len(found),
                    float(len(found)),
                    whoosh_compat.encode_positions(deltas),
                )
            )
        return out, kept

    def fusable(self) -> bool:
        """Whether the one-loop version applies: the chain is as built (its filters' settings
        are read directly) on the Whoosh that whoosh_compat was written for."""
        return bool(
            whoosh_compat.FAST
            and self.items[3].renumber
            and not self.items[0].gaps
            and not self.items[0].expression.groups
        )
