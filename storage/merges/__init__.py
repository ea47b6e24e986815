"""Merge provenance: what each import merge absorbed, listing merges, and splitting one off."""

from storage.merges.fill import FILLABLE, Filled, merge_paper, record_merge
from storage.merges.split import SplitError, list_merges, split_merge

__all__ = [
    "FILLABLE",
    "Filled",
    "SplitError",
    "list_merges",
    "merge_paper",
    "record_merge",
    "split_merge",
]
