"""Paste to import.

What the clipboard holds (text in any importable format, lines of arXiv ids or DOIs, or copied
files) goes through the window's importer and its summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from app.gui.routine.host import PasteHost
    from app.gui.tasks import Task

MAX_PASTE = 50_000_000  # characters; more than that is not a paste of papers


def paste_import(window: PasteHost) -> Task | None:
    """Import the clipboard (Ctrl+V on the table, Edit › Paste papers); None when nothing
    started (busy, or nothing to import: the status bar says which)."""
    if window.runner.busy:
        window._report("An import or export is running; paste again when it is done.")
        return None
    mime = QGuiApplication.clipboard().mimeData()
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if mime else []
    if files:
        window.import_dropped(files)  # copied files import as if dropped
        return window.importer.task
    text = mime.text() if mime is not None and mime.hasText() else ""
    if not text.strip():
        window._report(
            "The clipboard holds nothing to import: copy a listing, BibTeX, RIS, CSL-JSON, "
            "or lines of arXiv ids or DOIs."
        )
        return None
    if len(text) > MAX_PASTE:
        window._report(f"The clipboard holds {len(text):,} characters: import it from a file.")
        return None
    return window.importer.import_text(text)
