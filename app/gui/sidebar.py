"""The sidebar: all papers, read status, reading lists and tags, each with its count."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem

from storage.library import Library

Key = tuple[str, str | None]  # ("all", None) | ("status", s) | ("list", name) | ("tag", name)
ALL: Key = ("all", None)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROWS = (("unread", "Unread"), ("reading", "Reading"), ("read", "Read"))


class Sidebar(QTreeWidget):
    """Emits filterChanged(key) when the user picks an entry; refresh() re-reads the counts."""

    filterChanged = Signal(object)
    renameTagRequested = Signal(str)
    deleteTagRequested = Signal(str)

    def __init__(self, library: Library, parent: QTreeWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.total = 0
        self.setObjectName("sidebar")
        self.setAccessibleName("Library filters")
        self.setAccessibleDescription("All papers, read status, reading lists and tags")
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self._library_section = self._section("Library")
        self._all = self._entry(self._library_section, "All papers", ALL)
        self._status = {
            status: self._entry(self._library_section, label, ("status", status))
            for status, label in STATUS_ROWS
        }
        self._lists_section = self._section("Reading lists")
        self._tags_section = self._section("Tags")
        self.setCurrentItem(self._all)
        self.currentItemChanged.connect(self._on_current)
        self.customContextMenuRequested.connect(self._context_menu)
        self.refresh()

    # --- building ------------------------------------------------------------------------

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [title])
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setForeground(0, self.palette().brush(QPalette.ColorRole.PlaceholderText))
        item.setExpanded(True)
        return item

    def _entry(self, parent: QTreeWidgetItem, label: str, key: Key) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [label, ""])
        item.setData(0, KEY_ROLE, key)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setForeground(1, self.palette().brush(QPalette.ColorRole.PlaceholderText))
        if key[0] == "tag":
            item.setToolTip(0, "Right-click (or F2 / Delete) to rename or delete this tag")
        return item

    @staticmethod
    def _set_count(item: QTreeWidgetItem, count: int) -> None:
        item.setText(1, f"{count:,}")
        item.setData(1, COUNT_ROLE, count)
        item.setData(1, Qt.ItemDataRole.AccessibleTextRole, f"{count} papers")

    def _fill(self, section: QTreeWidgetItem, kind: str, counts: list[tuple[str, int]]) -> None:
        """Rebuild a section's children only when its names changed; else update counts."""
        names = [section.child(i).text(0) for i in range(section.childCount())]
        if names != [name for name, _ in counts]:
            section.takeChildren()
            for name, _count in counts:
                self._entry(section, name, (kind, name))
        for i, (_name, count) in enumerate(counts):
            self._set_count(section.child(i), count)
        section.setHidden(not counts)
        section.setExpanded(True)

    def refresh(self) -> None:
        """Re-read the counts (three cheap queries); keep the current entry when it still exists."""
        key = self.current_key()
        statuses = self.library.status_counts()
        self.total = sum(statuses.values())
        self.blockSignals(True)
        try:
            self._set_count(self._all, self.total)
            for status, item in self._status.items():
                self._set_count(item, statuses.get(status, 0))
            lists = [(s.name, s.count) for s in self.library.lists()]
            tags = [(t.name, t.count) for t in self.library.tag_counts() if t.count]
            self._fill(self._lists_section, "list", lists)
            self._fill(self._tags_section, "tag", tags)
            found = self.item_for(key)
        finally:
            self.blockSignals(False)
        if found is None:
            self.select(ALL)  # the tag or list went away: emits filterChanged
        else:
            self.blockSignals(True)
            self.setCurrentItem(found)
            self.blockSignals(False)

    # --- queries -------------------------------------------------------------------------

    def current_key(self) -> Key:
        item = self.currentItem()
        key = item.data(0, KEY_ROLE) if item is not None else None
        return tuple(key) if key else ALL  # type: ignore[return-value]

    def item_for(self, key: Key) -> QTreeWidgetItem | None:
        for section in (self._library_section, self._lists_section, self._tags_section):
            for i in range(section.childCount()):
                child = section.child(i)
                if tuple(child.data(0, KEY_ROLE) or ()) == tuple(key):
                    return child
        return None

    def count_of(self, key: Key) -> int | None:
        item = self.item_for(key)
        return int(item.data(1, COUNT_ROLE)) if item is not None else None

    def tag_names(self) -> list[str]:
        section = self._tags_section
        return [section.child(i).text(0) for i in range(section.childCount())]

    def select(self, key: Key) -> None:
        item = self.item_for(key) or self._all
        if item is self.currentItem():
            self.filterChanged.emit(self.current_key())
        self.setCurrentItem(item)

    # --- interaction ---------------------------------------------------------------------

    def _on_current(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> None:
        if current is None or current.data(0, KEY_ROLE) is None:
            if previous is not None and previous.data(0, KEY_ROLE) is not None:
                self.blockSignals(True)
                self.setCurrentItem(previous)  # section titles are not filters
                self.blockSignals(False)
            return
        self.filterChanged.emit(self.current_key())

    def _tag_at(self, item: QTreeWidgetItem | None) -> str | None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        return key[1] if key and key[0] == "tag" else None

    def _context_menu(self, pos: QPoint) -> None:
        tag = self._tag_at(self.itemAt(pos))
        if tag is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Rename “{tag}”…", lambda: self.renameTagRequested.emit(tag))
        menu.addAction(f"Delete “{tag}”…", lambda: self.deleteTagRequested.emit(tag))
        menu.exec(self.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        tag = self._tag_at(self.currentItem())
        if tag is not None and event.key() == Qt.Key.Key_F2:
            self.renameTagRequested.emit(tag)
        elif tag is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteTagRequested.emit(tag)
        else:
            super().keyPressEvent(event)
