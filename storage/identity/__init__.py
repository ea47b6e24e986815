"""Work identity for dedupe: keys of records and papers, the matching rules, the candidate index."""

from storage.identity.index import IdentityIndex
from storage.identity.rules import (
    ARXIV,
    DOI,
    TITLE,
    WorkKey,
    arxiv_from_doi,
    family_key,
    is_placeholder,
    same_work,
    stored_key,
    work_key,
)

__all__ = [
    "ARXIV",
    "DOI",
    "TITLE",
    "IdentityIndex",
    "WorkKey",
    "arxiv_from_doi",
    "family_key",
    "is_placeholder",
    "same_work",
    "stored_key",
    "work_key",
]
