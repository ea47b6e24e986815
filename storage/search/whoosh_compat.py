"""Every touch of Whoosh's private internals, used only on the version it was written for.

The fast paths of storage.search read Whoosh-Reloaded's files and objects directly: posting
blocks (their pickled header and zlib data), a segment's length column, the writer's flush,
the worker processes of its MpWriter, table-of-contents file names, the stemmer's cache.
They were written against WRITTEN_FOR; on any other version (or when one of the private
names is missing) FAST is False and each function below does the same through Whoosh's
public API: slower, never different. `calls` counts which way each one went, so a test can
tell that the fast paths really ran (and that none slipped to the public one).
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from io import BytesIO
from itertools import accumulate
from typing import Any

import whoosh
from whoosh import multiproc
from whoosh.codec import base as codec_base
from whoosh.codec import whoosh3
from whoosh.filedb import filestore
from whoosh.formats import Positions
from whoosh.index import TOC
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from storage.search.postings_pool import GroupedPool

__all__ = [
    "FAST",
    "PROBLEMS",
    "WRITTEN_FOR",
    "HookedMpWriter",
    "HookedTask",
    "calls",
    "encode_positions",
    "expanded_words",
    "field_lengths",
    "index_segments",
    "install_terms_within",
    "lean_workers",
    "live_file_names",
    "own_random_names",
    "positions_decoder",
    "segment_writer",
    "stem",
    "term_postings",
    "workers_allowed",
]

WRITTEN_FOR = (2, 7, 5)

# Names the fast paths use; a class attribute missing here turns them all off.
_NEEDED = (
    (SegmentWriter, "_flush_segment"),
    (SegmentWriter, "add_document"),
    (MpWriter, "_enqueue"),
    (MpWriter, "_new_task"),
    (MpWriter, "_commit_toc"),
    (SubWriterTask, "_process_file"),
    (TOC, "_filename"),
    (TOC, "_segment_pattern"),
    (whoosh3.W3PerDocReader, "_get_column_file"),
    (whoosh3, "_lenfield"),
    (whoosh3, "W3TermsReader"),
    (whoosh3, "WHOOSH3_HEADER_MAGIC"),
    (multiproc, "SegmentWriter"),
)


def _problems() -> list[str]:
    found = []
    version = tuple(whoosh.__version__[:3])
    if version != WRITTEN_FOR:
        found.append(
            f"Whoosh {'.'.join(map(str, version))} is installed; the fast paths were "
            f"written for {'.'.join(map(str, WRITTEN_FOR))}"
        )
    for owner, name in _NEEDED:
        if not hasattr(owner, name):
            found.append(f"{getattr(owner, '__name__', owner)}.{name} is missing")
    return found


PROBLEMS: list[str] = _problems()  # why the fast paths are off; empty when they are on
FAST: bool = not PROBLEMS  # tests set it False to run everything through the public API
calls: Counter[str] = Counter()  # "name" (fast), "name:public", "name:slipped" (fast failed)


def _fast(name: str) -> bool:
    if FAST:
        calls[name] += 1
        return True
    calls[name + ":public"] += 1
    return False


def _slipped(name: str) -> None:
    calls[name + ":slipped"] += 1


# -- reading -----------------------------------------------------------------------------

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


def positions_decoder(fmt) -> Callable[[bytes], Iterator[int]]:
    """A function giving the positions in one posting's value of a field of format fmt."""
    if type(fmt) is Positions and _fast("positions_decoder"):
        return _decode_positions
    return lambda value: iter(fmt.decode_positions(value))


def _decode_positions(value: bytes) -> Iterator[int]:
    """formats.Positions.decode_positions, with the running sum taken in C (an iterator)."""
    if not value.endswith(b"."):  # as Whoosh: the pickle's STOP may have been left off
        value += b"."
    return accumulate(pickle.loads(value[_INT.size :]))


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
    return stemmer._stem(text) if FAST else stemmer.stemfn(text)


# -- writing -----------------------------------------------------------------------------


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
    return _lean() if FAST else nullcontext()


@contextmanager
def _lean() -> Iterator[None]:
    saved = multiproc.SegmentWriter
    multiproc.SegmentWriter = FastSegmentWriter
    try:
        yield
    finally:
        multiproc.SegmentWriter = saved


def workers_allowed() -> bool:
    """Whether writes may use MpWriter's worker processes (HookedMpWriter's hooks are private)."""
    return _fast("workers")


def own_random_names(random_name: Callable[..., str]) -> None:
    """Make Whoosh name segments, temp folders and job files with random_name (it uses the
    global `random`, which a random.seed() anywhere in the process rewinds)."""
    for module in (codec_base, filestore, multiproc):
        if hasattr(module, "random_name"):
            module.random_name = random_name


class HookedTask(SubWriterTask):
    """MpWriter's worker process; each item of a job file goes to add_item(writer, code,
    item) after before_file() (subclasses fill both in)."""

    def before_file(self) -> None:
        """Called in the worker before each job file."""

    def add_item(self, writer, code: int, item) -> None:
        writer.add_document(**item)

    def _process_file(self, filename, doc_count) -> None:
        self.before_file()
        writer = self.writer
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as handle:
            for _ in range(doc_count):
                code, item = pickle.load(handle)
                self.add_item(writer, code, item)
        storage.delete_file(filename)


class HookedMpWriter(MpWriter):
    """Whoosh's MpWriter with hooks: before_batch() as each batch goes out, make_task() and
    task_started() for a new worker, before_commit() ahead of the table of contents;
    add_item(code, item) queues anything its HookedTask knows how to add."""

    def before_batch(self) -> None:
        """Called before each batch of documents is handed to the workers."""

    def before_commit(self) -> None:
        """Called before the new table of contents is written (raise to commit nothing)."""

    def make_task(self, storage, indexname, jobqueue, resultqueue, subargs, multisegment):
        return HookedTask(storage, indexname, jobqueue, resultqueue, subargs, multisegment)

    def task_started(self, task) -> None:
        """Called once a new worker process runs."""

    def add_item(self, code: int, item) -> None:
        self.docbuffer.append((code, item))
        if not self._grouping and len(self.docbuffer) >= self.batchsize:
            self._enqueue()
        self._added_sub = True

    def _enqueue(self) -> None:
        self.before_batch()
        super()._enqueue()

    def _new_task(self):
        task = self.make_task(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        self.task_started(task)
        return task

    def _commit_toc(self, segments) -> None:
        self.before_commit()
        super()._commit_toc(segments)
