"""All of one paper's tags as a filterable list (for sets too big for chips), removable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class TagListDialog(QDialog):
    """A list of tags (plain text, uniform rows, so 10,000 of them show at once), a filter
    field, and a button that asks to remove the selected ones (removeRequested)."""

    removeRequested = Signal(list)  # noqa: N815 (Qt naming): the tag names to remove

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tags of this paper")
        self.setAccessibleName("All tags of this paper")
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter tags…")
        self.filter.setAccessibleName("Filter tags")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName("Tags")
        self.remove = QPushButton("Remove selected", self)
        self.remove.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.remove, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(420, 520)
        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove.setEnabled(bool(self.list.selectedItems()))
        )
        self.remove.clicked.connect(self._remove_selected)

    def set_tags(self, tags: Sequence[str]) -> None:
        self.list.clear()
        self.list.addItems(list(tags))  # QListWidget items are plain text
        self.count.setText(f"{len(tags):,} tags")
        self._apply_filter(self.filter.text())

    def tags(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _remove_selected(self) -> None:
        names = [item.text() for item in self.list.selectedItems()]
        if names:
            self.removeRequested.emit(names)
