"""Import from the window: file dialog or drop, a cancellable progress dialog, a summary."""

from __future__ import annotations

import html
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.gui.background import Background, Storing
from app.gui.commands import merge, plural
from app.gui.plain import rich_escape
from app.gui.progress import ProgressTaskController
from app.gui.tasks import Task, TaskRunner
from storage.files import PdfImportReport
from storage.library import Library, LibraryError
from storage.search import SearchIndexError
from storage.views import Change, ImportReport

FILE_FILTER = (
    "Papers and PDFs (*.bib *.ris *.json *.txt *.pdf);;PDF files (*.pdf);;"
    "Listings (*.bib *.ris *.json *.txt);;All files (*)"
)
IMPORT_SUFFIXES = (".bib", ".ris", ".json", ".txt", ".pdf")
SHOWN_WARNINGS = 6


@dataclass
class ImportOutcome:
    """What one import run did, file by file."""

    reports: list[ImportReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cancelled: str | None = None  # the file that was being imported when the user cancelled

    @classmethod
    def of(cls, storing: Storing) -> ImportOutcome:
        return cls(list(storing.reports), list(storing.failures), storing.cancelled)

    @property
    def change(self) -> Change:
        return merge(*(report.change for report in self.reports))

    @property
    def stopped(self) -> bool:
        """Cancelled: before a file, or within a folder of PDFs (the PDFs done stay)."""
        return bool(self.cancelled) or any(
            isinstance(r, PdfImportReport) and r.cancelled for r in self.reports
        )

    def summary_lines(self) -> list[str]:
        lines = []
        for r in self.reports:
            if isinstance(r, PdfImportReport) and len(r.outcomes) > SHOWN_WARNINGS:
                lines.append(f"{r.source}: {r.counts(',')}")  # each PDF's line: Details
            elif isinstance(r, PdfImportReport):  # a few PDFs: what matched how, per PDF
                lines += [*r.summary().splitlines(), *r.failed]
            else:
                lines.append(f"{Path(r.source).name}: {r.counts(',')}")
        lines += self.failures
        if self.cancelled:
            lines.append(f"{Path(self.cancelled).name}: cancelled — nothing from it was imported")
        return lines

    def warnings(self) -> list[str]:
        return [warning for report in self.reports for warning in report.warnings]

    def notes(self) -> list[str]:
        """Remarks on entries that were imported (a placeholder title, a dropped field)."""
        return [note for report in self.reports for note in report.notes]

    def merges(self) -> list[str]:
        """One line per entry that merged into a paper (which one, and by which rule)."""
        return [event.format() for report in self.reports for event in report.merges]

    def pdf_lines(self) -> list[str]:
        """What became of each PDF of the folders too big to list in the summary itself."""
        return [
            line
            for r in self.reports
            if isinstance(r, PdfImportReport) and len(r.outcomes) > SHOWN_WARNINGS
            for line in r.lines()
        ]


def importable(paths: Sequence[Path]) -> list[Path]:
    """The files among paths that import, and folders (the PDFs anywhere under them import)."""
    return [p for p in paths if p.is_dir() or (p.is_file() and p.suffix.lower() in IMPORT_SUFFIXES)]


class ImportController(ProgressTaskController):
    """Runs imports on the task runner and tells the window what changed."""

    imported = Signal(object)  # Change
    finished = Signal(object)  # ImportOutcome, after the summary is up (papers stored)

    def __init__(self, library: Library, runner: TaskRunner, window: QWidget) -> None:
        super().__init__(library, runner, window)
        self.summary: QMessageBox | None = None
        self.last_outcome: ImportOutcome | None = None
        self.background = Background(library.folder, self)
        self.indexing = self.background.indexing  # (done, total) while the index catches up
        self.indexed = self.background.indexed  # Indexed (or an error): searchable now

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import papers", str(Path.home()), FILE_FILTER
        )
        if names:
            self.import_paths([Path(name) for name in names])

    def import_paths(self, paths: Sequence[Path]) -> Task | None:
        """Start importing in the library process; None when another import is storing.

        The task ends once every file is stored (the papers show then); the index takes them
        in after that, in the same process, reported by `indexing` and `indexed`."""
        paths = list(paths)
        if not paths or self.runner.busy:
            return None
        self.background.start()  # on the GUI thread: the process outlives the task's thread
        background = self.background
        args = {"paths": [str(path) for path in paths]}

        def work(task: Task) -> ImportOutcome:
            return ImportOutcome.of(background.run_import(task, "import_files", args))

        return self._start("import", work, f"Reading {paths[0].name}…", "Importing papers")

    def import_text(self, text: str, source: str = "Clipboard") -> Task | None:
        """Import pasted text (listing, BibTeX, RIS, CSL-JSON, lines of arXiv ids / DOIs) in
        the library process, with the same progress and summary as a file; None when busy."""
        if self.runner.busy:
            return None
        self.background.start()
        background = self.background
        args = {"text": text, "source": source}

        def work(task: Task) -> ImportOutcome:
            task.report(f"Importing the {source.lower()}…")
            return ImportOutcome.of(background.run_import(task, "import_text", args))

        return self._start("import", work, f"Reading the {source.lower()}…", "Importing papers")

    def close(self) -> None:
        """Stop the library process (an index catch-up under way is left for the next one)."""
        self.background.close()

    def _done(self, outcome: ImportOutcome) -> None:
        self._close_progress()
        self.last_outcome = outcome
        change = outcome.change
        if change:
            self.imported.emit(change)
        self._show_summary(outcome)
        self.finished.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        if not isinstance(error, (SearchIndexError, LibraryError)):  # messages, not bugs
            traceback.print_exception(error, file=sys.stderr)
        self.last_outcome = ImportOutcome(failures=[f"The import stopped: {error}"])
        self.imported.emit(Change())  # something may have landed before the failure
        self._show_summary(self.last_outcome)
        self.finished.emit(self.last_outcome)

    def _show_summary(self, outcome: ImportOutcome) -> None:
        total_new = sum(len(r.new_ids) for r in outcome.reports)
        if outcome.stopped:
            title = "Import cancelled"
        elif outcome.failures and not outcome.reports:
            title = "Nothing imported"
        else:
            title = f"Imported {plural(total_new, 'new paper')}"
        box = QMessageBox(self.window)
        box.setWindowTitle(title)
        box.setIcon(
            QMessageBox.Icon.Warning
            if outcome.failures or outcome.stopped
            else QMessageBox.Icon.Information
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<b>{html.escape(title)}</b><br>"
            + "<br>".join(html.escape(line) for line in outcome.summary_lines())
        )
        warnings, merges, remarks = outcome.warnings(), outcome.merges(), outcome.notes()
        pdfs = outcome.pdf_lines()
        notes = []
        if pdfs:
            notes.append(f"What became of each of the {len(pdfs):,} PDFs: see Details")
        if merges:
            entries = f"{len(merges):,} entr{'y' if len(merges) == 1 else 'ies'}"
            notes.append(f"{entries} merged into papers already here (see Details)")
        for head, lines in (("Skipped:", warnings), ("Notes:", remarks)):
            if lines:
                shown = "\n".join(lines[:SHOWN_WARNINGS])
                more = len(lines) - SHOWN_WARNINGS
                tail = f"\n… and {more:,} more (see Details)" if more > 0 else ""
                notes.append(f"{head}\n{shown}{tail}")
        if notes:
            box.setInformativeText(rich_escape("\n\n".join(notes)))  # rich, like the text
            sections = [
                (f"PDFs ({len(pdfs):,}):", pdfs),
                (f"Merged ({len(merges):,}):", merges),
                ("Skipped:", warnings),
                ("Notes:", remarks),
            ]
            box.setDetailedText(
                "\n\n".join("\n".join([head, *lines]) for head, lines in sections if lines)
            )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(title)
        self.summary = box
        box.destroyed.connect(lambda: setattr(self, "summary", None))
        box.open()
