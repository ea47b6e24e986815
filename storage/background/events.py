"""What a call to the library process reports while it runs, and how a catch-up ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.views import ImportReport


@dataclass(frozen=True)
class Progress:
    """Records (or PDFs) read and stored so far, of how many."""

    done: int
    total: int


@dataclass(frozen=True)
class Status:
    """A line saying what the call is doing now (e.g. waiting for an earlier call)."""

    text: str


@dataclass(frozen=True)
class Stored:
    """An import's transaction is committed: its papers are in the library (not yet searchable)."""

    report: ImportReport


@dataclass(frozen=True)
class Failed:
    """One file of an import could not be imported (the message names it); the next goes on."""

    text: str


@dataclass(frozen=True)
class StoringDone:
    """Every file of an import is stored, or cancelled names the file the user cancelled in
    (rolled back; those before it stay). The index catch-up follows."""

    cancelled: str | None = None


@dataclass(frozen=True)
class Indexing:
    """Papers brought into the search index so far, of those waiting."""

    done: int
    total: int


@dataclass(frozen=True)
class Indexed:
    """The end of an index catch-up: whether the index is in step with the database, and the
    library's notices (busy, not writable, rebuilt) for the window to show."""

    in_step: bool
    notices: list[str] = field(default_factory=list)
