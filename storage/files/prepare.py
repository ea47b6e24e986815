"""One PDF made ready to attach: checked, copied into the store and read in a worker process."""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storage.database import LibraryError
from storage.pdf import FAILED, NO_TEXT, FileStore, FileStoreError, PdfIdentity, PdfText, PdfWorker
from storage.pdf.identify import arxiv_from_name

__all__ = ["FileProblem", "Prepared", "check_pdf", "discard", "failed_note", "is_pdf", "prepare"]

_HEADER_WINDOW = 1024  # the header may follow some junk within the first 1024 bytes

# Text already stored for the same bytes: (status, page count, pages), or None.
Reuse = Callable[[str], "tuple[str, int, list[str]] | None"]


class FileProblem(LibraryError):
    """A file that cannot be attached at all (one line naming it); nothing was stored."""


@dataclass
class Prepared:
    """A stored copy and what its reader found; not yet in the database."""

    path: Path  # the user's file, only read
    name: str  # its name, kept for display
    sha256: str
    size: int
    text: PdfText
    identity: PdfIdentity

    @property
    def label(self) -> str:
        return str(self.path)


def is_pdf(path: Path) -> bool:
    """Whether the file starts like a PDF (`%PDF-` within its first 1024 bytes)."""
    try:
        with path.open("rb") as handle:
            return b"%PDF-" in handle.read(_HEADER_WINDOW)
    except OSError:
        return False


def check_pdf(path: Path) -> None:
    """FileProblem unless path is a readable regular file that starts like a PDF."""
    try:
        info = path.stat()
    except OSError as error:
        raise FileProblem(f"{path}: cannot read the file ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"{path}: not a regular file")
    if info.st_size == 0:
        raise FileProblem(f"{path}: empty file (0 bytes), not a PDF")
    if not is_pdf(path):
        raise FileProblem(f"{path}: not a PDF (no %PDF- header)")


def _reused(label: str, found: tuple[str, int, list[str]]) -> PdfText:
    status, count, pages = found
    text = PdfText(label, status, pages, count)
    if status == NO_TEXT:
        text.reason = f"{label}: no text layer (a scan?); attach it, search will not find its words"
    return text


def prepare(path: Path, store: FileStore, worker: PdfWorker, reuse: Reuse) -> Prepared:
    """Copy the file into the store and read it (in the worker, never in this process).

    Raises FileProblem for a file that is not a PDF at all. A PDF that cannot be read (damaged,
    encrypted, too slow) comes back with a FAILED text whose reason says why.
    """
    path = Path(path)
    check_pdf(path)
    try:
        sha, stored, size = store.add(path)
    except FileStoreError as error:
        raise FileProblem(str(error)) from None
    label = str(path)
    found = reuse(sha)
    if found is not None:
        arxiv = arxiv_from_name(path.name)
        identity = PdfIdentity(arxiv_id=arxiv, arxiv_from="name" if arxiv else None)
        return Prepared(path, path.name, sha, size, _reused(label, found), identity)
    text, identity = worker.read(stored, name=label)
    return Prepared(path, path.name, sha, size, text, identity)


def discard(store: FileStore, sha256: str, still_used: Callable[[str], bool]) -> None:
    """Remove a stored copy that no row references (after a failed or skipped write)."""
    with contextlib.suppress(LibraryError, OSError):
        if not still_used(sha256):
            store.remove(sha256)


def failed_note(prepared: Prepared) -> str | None:
    """The one line to say about a file attached with a problem (no text, failed, capped)."""
    text = prepared.text
    if text.status == FAILED:
        return f"{text.reason}; attached, its text is not searchable (check --repair retries)"
    if text.reason:
        return text.reason
    return None
