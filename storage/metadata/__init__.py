"""A paper's metadata rules: edited values checked and normalised, and citation keys made."""

from storage.metadata.edit import edit_paper
from storage.metadata.keys import base_key, citation_key_for, regenerate_key
from storage.metadata.validation import (
    ENTRY_TYPES,
    FIELDS,
    EditError,
    InvalidValue,
    clean_values,
    parse_authors,
)

__all__ = [
    "ENTRY_TYPES",
    "FIELDS",
    "EditError",
    "InvalidValue",
    "base_key",
    "citation_key_for",
    "clean_values",
    "edit_paper",
    "parse_authors",
    "regenerate_key",
]
