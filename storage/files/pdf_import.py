"""Importing PDFs: each is matched to its paper (arXiv id, DOI, title) or becomes a new one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from storage.files.ops import FileOps
from storage.files.prepare import FileProblem, Prepared, discard, failed_note, is_pdf
from storage.identity import IdentityIndex
from storage.models import PAPER
from storage.paper_rows import TagCache, insert_paper
from storage.pdf import FAILED, Candidate, Match, PaperIndex
from storage.search.writing import quiet_gc
from storage.views import ImportReport

__all__ = ["PdfImportReport", "PdfOutcome", "import_pdfs", "pdf_paths", "walk_pdfs"]

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class PdfOutcome:
    """What became of one PDF."""

    path: str
    paper_id: int | None  # None: not imported
    how: str  # "arxiv (name)", "arxiv (text)", "doi", "title 0.95", "new", "attached", ""
    file_id: int | None = None
    message: str = ""  # the problem, one line naming the file
    title: str = ""  # of a new paper

    def describe(self) -> str:
        name = self.path
        if self.paper_id is None:
            return self.message
        if self.file_id is None:
            return f"{name}: already attached to paper {self.paper_id}"
        if self.how == "new":
            return f'{name}: new paper {self.paper_id} "{self.title}"'
        return f"{name}: matched paper {self.paper_id} {_how_words(self.how)}"


def _how_words(how: str) -> str:
    if how.startswith("arxiv"):
        where = " in the file name" if how.endswith("(name)") else ""
        return f"by arXiv id{where}"
    if how == "doi":
        return "by DOI"
    if how.startswith("title"):
        return f"by title (similarity {how.split()[-1]})"
    return f"({how})"


@dataclass
class PdfImportReport(ImportReport):
    """An ImportReport (new papers, papers that gained a file) with a line per PDF."""

    outcomes: list[PdfOutcome] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # PDFs not imported, one line each
    total: int = 0  # PDFs the import was given
    cancelled: bool = False  # stopped before the last one (those done stay imported)

    def counts(self, thousands: str = "") -> str:
        """`N new, N matched, N already present, N not imported` (and `, N notes`)."""
        spec = thousands
        text = (
            f"{len(self.new_ids):{spec}} new, {len(self.merged_ids):{spec}} matched, "
            f"{len(self.unchanged_ids):{spec}} already present, "
            f"{len(self.failed):{spec}} not imported"
        )
        if self.notes:
            text += f", {len(self.notes):{spec}} note{'' if len(self.notes) == 1 else 's'}"
        if self.cancelled:
            text += (
                f"; cancelled after {len(self.outcomes):{spec}} of {self.total:{spec}} PDFs "
                "(those stay imported)"
            )
        return text

    def lines(self) -> list[str]:
        """A line per PDF imported: what matched how, or the new paper it made."""
        return [outcome.describe() for outcome in self.outcomes if outcome.paper_id is not None]

    def summary(self) -> str:
        """A line per PDF imported (what matched how), then the counts; one PDF: its line."""
        lines = self.lines()
        if len(self.outcomes) == 1 and lines and not self.cancelled:
            return lines[0]
        return "\n".join([*lines, f"{self.source}: {self.counts()}"])


def walk_pdfs(folder: Path) -> Iterator[Path]:
    """PDF files (by name) under folder, recursively, in a stable order; links not followed."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".pdf"):
                yield Path(root) / name


def pdf_paths(path: Path, fmt: str, library_folder: Path) -> list[Path] | None:
    """The PDFs an import of path means: a folder's (walked, the library's own files/ left
    out), the file itself when it is a PDF (fmt `pdf`, or `auto` and `%PDF-` within its first
    1024 bytes); None when it is another format."""
    if path.is_dir():
        own = library_folder.resolve()
        return [p for p in walk_pdfs(path) if not p.resolve().is_relative_to(own)]
    if fmt == "pdf" or (fmt == "auto" and is_pdf(path)):
        return [path]
    return None


def _candidates(conn: Connection) -> Iterable[Candidate]:
    rows = conn.execute(select(PAPER.c.id, PAPER.c.title, PAPER.c.doi, PAPER.c.arxiv_id))
    return [Candidate(pid, title, doi, arxiv) for pid, title, doi, arxiv in rows]


def _remember(index: PaperIndex, pid: int, prepared: Prepared) -> None:
    """A new paper is found by the PDFs that follow it in the same import."""
    record = prepared.identity.to_record(prepared.name)
    index.add(Candidate(pid, record.title, record.doi, record.arxiv_id))


