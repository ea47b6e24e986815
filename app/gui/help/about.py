"""Help › About: the version, the library folder and what it holds (Library.stats)."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cli.parser import app_version
from storage.views import Stats


def counts_text(stats: Stats) -> str:
    """'390 papers · 12 tags · 40 notes · 3 lists · 2 files (31 pages)'."""

    def n(count: int, word: str) -> str:
        return f"{count:,} {word}" + ("" if count == 1 else "s")

    parts = [n(stats.papers, "paper"), n(stats.tags, "tag"), n(stats.notes, "note")]
    parts.append(n(stats.lists, "list"))
    files = n(stats.files, "file")
    parts.append(f"{files} ({n(stats.pages, 'page')})" if stats.files else files)
    return " · ".join(parts)


class AboutDialog(QDialog):
    """Plain text only: the folder path is the user's and is shown as it is."""

    def __init__(self, folder: Path, stats: Stats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self.setWindowTitle("About Papershelf")
        self.folder = folder
        title = QLabel(f"Papershelf {app_version()}")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        blurb = self._plain("An offline reading list for people who read research papers.")
        self.folder_label = self._plain(str(folder), selectable=True)
        self.folder_label.setAccessibleName("Library folder")
        self.counts = self._plain(counts_text(stats))
        self.counts.setAccessibleName("What the library holds")
        runtime = self._plain(
            f"Python {platform.python_version()} · Qt for Python {pyside_version} · {sys.platform}"
        )
        form = QFormLayout()
        form.addRow("Library folder:", self.folder_label)
        form.addRow("It holds:", self.counts)
        form.addRow("Running on:", runtime)
        self.open_folder = QPushButton("Open library folder")
        self.open_folder.setAccessibleName("Open library folder")
        self.open_folder.clicked.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @staticmethod
    def _plain(text: str, selectable: bool = False) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _open(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
