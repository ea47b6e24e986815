"""A line above the papers that says what the routine's view is and how far along it is.

The Inbox, suggestions or a smart list, with its buttons; hidden in the other views."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from app.gui.note_preview import set_muted
from app.gui.plain import mnemonic_safe


class ViewBanner(QFrame):
    """Title, a muted line of state, and up to three buttons; clicked(name) for a button."""

    clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view_banner")
        self.setAccessibleName("About this view")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("View")
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state.setAccessibleName("View state")
        set_muted(self.state)
        self.buttons: dict[str, QPushButton] = {}
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 5, 8, 5)
        self.row.setSpacing(8)
        self.row.addWidget(self.title)
        self.row.addWidget(self.state, 1)
        self.hide()

    def show_view(
        self, title: str, state: str, buttons: list[tuple[str, str, bool | None]]
    ) -> None:
        """buttons: (name, text, checked: None for a plain button)."""
        self.title.setText(title)
        self.state.setText(state)
        wanted = [name for name, _text, _checked in buttons]
        if list(self.buttons) != wanted:
            for button in self.buttons.values():
                self.row.removeWidget(button)
                button.deleteLater()
            self.buttons = {}
            for name, _text, _checked in buttons:
                button = QPushButton(self)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the papers
                button.clicked.connect(lambda _c=False, n=name: self.clicked.emit(n))
                self.row.addWidget(button)
                self.buttons[name] = button
        for name, text, checked in buttons:
            button = self.buttons[name]
            button.setText(mnemonic_safe(text))
            button.setAccessibleName(text.split(" (")[0])
            button.setCheckable(checked is not None)
            if checked is not None:
                button.setChecked(checked)
        self.show()

    def set_state(self, state: str) -> None:
        self.state.setText(state)
