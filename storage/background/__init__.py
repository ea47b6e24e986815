"""A Library in a process of its own, where the window's imports and index catch-ups run.

Parsing, storing and indexing never hold the window's interpreter; each call streams its
progress back, and an import says when its papers are stored, before it indexes them."""

from storage.background.client import Call, LibraryProcess, ProcessFailed
from storage.background.events import (
    Failed,
    Indexed,
    Indexing,
    Progress,
    Status,
    Stored,
    StoringDone,
)

__all__ = [
    "Call",
    "Failed",
    "Indexed",
    "Indexing",
    "LibraryProcess",
    "ProcessFailed",
    "Progress",
    "Status",
    "Stored",
    "StoringDone",
]