class KeysInUse(set[str]):
    """The citation keys in use (casefolded), read once for a whole import; a key not among
    them is looked up in the database as well before it counts as free (another window or
    process may have taken it since), so that no new paper repeats a key."""

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__(keys)
        self.conn: Connection | None = None

    def __contains__(self, key: object) -> bool:
        if super().__contains__(key):
            return True
        if self.conn is None or not isinstance(key, str):
            return False
        taken = self.conn.execute(
            select(PAPER.c.id).where(func.lower(PAPER.c.citation_key) == key).limit(1)
        ).first()
        if taken is not None:
            self.add(key)
        return taken is not None

    @classmethod
    def read(cls, conn: Connection) -> KeysInUse:
        keys = conn.execute(select(PAPER.c.citation_key).where(PAPER.c.citation_key.is_not(None)))
        return cls(key.casefold() for key in keys.scalars())


def _new_paper(prepared: Prepared, keys: KeysInUse) -> Callable[[Connection], int]:
    def create(conn: Connection) -> int:
        identity = IdentityIndex()
        identity.keys = keys
        keys.conn = conn
        try:
            record = prepared.identity.to_record(prepared.name)
            return insert_paper(conn, record, identity, TagCache(conn), [])
        finally:
            keys.conn = None

    return create


def _how(match: Match, prepared: Prepared) -> str:
    if match.how == "arxiv":
        return f"arxiv ({prepared.identity.arxiv_from or 'text'})"
    return match.how


def import_pdfs(
    ops: FileOps,
    paths: Sequence[Path],
    source: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> PdfImportReport:
    """Each PDF in its own transaction: attached to the paper it matches, else to a new paper
    made from what the file says. A PDF that is no PDF, or unreadable and unmatched, is not
    imported (a line in report.failed); a matched unreadable one is attached as failed."""
    label = source or (str(paths[0]) if len(paths) == 1 else f"{len(paths)} PDFs")
    report = PdfImportReport(source=label, format="pdf", total=len(paths))
    index = PaperIndex(ops.read(_candidates))
    keys = ops.read(KeysInUse.read)
    prepared = ops.read_ahead([Path(path) for path in paths])
    # The readers stop (a cancel) before the last catch-up of the index. No cyclic garbage
    # collection meanwhile: in the window's process a full collection (100-200 ms with a big
    # library open) stops every thread, the window's too.
    with ops.indexing_after() as tick, contextlib.closing(prepared), quiet_gc():
        for number, (path, ready) in enumerate(prepared, start=1):
            if cancel is not None and cancel():
                if isinstance(ready, Prepared):  # read, never recorded: its copy goes
                    discard(ops.store, ready.sha256, ops.used)
                report.cancelled = True
                break
            outcome = _import_one(ops, index, keys, path, ready)
            tick(spread=lambda: not prepared.reading)
            report.outcomes.append(outcome)
            if outcome.paper_id is None:
                report.failed.append(outcome.message)
                report.warnings.append(outcome.message)  # skipped, as the other importers say
            elif outcome.file_id is None:
                report.unchanged_ids.append(outcome.paper_id)
            else:
                (report.new_ids if outcome.how == "new" else report.merged_ids).append(
                    outcome.paper_id
                )
                if outcome.message:  # imported with a remark (no text layer, unreadable)
                    report.notes.append(outcome.message)
            if progress is not None:
                progress(number, len(paths))
    return report


def _import_one(
    ops: FileOps,
    index: PaperIndex,
    keys: KeysInUse,
    path: Path,
    prepared: Prepared | FileProblem,
) -> PdfOutcome:
    if isinstance(prepared, FileProblem):
        return PdfOutcome(str(path), None, "", message=str(prepared))
    match = index.match(prepared.identity)
    if match is None and prepared.text.status == FAILED:
        discard(ops.store, prepared.sha256, ops.used)
        return PdfOutcome(str(path), None, "", message=f"{prepared.text.reason}; not imported")
    target = match.paper_id if match else _new_paper(prepared, keys)
    paper, file_id = ops.record(prepared, target)
    if match is None:
        _remember(index, paper, prepared)
    how = _how(match, prepared) if match else "new"
    title = "" if match else prepared.identity.to_record(prepared.name).title
    return PdfOutcome(str(path), paper, how, file_id, failed_note(prepared) or "", title)
