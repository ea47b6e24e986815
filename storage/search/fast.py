"""Set-at-a-time query evaluation: Whoosh's own BM25F scores, without its per-document matchers.

Whoosh walks a query as a tree of Python matcher objects, one document at a time: on 100k
papers a common word (a union over six fields, ~50k matches) costs ~250 ms, most of it in
that tree. Here each term's postings are read a block at a time (whoosh_compat.term_postings,
decoded lists kept as numpy arrays by postings_cache) and scored with Whoosh's BM25 formula
over numpy arrays; a query's scores in a segment are two dense arrays over its documents
(matched or not, score: 0.0 where unmatched), so unions, intersections and exclusions are
whole-array operations. Terms, AND, OR, AND NOT, REQUIRE, AND MAYBE, phrases (positions
checked only on documents that have every word) and the fuzzy/prefix expansions of stemmed
fields are evaluated this way; any other query (prefix and fuzzy terms on unstemmed fields,
NOT alone, ...) falls back to Whoosh's matcher for that part alone. Sums are taken pairwise
in the tree Whoosh's matchers use, with its formula's operations in its order: scores equal
Whoosh's up to floating-point summation order (and the dict-based evaluation's exactly).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import add
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.query.positional import Phrase
from whoosh.scoring import BM25FScorer
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

from storage.search import postings_cache
from storage.search.phrases import phrase_docs, term_positions
from storage.search.query import UnstemmedExpansion
from storage.search.whoosh_compat import term_postings

Scores = tuple[Any, Any]  # per document of a segment: matched (bool), score (float64, 0.0 if not)
LengthsFn = Callable[[object, str], bytes]  # (segment reader, field) -> a length byte per doc
# A length byte -> the field length Whoosh's bm25() is given for it.
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _union(a: Scores, b: Scores) -> Scores:
    return a[0] | b[0], a[1] + b[1]  # x + 0.0 == x: an unmatched side adds nothing


def _only(matched, scores) -> Scores:
    """scores where matched, 0.0 elsewhere."""
    return matched, np.where(matched, scores, 0.0)


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return scores[0], scores[1] * boost


class _Segment:
    """Evaluates queries on one segment (local document numbers, deletions ignored)."""

    def __init__(self, searcher, context, lengths: LengthsFn) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self.context = context
        self.lengths = lengths
        self.size = self.reader.doc_count_all()

    def none(self) -> Scores:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size)

    def _dense(self, scores: dict[int, float]) -> Scores:
        matched, out = self.none()
        if scores:
            ids = np.fromiter(scores.keys(), np.int64, len(scores))
            matched[ids] = True
            out[ids] = np.fromiter(scores.values(), np.float64, len(scores))
        return matched, out

    def scores(self, q) -> Scores:
        kind = type(q)
        if kind is wq.Term:
            return self._term(q)
        if kind is Phrase and q.slop == 1:
            return self._phrase(q)
        if isinstance(q, wq.And):
            return self._and(q)
        if isinstance(q, wq.Or) and not q.scale and not q.minmatch:
            return self._or(q)
        if kind is wq.AndNot:
            matched, scores = self.scores(q.a)
            return _only(matched & ~self.docs(q.b), scores)
        if kind is wq.Require:
            matched, scores = self.scores(q.a)
            return _only(matched & self.docs(q.b), scores)
        if kind is wq.AndMaybe:
            matched, scores = self.scores(q.a)
            return _only(matched, scores + self.scores(q.b)[1])
        if kind is UnstemmedExpansion:
            return self._expansion(q)
        if kind is wq.NumericRange and q.constantscore:
            return self._range(q)
        return self._generic(q)

    def _range(self, q) -> Scores:
        """A numeric range (`year:[2018 TO 2020]`): every paper in it scores the range's boost,
        as Whoosh's collector scores it (ConstantScoreQuery; its matcher, asked for the
        current document as here, gave 1.0 to `year:[2005 TO 2010]^2`)."""
        found = np.zeros(self.size, dtype=bool)
        for leaf in q.simplify(self.reader).leaves():
            if type(leaf) is wq.Term:
                btexts = [leaf.text]
            elif type(leaf) is wq.TermRange:
                btexts = [btext for _field, btext in leaf.expanded_terms(self.reader)]
            else:
                return self._generic(q)
            for btext in btexts:
                if isinstance(btext, bytes) and (leaf.fieldname, btext) in self.reader:
                    for ids, _weights, _values in self._postings(leaf.fieldname, btext):
                        found[ids] = True
        return _only(found, np.float64(q.boost))

    def docs(self, q):
        """The documents matching q, unscored (the NOT and REQUIRE sides): a bool array."""
        if type(q) is wq.Term:
            found = np.zeros(self.size, dtype=bool)
            field = self._field(q.fieldname)
            try:
                btext = field.to_bytes(q.text) if field is not None else None
            except ValueError:
                btext = None
            if btext is not None and (q.fieldname, btext) in self.reader:
                for ids, _weights, _values in self._postings(q.fieldname, btext):
                    found[ids] = True
            return found
        if isinstance(q, wq.Or):
            found = np.zeros(self.size, dtype=bool)
            for sub in q.subqueries:
                found |= self.docs(sub)
            return found
        return self.scores(q)[0]

    def _expansion(self, q: UnstemmedExpansion) -> Scores:
        """A fuzzy/prefix word on a stemmed field: its stems, scored, in papers that hold one
        of the original words (as UnstemmedExpansion.matcher)."""
        words, stems = q.expand(self.reader)
        if not stems:
            return self.none()
        having = self.docs(wq.Or([wq.Term(q.lexicon, word) for word in words]))
        matched, scores = self.scores(
            wq.Or([wq.Term(q.fieldname, stem, boost=q.boost) for stem in stems])
        )
        return _only(matched & having, scores)

    # -- compound ------------------------------------------------------------------------

    def _and(self, q) -> Scores:
        parts = [self.scores(sub) for sub in q.subqueries]
        if not parts:
            return self.none()
        common = parts[0][0].copy()
        for matched, _scores in parts[1:]:
            common &= matched
        if not common.any():
            return self.none()
        # Summed pairwise as Whoosh's tree of intersection matchers would.
        return _boosted(
            _only(common, make_binary_tree(add, [scores for _m, scores in parts])), q.boost
        )

    def _or(self, q) -> Scores:
        parts = [part for part in (self.scores(sub) for sub in q.subqueries) if part[0].any()]
        if not parts:
            return self.none()
        return _boosted(make_binary_tree(_union, parts), q.boost)

    # -- leaves ----------------------------------------------------------------------------

    def _field(self, fieldname: str):
        try:
            return self.schema[fieldname]
        except KeyError:
            return None

    def _postings(self, fieldname: str, btext: bytes):
        """The term's (ids, weights) as numpy arrays (long lists kept decoded)."""
        reader = self.reader
        return postings_cache.shared.blocks(
            (reader.segment().segment_id(), fieldname, btext),
            reader.doc_frequency(fieldname, btext),
            lambda: term_postings(reader, fieldname, btext),
        )

    def _term_parts(self, q, fieldname: str, text) -> Scores | None:
        """The scores of one term, or None to fall back to Whoosh's matcher."""
        field = self._field(fieldname)
        if field is None:
            return self.none()
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return self.none()
        if (fieldname, btext) not in self.reader:
            return self.none()
        weighting = self.context.weighting
        scorer = weighting.scorer(self.searcher, fieldname, btext) if weighting else None
        if type(scorer) is not BM25FScorer or getattr(q, "minquality", None):
            return None
        boost = q.boost if isinstance(q, wq.Term) else 1.0
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1  # type: ignore[union-attr]
        lengths = np.frombuffer(self.lengths(self.reader, fieldname), dtype=np.uint8)
        matched, out = self.none()
        for ids, tf, _values in self._postings(fieldname, btext):
            fl = _LENGTHS[lengths[ids]]
            # whoosh.scoring.bm25, its operations in its order (the same float64 results).
            score = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
            if boost != 1.0:
                score = score * boost  # as Whoosh's WrappingMatcher applies a term's boost
            matched[ids] = True
            out[ids] = score
        return matched, out

    def _term(self, q) -> Scores:
        parts = self._term_parts(q, q.fieldname, q.text)
        return self._generic(q) if parts is None else parts

    def _phrase(self, q) -> Scores:
        field = self._field(q.fieldname)
        if field is None or not field.format or not field.format.supports("positions"):
            return self._generic(q)
        try:
            btexts = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return self.none()
        if not btexts or any((q.fieldname, btext) not in self.reader for btext in btexts):
            return self.none()
        # Positions first: the blocks decoded for them are kept for the scores too.
        positions = [term_positions(self.reader, q.fieldname, b, field.format) for b in btexts]
        parts: list[Scores] = []
        for word in q.words:
            part = self._term_parts(q, q.fieldname, word)
            if part is None:
                return self._generic(q)
            parts.append(part)
        common = parts[0][0].copy()
        for matched, _scores in parts[1:]:
            common &= matched
        if not common.any():
            return self.none()
        found = np.zeros(self.size, dtype=bool)
        found[phrase_docs(np.flatnonzero(common).tolist(), positions)] = True
        # The phrase scores as Whoosh's span matcher: its words' scores, summed over a binary
        # tree of intersections.
        total = make_binary_tree(add, [scores for _m, scores in parts])
        return _boosted(_only(found, total), q.boost)

    def _generic(self, q) -> Scores:
        """Whoosh's own matcher, document by document (what the collector would do)."""
        matcher = q.matcher(self.searcher, self.context)
        out: dict[int, float] = {}
        count = 0
        while matcher.is_active():
            out[matcher.id()] = matcher.score()
            matcher.next()
            count += 1
            if count % 16 == 0:  # as the collector: drop exhausted sub-matchers
                matcher = matcher.replace(0)
        return self._dense(out)


def evaluate(searcher, q, lengths: LengthsFn) -> tuple[Any, Any]:
    """(global document numbers, their scores) of every live document matching q, as numpy
    arrays in document order."""
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    docnums = [np.zeros(0, dtype=np.int64)]
    scores = [np.zeros(0)]
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        if reader.doc_count_all() == 0:
            continue
        matched, values = _Segment(subsearcher, context, lengths).scores(q)
        if reader.has_deletions():
            deleted = np.fromiter(reader.segment().deleted_docs(), np.int64)
            matched = matched.copy()
            matched[deleted[deleted < len(matched)]] = False
        found = np.flatnonzero(matched)
        docnums.append(found + offset)
        scores.append(values[found])
    return np.concatenate(docnums), np.concatenate(scores)
