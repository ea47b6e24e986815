"""Pure text <-> PaperRecord conversion for every import/export format (no database, no Qt)."""

from storage.formats.detect import (
    FORMATS,
    WRITABLE,
    detect_format,
    normalize_format,
    parse,
    read_source,
    write,
)

__all__ = [
    "FORMATS",
    "WRITABLE",
    "detect_format",
    "normalize_format",
    "parse",
    "read_source",
    "write",
]
