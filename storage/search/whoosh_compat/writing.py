"""The write side of whoosh_compat: a leaner segment writer and what the workers build.

Grouped postings and lengths in memory, Whoosh's random names, the positions encoding."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from whoosh import multiproc
from whoosh.codec import base as codec_base
from whoosh.codec import whoosh3
from whoosh.filedb import filestore
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from storage.search.postings_pool import GroupedPool
from storage.search.whoosh_compat import state
from storage.search.whoosh_compat.state import _fast


def encode_positions(deltas: list[int]) -> bytes:
    """formats.Positions().encode() of positions given as deltas (fast path only: called for
    every term of every paper, so it is not counted)."""
    return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


def read_lengths(pdr, fieldname: str) -> bytes | None:
    """A per-document reader's length bytes of one field (one a document; trailing zeros
    left out), or None when it keeps no lengths for the field (fast path only)."""
    name = whoosh3._lenfield(fieldname)
    if not pdr.has_column(name):
        return None
    colfile, offset, length = pdr._get_column_file(name)
    try:
        return bytes(colfile.get(offset, length)) if length else b""
    finally:
        colfile.close()


# A length byte's length, as W3PerDocReader gives it (None for a byte of 0).
_LENGTHS: list[int | None] = [None] + [byte_to_length(byte) for byte in range(1, 256)]


class _SegmentLengths:
    """Field lengths of the segment being written, read once into memory: Whoosh's own
    per-document reader seeks and reads one byte of the column file for every posting it
    writes (and stat()s the file for fields without lengths). A field's spelling words (a
    posting of document 0 each, as Whoosh 2.7.5 pools them) are written as any others."""

    def __init__(self, pdr) -> None:
        self._pdr = pdr
        self._data: dict[str, bytes | None] = {}

    def lengths_of(self, fieldname: str) -> list[int | None] | None:
        """W3PerDocReader.doc_field_length(docnum, fieldname) for every document number, or
        None when the field keeps no lengths (every posting's length is then 0)."""
        if fieldname not in self._data:
            self._data[fieldname] = read_lengths(self._pdr, fieldname)
        data = self._data[fieldname]
        return None if data is None else [_LENGTHS[byte] for byte in data]


class FastSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with its postings grouped by term (postings_pool) and in-memory
    field lengths when they are written."""

    def __init__(self, ix, *args, limitmb: float = 128, **kwargs) -> None:
        # Not super(): while lean_workers() lasts, MpWriter.__init__ calls this one too (it
        # names SegmentWriter through whoosh.multiproc); such a writer keeps Whoosh's pool.
        SegmentWriter.__init__(self, ix, *args, limitmb=limitmb, **kwargs)
        if isinstance(self, FastSegmentWriter):
            self.pool = GroupedPool(self._tempstorage, limitmb, lambda: codec_base.random_name())

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            lengths = _SegmentLengths(pdr) if pdr is not None else None
            write_terms(self.fieldwriter, self.schema, lengths, self.pool.iter_terms())
            self.fieldwriter.close()
        finally:
            if pdr is not None:
                pdr.close()


def write_terms(fieldwriter, schema, lengths: _SegmentLengths | None, terms) -> None:
    """fieldwriter.add_postings(schema, lengths, postings) for postings grouped by term
    ((field, term), postings in document order), a block at a time: Whoosh's own loop makes
    five calls and a dozen checks for every posting, half of an index worker's time."""
    lastfield = None
    table: list[int | None] | None = None
    for (fieldname, btext), postings in terms:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfield = fieldname
            table = lengths.lengths_of(fieldname) if lengths is not None else None
        fieldwriter.start_term(btext)
        _add_postings(fieldwriter._postwriter, postings, table)
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()


def _add_postings(writer, postings: list, table: list[int | None] | None) -> None:
    """W3PostingsWriter.add_posting(docnum, weight, value, length) for each posting, done a
    block at a time with the same statistics (largest weight, smallest and largest length)."""
    limit = writer._blocklimit
    for start in range(0, len(postings), limit):
        if len(writer._ids) >= limit:
            writer._write_block()
        block = postings[start : start + limit]
        ids = [posting[2] for posting in block]
        weights = [posting[3] for posting in block]
        writer._ids.extend(ids)
        writer._weights.extend(weights)
        top = max(weights)
        if top > writer._maxweight:
            writer._maxweight = top
        values = [posting[4] for posting in block if posting[4]]
        if values:
            writer._values.extend(values)
        if table is None:
            continue
        size = len(table)
        known = [length for length in (table[i] if i < size else None for i in ids) if length]
        if known:
            low, high = min(known), max(known)
            if writer._minlength is None or low < writer._minlength:
                writer._minlength = low
            if high > writer._maxlength:
                writer._maxlength = high


def segment_writer(ix, **kwargs) -> SegmentWriter:
    """A writer on ix for a caller that holds the index's write lock itself (Whoosh's `_lk`
    argument: its writer would otherwise try to take the lock again)."""
    cls = FastSegmentWriter if _fast("segment_writer") else SegmentWriter
    return cls(ix, _lk=False, **kwargs)


def lean_workers():
    """While it lasts, MpWriter's worker processes write as FastSegmentWriter (they are
    forked later, and build their writer from whatever whoosh.multiproc names then)."""
    return _lean() if state.FAST else nullcontext()


@contextmanager
def _lean() -> Iterator[None]:
    saved = multiproc.SegmentWriter
    multiproc.SegmentWriter = FastSegmentWriter
    try:
        yield
    finally:
        multiproc.SegmentWriter = saved


def own_random_names(random_name: Callable[..., str]) -> None:
    """Make Whoosh name segments, temp folders and job files with random_name (it uses the
    global `random`, which a random.seed() anywhere in the process rewinds)."""
    for module in (codec_base, filestore, multiproc):
        if hasattr(module, "random_name"):
            module.random_name = random_name
