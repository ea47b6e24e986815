"""The small panel over the pages by a highlight: its colour, its Markdown comment, Delete."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage.highlights import COLOR_HEX, COLORS

__all__ = ["HighlightPopup"]

WIDTH = 320


class HighlightPopup(QFrame):
    """Shown by a highlight just made or clicked. Colours apply at once; the comment is handed
    over (done) when the panel closes: Done, Escape, a click elsewhere on the pages."""

    colorChosen = Signal(str)  # noqa: N815 (Qt naming)
    deleteRequested = Signal()  # noqa: N815
    done = Signal(str)  # the comment as left

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("highlight_popup")
        self.setAccessibleName("Highlight")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.note_id: int | None = None
        self.anchor: tuple[int, QRectF] | None = None
        self.title = QLabel("Highlight")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.swatches: dict[str, QToolButton] = {}
        colors = QHBoxLayout()
        colors.setSpacing(4)
        for number, color in enumerate(COLORS, start=1):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.setAccessibleName(f"{color.capitalize()} ({number})")
            button.setToolTip(f"{color.capitalize()} (key {number})")
            button.setFixedSize(22, 22)
            button.setStyleSheet(
                f"QToolButton {{ background: {COLOR_HEX[color]}; border: 1px solid palette(mid);"
                " border-radius: 11px; }"
                "QToolButton:checked { border: 2px solid palette(text); }"
            )
            button.clicked.connect(lambda _c=False, c=color: self.colorChosen.emit(c))
            self.swatches[color] = button
            colors.addWidget(button)
        colors.addStretch(1)
        self.delete_button = QToolButton()
        self.delete_button.setText("Delete")
        self.delete_button.setAccessibleName("Delete highlight")
        self.delete_button.setToolTip("Delete the highlight and its note (Ctrl+Z undoes it)")
        self.delete_button.clicked.connect(self.deleteRequested)
        colors.addWidget(self.delete_button)
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName("Comment")
        self.comment.setPlaceholderText("Add a comment (Markdown)…")
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.comment.installEventFilter(self)
        self.done_button = QToolButton()
        self.done_button.setText("Done")
        self.done_button.setAccessibleName("Done")
        self.done_button.setToolTip("Keep the comment and close (Escape or Ctrl+Enter)")
        self.done_button.clicked.connect(self.finish)
        bottom = QHBoxLayout()
        bottom.addWidget(self.title, 1)
        bottom.addWidget(self.done_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(4)
        column.addLayout(colors)
        column.addWidget(self.comment)
        column.addLayout(bottom)
        self.setFixedWidth(WIDTH)
        self.hide()

    def open_for(self, note_id: int, color: str | None, comment: str, where: QRectF) -> None:
        """Show for this highlight, next to `where` (viewport coordinates), comment focused."""
        self.note_id = note_id
        for name, button in self.swatches.items():
            button.setChecked(name == color)
        self.comment.setPlainText(comment)
        self.adjustSize()
        self.place(where)
        self.show()
        self.raise_()
        self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.comment.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.comment.setTextCursor(cursor)

    def place(self, where: QRectF) -> None:
        """Below the highlight, or above it when there is no room below; inside the view."""
        parent = self.parentWidget()
        assert parent is not None
        x = min(max(where.left(), 4), max(parent.width() - self.width() - 4, 4))
        y = where.bottom() + 6
        if y + self.height() > parent.height() - 4:
            y = max(where.top() - self.height() - 6, 4)
        self.move(round(x), round(y))

    def set_color(self, color: str) -> None:
        if color in self.swatches:
            self.swatches[color].setChecked(True)

    def finish(self) -> None:
        """Close, handing the comment over (once)."""
        if self.note_id is None:
            self.hide()
            return
        text = self.comment.toPlainText()
        self.hide()
        self.done.emit(text)
        self.note_id = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.comment and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            ctrl_enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            )
            if event.key() == Qt.Key.Key_Escape or ctrl_enter:
                self.finish()
                return True
        return super().eventFilter(watched, event)
