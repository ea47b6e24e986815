"""Running a parsed query on a Whoosh searcher: exact totals, and a fast path for a few papers."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from whoosh import collectors

if TYPE_CHECKING:  # fast.py loads numpy: the command line starts without it
    from storage.search.fast import LengthsFn

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
        from storage.search.fast import evaluate

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
    found: tuple[Any, Any], limit: int | None, allowed: Collection[int] | None = None
) -> tuple[int, list[tuple[float, int]]]:
    """(count, best `limit` as (score, docnum)) of (docnums, scores) arrays, in Whoosh's
    order: highest score first, the lower document number on a tie."""
    import numpy as np

    docnums, scores = found
    if allowed is not None:
        keep = np.isin(docnums, np.fromiter(allowed, np.int64, len(allowed)))
        docnums, scores = docnums[keep], scores[keep]
    count = len(docnums)
    if limit is not None and limit < count:
        # The limit-th best score, then every hit at least as good (ties included).
        floor = np.partition(scores, count - limit)[count - limit]
        keep = scores >= floor
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[:limit]
    return count, list(zip(scores[order].tolist(), docnums[order].tolist(), strict=True))


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
