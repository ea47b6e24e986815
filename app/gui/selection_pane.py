"""The right pane while several papers are selected: how many, and the edits for all of them."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from app.gui.note_preview import set_muted
from app.gui.tag_editor import FlowLayout

# (heading, action names): each button is bound to the window's action (its text, keys in the
# tooltip, enabled state), so it does exactly what the menu entry does.
GROUPS = (
    ("Status", ("unread", "reading", "read")),
    ("Rating", ("rate0", "rate1", "rate2", "rate3", "rate4", "rate5")),
    ("Organise", ("tag", "add_to_list")),
    ("Share", ("export",)),
    ("Remove", ("delete",)),
)


class SelectionPane(QWidget):
    """'3 papers selected' and a button for each bulk action (bound to the window's actions)."""

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selection_pane")
        self.setAccessibleName("Selected papers")
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.hint = QLabel("What you do here applies to every selected paper; Ctrl+Z undoes it.")
        self.hint.setWordWrap(True)
        set_muted(self.hint)
        self.buttons: dict[str, QToolButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        for title, names in GROUPS:
            layout.addSpacing(10)
            label = QLabel(title)
            bold = QFont(label.font())
            bold.setBold(True)
            label.setFont(bold)
            layout.addWidget(label)
            row = QWidget()  # buttons side by side, wrapping as narrow as the pane is
            flow = FlowLayout(row, spacing=4)
            for name in names:
                button = QToolButton()
                button.setDefaultAction(actions[name])
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                button.setAccessibleName(actions[name].text().replace("&", "").rstrip("…"))
                self.buttons[name] = button
                flow.addWidget(button)
            layout.addWidget(row)
        layout.addStretch(1)

    def set_count(self, count: int) -> None:
        self.heading.setText(f"{count:,} papers selected")
        self.heading.setAccessibleName(self.heading.text())
