"""The Whoosh full-text index of papers: derived from the database, always rebuildable.

The public face is what is imported here; the modules of the package are its workings.
IndexUpkeep (keeping the index in step with the database) is in storage.search.upkeep.
"""

from __future__ import annotations

from storage.search.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexWriteError,
    SearchIndexError,
)
from storage.search.index import SearchIndex
from storage.search.opening import LOCK_NAME
from storage.search.query import QueryError
from storage.search.schema import INDEX_NAME, IndexDoc
from storage.search.searching import Matches, SearchHit, SearchResult, Snippet

__all__ = [
    "INDEX_NAME",
    "LOCK_NAME",
    "IndexBusyError",
    "IndexDamagedError",
    "IndexWriteError",
    "SearchIndexError",
    "IndexDoc",
    "Matches",
    "QueryError",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
    "Snippet",
]
