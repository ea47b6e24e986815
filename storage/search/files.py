"""Whoosh's files when something fails: unreadable indexes, files a failed writer leaves open."""

from __future__ import annotations

import gc
import io
import logging
import re
import types
import warnings
from contextlib import suppress

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from storage.search.bulk import cancel as cancel_writer
from storage.search.schema import INDEX_NAME

log = logging.getLogger(__name__)

WHOOSH_FILE = re.compile(r"^_?(MAIN|papers_v\d+)_")  # any version's files (and Whoosh's default)


def open_existing(storage: FileStorage):
    """The index of this schema version in storage, or None if absent or unreadable."""
    # Whoosh leaves the table-of-contents file open when it fails to read it; let that
    # ResourceWarning pass here rather than surface later in an unrelated place.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return storage.open_index(INDEX_NAME)
        except EmptyIndexError:
            return None
        except Exception as exc:  # unreadable or foreign: it is derived data, start over
            log.warning(
                "search index unreadable (%s); recreating it", f"{type(exc).__name__}: {exc}"
            )
        gc.collect()  # the leaked file object sits in a reference cycle of the traceback
    return None


def abandon(writer) -> None:
    """Cancel a writer after a failure, without hiding that failure behind another."""
    try:
        cancel_writer(writer)
    except Exception as exc:
        log.warning("cancelling the index writer failed: %s", f"{type(exc).__name__}: {exc}")
        _close_files_of(writer)


def _close_files_of(writer) -> None:
    """Close the files a writer that could not cancel (a full disk) still holds open, so
    that they are not left to the collector (which warns, and on a full disk complains on
    stderr as their last flush fails)."""
    seen: set[int] = set()
    todo = [(writer, 0)]
    while todo:
        obj, depth = todo.pop()
        if id(obj) in seen or depth > 16:
            continue
        seen.add(id(obj))
        if isinstance(obj, io.IOBase):
            with suppress(OSError, ValueError):
                obj.close()
            continue
        if isinstance(obj, (str, bytes, int, float, type, types.ModuleType, types.FunctionType)):
            continue
        todo.extend((ref, depth + 1) for ref in gc.get_referents(obj))


def close_files_of_failed(error: BaseException) -> None:
    """Close the files opened by the Whoosh code an error came out of (a writer failing
    while it is being set up on a full disk leaves them to the collector otherwise)."""
    tb = error.__traceback__
    while tb is not None:
        if "whoosh" in tb.tb_frame.f_code.co_filename:
            _close_files_of(dict(tb.tb_frame.f_locals))
        tb = tb.tb_next


def drop_leaked_files() -> None:
    """Whoosh leaves files open when reading them fails; close them quietly now."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
