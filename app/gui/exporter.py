"""File › Export…: choose what, the format and the file, and write it off the GUI thread.

Asks before a file is replaced; then says where it went, with an "Open folder" button in the
status bar."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.gui.plain import ask, tell
from app.gui.progress import ProgressTaskController
from app.gui.tasks import Task, TaskRunner
from storage.database import LibraryError
from storage.exporting import (
    EXPORT_FORMATS,
    SUFFIXES,
    ExportCancelled,
    ExportReport,
    ExportSelection,
)
from storage.library import Library
from storage.search import SearchIndexError

FORMAT_NAMES = {
    "markdown": "Markdown",
    "html": "HTML page",
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl-json": "CSL-JSON",
    "csv": "CSV (spreadsheet)",
    "json": "Papershelf JSON (full backup)",
}
OPEN_FOLDER_MS = 60_000  # how long "Open folder" stays in the status bar after an export


@dataclass(frozen=True)
class Scope:
    """One choice of what to export."""

    label: str
    selection: ExportSelection
    stem: str  # a file name suggestion


def file_stem(text: str) -> str:
    stem = re.sub(r"[^\w.-]+", "-", text.strip(), flags=re.UNICODE).strip("-.")
    return stem[:60] or "papers"


def view_scopes(
    key: tuple[str, object],
    selected: Sequence[int],
    shown: Sequence[int],
    smart: object | None,
    query: str,
) -> tuple[list[Scope], int]:
    """What File › Export… offers for a view (the sidebar's key, the papers selected, those
    shown for a status, a smart list's scope, the query) and which one it starts on."""
    kind, value = key
    scopes = [Scope("Whole library", ExportSelection.everything(), "papershelf-library")]
    chosen = 0
    if selected:
        label = f"Selected papers ({len(selected):,})"
        scopes.append(Scope(label, ExportSelection.papers(list(selected)), "selected-papers"))
        chosen = len(scopes) - 1 if len(selected) > 1 else chosen
    if kind == "list" and isinstance(value, str) and value:
        label = f"Reading list “{value}”"
        scopes.append(Scope(label, ExportSelection.reading_list(value), file_stem(value)))
        chosen = len(scopes) - 1
    if kind == "tag" and isinstance(value, str) and value:
        label = f"Papers tagged “{value}”"
        scopes.append(Scope(label, ExportSelection.tagged(value), file_stem(value)))
        chosen = len(scopes) - 1
    if kind == "status" and value and shown:
        label = f"Papers shown ({len(shown):,} {value})"
        selection = ExportSelection.papers(list(shown), title=f"Papers: {value}")
        scopes.append(Scope(label, selection, f"papers-{value}"))
        chosen = len(scopes) - 1
    if smart is not None:
        scopes.append(smart)  # type: ignore[arg-type]
        chosen = len(scopes) - 1
    if query:
        label = f"Search “{query}” (whole library)"
        scopes.append(Scope(label, ExportSelection.matching(query), file_stem(query)))
        chosen = len(scopes) - 1
    return scopes, chosen


def with_suffix(path: str, fmt: str) -> str:
    if not path:
        return path
    p = Path(path)
    return str(p.with_suffix(SUFFIXES[fmt])) if p.name else path


class ExportDialog(QDialog):
    """What (scopes), which format, and where."""

    def __init__(
        self,
        scopes: Sequence[Scope],
        chosen: int,
        folder: Path,
        fmt: str = "markdown",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export papers")
        self.scopes = list(scopes)
        self.folder = folder
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("What to export")
        for scope in self.scopes:
            self.scope.addItem(scope.label)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Export format")
        for name in EXPORT_FORMATS:
            self.format.addItem(f"{FORMAT_NAMES[name]} ({SUFFIXES[name]})", name)
        self.format.setCurrentIndex(max(0, self.format.findData(fmt)))
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Export file")
        self.browse = QPushButton("Choose…", self)
        self.browse.setAccessibleName("Choose the export file")
        self.browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Export:", self.scope)
        form.addRow("&Format:", self.format)
        to_file = QLabel("&To file:", self)
        to_file.setBuddy(self.path)
        form.addRow(to_file, row)
        form.addRow(self.buttons)
        self.setMinimumWidth(520)
        self.scope.setCurrentIndex(chosen)
        self._suggest()
        self.scope.currentIndexChanged.connect(lambda _i: self._suggest())
        self.format.currentIndexChanged.connect(
            lambda _i: self.path.setText(with_suffix(self.path.text(), self.fmt()))
        )
        self.path.textChanged.connect(self._check)
        self._check()
        self.confirmed: str | None = None  # a path the system's file dialog asked to replace

    def fmt(self) -> str:
        return str(self.format.currentData())

    def chosen(self) -> Scope:
        return self.scopes[self.scope.currentIndex()]

    def _suggest(self) -> None:
        folder = Path(self.path.text()).parent if self.path.text() else self.folder
        self.path.setText(str(folder / (self.chosen().stem + SUFFIXES[self.fmt()])))

    def _check(self) -> None:
        ok = bool(self.path.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def choose_file(self) -> None:
        fmt = self.fmt()
        suffix = SUFFIXES[fmt]
        name, _filter = QFileDialog.getSaveFileName(
            self,
            "Export to",
            self.path.text(),
            f"{FORMAT_NAMES[fmt]} (*{suffix});;All files (*)",
        )
        if name:
            chosen = name if Path(name).suffix else name + suffix
            self.confirmed = chosen if chosen == name else None
            self.path.setText(chosen)

    def accept(self) -> None:
        """Export, unless the file exists and the user would rather not replace it."""
        if self.may_write(Path(self.path.text().strip()).expanduser()):
            super().accept()

    def may_write(self, path: Path) -> bool:
        """True for a new file (or a device); for an existing file, whether to replace it."""
        if str(path) == self.confirmed:
            return True
        try:
            existing = path.is_file()
        except OSError:  # unreadable: the export says what is wrong with it
            return True
        if not existing:
            return True
        answer = ask(
            self,
            "Replace the file?",
            f"“{path.name}” already exists in {path.parent}.\n\nReplace it with this export?",
            default=QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def values(self) -> tuple[ExportSelection, str, Path]:
        return self.chosen().selection, self.fmt(), Path(self.path.text().strip()).expanduser()


class ExportController(ProgressTaskController):
    """Runs exports on the task runner with a cancellable progress dialog."""

    finished = Signal(object)  # ExportReport, or None when it failed or was cancelled

    def __init__(self, library: Library, runner: TaskRunner, window: QWidget) -> None:
        super().__init__(library, runner, window)
        self.folder = Path.home()
        self.fmt = "markdown"
        self.written: Path | None = None  # the last export's file
        self.open_folder = QPushButton("Open folder")
        self.open_folder.setObjectName("open_export_folder")
        self.open_folder.setAccessibleName("Open the folder of the exported file")
        self.open_folder.hide()
        self.open_folder.clicked.connect(self.show_folder)
        self.hide_timer = QTimer(self)
        self.hide_timer.setSingleShot(True)
        self.hide_timer.setInterval(OPEN_FOLDER_MS)
        self.hide_timer.timeout.connect(self.open_folder.hide)
        bar = getattr(window, "statusBar", None)
        if bar is not None:
            bar().addPermanentWidget(self.open_folder)

    def ask(self, scopes: Sequence[Scope], chosen: int = 0) -> Task | None:
        """Show the export dialog; start the export it asks for."""
        if self.runner.busy:
            self._status("Wait for the running task to finish, then export.")
            return None
        dialog = ExportDialog(scopes, chosen, self.folder, self.fmt, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        selection, fmt, path = dialog.values()
        return self.start(selection, fmt, path)

    def start(self, selection: ExportSelection, fmt: str, path: Path) -> Task | None:
        if self.runner.busy:
            return None
        self.folder, self.fmt = path.parent, fmt
        self.open_folder.hide()
        library = self.library

        def work(task: Task) -> ExportReport:
            return library.export(
                selection, fmt, path, progress=task.advance, cancel=task.is_cancelled
            )

        return self._start(
            "export", work, f"Exporting to {path.name}…", "Exporting papers", delay_ms=400
        )

    def _status(self, text: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if bar is not None:
            bar().showMessage(text, 10_000)

    def _done(self, report: ExportReport) -> None:
        self._close_progress()
        self._status(report.summary()[:1].upper() + report.summary()[1:] + ".")
        if not report.streamed:  # a file (not a device or a pipe): offer its folder
            self.written = report.path
            self.open_folder.setToolTip(f"Open {report.path.parent} in the file manager")
            self.open_folder.show()
            self.hide_timer.start()
        self.finished.emit(report)

    def show_folder(self) -> bool:
        """Open the folder the last export was written to in the system's file manager."""
        if self.written is None:
            return False
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written.parent))))

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        if isinstance(error, ExportCancelled):
            self._status("Export cancelled; nothing was written.")
        elif isinstance(error, (LibraryError, ValueError, SearchIndexError)):
            tell(self.window, "Export failed", f"Nothing was exported.\n\n{error}")
        else:
            tell(
                self.window,
                "Export failed",
                f"The export stopped unexpectedly: {error}",
                QMessageBox.Icon.Critical,
            )
        self.finished.emit(None)
