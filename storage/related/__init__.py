"""Related papers and suggestions from the local library.

TF-IDF rows of every paper's title, abstract, notes and tags (kept in step with SQLite, cached
under cache/), cosine similarity for related papers, and a linear model per tag or reading list
for suggestions.

The public face is imported here; `storage.related.engine.Engine` (numpy) is loaded by the
Library when first used."""

from __future__ import annotations

from storage.related.rejections import reject, rejected, rejections_of, target_name, unreject
from storage.related.results import Cancelled, RelatedHit, Suggestion

__all__ = [
    "Cancelled",
    "RelatedHit",
    "Suggestion",
    "reject",
    "rejected",
    "rejections_of",
    "target_name",
    "unreject",
]
