"""Set-at-a-time query evaluation: Whoosh's own BM25F scores, without its per-document matchers.

Whoosh walks a query as a tree of Python matcher objects, one document at a time: on 100k
papers a common word (a union over six fields, ~50k matches) costs ~250 ms, most of it in
that tree. Here each term's postings are read a block at a time (whoosh_compat.term_postings:
ids, weights, positions) and scored with Whoosh's bm25() through small per-term tables, so
the per-posting work runs in C (map, zip, dict.update); unions, intersections and
exclusions are dict and set operations. Terms, AND, OR, AND NOT, REQUIRE, AND MAYBE,
phrases (positions checked only on documents that have every word) and the fuzzy/prefix
expansions of stemmed fields are evaluated this way; any other query (prefix and fuzzy
terms on unstemmed fields, ranges, NOT alone, ...) falls back to Whoosh's matcher for that
part alone. Scores equal Whoosh's up to floating-point summation order.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import getitem

from whoosh import query as wq
from whoosh.query.positional import Phrase
from whoosh.scoring import BM25FScorer, bm25
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

from storage.search import postings_cache
from storage.search.phrases import phrase_docs, term_positions
from storage.search.query import UnstemmedExpansion
from storage.search.whoosh_compat import term_postings

Scores = dict[int, float]
_SUMS: dict[int, Callable[..., float]] = {
    1: lambda a: a,
    2: lambda a, b: a + b,
    3: lambda a, b, c: a + (b + c),
}
LengthsFn = Callable[[object, str], bytes]  # (segment reader, field) -> a length byte per doc


class _Row(dict):
    """Length byte -> score of one term at one weight (computed on first use)."""

    def __init__(self, idf: float, weight: float, avgfl: float, b: float, k1: float, boost: float):
        super().__init__()
        self.args = (idf, weight, avgfl, b, k1, boost)

    def __missing__(self, lbyte: int) -> float:
        idf, weight, avgfl, b, k1, boost = self.args
        score = bm25(idf, weight, byte_to_length(lbyte), avgfl, b, k1)
        if boost != 1.0:
            score = score * boost  # as Whoosh's WrappingMatcher applies a term's boost
        self[lbyte] = score
        return score


class _Rows(dict):
    """Weight -> _Row for one term."""

    def __init__(self, scorer: BM25FScorer, boost: float):
        super().__init__()
        self.args = (scorer.idf, scorer.avgfl, scorer.B, scorer.K1, boost)

    def __missing__(self, weight: float) -> _Row:
        idf, avgfl, b, k1, boost = self.args
        row = self[weight] = _Row(idf, weight, avgfl, b, k1, boost)
        return row


def _union(a: Scores, b: Scores) -> Scores:
    if len(a) < len(b):
        a, b = b, a  # addition is commutative: the sums come out the same
    out = dict(a)
    get = out.get
    for docnum, score in b.items():
        other = get(docnum)
        out[docnum] = score if other is None else other + score
    return out


def _intersection(a: Scores, b: Scores) -> Scores:
    return {docnum: a[docnum] + b[docnum] for docnum in a.keys() & b.keys()}


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}


class _Segment:
    """Evaluates queries on one segment (local document numbers, deletions ignored)."""

    def __init__(self, searcher, context, lengths: LengthsFn) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self.context = context
        self.lengths = lengths

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
            excluded = self.docs(q.b)
            return {d: s for d, s in self.scores(q.a).items() if d not in excluded}
        if kind is wq.Require:
            required = self.docs(q.b)
            return {d: s for d, s in self.scores(q.a).items() if d in required}
        if kind is wq.AndMaybe:
            optional = self.scores(q.b)
            return {d: s + optional[d] if d in optional else s for d, s in self.scores(q.a).items()}
        if kind is UnstemmedExpansion:
            return self._expansion(q)
        if kind is wq.NumericRange and q.constantscore:
            return self._range(q)
        return self._generic(q)

    def _range(self, q) -> Scores:
        """A numeric range (`year:[2018 TO 2020]`): every paper in it scores the range's boost,
        as Whoosh's collector scores it (ConstantScoreQuery; its matcher, asked for the
        current document as here, gave 1.0 to `year:[2005 TO 2010]^2`)."""
        found: set[int] = set()
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
                        found.update(ids)
        return dict.fromkeys(found, q.boost)

    def docs(self, q) -> set[int]:
        """The documents matching q, unscored (the NOT and REQUIRE sides)."""
        if type(q) is wq.Term:
            field = self._field(q.fieldname)
            try:
                btext = field.to_bytes(q.text) if field is not None else None
            except ValueError:
                btext = None
            if btext is None or (q.fieldname, btext) not in self.reader:
                return set()
            found: set[int] = set()
            for ids, _weights, _values in self._postings(q.fieldname, btext):
                found.update(ids)
            return found
        if isinstance(q, wq.Or):
            found = set()
            for sub in q.subqueries:
                found |= self.docs(sub)
            return found
        return set(self.scores(q))

    def _expansion(self, q: UnstemmedExpansion) -> Scores:
        """A fuzzy/prefix word on a stemmed field: its stems, scored, in papers that hold one
        of the original words (as UnstemmedExpansion.matcher)."""
        words, stems = q.expand(self.reader)
        if not stems:
            return {}
        having = self.docs(wq.Or([wq.Term(q.lexicon, word) for word in words]))
        scored = self.scores(wq.Or([wq.Term(q.fieldname, stem, boost=q.boost) for stem in stems]))
        return {d: s for d, s in scored.items() if d in having}

    # -- compound ------------------------------------------------------------------------

    def _and(self, q) -> Scores:
        parts = [self.scores(sub) for sub in q.subqueries]
        if not parts:
            return {}
        smallest: Scores = min(parts, key=len)
        common = set(smallest)
        for part in parts:
            common.intersection_update(part.keys())
            if not common:
                return {}
        # Summed pairwise as Whoosh's tree of intersection matchers would.
        trimmed = [{d: part[d] for d in common} for part in parts]
        return _boosted(make_binary_tree(_intersection, trimmed), q.boost)

    def _or(self, q) -> Scores:
        parts = [part for part in (self.scores(sub) for sub in q.subqueries) if part]
        if not parts:
            return {}
        return _boosted(make_binary_tree(_union, parts), q.boost)

    # -- leaves ----------------------------------------------------------------------------

    def _field(self, fieldname: str):
        try:
            return self.schema[fieldname]
        except KeyError:
            return None

    def _postings(self, fieldname: str, btext: bytes):
        """The term's (ids, weights) blocks here (long lists kept decoded: postings_cache)."""
        reader = self.reader
        return postings_cache.shared.blocks(
            (reader.segment().segment_id(), fieldname, btext),
            reader.doc_frequency(fieldname, btext),
            lambda: term_postings(reader, fieldname, btext),
        )

    def _term_parts(self, q, fieldname: str, text) -> tuple[Scores, bytes] | None:
        """(scores, term bytes) of one term, or None to fall back to Whoosh's matcher."""
        field = self._field(fieldname)
        if field is None:
            return {}, b""
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return {}, b""
        if (fieldname, btext) not in self.reader:
            return {}, btext
        weighting = self.context.weighting
        scorer = weighting.scorer(self.searcher, fieldname, btext) if weighting else None
        if type(scorer) is not BM25FScorer or getattr(q, "minquality", None):
            return None
        rows = _Rows(scorer, q.boost if isinstance(q, wq.Term) else 1.0)
        lengths = self.lengths(self.reader, fieldname)
        out: Scores = {}
        for ids, weights, _values in self._postings(fieldname, btext):
            lbytes = map(lengths.__getitem__, ids)
            if isinstance(weights, float):
                out.update(zip(ids, map(rows[weights].__getitem__, lbytes), strict=True))
            else:
                out.update(
                    zip(ids, map(getitem, map(rows.__getitem__, weights), lbytes), strict=True)
                )
        return out, btext

    def _term(self, q) -> Scores:
        parts = self._term_parts(q, q.fieldname, q.text)
        return self._generic(q) if parts is None else parts[0]

    def _phrase(self, q) -> Scores:
        field = self._field(q.fieldname)
        if field is None or not field.format or not field.format.supports("positions"):
            return self._generic(q)
        try:
            btexts = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return {}
        if not btexts or any((q.fieldname, btext) not in self.reader for btext in btexts):
            return {}
        # Positions first: the blocks decoded for them are kept for the scores too.
        positions = [term_positions(self.reader, q.fieldname, b, field.format) for b in btexts]
        parts: list[Scores] = []
        for word in q.words:
            part = self._term_parts(q, q.fieldname, word)
            if part is None:
                return self._generic(q)
            parts.append(part[0])
        smallest: Scores = min(parts, key=len)
        common = set(smallest)
        for scores in parts:
            common.intersection_update(scores.keys())
        if not common:
            return {}
        # The phrase scores as Whoosh's span matcher: its words' scores, summed over a binary
        # tree of intersections.
        total = _SUMS.get(len(parts)) or (lambda *v: make_binary_tree(float.__add__, list(v)))
        docs = phrase_docs(sorted(common), positions)
        return _boosted({d: total(*(s[d] for s in parts)) for d in docs}, q.boost)

    def _generic(self, q) -> Scores:
        """Whoosh's own matcher, document by document (what the collector would do)."""
        matcher = q.matcher(self.searcher, self.context)
        out: Scores = {}
        count = 0
        while matcher.is_active():
            out[matcher.id()] = matcher.score()
            matcher.next()
            count += 1
            if count % 16 == 0:  # as the collector: drop exhausted sub-matchers
                matcher = matcher.replace(0)
        return out


def evaluate(searcher, q, lengths: LengthsFn) -> Scores:
    """{global document number: score} of every live document matching q."""
    context = searcher.context(needs_current=True, weighting=searcher.weighting)
    out: Scores = {}
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        if reader.doc_count_all() == 0:
            continue
        scores = _Segment(subsearcher, context, lengths).scores(q)
        if reader.has_deletions():
            deleted = set(reader.segment().deleted_docs())
            scores = {d: s for d, s in scores.items() if d not in deleted}
        if offset:
            scores = {d + offset: s for d, s in scores.items()}
        out.update(scores)
    return out
