"""The detail pane's Files section: a paper's PDFs with their text status, open, show, remove."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.lane import Step, WriteLane
from app.gui.note_preview import set_alert, set_muted
from app.gui.plain import ask, tell, tooltip
from app.gui.tag_editor import FlowLayout
from app.gui.textbox import TextBox
from storage.views import FileView

Button = QMessageBox.StandardButton

PDF_FILTER = "PDF files (*.pdf);;All files (*)"
STATUS_WORDS = {
    "indexed": "text searchable",
    "no-text": "no text layer",
    "failed": "text not read",
    "pending": "reading text…",
}
STATUS_HINTS = {
    "indexed": "Its text is in the search index, page by page.",
    "no-text": "No text layer (a scan?): the file is attached, its words are not searchable.",
    "failed": "Its text could not be read; the file stays attached (Retry reads it again).",
    "pending": "Its text has not been read yet (Retry reads it now).",
}
RETRYABLE = ("failed", "pending")  # text statuses a file row offers Retry for
NAME_LIMIT = 300


def file_size(size: int) -> str:
    """Bytes for display in 1024s, as `papershelf files` shows them: 812 bytes, 4.1 KB, 1.2 MB."""
    if size < 1024:
        return f"{size:,} byte{'' if size == 1 else 's'}"
    value = size / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # not reached


def describe(view: FileView) -> str:
    """The line under a file's name: pages, size and what became of its text."""
    parts = []
    if view.pages:
        parts.append(f"{view.pages:,} page{'' if view.pages == 1 else 's'}")
    parts.append(file_size(view.bytes))
    parts.append(STATUS_WORDS.get(view.text, view.text))
    return " · ".join(parts)


def status_tip(view: FileView) -> str:
    """What the status means, with the extraction's reason for no-text and failed files."""
    hint = STATUS_HINTS.get(view.text, "")
    if view.reason and view.text in ("no-text", "failed"):
        hint = f"{hint}\n{view.reason}"
    return hint


class FileRow(QWidget):
    """One attached file: its name, a status line, and Open / Show in folder / Remove, and
    Retry when its text failed or never came."""

    readRequested = Signal(object)  # noqa: N815 (Qt naming): the FileView, in the reader
    openRequested = Signal(object)  # noqa: N815 (Qt naming): the FileView, system viewer
    showRequested = Signal(object)  # noqa: N815
    removeRequested = Signal(object)  # noqa: N815
    retryRequested = Signal(object)  # noqa: N815

    def __init__(self, view: FileView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setAccessibleName(f"File {view.name}")
        name = view.name if len(view.name) <= NAME_LIMIT else view.name[:NAME_LIMIT] + "…"
        self.name = TextBox(name)  # a long name without spaces wraps instead of widening
        self.name.setAccessibleName("File name")
        font = QFont(self.name.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.status = QLabel(describe(view))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("File status")
        self.status.setToolTip(tooltip(status_tip(view)))
        if view.text == "failed":
            set_alert(self.status, True)
        else:
            set_muted(self.status)
        self.read_button = self._button("Open", "Read it here, in a tab beside the papers")
        self.open_button = self._button("System viewer", "Open with the system's PDF viewer")
        self.show_button = self._button("Show in folder", "Show the library's copy in its folder")
        self.remove_button = self._button("Remove", "Remove this file from the paper")
        self.retry_button = self._button("Retry", "Read this file's text again")
        self.retry_button.setAccessibleName("Retry reading the text")
        self.read_button.clicked.connect(lambda: self.readRequested.emit(self.view))
        self.open_button.clicked.connect(lambda: self.openRequested.emit(self.view))
        self.show_button.clicked.connect(lambda: self.showRequested.emit(self.view))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self.view))
        self.retry_button.clicked.connect(lambda: self.retryRequested.emit(self.view))

        buttons = QWidget()  # the buttons wrap when the pane is narrow
        flow = FlowLayout(buttons, spacing=2)
        for button in (
            self.retry_button,
            self.read_button,
            self.open_button,
            self.show_button,
            self.remove_button,
        ):
            flow.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 2, 0, 4)
        column.setSpacing(1)
        column.addWidget(self.name)
        column.addWidget(self.status)
        column.addWidget(buttons)
        self.retry_button.setHidden(view.text not in RETRYABLE)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button


