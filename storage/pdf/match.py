"""Which paper of a library a PDF belongs to: by arXiv id, then DOI, then a similar title."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from storage.pdf.identify import PdfIdentity
from storage.records import normalize_arxiv, normalize_doi, normalize_title

__all__ = [
    "TITLE_THRESHOLD",
    "Candidate",
    "Match",
    "PaperIndex",
    "match_paper",
    "only_noise_differs",
    "title_similarity",
]

# Titles match at a SequenceMatcher ratio of 0.9 or more on their normalised forms, when every
# word that differs looks like extraction noise. A character measure forgives what extraction does
# to a title (a word split at a line end, a lost accent, a dropped letter) that token Jaccard
# counts as a whole wrong word: one broken word in a six-word title leaves Jaccard at 5/7 = 0.71
# but the ratio near 0.95. On its own the ratio lets a changed word through on long titles
# ("... for Language Understanding" vs "... for Language Generation": 0.92) and an inserted one
# ("Attention Is Not All You Need": 0.93), hence the word check.
TITLE_THRESHOLD = 0.9


@dataclass(frozen=True)
class Candidate:
    """A paper already in the library, as far as matching needs it."""

    id: int
    title: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None


@dataclass(frozen=True)
class Match:
    """The paper a PDF belongs to and how that was decided."""

    paper_id: int
    how: str  # "arxiv", "doi" or "title 0.95" (the similarity, rounded down)
    score: float = 1.0


def title_similarity(first: str | None, second: str | None) -> float:
    """SequenceMatcher ratio of the two titles normalised as dedupe does (1.0 when equal)."""
    a, b = normalize_title(first), normalize_title(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


_WORD_SIMILAR = 0.8


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def only_noise_differs(first: str, second: str) -> bool:
    """Whether every word of one normalised title that is not in the other is a piece of a word
    there, holds one (a split or glued word), or is at least 0.8 similar to one (a typo)."""
    words_a, words_b = set(first.split()), set(second.split())
    for extra, other in ((words_a - words_b, words_b), (words_b - words_a, words_a)):
        plain_other = [_plain(word) for word in other]
        for word in map(_plain, extra):
            if not any(
                word in candidate
                or candidate in word
                or SequenceMatcher(None, word, candidate, autojunk=False).ratio() >= _WORD_SIMILAR
                for candidate in plain_other
            ):
                return False
    return True


def _title_how(score: float) -> str:
    return f"title {math.floor(score * 100 + 1e-9) / 100:.2f}"


_COUNTED = "abcdefghijklmnopqrstuvwxyz 0123456789"  # every other character counts as one kind


def _kinds(text: str) -> list[int]:
    """How often each character of _COUNTED occurs in text, then how many others do."""
    counts = [text.count(char) for char in _COUNTED]
    counts.append(len(text) - sum(counts))
    return counts


class _Counts:
    """The titles' character counts as one matrix (a row a title, in order of paper id), to
    find in one vector step the few titles close enough to a PDF's to be worth comparing."""

    def __init__(self, titles: Iterable[str]) -> None:
        import numpy  # only an import of many PDFs needs it (a library of 100k: ~0.1 s)

        self._np = numpy
        self.titles = list(titles)
        # Room for the papers an import adds (a row each), grown by half when full.
        room = len(self.titles) + len(self.titles) // 2 + 64
        self._rows = numpy.zeros((room, len(_COUNTED) + 1), dtype=numpy.int32)
        self._sizes = numpy.zeros(room, dtype=numpy.int32)
        for number, title in enumerate(self.titles):
            self._rows[number] = _kinds(title)
            self._sizes[number] = len(title)

    def add(self, title: str) -> None:
        np, number = self._np, len(self.titles)
        if number == len(self._sizes):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows[: number // 2 + 1])])
            self._sizes = np.concatenate([self._sizes, np.zeros(number // 2 + 1, np.int32)])
        self._rows[number] = _kinds(title)
        self._sizes[number] = len(title)
        self.titles.append(title)

    def near(self, wanted: str, spare: float, low: float, high: float) -> list[str]:
        """The titles within the length bounds whose counts differ from wanted's by at most
        spare * (the two lengths) + 1 (L1 distance)."""
        np, count = self._np, len(self.titles)
        rows, sizes = self._rows[:count], self._sizes[:count]
        distance = np.abs(rows - np.array(_kinds(wanted), dtype=np.int32)).sum(axis=1)
        close = (distance <= spare * (len(wanted) + sizes) + 1) & (sizes >= low) & (sizes <= high)
        return [self.titles[i] for i in np.flatnonzero(close)]


class PaperIndex:
    """Candidates indexed once, for matching many PDFs against the same library."""

    def __init__(self, candidates: Iterable[Candidate], threshold: float = TITLE_THRESHOLD) -> None:
        self.threshold = threshold
        self.by_arxiv: dict[str, int] = {}
        self.by_doi: dict[str, int] = {}
        self.by_title: dict[str, int] = {}
        # The titles' character counts, made at the second title that needs comparing (one
        # PDF compares against every title as cheaply as making them would cost).
        self._counts: _Counts | None = None
        self._compared = 0
        for paper in sorted(candidates, key=lambda candidate: candidate.id):
            self.add(paper)

    def add(self, paper: Candidate) -> None:
        """Index one more paper (a paper made by an earlier PDF of the same import); a key
        already taken keeps the paper it has."""
        if arxiv := normalize_arxiv(paper.arxiv_id):
            self.by_arxiv.setdefault(arxiv.lower(), paper.id)
        if doi := normalize_doi(paper.doi):
            self.by_doi.setdefault(doi, paper.id)
        if (title := normalize_title(paper.title)) and title not in self.by_title:
            self.by_title[title] = paper.id
            if self._counts is not None:
                self._counts.add(title)

    def match(self, identity: PdfIdentity) -> Match | None:
        """The paper this PDF belongs to, or None when nothing is close enough."""
        arxiv = normalize_arxiv(identity.arxiv_id)
        if arxiv and arxiv.lower() in self.by_arxiv:
            return Match(self.by_arxiv[arxiv.lower()], "arxiv")
        doi = normalize_doi(identity.doi)
        if doi and doi in self.by_doi:
            return Match(self.by_doi[doi], "doi")
        return self._match_title(normalize_title(identity.title))

    def _match_title(self, wanted: str) -> Match | None:
        if not wanted:
            return None
        if wanted in self.by_title:
            return Match(self.by_title[wanted], _title_how(1.0))
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(wanted)  # the matcher caches facts about the second sequence
        best: tuple[float, int] | None = None
        for title, paper_id in self._comparable(wanted):  # in order of id
            longest = len(title) + len(wanted)
            if 2 * min(len(title), len(wanted)) < self.threshold * longest:
                continue  # the lengths alone rule it out
            matcher.set_seq1(title)
            if (
                matcher.real_quick_ratio() < self.threshold
                or matcher.quick_ratio() < self.threshold
            ):
                continue
            score = matcher.ratio()
            if score < self.threshold or (best is not None and score <= best[0]):
                continue  # ties: the lowest id, seen first, stays
            if only_noise_differs(title, wanted):
                best = (score, paper_id)
        if best is None:
            return None
        return Match(best[1], _title_how(best[0]), best[0])

    def _comparable(self, wanted: str) -> Iterator[tuple[str, int]]:
        """The (title, paper id) pairs, in order of id, that may reach the threshold.

        The titles left out cannot, so the outcome is the one of comparing all: the ratio is
        at most SequenceMatcher's quick_ratio, which is 1 - L1 / (|a| + |b|) for the L1
        distance of the two titles' character counts, and counting some characters together
        (_kinds) can only make that distance smaller; the lengths alone rule out others.
        """
        self._compared += 1
        if self._compared < 2:
            yield from self.by_title.items()
            return
        if self._counts is None:
            self._counts = _Counts(self.by_title)
        low, high = self._lengths(len(wanted))
        for title in self._counts.near(wanted, 1 - self.threshold, low, high):
            yield title, self.by_title[title]

    def _lengths(self, size: int) -> tuple[float, float]:
        """The title lengths the length test below lets through, with a character to spare."""
        t = self.threshold
        return t * size / (2 - t) - 1, (2 - t) * size / t + 1


def match_paper(
    identity: PdfIdentity, candidates: Iterable[Candidate], threshold: float = TITLE_THRESHOLD
) -> Match | None:
    """The candidate the PDF belongs to: same arXiv id, else same DOI, else the most similar
    title at `threshold` or above whose differing words are noise (the lowest id on a tie);
    None when there is none."""
    return PaperIndex(candidates, threshold).match(identity)
