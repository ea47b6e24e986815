"""What can go wrong with the search index, as one-line messages (it is always rebuildable)."""

from __future__ import annotations

import errno
from pathlib import Path


class SearchIndexError(RuntimeError):
    """The search index could not be used just now; the message is one line for the user."""


class IndexBusyError(SearchIndexError):
    """Another writer (window, command) holds the index lock for longer than we wait."""


class IndexWriteError(SearchIndexError):
    """The index folder cannot be written (disk full, read-only, no permission)."""


class IndexDamagedError(SearchIndexError):
    """Reading the index failed: a segment file is missing, truncated or garbled."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "it is on a read-only file system",
    errno.EACCES: "it is not writable",
    errno.EPERM: "it is not writable",
}
WRITE_ERRNOS = frozenset(_REASONS) | {errno.EIO, errno.EFBIG}


def write_error(folder: Path, error: OSError) -> IndexWriteError:
    """An IndexWriteError naming the folder and the reason, from an OSError while writing."""
    reason = _REASONS.get(error.errno or 0) or (error.strerror or str(error))
    return IndexWriteError(f"{folder}: the search index could not be written ({reason})")
