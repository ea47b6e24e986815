"""Running a parsed query on a Whoosh searcher: exact totals, and a fast path for a few papers."""

from __future__ import annotations

import heapq
from collections.abc import Collection
from operator import itemgetter

from whoosh import collectors

from storage.search.fast import LengthsFn, evaluate

# Up to this many allowed documents, a restricted search skips straight to each of them
# instead of walking every posting of the query's terms and filtering.
FEW_DOCS = 64


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
        return ranked(evaluate(searcher, q, lengths), limit, allowed)
    # Whoosh's own matchers (the yardstick of the tests): every match collected, so that the
    # total counts them all (its top-N collector skips sub-queries that cannot reach the top
    # N, and the papers only they match with them).
    collector = collectors.UnlimitedCollector()
    if allowed is not None:
        collector = collectors.FilterCollector(collector, allowed)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    top = list(results.top_n)
    return len(results), top if limit is None else top[:limit]


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
