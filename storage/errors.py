"""The one base error of the library, in a module of its own.

Processes that only read PDFs (storage.pdf.worker) can name it without loading SQLAlchemy."""

from __future__ import annotations

__all__ = ["LibraryError"]


class LibraryError(RuntimeError):
    """The library folder or its database cannot be used (message says why)."""
