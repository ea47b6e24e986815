"""Highlighted snippets for search hits, cut from text the caller supplies (none is stored)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from whoosh import query
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, Fragment

from storage.search.query import UnstemmedExpansion
from storage.search.schema import fold

SNIPPET_FIELDS = ("abstract", "note", "text")  # in order of preference on equal score
# Metadata and notes first: a file page gives the snippet only when neither shows a match.
_PAPER_FIELDS = ("abstract", "note")
MAX_CHARS = 240
_SPACE = re.compile(r"\s+")
_scorer = BasicFragmentScorer()


def positive_leaves(q: query.Query) -> Iterator[query.Query]:
    """The leaf queries of q outside NOT branches (negated words never show in a hit)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)


@dataclass
class Matched:
    """What to highlight in one field: analyzed terms, and original words (fuzzy/prefix)."""

    terms: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)

    def update(self, other: Matched) -> None:
        self.terms |= other.terms
        self.words |= other.words


def query_words(q: query.Query, reader, fieldnames: Iterable[str]) -> dict[str, Matched]:
    """Per field, what the query matches in this (segment) reader, expansions included."""
    wanted = set(fieldnames)
    matched: dict[str, Matched] = {}
    schema = reader.schema
    for leaf in positive_leaves(q):
        fieldname = leaf.field()
        if fieldname not in wanted:
            continue
        entry = matched.setdefault(fieldname, Matched())
        if isinstance(leaf, UnstemmedExpansion):
            entry.words.update(leaf.expand(reader)[0])
            continue
        for name, text in leaf.expanded_terms(reader, phrases=True):
            if name == fieldname:
                if isinstance(text, bytes):
                    text = schema[name].from_bytes(text)
                entry.terms.add(text)
    return matched


def _mark(tokens, text: str, matched: Matched):
    terms, words = matched.terms, matched.words
    for token in tokens:
        token.matched = token.text in terms or (
            bool(words) and fold(text[token.startchar : token.endchar]) in words
        )
        yield token


def _clean(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text), quote=False)


def _format(fragment: Fragment) -> str:
    text = fragment.text
    out = ["… " if fragment.startchar > 0 else ""]
    index = fragment.startchar
    for token in sorted(fragment.matches, key=lambda t: t.startchar):
        if token.startchar < index:
            continue
        out.append(_clean(text[index : token.startchar]))
        out.append(f"<b>{_clean(text[token.startchar : token.endchar])}</b>")
        index = token.endchar
    out.append(_clean(text[index : fragment.endchar]))
    if fragment.endchar < len(text.rstrip()):
        out.append(" …")
    return "".join(out)


def best_fragment(text: str, matched: Matched | None, analyzer) -> tuple[float, str] | None:
    """(score, HTML) of the best fragment of text around the matches, or None if none occurs."""
    if not text or not matched or not (matched.terms or matched.words):
        return None
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    fragmenter = ContextFragmenter(maxchars=MAX_CHARS, surround=70)
    best: tuple[float, Fragment] | None = None
    for fragment in fragmenter.fragment_tokens(text, _mark(tokens, text, matched)):
        score = _scorer(fragment)
        if best is None or score > best[0]:
            best = (score, fragment)
    if best is None:
        return None
    return best[0], _format(best[1])


