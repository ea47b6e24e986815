"""Misbehaving readers for the worker tests, importable by the worker process."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from storage.pdf.worker import read_pdf


def slow(source: object, name: str | None, max_pages: int, max_chars: int) -> Any:
    """Hangs on files named `slow…`, reads the rest."""
    if name and name.startswith("slow"):
        time.sleep(60)
    return read_pdf(source, name, max_pages, max_chars)  # type: ignore[arg-type]


def crash(source: object, name: str | None, max_pages: int, max_chars: int) -> Any:
    """Dies the way a PDFium segfault kills the process."""
    os.kill(os.getpid(), signal.SIGSEGV)


def hog(source: object, name: str | None, max_pages: int, max_chars: int) -> Any:
    """Asks for far more memory than the cap."""
    blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]
    return len(blocks)


def broken(source: object, name: str | None, max_pages: int, max_chars: int) -> Any:
    raise RuntimeError("a bug")


def unhurried(source: object, name: str | None, max_pages: int, max_chars: int) -> Any:
    """Reads every file after a quarter of a second (imports long enough to cancel)."""
    time.sleep(0.25)
    return read_pdf(source, name, max_pages, max_chars)  # type: ignore[arg-type]


def unhurried_library(library: Any) -> None:
    """LibraryProcess.setup for a window's library process: its PDF imports read unhurried."""
    from storage.pdf import PdfWorker

    library._files.new_worker = lambda: PdfWorker(reader=unhurried)
