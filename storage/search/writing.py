"""Writing the Whoosh index: its own random names, quiet GC for bulk work, the merge policy."""

from __future__ import annotations

import gc
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.util import IDCHARS

from storage.search.whoosh_compat import own_random_names

# Segments are merged by level (a log-structured policy, as Lucene's LogMergePolicy): a
# segment of n papers sits at level floor(log_MERGE_FACTOR(n)); when MERGE_FACTOR segments
# share a level they become one segment of the next. Each paper is rewritten about
# log_MERGE_FACTOR(N) times over its life, and fewer than MERGE_FACTOR segments stay per
# level: at most ~25 for 100k papers edited one at a time, usually far fewer.
MERGE_FACTOR = 4
# A commit merges at most this many papers on the caller's time (~1.5 ms each), so that
# one paper's edit stays under 200 ms on a big library; bigger merges run on a background
# thread right after (SearchIndex._merge_in_background) or within a bulk write.
FOREGROUND_MERGE_DOCS = 60


def random_name(size: int = 28) -> str:
    """A file name part from the OS's random source (Whoosh's segment ids, temp and job
    files): Whoosh uses the global `random`, which a random.seed() anywhere in the process
    rewinds, so two commits could pick the same segment name."""
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


own_random_names(random_name)


@contextmanager
def quiet_gc(enabled: bool = True) -> Iterator[None]:
    """No cyclic garbage collection while a bulk write holds millions of live postings.

    Whoosh keeps every posting of a segment as a tuple until it is sorted and written; the
    collector would walk all of them again and again (a third of a big import's time).
    Reference counting still frees everything; cycles wait until the block ends.
    """
    if not enabled or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def level(doc_count: int) -> int:
    """A segment's level: 0 below MERGE_FACTOR papers, +1 for every factor of MERGE_FACTOR."""
    n, result = max(1, doc_count), 0
    while n >= MERGE_FACTOR:
        n //= MERGE_FACTOR
        result += 1
    return result


def choose_merge(segments: list, budget: int | None, incoming: int = 1) -> tuple[list, bool]:
    """(segments to merge now, whether a merge beyond budget is due).

    Levels are taken smallest first: a level merges once it holds MERGE_FACTOR segments,
    counting the `incoming` segment that the writer is making (a commit's own documents,
    or the result of merging the levels below).
    """
    by_level: dict[int, list] = {}
    for segment in segments:
        by_level.setdefault(level(segment.doc_count_all()), []).append(segment)
    chosen: list = []
    carried = 0
    for lvl in sorted(by_level):
        group = by_level[lvl]
        if len(group) + (1 if incoming or chosen else 0) < MERGE_FACTOR:
            break
        size = sum(s.doc_count_all() for s in group)
        if budget is not None and carried + size > budget:
            return chosen, True
        chosen.extend(group)
        carried += size
    return chosen, False


def merge_policy(budget: int | None, incoming: int = 1):
    """A Whoosh mergetype merging what choose_merge picks into the segment being written
    (incoming=0: a merge-only commit, which writes no documents of its own)."""

    def policy(writer, segments):
        from whoosh.reading import SegmentReader

        doomed, _later = choose_merge(list(segments), budget, incoming)
        if len(doomed) < 2 and not (doomed and writer.doc_count()):
            return segments
        for segment in doomed:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        return [s for s in segments if s not in doomed]

    return policy
