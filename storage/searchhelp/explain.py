"""Why a search found nothing.

Which words no paper has, spelling corrections from the index's own words, and the papers that
have most of the words (best first)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from whoosh.analysis import STOP_WORDS

from storage.search import QueryError, SearchIndex
from storage.searchhelp.clauses import Part, split_query

MAX_CORRECTIONS = 3
TextsFn = Callable[[list[int]], dict[int, dict[str, object]]]


@dataclass(frozen=True)
class Correction:
    """A query with misspelt words replaced by words the index has, and what it finds."""

    query: str
    total: int
    words: tuple[tuple[str, str], ...]  # (as typed, corrected)


@dataclass(frozen=True)
class PartialHit:
    """A paper that has some of the words: its search hit, and the words it lacks."""

    id: int
    score: float
    snippet: str
    page: int | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class SearchHelp:
    """What to tell someone whose search found nothing."""

    query: str
    words: tuple[str, ...]  # the parts every hit had to have, as typed
    ignored: tuple[str, ...] = ()  # words too common to be searched (the, of)
    unknown: tuple[str, ...] = ()  # parts no paper (of those searched) has at all
    corrections: tuple[Correction, ...] = ()  # "did you mean", each finding something
    best: int = 0  # the most of `words` that one paper has
    best_total: int = 0  # how many papers have that many
    partial_total: int = 0  # how many papers have at least one
    partial: tuple[PartialHit, ...] = ()  # most words first, then by relevance
    alternatives: bool = False  # the query joined its words with OR
    excluded: tuple[str, ...] = ()  # the parts after NOT
    left_out: int = 0  # papers with every word that NOT left out

    def headline(self) -> str:
        """Why nothing was found, in a few words."""
        if not self.words:
            shown = ", ".join(f"“{w}”" for w in self.ignored) or "that"
            return f"{shown} alone is too common to be searched: add a more specific word."
        listed = ", ".join(self.words)
        if self.left_out:
            papers = f"{self.left_out} paper{'s have' if self.left_out != 1 else ' has'}"
            shown = " or ".join(f"“{w}”" for w in self.excluded)
            which = f"all of {listed}" if len(self.words) > 1 else listed
            return f"{papers} {which}, but NOT {shown} leaves them out."
        if len(self.words) == 1:
            return f"No paper has “{self.words[0]}”."
        if self.alternatives:
            return f"No paper has any of {listed}."
        return f"No paper has all {len(self.words)} words ({listed})."

    def summary(self) -> str:
        """One line saying why nothing was found, and how close the closest papers come."""
        head = self.headline()
        if not self.words or self.alternatives or len(self.words) == 1 or self.left_out:
            return head
        if not self.best:
            return head[:-1] + "; none has any of them."
        count = f"{self.best_total} paper{'s have' if self.best_total != 1 else ' has'}"
        return f"{head[:-1]}; {count} {self.best} of them."


def _ignored(part: Part) -> bool:
    """A lone stop word, which the index leaves out of every search."""
    return part.text.lower() in STOP_WORDS


def _matching(index: SearchIndex, text: str, restrict: Collection[int] | None) -> set[int]:
    try:
        return set(index.ids_matching(text, restrict_ids=restrict))
    except QueryError:  # a part that means nothing alone (cannot happen for a parsed query)
        return set()


def _total(index: SearchIndex, text: str, restrict: Collection[int] | None) -> int:
    try:
        return index.search(text, limit=1, restrict_ids=restrict).total
    except QueryError:
        return 0


def _corrections(
    index: SearchIndex, query: str, unknown: list[Part], restrict: Collection[int] | None
) -> tuple[Correction, ...]:
    """Queries with each unknown word replaced by one the index has, that find papers."""
    options: list[tuple[int, str, list[str]]] = []  # (offset, word, suggestions)
    for part in unknown:
        spot = part.correctable()
        if spot is not None:
            found = [w for w in index.suggest(spot[1], limit=MAX_CORRECTIONS) if w.isalpha()]
            if found:
                options.append((spot[0], spot[1], found))
    if not options:
        return ()
    picks = [[found[0] for _o, _w, found in options]]  # every word's best suggestion
    for alternative in options[0][2][1:]:  # and the first word's next best ones
        picks.append([alternative, *picks[0][1:]])
    corrections: list[Correction] = []
    for pick in picks:
        text = query
        for (offset, word, _found), better in sorted(
            zip(options, pick, strict=True), key=lambda item: -item[0][0]
        ):
            text = text[:offset] + _cased(better, word) + text[offset + len(word) :]
        total = _total(index, text, restrict)
        if total:
            words = tuple(
                (word, better) for (_o, word, _f), better in zip(options, pick, strict=True)
            )
            corrections.append(Correction(text, total, words))
    return tuple(corrections)


def _cased(word: str, like: str) -> str:
    """word in the case of the word it replaces (Tokenizaton -> Tokenization)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _or_query(parts: list[Part]) -> str:
    return " OR ".join(f"({part.text})" for part in parts)


def explain(
    index: SearchIndex,
    query: str,
    *,
    limit: int = 20,
    restrict_ids: Collection[int] | None = None,
    texts: TextsFn | None = None,
) -> SearchHelp:
    """Help for a query that found nothing in index (among restrict_ids, when given): the
    words no paper has, corrections, and up to limit papers that have most of the words."""
    clauses = split_query(" ".join(query.split()) if "\n" in query else query)
    restrict = set(restrict_ids) if restrict_ids is not None else None
    ignored = [p for p in clauses.required if _ignored(p)]
    required = [p for p in clauses.required if not _ignored(p)]
    words = tuple(p.text for p in required)
    found = {p.text: _matching(index, p.text, restrict) for p in required}
    unknown = [p for p in required if not found[p.text]]
    having_all = set.intersection(*found.values()) if found and not clauses.alternatives else set()
    help_ = SearchHelp(
        query=query,
        words=words,
        ignored=tuple(p.text for p in ignored),
        unknown=tuple(p.text for p in unknown),
        corrections=_corrections(index, query, unknown, restrict),
        alternatives=clauses.alternatives,
        excluded=tuple(p.text for p in clauses.excluded),
        left_out=len(having_all) if clauses.excluded else 0,
    )
    if clauses.alternatives or len(required) < 2:
        return help_
    counts = Counter(pid for ids in found.values() for pid in ids)
    for part in clauses.excluded:
        for pid in _matching(index, part.text, restrict):
            counts.pop(pid, None)
    if not counts:
        return help_
    best = max(counts.values())
    ranked = index.ids_matching(_or_query(required), restrict_ids=set(counts))
    ranked.sort(key=lambda pid: -counts.get(pid, 0))  # stable: by relevance within a count
    top = ranked[: max(0, limit)]
    hits = {}
    if top:
        result = index.search(_or_query(required), limit=len(top), restrict_ids=top, texts=texts)
        hits = {hit.id: hit for hit in result.hits}
    partial = tuple(
        PartialHit(
            pid,
            hits[pid].score if pid in hits else 0.0,
            hits[pid].snippet if pid in hits else "",
            hits[pid].page if pid in hits else None,
            tuple(p.text for p in required if pid not in found[p.text]),
        )
        for pid in top
    )
    return replace(
        help_,
        best=best,
        best_total=sum(1 for count in counts.values() if count == best),
        partial_total=len(counts),
        partial=partial,
    )
