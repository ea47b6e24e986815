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

from storage.search.whoosh_compat import state
from storage.search.whoosh_compat.reading import (
    expanded_words,
    field_lengths,
    index_segments,
    install_terms_within,
    live_file_names,
    position_deltas,
    stem,
    term_postings,
)
from storage.search.whoosh_compat.state import PROBLEMS, WRITTEN_FOR, calls
from storage.search.whoosh_compat.workers import HookedMpWriter, HookedTask, workers_allowed
from storage.search.whoosh_compat.writing import (
    FastSegmentWriter,
    encode_positions,
    lean_workers,
    own_random_names,
    segment_writer,
)

__all__ = [
    "PROBLEMS",
    "WRITTEN_FOR",
    "FastSegmentWriter",
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
    "position_deltas",
    "segment_writer",
    "state",
    "stem",
    "term_postings",
    "workers_allowed",
]
