"""The read side of whoosh_compat: posting blocks, positions, lengths, expansions, file names."""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Callable, Iterator
from io import BytesIO
from itertools import accumulate
from typing import Any

from whoosh.codec import whoosh3
from whoosh.formats import Positions
from whoosh.index import TOC
from whoosh.reading import SegmentReader
from whoosh.util.numeric import length_to_byte

from storage.search.whoosh_compat import state
from storage.search.whoosh_compat.state import _fast, _slipped
from storage.search.whoosh_compat.writing import read_lengths

_INT = struct.Struct("!i")  # a postings block's length (negative for the last block)

Block = tuple[list[int], Any, Any]  # ids, weights (a list, or one float), values (or None)


def term_postings(reader, fieldname: str, btext: bytes, values: bool = False) -> Iterator[Block]:
    """(ids, weights or one weight for all, encoded positions or None) for each block of
    one term's postings in one segment reader (deleted documents may be among the ids)."""
    if _fast("term_postings"):
        terms = getattr(reader, "_terms", None)
        postfile = getattr(terms, "_postfile", None)
        if isinstance(terms, whoosh3.W3TermsReader) and postfile is not None:
            info = terms.term_info(fieldname, btext)
            # W3FieldWriter inlines posting lists shorter than its inlinelimit (1): never.
            if not info.is_inlined():
                return _raw_blocks(postfile, info, values)
        _slipped("term_postings")
    return _public_blocks(reader, fieldname, btext, values)


def _raw_blocks(postfile, info, values: bool) -> Iterator[Block]:
    """The term's whole posting list read at once; its blocks decoded as W3LeafMatcher does."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it in a 1-tuple
        (length,) = length
    buf = postfile.get(offset, length)
    if buf[:4] != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise ValueError("unknown postings block header")
    stream = BytesIO(buf)
    position = 4
    while position < length:
        (size,) = _INT.unpack_from(buf, position)
        end = position + 4 + abs(size)
        if end > len(buf):
            raise ValueError("postings block beyond the term's extent")
        stream.seek(position + 4)
        compression = pickle.load(stream)[3]
        data = buf[stream.tell() : end]
        raw_ids, weights, vals = pickle.loads(zlib.decompress(data) if compression else data)
        yield (
            list(accumulate(raw_ids)),
            1.0 if weights is None else weights,
            (vals if values else None),
        )
        if size < 0:
            break
        position = end


def _public_blocks(reader, fieldname: str, btext: bytes, values: bool) -> Iterator[Block]:
    matcher = reader.postings(fieldname, btext)
    ids: list[int] = []
    weights: list[float] = []
    vals: list | None = [] if values else None
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if vals is not None:
            vals.append(matcher.value())
        matcher.next()
    if ids:
        yield ids, weights, vals


def position_deltas(fmt, values: list[bytes]) -> list[list[int]]:
    """Each posting value's positions as deltas (the first from 0), for many postings at once.

    On the fast path a Positions value is a 4-byte count and a protocol-2 pickle of the list
    of deltas (its STOP sometimes left off): the pickles' bodies, between one MARK and one
    LIST opcode, make a single pickle of the list of lists, unpickled in one call.
    """
    if type(fmt) is Positions and _fast("position_deltas"):
        body = b"".join([v[6:-1] if v[-1:] == b"." else v[6:] for v in values])
        return pickle.loads(b"\x80\x02(" + body + b"l.")
    found = []
    for value in values:
        positions = list(fmt.decode_positions(value))
        found.append([b - a for a, b in zip([0, *positions], positions, strict=False)])
    return found


def field_lengths(reader: SegmentReader, fieldname: str) -> bytes:
    """A length byte per document of one field in one segment (0: none)."""
    count = reader.doc_count_all()
    if _fast("field_lengths"):
        perdoc = getattr(reader, "_perdoc", None)
        if isinstance(perdoc, whoosh3.W3PerDocReader):
            data = read_lengths(perdoc, fieldname) or b""
            return data + bytes(count - len(data))
        _slipped("field_lengths")
    length = reader.doc_field_length
    return bytes(length_to_byte(length(docnum, fieldname, 0) or 0) for docnum in range(count))


def expanded_words(q, reader) -> list:
    """The terms (bytes or str) a multi-term query (prefix, wildcard, fuzzy) expands to."""
    if _fast("expanded_words"):
        return list(q._btexts(reader))
    return [text for _field, text in q.expanded_terms(reader)]


def install_terms_within(walk: Callable) -> None:
    """Have SegmentReader.terms_within (fuzzy expansion) run walk(reader, field, text, maxdist,
    prefix) on the fast path; Whoosh's own walk otherwise."""
    own = getattr(SegmentReader.terms_within, "__wrapped__", SegmentReader.terms_within)

    def terms_within(self, fieldname, text, maxdist, prefix=0):
        if _fast("terms_within"):
            return walk(self, fieldname, text, maxdist, prefix)
        return own(self, fieldname, text, maxdist, prefix)

    terms_within.__wrapped__ = own  # type: ignore[attr-defined]
    SegmentReader.terms_within = terms_within


def index_segments(ix) -> list:
    """The segments of an index's latest generation."""
    return list(TOC.read(ix.storage, ix.indexname).segments)


def live_file_names(names: list[str], indexname: str, generation: int, segment_ids) -> list[str]:
    """Of the file names in an index folder, the generation's table of contents and every
    file of the given segments (the TOC first, then the others in the order given)."""
    wanted = set(segment_ids)
    if _fast("live_file_names"):
        pattern = TOC._segment_pattern(indexname)
        found = [n for n in names if (m := pattern.match(n)) and m.group(1) in wanted]
        return [TOC._filename(indexname, generation), *found]
    toc = f"_{indexname}_{generation}.toc"  # as whoosh.index.TOC names it
    return [toc] + [n for n in names if n.split(".", 1)[0] in wanted and "." in n]


def stem(stemmer, text: str) -> str:
    """What a StemFilter makes of one word (its cache on the fast path)."""
    return stemmer._stem(text) if state.FAST else stemmer.stemfn(text)
