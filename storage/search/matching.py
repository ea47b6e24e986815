"""Running a parsed query on a Whoosh searcher: exact totals, and a fast path for a few papers."""

from __future__ import annotations

import heapq
from collections.abc import Collection
from operator import itemgetter

from whoosh import collectors

from storage.search.fast import LengthsFn, Unsupported, evaluate

# Up to this many allowed documents, a restricted search skips straight to each of them
# instead of walking every posting of the query's terms and filtering.
FEW_DOCS = 64


class _CountingTopCollector(collectors.TopCollector):
    """Whoosh's top-N collector without its score-based pruning: it counts every match.

    Every few documents Whoosh's collector replaces its matcher with a simpler one; once
    the top N are full, the replacement also drops sub-queries that cannot beat the N-th
    best score. The ranking stays right, but the documents skipped are never counted: on
    10k papers `retrieval` reported 1,996 matches instead of 5,023. Forgetting the
    minimum score after each document keeps the replacements to what is free (exhausted
    sub-matchers go away), which matters: a term searched in six fields is a tree of
    unions, and without any replacing, walking it costs four times as much.
    """

    def _collect(self, global_docnum: int, score: float):
        result = super()._collect(global_docnum, score)
        self.minscore = None
        return result


def top_docs(
    searcher,
    q,
    limit: int | None,
    allowed: Collection[int] | None = None,
    lengths: LengthsFn | None = None,
) -> tuple[int, list[tuple[float, int]]]:
    """(how many documents match, the best `limit` as (score, docnum), best first).

    allowed, when given, holds the only document numbers that may match. With lengths
    (field length bytes per segment), the query is evaluated set-at-a-time (fast.py).
    """
    if allowed is not None and len(allowed) <= FEW_DOCS:
        return _score_few(searcher, q, sorted(allowed), limit)
    if lengths is not None:
        try:
            scores = evaluate(searcher, q, lengths)
        except Unsupported:
            pass
        else:
            return ranked(scores, limit, allowed)
    if not limit or limit >= searcher.doc_count():
        collector = collectors.UnlimitedCollector()
    else:
        collector = _CountingTopCollector(limit, usequality=False)
    if allowed is not None:
        collector = collectors.FilterCollector(collector, allowed)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return len(results), list(results.top_n)


def ranked(
    scores: dict[int, float], limit: int | None, allowed: Collection[int] | None = None
) -> tuple[int, list[tuple[float, int]]]:
    """(count, best `limit` as (score, docnum)) in Whoosh's order: score, then docnum."""
    if allowed is not None:
        scores = {d: s for d, s in scores.items() if d in allowed}
    if limit is None or limit >= len(scores):
        best = sorted(scores.items())  # by docnum, then (stable) by score, highest first
        best.sort(key=itemgetter(1), reverse=True)
    else:
        # The limit-th best score, then every hit at least as good (ties included), in order.
        floor = heapq.nlargest(limit, scores.values())[-1]
        best = sorted((d, s) for d, s in scores.items() if s >= floor)
        best.sort(key=itemgetter(1), reverse=True)
        del best[limit:]
    return len(scores), [(score, docnum) for docnum, score in best]


def _score_few(
    searcher, q, docnums: list[int], limit: int | None
) -> tuple[int, list[tuple[float, int]]]:
    """Score a few documents by skipping to each: O(k log n), not O(postings)."""
    context = searcher.context(weighting=searcher.weighting)
    found: list[tuple[float, int]] = []
    position = 0
    for subsearcher, offset in searcher.leaf_searchers():
        end = offset + subsearcher.doc_count_all()
        local = []
        while position < len(docnums) and docnums[position] < end:
            local.append(docnums[position] - offset)
            position += 1
        if not local:
            continue
        matcher = q.matcher(subsearcher, context)
        for docnum in local:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found.append((matcher.score(), docnum + offset))
    # As Whoosh orders hits: best score first, the lower document number on a tie.
    found.sort(key=lambda hit: (-hit[0], hit[1]))
    return len(found), found if limit is None else found[:limit]
