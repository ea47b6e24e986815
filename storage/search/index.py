"""SearchIndex: the Whoosh index of papers, its write side and its read side in one object."""

from __future__ import annotations

from storage.search.similar import IndexSimilar
from storage.search.updates import IndexUpdates


class SearchIndex(IndexUpdates, IndexSimilar):
    """One Whoosh index in a folder, with one long-lived searcher shared by all threads.

    Derived from the database and always rebuildable. Opening and the write lock live in
    opening.IndexBase, writes in updates.IndexUpdates, searches in searching.IndexSearches,
    key-term (more like this) queries in similar.IndexSimilar.
    """
