"""Library: the one API for every use case; SQLite is the truth, the Whoosh index follows it."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from platformdirs import user_data_dir
from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage import editing, reading
from storage import merges as merging
from storage.database import LibraryError
from storage.editing import DeletedPapers
from storage.files import FileOps, FileProblem, PdfImportReport, check_files, import_pdfs
from storage.files import pdf_paths as _pdf_paths
from storage.importing import (
    CancelFn,
    ImportCancelled,
    ImportFailed,
    ProgressFn,
    import_failed,
    parse_file,
    store_file,
)
from storage.models import QUEUE
from storage.records import ListRecord, PaperRecord
from storage.safety import DatabaseGuard, DatabaseProblem
from storage.search import SearchIndex, SearchResult
from storage.search.upkeep import WRITE_WAIT, IndexUpkeep
from storage.views import (
    Change,
    CheckReport,
    FileChange,
    FileView,
    ImportReport,
    ListDetail,
    ListSummary,
    MergeView,
    PaperDetail,
    PaperRow,
    Stats,
    TagCount,
)

if TYPE_CHECKING:  # loaded when used: `papershelf search` has no need of them (~60 ms)
    from storage.exporting import ExportReport, ExportSelection

__all__ = [
    "Library",
    "LibraryError",
    "ImportFailed",
    "ImportCancelled",
    "NotFound",
    "EditError",
    "default_library_dir",
]

EditError = editing.EditError
T = TypeVar("T")


class NotFound(LibraryError):
    """No paper, tag or list by that name or id."""


def default_library_dir() -> Path:
    """PAPERSHELF_LIBRARY if set, else the platform's data folder for papershelf."""
    return Path(
        os.environ.get("PAPERSHELF_LIBRARY") or user_data_dir("papershelf", appauthor=False)
    )