def leading_text(text: str, maxchars: int = MAX_CHARS) -> str:
    """The start of text, cut at a word boundary, escaped."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= maxchars:
        return html.escape(text, quote=False)
    cut = text.rfind(" ", 0, maxchars)
    return html.escape(text[: cut if cut > maxchars // 2 else maxchars], quote=False) + " …"


def make_snippet(
    texts: Mapping[str, object],
    matched: Mapping[str, Matched],
    analyzers: Mapping[str, object],
) -> tuple[str, int | None, int | None]:
    """(snippet, page, file id): the best abstract/note fragment showing matched words, else
    the best fragment of a file page (with its number and its file's id), else the abstract's
    start (or ''). texts["pages"]: (file id, page, text) or (page, text) of the paper's files,
    or a call that reads them."""
    best: tuple[float, str] | None = None
    for fieldname in _PAPER_FIELDS:
        text = _as_text(texts.get(fieldname) or texts.get(fieldname + "s"))
        found = best_fragment(text, matched.get(fieldname), analyzers[fieldname])
        if found and (best is None or found[0] > best[0]):
            best = found
    if best:
        return best[1], None, None
    pages = texts.get("pages") if matched.get("text") else None
    if callable(pages):
        pages = pages()
    if pages:
        located = best_page(pages, matched["text"], analyzers["text"])  # type: ignore[arg-type]
        if located:
            return located[1], located[0], located[2]
    abstract = _as_text(texts.get("abstract"))
    return (leading_text(abstract) if abstract.strip() else ""), None, None


def _probes(matched: Matched) -> list[str]:
    """Cheap substrings every page holding a match must contain (folded): a stem loses at most
    a few letters of its word ('studi' of 'studies', 'prune' of 'pruning' keeps 'prun')."""
    probes = {term[: max(3, len(term) - 2)] for term in matched.terms if term}
    probes |= {word[: max(3, len(word) - 2)] for word in matched.words if word}
    return sorted(probes)


CANDIDATE_PAGES = 3  # pages analysed per hit, the ones where the probes occur most


def _probe_score(text: str, probes: list[str]) -> tuple[int, int]:
    """(how many different probes occur, how often in all) in the folded page text."""
    folded = text.lower() if text.isascii() else fold(text)
    counts = [folded.count(probe) for probe in probes]
    return sum(1 for count in counts if count), sum(counts)


_WINDOW = 400  # characters each side of a match that are analysed for the snippet


def _window(text: str, probes: list[str]) -> str:
    """The part of a page around the place where most probes occur near each other (the
    whole page when it is short): analysing 800 characters instead of 4,000."""
    if len(text) <= 4 * _WINDOW:
        return text
    folded = text.lower() if text.isascii() else fold(text)
    starts = [i for probe in probes for i in _first(folded, probe)]
    if not starts:
        return text
    best = max(starts, key=lambda at: sum(
        probe in folded[max(0, at - _WINDOW) : at + _WINDOW] for probe in probes
    ))  # fmt: skip
    low = text.rfind(" ", 0, max(0, best - _WINDOW)) + 1
    high = text.find(" ", best + _WINDOW)
    return text[low : high if high != -1 else len(text)]


def _first(folded: str, probe: str, count: int = 5) -> Iterator[int]:
    at = folded.find(probe)
    while at != -1 and count:
        yield at
        count -= 1
        at = folded.find(probe, at + 1)


def best_page(
    pages: Iterable[tuple[int, str] | tuple[int, int, str]], matched: Matched, analyzer
) -> tuple[int, str, int | None] | None:
    """(page number, snippet, file id) of the page whose best fragment scores highest, among
    the few pages where the query's words occur most (counted as substrings, without
    analysing: a 15-page paper costs about what its abstract does); the first page wins a
    tie. pages: (page, text) or (file id, page, text), in the order of the paper's files."""
    probes = _probes(matched)
    if not probes:
        return None
    scored = []
    for order, page in enumerate(pages):
        file_id, number, text = page if len(page) == 3 else (None, *page)
        score = _probe_score(text, probes)
        if score[0]:
            scored.append((score, order, number, file_id, text))
    scored.sort(key=lambda item: (-item[0][0], -item[0][1], item[1]))
    best: tuple[float, int, int, int | None, str] | None = None
    for score, order, number, file_id, text in scored[:CANDIDATE_PAGES]:
        if best is not None and score < scored[0][0]:
            break  # only pages as rich in the query's words as the first are analysed
        found = best_fragment(_window(text, probes), matched, analyzer)
        if found and found[0] > 0 and (best is None or (found[0], -order) > (best[0], -best[1])):
            best = (found[0], order, number, file_id, found[1])
    return (best[2], best[4], best[3]) if best else None


def _as_text(value: object) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, (list, tuple)):
        return str(value)
    return "\n\n".join(str(part) for part in value)  # a list of notes
