"""Library: the one API for every use case; SQLite is the truth, the Whoosh index follows it."""

from storage.library.core import (
    EditError,
    ImportCancelled,
    ImportFailed,
    Library,
    LibraryError,
    NotFound,
    default_library_dir,
)

__all__ = [
    "Library",
    "LibraryError",
    "ImportFailed",
    "ImportCancelled",
    "NotFound",
    "EditError",
    "default_library_dir",
]
