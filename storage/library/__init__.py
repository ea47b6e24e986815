"""Library: the one API for every use case; SQLite is the truth, the Whoosh index follows it."""

from storage.database import LibraryError
from storage.editing import EditError
from storage.importing import ImportCancelled, ImportFailed
from storage.library.core import NotFound, default_library_dir
from storage.library.health import HealthMixin
from storage.library.highlights import HighlightsMixin
from storage.library.imports import ImportMixin
from storage.library.triage import TriageMixin

__all__ = [
    "Library",
    "LibraryError",
    "ImportFailed",
    "ImportCancelled",
    "NotFound",
    "EditError",
    "default_library_dir",
]


class Library(ImportMixin, HealthMixin, HighlightsMixin, TriageMixin):
    """A library folder: `library.db` (SQLite), `index/` (Whoosh), `backups/`.

    The one facade the window and the command line call. Its parts, each on LibraryCore (the
    folder, engine, safety guard, index upkeep and the read and write lanes): PapersMixin
    (papers, tags, notes, lists), ImportMixin (imports, attached files), HealthMixin
    (check, export, merges), HighlightsMixin (highlights, reading positions), TriageMixin (the
    Inbox, smart lists) and RelatedMixin (related papers, suggestions)."""
