"""Whether whoosh_compat's fast paths apply here, and which way each of its functions went.

The Whoosh installed is compared with the one they were written for (WRITTEN_FOR)."""

from __future__ import annotations

from collections import Counter

import whoosh
from whoosh import multiproc
from whoosh.codec import whoosh3
from whoosh.index import TOC
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

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
    (whoosh3.W3PostingsWriter, "_write_block"),
    (whoosh3.W3PostingsWriter, "_new_block"),
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
