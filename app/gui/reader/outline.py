"""The PDF's table of contents beside the pages: a click (or Enter) goes to the entry's page."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from storage.pdfpages import OutlineItem

__all__ = ["OutlinePanel"]

TARGET = Qt.ItemDataRole.UserRole + 1


class OutlinePanel(QTreeWidget):
    """The outline as a tree; entryChosen(page, top) for the entry clicked or entered."""

    entryChosen = Signal(int, object)  # noqa: N815 (Qt naming): 0-based page, top or None

    def __init__(self, items: Sequence[OutlineItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader_outline")
        self.setAccessibleName("Contents")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setColumnCount(1)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        parents: list[QTreeWidgetItem] = []
        for item in items:
            level = min(item.level, len(parents))
            del parents[level:]
            row = QTreeWidgetItem([item.title])  # item text is plain text in a tree
            row.setToolTip(0, "")
            row.setData(0, TARGET, (item.page, item.top))
            if item.page is None:
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            if parents:
                parents[-1].addChild(row)
            else:
                self.addTopLevelItem(row)
            parents.append(row)
        self.expandToDepth(0)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def _chosen(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        page, top = row.data(0, TARGET)
        if page is not None:
            self.entryChosen.emit(int(page), top)
