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


class _SegmentLengths:
    """Field lengths of the segment being written, read once into memory: Whoosh's own
    per-document reader seeks and reads one byte of the column file for every posting it
    writes (and stat()s the file for fields without lengths)."""

    def __init__(self, pdr) -> None:
        self._pdr = pdr
        self._data: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        try:
            data = self._data[fieldname]
        except KeyError:
            data = self._data[fieldname] = read_lengths(self._pdr, fieldname)
        if data is None:
            return default
        # As W3PerDocReader: a length byte of 0 (or past the end of the column) gives None.
        lbyte = data[docnum] if docnum < len(data) else 0
        return byte_to_length(lbyte) if lbyte else None


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
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            self.fieldwriter.close()
        finally:
            if pdr is not None:
                pdr.close()


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