class FilesSection(QWidget):
    """The paper's files; attaching goes to whoever runs background work (attachRequested).

    Removing is done here (a quick write) after a confirmation; `changed` carries its Change.
    """

    changed = Signal(object)  # Change
    readRequested = Signal(object)  # noqa: N815 (Qt naming): a FileView to read in the window
    attachRequested = Signal(int, object)  # noqa: N815 (Qt naming): paper id, list[Path]
    retryRequested = Signal(int, object)  # noqa: N815 (Qt naming): paper id, the FileView
    failed = Signal(str)  # a one-line message for the status bar

    def __init__(self, library: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.lane: WriteLane | None = None  # the window's: a file is removed there
        self._paper_id: int | None = None
        self._title = ""
        self.rows: list[FileRow] = []
        self.setAccessibleName("Files")
        self.heading = QLabel("Files")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.empty = QLabel("No files. Attach a PDF, or drop one on the paper's row.")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        set_muted(self.empty)
        self.attach_button = QToolButton()
        self.attach_button.setText("Attach file…")
        self.attach_button.setAccessibleName("Attach file")
        self.attach_button.setToolTip("Copy PDFs into the library and attach them to this paper")
        self.attach_button.clicked.connect(self.choose_files)
        self.list = QVBoxLayout()
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.setSpacing(2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.heading)
        column.addLayout(self.list)
        column.addWidget(self.empty)
        column.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    @property
    def paper_id(self) -> int | None:
        return self._paper_id

    def name_of(self, file_id: int | None) -> str | None:
        """The name of one of the files shown, when there is more than one (else None: a
        page number is enough to say where a search hit is)."""
        if file_id is None or len(self.rows) < 2:
            return None
        return next((row.view.name for row in self.rows if row.view.id == file_id), None)

    def set_paper(self, paper_id: int | None, title: str, files: Sequence[FileView]) -> None:
        """Show these files of paper_id (None: nothing)."""
        self._paper_id, self._title = paper_id, title
        for row in self.rows:
            self.list.removeWidget(row)
            row.hide()  # not drawn again before it is deleted (a grab may come first)
            row.deleteLater()
        self.rows = []
        for view in files:
            row = FileRow(view, self)
            row.readRequested.connect(self.readRequested)
            row.openRequested.connect(self.open_file)
            row.showRequested.connect(self.show_in_folder)
            row.removeRequested.connect(self.remove_file)
            row.retryRequested.connect(self.retry_file)
            self.list.addWidget(row)
            self.rows.append(row)
        self.empty.setVisible(not self.rows)

    def retry_file(self, view: FileView) -> None:
        """Ask whoever runs background work to read the file's text again (seconds at most)."""
        if self._paper_id is not None:
            self.retryRequested.emit(self._paper_id, view)

    def choose_files(self) -> None:
        if self._paper_id is None:
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Attach files", str(Path.home()), PDF_FILTER
        )
        if names:
            self.attachRequested.emit(self._paper_id, [Path(name) for name in names])

    def stored_path(self, view: FileView) -> Path | None:
        """The library's copy of the file, or None (with a message) when it is gone."""
        try:
            path = Path(self._library.file_path(view.id))
        except Exception as error:  # the record went meanwhile
            self.failed.emit(f"{view.name}: {error}")
            return None
        if not path.is_file():
            tell(
                self,
                "File missing",
                f"The library's copy of {view.name} is missing ({path}).\n"
                "Run “papershelf check” to see which files need attention.",
            )
            return None
        return path

    def open_file(self, view: FileView) -> bool:
        path = self.stored_path(view)
        if path is None:
            return False
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        if not opened:
            self.failed.emit(f"No application opened {view.name}.")
        return bool(opened)

    def show_in_folder(self, view: FileView) -> bool:
        path = self.stored_path(view)
        if path is None:
            return False
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))

    def remove_file(self, view: FileView) -> None:
        if self._paper_id is None:
            return
        answer = ask(
            self,
            "Remove file",
            f"Remove {view.name} from “{self._title}”?\n"
            "The library's copy goes; the file you attached it from is not touched.",
            default=Button.No,
        )
        if answer != Button.Yes:
            return
        paper_id, library = self._paper_id, self._library
        work = lambda: library.detach(paper_id, view.id)  # noqa: E731
        refused = lambda error: tell(self, "File not removed", f"{view.name}: {error}")  # noqa: E731
        if self.lane is not None:  # the pane follows once it is written
            self.lane.run(Step(f"Remove {view.name}", work, self.changed.emit, refused))
            return
        try:
            change = work()
        except Exception as error:
            refused(error)
            return
        self.changed.emit(change)


def page_label(page: int | None) -> str:
    """ "p. 7" for a search hit inside a file's page 7; "" for a hit in the paper's metadata."""
    return f"p. {page:,}" if page is not None else ""
