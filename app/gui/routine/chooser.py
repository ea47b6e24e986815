"""Choose a reading list by typing.

A filter field over the lists, Enter takes the highlighted one, and a name no list has offers to
make it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

NEW_ROLE = Qt.ItemDataRole.UserRole + 1  # the item that makes a new list of the typed name
MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class ListChooser(QDialog):
    """The reading lists, narrowed as you type (any part of the name, any case)."""

    def __init__(self, names: Sequence[str], count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        papers = "the paper" if count == 1 else f"{count:,} papers"
        self.setWindowTitle("Add to reading list")
        self.names = list(names)
        label = QLabel(f"Add {papers} to which list? Type to filter; Enter adds.", self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setAccessibleName("Filter reading lists")
        self.field.setPlaceholderText("List name (a new name makes a new list)")
        self.field.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Reading lists")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keys
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.setMinimumSize(420, 360)
        self.field.textChanged.connect(self._filter)
        self.field.installEventFilter(self)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self._filter("")
        self.field.setFocus()

    def _filter(self, text: str) -> None:
        typed = " ".join(text.split())
        wanted = typed.casefold()
        self.list.clear()
        for name in self.names:
            if wanted in name.casefold():
                self.list.addItem(QListWidgetItem(name))
        if typed and not any(n.casefold() == wanted for n in self.names):
            item = QListWidgetItem(f"New list “{typed}”")
            item.setData(NEW_ROLE, typed)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.list.count() > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        """Up/Down in the field move through the lists."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in MOVE_KEYS:
                self.list.keyPressEvent(event)  # type: ignore[arg-type]
                return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        """The list picked (the name to make, for a new one); None when there is none."""
        item = self.list.currentItem()
        if item is None:
            return None
        made = item.data(NEW_ROLE)
        return str(made) if made else item.text()


def choose_list(parent: QWidget, names: Sequence[str], count: int) -> str | None:
    dialog = ListChooser(names, count, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()
    finally:
        dialog.deleteLater()
