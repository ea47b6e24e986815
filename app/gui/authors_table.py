"""The ordered authors of the metadata editor.

Family and given names, or a name kept whole (a consortium), with Add, Remove, Move up and Move
down."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage.records import AuthorRecord

FAMILY, GIVEN, WHOLE = 0, 1, 2
HEADERS = ("Family name", "Given names", "Whole name")
WHOLE_TIP = "One name kept whole, not split into family and given names (e.g. a consortium)"
VISIBLE_ROWS = 6  # the table shows this many authors before it scrolls


class AuthorsTable(QWidget):
    """Edits a list of AuthorRecords in order; `edited` whenever a name or the order changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("authors_table")
        self.table.setAccessibleName("Authors")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeaderItem(WHOLE).setToolTip(WHOLE_TIP)
        self.table.verticalHeader().setVisible(True)  # the numbers show the order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setCornerButtonEnabled(False)
        for corner in self.table.findChildren(QAbstractButton):  # the select-all corner
            corner.setAccessibleName("Select all authors")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in the other fields
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FAMILY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(GIVEN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHOLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(30)
        rows = self.fontMetrics().height() + 10
        self.table.verticalHeader().setDefaultSectionSize(rows)
        self.table.setMinimumHeight(header.sizeHint().height() + rows * 2 + 4)
        self.table.setMaximumHeight(header.sizeHint().height() + rows * VISIBLE_ROWS + 4)
        self.table.setMinimumWidth(120)
        self.table.itemChanged.connect(self._on_item_changed)

        self.add_button = self._button("Add author", self.add_author)
        self.remove_button = self._button("Remove", self.remove_selected)
        self.up_button = self._button("Move up", lambda: self.move_selected(-1))
        self.down_button = self._button("Move down", lambda: self.move_selected(1))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(4)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _button(self, text: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    # --- values --------------------------------------------------------------------------

    def set_authors(self, authors: list[AuthorRecord]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for author in authors:
            self._append(author)
        self.table.blockSignals(False)
        self._update_buttons()

    def authors(self) -> list[AuthorRecord]:
        """The authors in order (rows left empty are skipped)."""
        found = []
        for row in range(self.table.rowCount()):
            family, given = self._text(row, FAMILY), self._text(row, GIVEN)
            if self.is_whole(row):
                if family or given:
                    found.append(AuthorRecord(literal=" ".join(p for p in (given, family) if p)))
            elif family or given:
                found.append(AuthorRecord(family=family or None, given=given or None))
        return found

    def is_whole(self, row: int) -> bool:
        item = self.table.item(row, WHOLE)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return " ".join(item.text().split()) if item is not None else ""

    # --- editing -------------------------------------------------------------------------

    def _append(self, author: AuthorRecord) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        whole = bool(author.literal)
        family = author.literal if whole else author.family
        self.table.setItem(row, FAMILY, QTableWidgetItem(family or ""))
        self.table.setItem(row, GIVEN, QTableWidgetItem("" if whole else author.given or ""))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if whole else Qt.CheckState.Unchecked)
        check.setToolTip(WHOLE_TIP)
        self.table.setItem(row, WHOLE, check)
        self._set_given_enabled(row, not whole)
        return row

    def _set_given_enabled(self, row: int, enabled: bool) -> None:
        item = self.table.item(row, GIVEN)
        if item is None:
            return
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if enabled else flags)
        item.setToolTip("" if enabled else "A whole name has no given names")

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == WHOLE:
            whole = item.checkState() == Qt.CheckState.Checked
            self.table.blockSignals(True)
            given = self.table.item(item.row(), GIVEN)
            family = self.table.item(item.row(), FAMILY)
            if whole and given is not None and family is not None and given.text().strip():
                family.setText(f"{given.text().strip()} {family.text().strip()}".strip())
                given.setText("")  # "Open Research" + "Consortium" -> one whole name
            self._set_given_enabled(item.row(), not whole)
            self.table.blockSignals(False)
        self.edited.emit()

    def add_author(self) -> None:
        """A new empty row at the end, its family name being edited."""
        self.table.blockSignals(True)
        row = self._append(AuthorRecord())
        self.table.blockSignals(False)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentCell(row, FAMILY)
        self.table.editItem(self.table.item(row, FAMILY))
        self.edited.emit()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < self.table.rowCount():
            self.table.removeRow(row)
            self._select(min(row, self.table.rowCount() - 1))
            self.edited.emit()

    def move_selected(self, delta: int) -> None:
        row = self.table.currentRow()
        target = row + delta
        if not (0 <= row < self.table.rowCount() and 0 <= target < self.table.rowCount()):
            return
        self.table.blockSignals(True)
        moved = [self.table.takeItem(row, column) for column in range(3)]
        others = [self.table.takeItem(target, column) for column in range(3)]
        for column in range(3):
            self.table.setItem(target, column, moved[column])
            self.table.setItem(row, column, others[column])
        self.table.blockSignals(False)
        self._select(target)
        self.edited.emit()

    def _select(self, row: int) -> None:
        if row < 0:
            self._update_buttons()
            return
        self.table.setCurrentCell(row, FAMILY, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.table.currentRow(), self.table.rowCount()
        chosen = 0 <= row < count and bool(self.table.selectedItems())
        self.remove_button.setEnabled(chosen)
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and row < count - 1)
