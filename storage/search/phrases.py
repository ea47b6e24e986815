"""Phrase matching in numpy: each word's positions decoded once per segment, kept for the next.

A phrase used to decode the positions of its words one document at a time (a pickle per
document and word) and intersect them in Python sets: ~4 us a document, so a phrase of two
common words over 100k abstracts (33k documents with both) took 150-200 ms. Here a word's
positions in every document of a segment are decoded in one call into three arrays (its
documents, where each one's positions start, the positions), kept in postings_cache while
they are worth it; a phrase is then an intersection of (document, start) keys in numpy.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from storage.search import postings_cache
from storage.search.whoosh_compat import position_deltas, term_postings

Arrays = tuple[Any, Any, Any]  # document numbers (sorted), offsets (one more), positions


def term_positions(reader, fieldname: str, btext: bytes, fmt) -> Arrays:
    """(documents, offsets, positions) of one term in one segment reader: the positions of
    documents[i] are positions[offsets[i]:offsets[i + 1]]."""

    def build() -> tuple[Arrays, int]:
        import numpy as np  # not at import time: the command line starts without it

        ids: list[int] = []
        values: list[bytes] = []
        blocks = list(term_postings(reader, fieldname, btext, True))
        for block_ids, _weights, block_values in blocks:
            ids.extend(block_ids)
            values.extend(block_values)
        # The scores come from the same blocks: decoded once (a phrase's words are read twice).
        postings_cache.shared.offer_blocks((segment, fieldname, btext), frequency, blocks)
        deltas = position_deltas(fmt, values)
        lengths = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
        offsets = np.zeros(len(deltas) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(offsets[-1]))
        sums = np.cumsum(flat)
        before = np.concatenate(([0], sums))[offsets[:-1]]  # the running sum at each start
        positions = (sums - np.repeat(before, lengths)).astype(np.int32)
        docs = np.array(ids, dtype=np.int64)
        return (docs, offsets, positions), docs.nbytes + offsets.nbytes + positions.nbytes

    segment = reader.segment().segment_id()
    frequency = reader.doc_frequency(fieldname, btext)
    return postings_cache.shared.kept((segment, fieldname, btext, "positions"), frequency, build)


def phrase_docs(common: list[int], words: list[Arrays]) -> list[int]:
    """The documents of common (sorted; each in every word's arrays) in which the words
    follow one another: keys (index in common, where the phrase would start) intersected."""
    import numpy as np

    wanted = np.array(common, dtype=np.int64)
    for docs, _offsets, _positions in words:  # (a deleted document may be left out of one)
        wanted = np.intersect1d(wanted, docs, assume_unique=True)
    keys = None
    for i, (docs, offsets, positions) in enumerate(words):
        at = np.searchsorted(docs, wanted)
        starts, counts = offsets[at], offsets[at + 1] - offsets[at]
        # The positions of the wanted documents, one after another.
        shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        mine = positions[np.arange(int(counts.sum()), dtype=np.int64) + shift].astype(np.int64) - i
        index = np.repeat(np.arange(len(wanted), dtype=np.int64), counts)
        found = ((index << 32) + mine)[mine >= 0]
        keys = found if keys is None else np.intersect1d(keys, found, assume_unique=True)
        if not len(keys):
            return []
    assert keys is not None
    return wanted[np.unique(keys >> 32)].tolist()
