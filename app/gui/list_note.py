"""The note on a paper in a reading list: a dialog of fixed width, saved with Ctrl+Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.gui.note_preview import set_muted
from app.gui.plain import tooltip

WIDTH = 480  # the dialog's width, whatever the title's length
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # Help › Keyboard shortcuts lists them


class ListNoteDialog(QDialog):
    """Edits one list entry's note: Ctrl+Enter (or OK) saves, Esc (or Cancel) does not. Long
    titles and list names are elided in the middle (in full in the tooltip)."""

    def __init__(self, title: str, list_name: str, note: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("list_note")
        self.setWindowTitle("List note")
        metrics = self.fontMetrics()
        room = WIDTH - 40
        shown_list = metrics.elidedText(list_name, Qt.TextElideMode.ElideMiddle, room // 3)
        shown_title = metrics.elidedText(title, Qt.TextElideMode.ElideMiddle, room)
        self.label = QLabel(f"Note on “{shown_title}”\nin “{shown_list}”:")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # titles are the user's text
        self.label.setToolTip(tooltip(f"{title}\nin {list_name}"))
        self.edit = QPlainTextEdit(note)
        self.edit.setAccessibleName("List note")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Why this paper is on the list, what to read first…")
        self.hint = QLabel("Ctrl+Enter saves · Esc cancels")
        set_muted(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in SAVE_KEYS:
            QShortcut(QKeySequence(keys), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setFixedWidth(WIDTH)
        self.resize(WIDTH, 260)
        self.edit.setFocus()
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def text(self) -> str:
        return self.edit.toPlainText()


def ask_list_note(parent: QWidget, title: str, list_name: str, note: str) -> tuple[str, bool]:
    """(the note, whether it was saved)."""
    dialog = ListNoteDialog(title, list_name, note, parent)
    saved = dialog.exec() == QDialog.DialogCode.Accepted
    text = dialog.text()
    dialog.deleteLater()
    return text, saved
