"""Library methods that bring papers and files in: import_file, PDFs, attach and detach."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.files import FileProblem, PdfImportReport, import_pdfs
from storage.files import pdf_paths as _pdf_paths
from storage.importing import (
    CancelFn,
    ImportFailed,
    ProgressFn,
    import_failed,
    parse_file,
    parse_text,
    store_file,
)
from storage.library.core import NotFound
from storage.library.papers import PapersMixin
from storage.records import ParseResult
from storage.safety import DatabaseProblem
from storage.triage.backup import after_import, pdf_batch
from storage.views import Change, FileChange, FileView, ImportReport

__all__ = ["ImportMixin"]


class ImportMixin(PapersMixin):
    """Imports (one transaction per file, or per PDF) and the files attached to papers; tags
    and lists given to a PDF import go through the editing methods it builds on."""

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
        return self._store(result, report, path, tags, list_name, progress, cancel)

    def import_text(
        self,
        text: str,
        source: str = "Clipboard",
        fmt: str = "auto",
        *,
        tags: Sequence[str] = (),
        list_name: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> ImportReport:
        """Import text that is not in a file (what was pasted), exactly as import_file would
        import it from a file named `source`: listing, BibTeX, RIS, CSL-JSON, Papershelf JSON
        or lines of arXiv ids / DOIs (format "ids": papers titled by their id, completed by a
        later import that has their metadata). Raises ImportFailed naming `source`."""
        result, report = parse_text(text, source, fmt)
        return self._store(result, report, Path(source), tags, list_name, progress, cancel)

    def _store(
        self,
        result: ParseResult,
        report: ImportReport,
        path: Path,
        tags: Sequence[str],
        list_name: str | None,
        progress: ProgressFn | None,
        cancel: CancelFn | None,
    ) -> ImportReport:
        """One parsed source in one transaction; its new papers wait in the Inbox."""

        def work(conn: Connection) -> ImportReport:
            stored = store_file(
                conn,
                result,
                report,
                tags=tags,
                list_name=list_name,
                progress=progress,
                cancel=cancel,
            )
            after_import(conn, result, stored)  # new papers wait in the Inbox
            return stored

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
            report = import_pdfs(self._files, [Path(p) for p in paths], source, progress, cancel)
        except FileProblem as error:
            raise ImportFailed(str(error)) from None
        if report.new_ids:  # papers made from PDFs wait in the Inbox too
            report.batch_id = self._write(
                lambda c: pdf_batch(c, source or str(paths[0]), report.new_ids), lambda _: ()
            )
        return report

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

    def retry_file(self, pid: int, file_id: int) -> FileChange:
        """Read a file's text again (a file whose text failed or is pending): .refused is 1
        when it still cannot be read, .messages says why (or that it has no text layer).
        Raises NotFound for a file that is not the paper's, FileProblem when the library's
        copy of it is missing or altered."""
        view = self._files.file(file_id)
        if view is None or view.paper_id != pid:
            raise NotFound(f"paper {pid} has no file {file_id}")
        return self._files.retry(pid, file_id)

    def files(self, pid: int) -> list[FileView]:
        """The paper's files in the order they were attached."""
        return self._files.files(pid)

    def file_path(self, file_id: int) -> Path:
        """Where the stored copy of a file is (under files/); NotFound for an unknown id."""
        try:
            return self._files.file_path(file_id)
        except FileProblem as error:
            raise NotFound(str(error)) from None
