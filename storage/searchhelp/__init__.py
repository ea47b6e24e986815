"""Help for a search that found nothing.

What no paper has, "did you mean" corrections from the index's own words, and the papers with
most of the words. Built on storage.search's public face (SearchIndex.ids_matching, search,
suggest)."""

from storage.searchhelp.clauses import Clauses, Part, split_query
from storage.searchhelp.explain import Correction, PartialHit, SearchHelp, explain

__all__ = ["Clauses", "Correction", "Part", "PartialHit", "SearchHelp", "explain", "split_query"]