class Library:
    """A library folder: `library.db` (SQLite), `index/` (Whoosh), `backups/`."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_library_dir()
        self.db_path = self.folder / "library.db"
        self.safety = DatabaseGuard(self.folder, self.db_path)
        self.safety.prepare()  # folder 0700, database 0600; refuses a lost database
        self._lock = threading.RLock()  # the one write lane
        self.engine = self.safety.open_engine()  # watched for damage, migrated (backup first)
        self._files = FileOps(self.folder, self._read, self._write, self._catch_up_index)
        self.index = SearchIndex(self.folder / "index")
        self._upkeep = IndexUpkeep(self.engine, self.index, self._lock)
        try:
            self._repair_index_at_open()
            self.safety.opened(self.stats().papers)  # the marker and the daily backup
        except DBAPIError as error:
            self.close()
            raise self.safety.problem(error) from None
        except DatabaseProblem:
            self.close()
            raise

    # --- plumbing ------------------------------------------------------------------------

    def close(self) -> None:
        with contextlib.suppress(DBAPIError, LibraryError):
            self.safety.opened(self._read(reading.stats).papers)  # marker, daily backup
        self.index.close()
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            return work(conn)

    def _write(
        self,
        work: Callable[[Connection], T],
        papers: Callable[[T], Iterable[int]],
        catch_up: bool = True,
    ) -> T:
        """Run work in one transaction, queue the papers it touched, then update the index
        (unless catch_up is False: many small writes in a row catch up once, after them)."""
        with self._lock:
            self.safety.before_write(self.engine)  # refuses a damaged database
            with self.engine.begin() as conn:
                result = work(conn)
                ids = list(papers(result))
                if ids:
                    conn.execute(
                        insert(QUEUE).prefix_with("OR IGNORE"), [{"paper_id": i} for i in ids]
                    )
            if catch_up:
                self._catch_up_index()
            return result

    def _repair_index_at_open(self) -> None:
        """A missing, outdated or out-of-step index is caught up or rebuilt before first use,
        unless another process is writing it (then searches say it is catching up)."""
        self._upkeep.at_open()

    def _catch_up_index(self, full: bool = False) -> None:
        """Bring the index up to the database: replay the queue, or rebuild when asked to.
        A busy, unwritable or damaged index leaves the queue for later, with a notice."""
        self._upkeep.catch_up(full=full, wait=None if full else WRITE_WAIT)

    @property
    def notices(self) -> list[str]:
        """One-line notes about the search index (catching up, rebuilt, not writable)."""
        return list(self._upkeep.notices)

    @property
    def index_catching_up(self) -> bool:
        """Whether searches may miss recent changes until another process catches up."""
        return self._upkeep.catching_up

    # --- import --------------------------------------------------------------------------

    def import_file(
        self,
        path: Path | str,
        fmt: str = "auto",
        *,
        tags: Sequence[str] = (),
        list_name: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> ImportReport:
        """Import one file in one transaction. Raises ImportFailed (naming the file) or
        ImportCancelled; in both cases the library is exactly as it was.

        A PDF (format `pdf`, or `auto` and the file starts with `%PDF-`) or a folder (walked
        for PDFs) goes to import_pdfs instead: a PdfImportReport, one transaction per PDF."""
        path = Path(path)
        pdfs = _pdf_paths(path, fmt, self.folder)
        if pdfs is not None:
            return self._import_pdf_path(path, pdfs, tags, list_name, progress, cancel)
        result, report = parse_file(path, fmt)

        def work(conn: Connection) -> ImportReport:
            return store_file(
                conn,
                result,
                report,
                tags=tags,
                list_name=list_name,
                progress=progress,
                cancel=cancel,
            )

        try:
            stored = self._write(work, lambda r: [*r.new_ids, *r.merged_ids])
        except (DatabaseProblem, DBAPIError) as error:
            raise import_failed(path, error) from None
        if any(record.files for record in result.records):  # a JSON backup names files
            relinked = self._files.settle(stored.new_ids)
            stored.notes.extend(f"{path}: note: {line}" for line in relinked)
        return stored

    def _import_pdf_path(
        self,
        path: Path,
        pdfs: list[Path],
        tags: Sequence[str],
        list_name: str | None,
        progress: ProgressFn | None,
        cancel: CancelFn | None,
    ) -> PdfImportReport:
        if not pdfs:
            raise ImportFailed(f"{path}: a folder without PDF files")
        report = self.import_pdfs(pdfs, progress, cancel, source=str(path))
        if not path.is_dir() and report.failed:
            raise ImportFailed(report.failed[0])
        ids = [*report.new_ids, *report.merged_ids]
        if ids and tags:  # `import --tag/--list` for PDFs: the papers that gained a file
            self.add_tags(ids, tags)
        if ids and list_name:
            if list_name.casefold() not in {s.name.casefold() for s in self.lists()}:
                self.create_list(list_name)
            self.add_to_list(list_name, ids)
            report.lists.append(list_name)
        return report

    def import_pdfs(
        self,
        paths: Sequence[Path | str],
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        *,
        source: str | None = None,
    ) -> PdfImportReport:
        """Import PDFs, each matched to its paper (arXiv id, DOI, then title) or made a new
        paper, each in its own transaction; report.outcomes says what matched how and
        report.failed names the PDFs left out. Extraction runs in a worker process."""
        try:
            return import_pdfs(self._files, [Path(p) for p in paths], source, progress, cancel)
        except FileProblem as error:
            raise ImportFailed(str(error)) from None

    # --- files (storage.files) ------------------------------------------------------------

    def attach(self, pid: int, paths: Sequence[Path | str]) -> FileChange:
        """Copy PDFs into the library (files/, by SHA-256) and attach them to the paper, each
        in one transaction; .messages has a line per file refused or attached with a problem.
        Raises NotFound for an unknown paper."""
        self.paper(pid)
        return self._files.attach(pid, [Path(p) for p in paths])

    def detach(self, pid: int, file_id: int) -> Change:
        """Remove a file from a paper; the stored copy goes when no other paper has it."""
        try:
            return self._files.detach(pid, file_id)
        except FileProblem as error:
            raise NotFound(str(error)) from None

    def files(self, pid: int) -> list[FileView]:
        """The paper's files in the order they were attached."""
        return self._files.files(pid)

    def file_path(self, file_id: int) -> Path:
        """Where the stored copy of a file is (under files/); NotFound for an unknown id."""
        try:
            return self._files.file_path(file_id)
        except FileProblem as error:
            raise NotFound(str(error)) from None

    # --- reading -------------------------------------------------------------------------

    def resolve(self, ref: str | int) -> int:
        """A paper id from a numeric id or a citation key (case-insensitive)."""

        found = self._read(lambda conn: reading.resolve_ref(conn, ref))
        if found is None:
            raise NotFound(f"no paper with id or citation key {str(ref)!r}")
        return found

    def paper(self, pid: int) -> PaperDetail:
        detail = self._read(lambda conn: reading.paper_detail(conn, pid))
        if detail is None:
            raise NotFound(f"no paper with id {pid}")
        return dataclasses.replace(detail, files=tuple(self._files.files(pid)))

    def rows(self, ids: Sequence[int]) -> dict[int, PaperRow]:
        return self._read(lambda conn: reading.paper_rows(conn, ids))

    def records(self, ids: Sequence[int]) -> list[PaperRecord]:
        return self._read(lambda conn: reading.paper_records(conn, ids))

    def paper_ids(
        self,
        *,
        status: str | None = None,
        tag: str | None = None,
        list_name: str | None = None,
        query: str | None = None,
        sort: str = "added",
        descending: bool = True,
    ) -> list[int]:
        """Ids for a sidebar filter and an optional query. sort="relevance" keeps search order."""

        def listed(order: str) -> list[int]:
            return self._read(
                lambda conn: reading.filtered_ids(
                    conn,
                    status=status,
                    tag=tag,
                    list_name=list_name,
                    sort=order,
                    descending=descending,
                )
            )

        if not query or not query.strip():
            return listed(sort)
        filtered = bool(status or tag or list_name)
        return self._upkeep.read(lambda: self._upkeep.matching_ids(query, listed, sort, filtered))

    def search(
        self, query: str, limit: int = 20, restrict_ids: Sequence[int] | None = None
    ) -> SearchResult:
        """Ranked hits with highlighted snippets. Raises search.QueryError for a bad query."""
        return self._upkeep.read(
            lambda: self.index.search(
                query,
                limit,
                restrict_ids=restrict_ids,
                texts=lambda ids: self._read(
                    lambda conn: reading.search_texts(conn, ids, pages=self._pages_of)
                ),
            )
        )

    def _pages_of(self, pid: int) -> list[tuple[int, str]]:
        """A paper's file pages, read only for a hit whose snippet must come from them."""
        return self._read(lambda conn: reading.pages_by_paper(conn, [pid]).get(pid, []))

    def stats(self) -> Stats:
        return self._read(reading.stats)

    def tag_counts(self) -> list[TagCount]:
        return self._read(reading.tag_counts)

    def status_counts(self) -> dict[str, int]:
        return self._read(reading.status_counts)

    def lists(self) -> list[ListSummary]:
        return self._read(reading.list_summaries)

    def list_detail(self, name: str) -> ListDetail:
        detail = self._read(lambda conn: reading.list_detail(conn, name))
        if detail is None:
            raise NotFound(f"no reading list named {name!r}")
        return detail

    # --- editing -------------------------------------------------------------------------

    def add_tags(self, ids: Sequence[int], tags: Iterable[str]) -> Change:
        return self._write(lambda c: editing.tag_papers(c, ids, tags), _papers)

    def remove_tags(self, ids: Sequence[int], tags: Iterable[str]) -> Change:
        return self._write(lambda c: editing.untag_papers(c, ids, tags), _papers)

    def set_status(self, ids: Sequence[int], status: str) -> Change:
        return self._write(lambda c: editing.set_column(c, ids, "status", status), _papers)

    def set_rating(self, ids: Sequence[int], rating: int) -> Change:
        return self._write(lambda c: editing.set_column(c, ids, "rating", rating), _papers)

    def update_paper(self, pid: int, **values: object) -> Change:
        return self._write(lambda c: editing.update_fields(c, pid, values), _papers)

    def rename_tag(self, old: str, new: str) -> Change:
        return self._write(lambda c: editing.rename_tag(c, old, new), _papers)

    def delete_tag(self, name: str) -> Change:
        return self._write(lambda c: editing.delete_tag(c, name), _papers)

    def delete_papers(self, ids: Sequence[int]) -> tuple[Change, DeletedPapers]:
        """Delete papers; returns the change and a snapshot that restore_papers puts back."""

        return self._write(
            lambda c: editing.delete_with_snapshot(c, ids), lambda result: result[0].paper_ids
        )

    def restore_papers(self, snapshot: DeletedPapers) -> Change:
        change = self._write(lambda c: editing.restore_papers(c, snapshot), _papers)
        if any(record.files for _pid, record, _lists in snapshot):  # their text is read again
            self._files.settle(change.paper_ids)
        return change

    def add_note(
        self, pid: int, body: str, quote: str | None = None, page: str | None = None
    ) -> int:
        return self._write(lambda c: editing.add_note(c, pid, body, quote, page), lambda _: [pid])

    def update_note(self, note_id: int, **values: object) -> int:
        """Change a note's body, quote or page; returns the paper id."""
        allowed = {k: v for k, v in values.items() if k in ("body", "quote", "page")}
        return self._write(lambda c: editing.update_note(c, note_id, allowed), lambda pid: [pid])

    def delete_note(self, note_id: int) -> int:
        return self._write(lambda c: editing.delete_note(c, note_id), lambda pid: [pid])

    def create_list(self, name: str, description: str | None = None) -> Change:
        return self._write(lambda c: editing.create_list(c, name, description), _papers)

    def add_to_list(self, name: str, ids: Sequence[int], note: str | None = None) -> Change:
        return self._write(lambda c: editing.add_to_list(c, name, ids, note), _no_papers)

    def remove_from_list(self, name: str, ids: Sequence[int]) -> Change:
        return self._write(lambda c: editing.remove_from_list(c, name, ids), _no_papers)

    def reorder_list(self, name: str, ordered_ids: Sequence[int]) -> Change:
        return self._write(lambda c: editing.reorder_list(c, name, ordered_ids), _no_papers)

    def set_list_entry_note(self, name: str, pid: int, note: str | None) -> Change:
        return self._write(lambda c: editing.set_entry_note(c, name, pid, note), _no_papers)

    def edit_list(
        self, name: str, *, new_name: str | None = None, description: str | None = None
    ) -> Change:
        return self._write(lambda c: editing.edit_list(c, name, new_name, description), _no_papers)

    def delete_list(self, name: str) -> Change:
        return self._write(lambda c: editing.delete_list(c, name), _no_papers)

    # --- merges (storage.merges) --------------------------------------------------------

    def merges(self, pid: int) -> list[MergeView]:
        """The import merges recorded on a paper, oldest first (split ones included)."""
        return self._read(lambda conn: merging.list_merges(conn, pid))

    def split(self, pid: int, merge_id: int) -> Change:
        """Undo one merge: its record becomes a paper again and the survivor loses what the
        merge filled; later imports do not merge the two again. Raises merges.SplitError."""
        return self._write(lambda c: merging.split_merge(c, pid, merge_id), _papers)

    # --- health --------------------------------------------------------------------------

    def check(self, repair: bool = False, rebuild: bool = False) -> CheckReport:
        """SQLite integrity plus index consistency (file checksums, a content fingerprint per
        paper) and the attached files (stored copies missing or altered, text failed);
        repair re-indexes what differs and re-extracts failed text, rebuild rebuilds the
        index in any case."""

        def rest() -> tuple[list[str], list[str]]:
            problems, repaired = self._upkeep.check(repair=repair, rebuild=rebuild)
            file_problems, file_repaired = check_files(self._files, repair)
            return [*problems, *file_problems], [*repaired, *file_repaired]

        return self.safety.check(self.engine, rest)

    # --- export --------------------------------------------------------------------------

    def list_records(
        self, ids: Sequence[int], names: Sequence[str] | None = None, *, keep_empty: bool = False
    ) -> list[ListRecord]:
        """Reading lists (all, or those named) as ListRecords whose entries are positions in
        ids, for the JSON writer; papers outside ids are left out, and so are lists left empty
        unless keep_empty."""
        return self._read(lambda conn: reading.list_records(conn, ids, names, keep_empty))

    def export(
        self,
        selection: ExportSelection,
        fmt: str,
        path: Path | str,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> ExportReport:
        """Write the selected papers to path in fmt, atomically (see storage.exporting.export).
        Raises NotFound, search.QueryError, ExportError or ExportCancelled; never Qt-bound."""
        from storage.exporting import export as export_papers

        return export_papers(
            self, selection=selection, fmt=fmt, path=path, progress=progress, cancel=cancel
        )


def _papers(change: Change) -> frozenset[int]:
    return change.paper_ids


def _no_papers(_change: Change) -> tuple[int, ...]:
    return ()
