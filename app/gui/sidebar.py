"""The sidebar: all papers, read status, reading lists and tags, each with its count."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
)

from app.gui.paper_model import IDS_MIME
from app.gui.plain import mnemonic_safe, tooltip
from app.gui.routine.latest import Latest
from app.gui.routine.sidebar_entries import RoutineEntries, SidebarCounts
from app.gui.sidebar_keys import (
    ALL,
    COUNT_ROLE,
    KEY_ROLE,
    NEW_LIST_ROLE,
    NEW_SMART_ROLE,
    Key,
    suggestion_target,
)
from storage.library import Library

__all__ = ["ALL", "DELETE_KEYS", "Key", "RENAME_KEYS", "Sidebar"]

STATUS_ROWS = (("unread", "Unread"), ("reading", "Reading"), ("read", "Read"))
RENAME_KEYS = (Qt.Key.Key_F2,)  # on a tag or list (Help › Keyboard shortcuts lists these)
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class Sidebar(RoutineEntries):
    """Emits filterChanged(key) when the user picks an entry; refresh() re-reads the counts.

    `total` counts every paper (0: the empty-library page); All papers shows it less the
    dismissed ones."""

    filterChanged = Signal(object)
    renameTagRequested = Signal(str)
    deleteTagRequested = Signal(str)
    newListRequested = Signal()
    editListRequested = Signal(str)
    deleteListRequested = Signal(str)
    exportListRequested = Signal(str)
    idsDropped = Signal(str, object)  # list name, paper ids dragged from the table
    entryActivated = Signal(object)  # Enter on an entry: the key (the window focuses its papers)
    refreshed = Signal()  # the counts were read again (the smart lists' follow, off-thread)
    readFailed = Signal(str)  # noqa: N815 (Qt naming) reading the counts on the worker failed

    def __init__(self, library: Library, parent: QTreeWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.total = 0
        self.pending_counts = False  # counts are being read on the worker
        self._reader = Latest("sidebar counts", self)
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
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
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
        self._build_routine()  # Inbox, Dismissed, Smart lists (app.gui.routine)
        self._tags_section = self._section("Tags")
        self.setCurrentItem(self._all)
        self.currentItemChanged.connect(self._on_current)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_activated)
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
        elif key[0] == "list":
            item.setToolTip(0, "Drop papers here to add them; right-click to edit or export")
        return item

    @staticmethod
    def _keyed(section: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        children = (section.child(i) for i in range(section.childCount()))
        return [child for child in children if child.data(0, KEY_ROLE)]

    def _new_list_item(self) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self._lists_section, ["New list…", ""])
        item.setData(0, NEW_LIST_ROLE, True)
        item.setForeground(0, self.palette().brush(QPalette.ColorRole.PlaceholderText))
        item.setToolTip(0, "Create a reading list")
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, "New reading list")
        return item

    @staticmethod
    def _set_count(item: QTreeWidgetItem, count: int) -> None:
        item.setText(1, f"{count:,}")
        item.setData(1, COUNT_ROLE, count)
        item.setData(1, Qt.ItemDataRole.AccessibleTextRole, f"{count} papers")

    def _fill(self, section: QTreeWidgetItem, kind: str, counts: list[tuple[str, int]]) -> None:
        """Rebuild a section's children only when its names changed; else update counts."""
        names = [item.text(0) for item in self._keyed(section)]
        if names != [name for name, _ in counts] or not section.childCount():
            section.takeChildren()
            for name, _count in counts:
                self._entry(section, name, (kind, name))
            if kind == "list":
                self._new_list_item()
        for item, (_name, count) in zip(self._keyed(section), counts, strict=True):
            self._set_count(item, count)
        section.setHidden(not counts and section is not self._lists_section)
        section.setExpanded(True)

    def refresh(self) -> None:
        """Re-read the counts here (a few cheap queries; at start and in tests); keep the
        current entry when it still exists."""
        self.show_counts(self.read_counts())

    def refresh_later(self) -> None:
        """Re-read the counts on a worker thread (~20-250 ms of SQL with 100k papers) and show
        them when they arrive; `refreshed` says so. The newest request wins."""
        self.pending_counts = True
        read = self.read_counts

        def work(_task: object) -> SidebarCounts:
            return read()

        self._reader.submit(work, self._counts_read, self._counts_failed)

    def _counts_read(self, counts: SidebarCounts) -> None:
        self.pending_counts = False
        self.show_counts(counts)

    def _counts_failed(self, error: BaseException) -> None:
        self.pending_counts = False
        self.readFailed.emit(str(error))

    def read_counts(self) -> SidebarCounts:
        """Every count the sidebar shows, read from the library (on any thread)."""
        library = self.library
        statuses = library.status_counts()
        return SidebarCounts(
            statuses,
            library.lists(),
            [(t.name, t.count) for t in library.tag_counts() if t.count],
            *self._read_routine(statuses),
        )

    def show_counts(self, counts: SidebarCounts) -> None:
        """Show counts read by read_counts(); keep the current entry when it still exists."""
        key = self.current_key()
        statuses = counts.statuses
        self.total = sum(statuses.values())
        self.blockSignals(True)
        try:
            self._set_count(self._all, self.total - statuses.get("dismissed", 0))
            for status, item in self._status.items():
                self._set_count(item, statuses.get(status, 0))
            self._show_routine(counts)
            summaries = counts.lists
            lists = [(s.name, s.count) for s in summaries]
            tags = counts.tags
            self._fill(self._lists_section, "list", lists)
            for item, summary in zip(self._keyed(self._lists_section), summaries, strict=True):
                hint = "Drop papers here to add them; right-click to edit or export"
                about = summary.description
                item.setToolTip(0, tooltip(f"{about}\n\n{hint}" if about else hint))
            self._fill(self._tags_section, "tag", tags)
            found = self.item_for(key)
            target = suggestion_target(key)
            if found is None and target is not None:  # its tag or list was rebuilt
                found = self._suggestion_for(key, self.item_for(target))
        finally:
            self.blockSignals(False)
        if found is None:
            self.select(ALL)  # the tag or list went away: emits filterChanged
        else:
            self.blockSignals(True)
            self.setCurrentItem(found)
            self._place_suggestion(found)  # a rebuilt tag or list gets it back
            self.blockSignals(False)
        self.refreshed.emit()

    # --- queries -------------------------------------------------------------------------

    def current_key(self) -> Key:
        item = self.currentItem()
        key = item.data(0, KEY_ROLE) if item is not None else None
        return tuple(key) if key else ALL  # type: ignore[return-value]

    def item_for(self, key: Key) -> QTreeWidgetItem | None:
        items = [*self.routine_key_items(), self._all, *self._status.values()]
        for section in (self._lists_section, self._tags_section):
            items += [section.child(i) for i in range(section.childCount())]
        return next((i for i in items if tuple(i.data(0, KEY_ROLE) or ()) == tuple(key)), None)

    def count_of(self, key: Key) -> int | None:
        item = self.item_for(key)
        count = item.data(1, COUNT_ROLE) if item is not None else None
        return int(count) if count is not None else None  # None: not counted (yet)

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
                # Section titles and "New list…" are not filters: a click on one leaves the
                # filter as it was; the arrow keys go on to the next filter that way.
                target = previous
                if current is not None and not QApplication.mouseButtons():
                    down = self.visualItemRect(current).top() > self.visualItemRect(previous).top()
                    target = self._next_filter(current, down) or previous
                self.blockSignals(True)
                self.setCurrentItem(target)
                if target is not previous:
                    self._place_suggestion(target)
                self.blockSignals(False)
                if target is not previous:
                    self.filterChanged.emit(self.current_key())
            return
        self.blockSignals(True)
        self._place_suggestion(current)  # "Suggested for …" under a tag or list
        self.blockSignals(False)
        self.filterChanged.emit(self.current_key())

    def _next_filter(self, item: QTreeWidgetItem, down: bool) -> QTreeWidgetItem | None:
        """The nearest entry below (or above) item that is a filter, if any."""
        step = self.itemBelow if down else self.itemAbove
        found = step(item)
        while found is not None and found.data(0, KEY_ROLE) is None:
            found = step(found)
        return found

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if item.data(0, NEW_LIST_ROLE):
            self.newListRequested.emit()
        elif item.data(0, NEW_SMART_ROLE):
            self.newSmartRequested.emit()

    def _on_activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        """Enter (or a double-click) on an entry: go on to its papers."""
        if item.data(0, KEY_ROLE):
            self.entryActivated.emit(self.current_key())
        else:
            self._on_clicked(item, column)

    def _smart_at(self, item: QTreeWidgetItem | None) -> str | None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        return key[1] if key and key[0] == "smart" else None

    def _tag_at(self, item: QTreeWidgetItem | None) -> str | None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        return key[1] if key and key[0] == "tag" else None

    def _list_at(self, item: QTreeWidgetItem | None) -> str | None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        return key[1] if key and key[0] == "list" else None

    def list_names(self) -> list[str]:
        return [item.text(0) for item in self._keyed(self._lists_section)]

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu_for(self.itemAt(pos))
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))

    def context_menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """The right-click menu for item (None where there is none); names shown literally."""
        name = self._list_at(item)
        if (
            item is self._lists_section
            or name is not None
            or (item and item.data(0, NEW_LIST_ROLE))
        ):
            menu = QMenu(self)
            if name is not None:
                shown = mnemonic_safe(name)
                menu.addAction(
                    f"Rename or describe “{shown}”…", lambda: self.editListRequested.emit(name)
                )
                menu.addAction(f"Export “{shown}”…", lambda: self.exportListRequested.emit(name))
                menu.addAction(f"Delete “{shown}”…", lambda: self.deleteListRequested.emit(name))
                menu.addSeparator()
            menu.addAction("New list…", self.newListRequested.emit)
            return menu
        smart = self._smart_at(item)
        if smart is not None or (item is not None and item.data(0, NEW_SMART_ROLE)):
            if smart is None:
                menu = QMenu(self)
                menu.addAction("Save current search…", self.newSmartRequested.emit)
                return menu
            return self.smart_menu(smart)
        tag = self._tag_at(item)
        if tag is None:
            return None
        menu = QMenu(self)
        shown = mnemonic_safe(tag)
        menu.addAction(f"Rename “{shown}”…", lambda: self.renameTagRequested.emit(tag))
        menu.addAction(f"Delete “{shown}”…", lambda: self.deleteTagRequested.emit(tag))
        return menu

    # --- dropping papers on a reading list ------------------------------------------------

    @staticmethod
    def dropped_ids(mime: QMimeData) -> list[int]:
        if not mime.hasFormat(IDS_MIME):
            return []
        raw = bytes(mime.data(IDS_MIME).data()).decode()
        return [int(part) for part in raw.split(",") if part.strip().isdigit()]

    def drop_ids_on(self, item: QTreeWidgetItem | None, mime: QMimeData) -> bool:
        """Add the papers in mime to the list at item; False when it is not a list."""
        name = self._list_at(item)
        ids = self.dropped_ids(mime)
        if name is None or not ids:
            return False
        self.idsDropped.emit(name, ids)
        return True

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return event.mimeData().hasFormat(IDS_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if self._accepts(event) and self._list_at(item) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if self.drop_ids_on(item, event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        smart = self._smart_at(self.currentItem())
        if smart is not None and event.key() in RENAME_KEYS:
            self.smartRenameRequested.emit(smart)
            return
        if smart is not None and event.key() in DELETE_KEYS:
            self.smartDeleteRequested.emit(smart)
            return
        name = self._list_at(self.currentItem())
        if name is not None and event.key() in RENAME_KEYS:
            self.editListRequested.emit(name)
            return
        if name is not None and event.key() in DELETE_KEYS:
            self.deleteListRequested.emit(name)
            return
        tag = self._tag_at(self.currentItem())
        if tag is not None and event.key() in RENAME_KEYS:
            self.renameTagRequested.emit(tag)
        elif tag is not None and event.key() in DELETE_KEYS:
            self.deleteTagRequested.emit(tag)
        else:
            super().keyPressEvent(event)
