"""The main window: sidebar, search and paper table, detail pane, menus, undo and settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.gui.actions import EDITING, build_actions
from app.gui.commands import (
    DeleteCommand,
    DeleteTagCommand,
    FieldCommand,
    LibraryCommand,
    RenameTagCommand,
    TagCommand,
    plural,
)
from app.gui.detail import DetailPane
from app.gui.importer import ImportController, importable
from app.gui.paper_model import PaperFilter, PaperTableModel
from app.gui.searchbar import SearchBar
from app.gui.sidebar import Key, Sidebar
from app.gui.table import FIRST_DESCENDING, PaperArea, PaperTable
from app.gui.tagging import TagDialog, ask_new_tag_name, confirm_delete_tag
from app.gui.tasks import TaskRunner
from storage.library import Library
from storage.search import QueryError
from storage.views import Change

NOTE_COUNT_LIMIT = 2000  # above this many papers the delete prompt does not count notes
TOOLBAR = ("import", None, "tag", "delete", None, "undo", "redo")


class MainWindow(QMainWindow):
    """Three panes in a splitter; every edit goes through Library and comes back as a Change."""

    def __init__(self, library: Library, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.save_on_close = True
        self.setWindowTitle(f"Papershelf — {library.folder}")
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)
        self.query = ""
        self.sort_override = False  # a header click while searching or in a list wins
        self.user_sort = str(settings.value("table/sort", "added"))
        self.user_descending = settings.value("table/descending", True, type=bool)

        self.model = PaperTableModel(library, parent=self)
        self.table = PaperTable(self.model)
        self.area = PaperArea(self.table)
        self.sidebar = Sidebar(library)
        self.search = SearchBar()
        self.detail = DetailPane(library)
        self.detail.setMinimumWidth(300)
        self.importer = ImportController(library, self.runner, self)

        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.search)
        column.addWidget(self.area, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.sidebar, middle, self.detail):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 760, 420])
        self.setCentralWidget(self.splitter)

        self.actions = build_actions(self, self.menuBar(), self.table, self._handler)
        self._build_toolbar()
        self.table.context_actions = [
            self.actions[name] if name else None
            for name in ("tag", None, "unread", "reading", "read", None, "delete")
        ]
        self._connect()
        self._restore_state()
        self.sidebar.refresh()
        self.reload()

    # --- building ------------------------------------------------------------------------

    def _handler(self, name: str):  # noqa: ANN202 - a bound method of this window
        return getattr(self, name)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in TOOLBAR:
            if name is None:
                bar.addSeparator()
            else:
                bar.addAction(self.actions[name])
                bar.widgetForAction(self.actions[name]).setAccessibleName(
                    self.actions[name].text().replace("&", "").rstrip("…")
                )
        self.addToolBar(bar)

    def _connect(self) -> None:
        self.sidebar.filterChanged.connect(self._on_filter)
        self.sidebar.renameTagRequested.connect(self.rename_tag)
        self.sidebar.deleteTagRequested.connect(self.delete_tag)
        self.search.queryChanged.connect(self._on_query)
        self.table.columnClicked.connect(self._on_column_clicked)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda *_: self.show_current())
        selection.selectionChanged.connect(lambda *_: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        self.detail.changed.connect(lambda change: self.apply_change(change, from_detail=True))
        self.detail.saveFailed.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.importer.imported.connect(self.apply_change)
        self.area.empty.importClicked.connect(self.import_files)
        self.runner.busyChanged.connect(self._on_busy)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.actions["undo"].setText(f"&Undo {text}" if text else "&Undo")
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self.actions["redo"].setText(f"&Redo {text}" if text else "&Redo")
        )
        self.undo_stack.canUndoChanged.connect(lambda _can: self._update_actions())
        self.undo_stack.canRedoChanged.connect(lambda _can: self._update_actions())

    # --- loading and filtering -----------------------------------------------------------

    def effective_sort(self) -> tuple[str, bool, bool]:
        """(sort key, descending, whether it is a column sort the header should show)."""
        if not self.sort_override:
            if self.query:
                return "relevance", False, False
            if self.sidebar.current_key()[0] == "list":
                return "position", False, False
        return self.user_sort, self.user_descending, True

    def current_filter(self) -> PaperFilter:
        kind, value = self.sidebar.current_key()
        return PaperFilter(
            status=value if kind == "status" else None,
            tag=value if kind == "tag" else None,
            list_name=value if kind == "list" else None,
            query=self.query,
        )

    def reload(self) -> bool:
        """Fill the table for the current filter, query and sort; False for a bad query."""
        keep, current = self.table.selected_ids(), self.table.current_id()
        sort, descending, shown = self.effective_sort()
        try:
            self.model.load(self.current_filter(), sort, descending)
        except QueryError as error:
            self.search.show_error(str(error))
            return False
        self.search.clear_error()
        self.table.show_sort(sort if shown else None, descending)
        self.area.show_empty(self.sidebar.total == 0)
        self.table.select_ids(keep, current)
        if self.table.current_id() is None:
            self.table.select_row(0)
        self._after_rows_changed()
        self.show_current(force=False)
        return True

    def _after_rows_changed(self) -> None:
        self.search.set_count(self.model.rowCount(), bool(self.query))
        self._update_actions()

    def _on_filter(self, _key: Key) -> None:
        self.sort_override = False
        self.reload()

    def _on_query(self, text: str) -> None:
        if bool(text) != bool(self.query):
            self.sort_override = False
        previous, self.query = self.query, text
        if not self.reload():
            self.query = previous  # keep showing the last good results

    def _on_column_clicked(self, sort: str) -> None:
        current, descending, shown = self.effective_sort()
        same = shown and current == sort
        descending = not descending if same else sort in FIRST_DESCENDING
        self.user_sort, self.user_descending = sort, descending
        self.sort_override = bool(self.query) or self.sidebar.current_key()[0] == "list"
        self.reload()

    def show_current(self, force: bool = False) -> None:
        """Show the current paper in the detail pane, with its search snippet."""
        pid = self.table.current_id()
        if pid != self.detail.current_paper_id or force:
            self.detail.show_paper(pid)
        snippet = ""
        if pid is not None and self.query:
            try:
                hits = self.library.search(self.query, limit=1, restrict_ids=[pid]).hits
            except QueryError:
                hits = []
            snippet = hits[0].snippet if hits else ""
        self.detail.show_snippet(snippet)

    # --- after every edit ----------------------------------------------------------------

    def apply_change(self, change: Change, from_detail: bool = False) -> None:
        """Refresh exactly what a mutation touched: rows, counts, the detail pane."""
        try:
            self.model.apply_change(change)
        except QueryError:
            self.model.refresh_ids(change.paper_ids)
        self.sidebar.refresh()
        self.area.show_empty(self.sidebar.total == 0)
        current = self.table.current_id()
        if current is None and self.model.rowCount():
            self.table.select_row(0)
        elif current is not None and not self.table.selected_ids():
            self.table.select_ids([current], current)
        touched = current is not None and current in change.paper_ids
        if touched and not from_detail:
            self.detail.refresh()
        self.show_current()
        self._after_rows_changed()

    def _push(self, command: LibraryCommand) -> None:
        self.undo_stack.push(command)

    def _report(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    # --- commands (the action table calls these by name) ---------------------------------

    def import_files(self) -> None:
        self.importer.choose_files()

    def focus_search(self) -> None:
        self.search.focus()

    def focus_sidebar(self) -> None:
        self.sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select_all(self) -> None:
        self.table.selectAll()

    def undo(self) -> None:
        if not self.runner.busy:
            self.undo_stack.undo()

    def redo(self) -> None:
        if not self.runner.busy:
            self.undo_stack.redo()

    def _selection(self) -> list[int]:
        ids = self.table.selected_ids()
        if not ids:
            self._report("Select one or more papers first.")
        return ids

    def tag_selection(self) -> None:
        ids = self._selection()
        if not ids:
            return
        rows = self.model.rows_for(ids)
        counts = Counter(tag for row in rows.values() for tag in row.tags)
        dialog = TagDialog(len(ids), self.sidebar.tag_names(), counts, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            add, remove = dialog.changes()
            self.edit_tags(ids, add, remove)

    def edit_tags(self, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]) -> None:
        """Add and remove tags on all these papers at once (undoable)."""
        if not ids or not (add or remove) or self.runner.busy:
            return
        before = {pid: row.tags for pid, row in self.model.rows_for(ids).items()}
        self._push(
            TagCommand(self.library, self.apply_change, self._report, ids, add, remove, before)
        )

    def set_status(self, status: str, ids: Sequence[int] | None = None) -> None:
        self._set_field("status", status, ids)

    def set_rating(self, rating: int, ids: Sequence[int] | None = None) -> None:
        self._set_field("rating", rating, ids)

    def _set_field(self, field: str, value: str | int, ids: Sequence[int] | None) -> None:
        ids = list(ids) if ids is not None else self._selection()
        if not ids or self.runner.busy:
            return
        rows = self.model.rows_for(ids)
        before = {pid: getattr(row, field) for pid, row in rows.items()}
        changing = [pid for pid in ids if pid in before and before[pid] != value]
        if changing:
            self._push(
                FieldCommand(
                    self.library, self.apply_change, self._report, field, changing, value, before
                )
            )

    def delete_selection(self) -> None:
        self.delete_papers(self._selection())

    def delete_papers(self, ids: Sequence[int], confirm: bool = True) -> None:
        if not ids or self.runner.busy:
            return
        if confirm and not self._confirm_delete(ids):
            return
        self._push(DeleteCommand(self.library, self.apply_change, self._report, ids))

    def _confirm_delete(self, ids: Sequence[int]) -> bool:
        text = f"Delete {plural(len(ids), 'paper')} from the library?"
        if len(ids) == 1:
            row = self.model.rows_for(ids).get(ids[0])
            text = f"Delete “{row.title if row else ids[0]}” from the library?"
        if len(ids) <= NOTE_COUNT_LIMIT:
            notes = sum(len(record.notes) for record in self.library.records(ids))
            extra = f"Its {plural(notes, 'note')} will be deleted too." if notes else ""
            if notes and len(ids) > 1:
                extra = f"They have {plural(notes, 'note')}, which will be deleted too."
        else:
            extra = "Any notes on them will be deleted too."
        answer = QMessageBox.question(
            self, "Delete papers?", f"{text}\n{extra}\nYou can undo this with Ctrl+Z.".strip()
        )
        return answer == QMessageBox.StandardButton.Yes

    def rename_tag(self, old: str, new: str | None = None) -> None:
        if self.runner.busy:
            return
        new = new if new is not None else ask_new_tag_name(self, old, self.sidebar.tag_names())
        if new:
            self._push(RenameTagCommand(self.library, self.apply_change, self._report, old, new))

    def delete_tag(self, name: str, confirm: bool = True) -> None:
        if self.runner.busy:
            return
        count = self.sidebar.count_of(("tag", name)) or 0
        if confirm and not confirm_delete_tag(self, name, count):
            return
        self._push(DeleteTagCommand(self.library, self.apply_change, self._report, name))

    # --- busy state, drops, settings -----------------------------------------------------

    def _on_busy(self, busy: bool) -> None:
        self.detail.setEnabled(not busy)  # its edits would wait for the import's write lane
        self._update_actions()

    def _update_actions(self) -> None:
        if not shiboken6.isValid(self.undo_stack):
            return  # signals from children while the window is being destroyed
        busy = self.runner.busy
        selected = self.table.selectionModel().hasSelection()
        for name in EDITING:
            self.actions[name].setEnabled(not busy and selected)
        self.actions["undo"].setEnabled(not busy and self.undo_stack.canUndo())
        self.actions["redo"].setEnabled(not busy and self.undo_stack.canRedo())
        self.actions["import"].setEnabled(not busy)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.import_dropped(paths)

    def import_dropped(self, paths: Sequence[Path]) -> None:
        files = importable(paths)
        if not files:
            self._report("Drop .bib, .ris, .json (CSL-JSON) or .txt listing files to import.")
        elif self.importer.import_paths(files) is None:
            self._report("An import is already running; drop the files again when it is done.")

    def _restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 900)
        if s.value("window/state") is not None:
            self.restoreState(s.value("window/state"))
        if s.value("window/splitter") is not None:
            self.splitter.restoreState(s.value("window/splitter"))
        self.table.restore_header(s.value("table/header"))

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("table/header", self.table.header_state())
        s.setValue("table/sort", self.user_sort)
        s.setValue("table/descending", self.user_descending)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.search.timer.stop()
        self.detail.flush()
        if self.runner.busy:
            self.importer.cancel()
            self.runner.shutdown()
        if self.save_on_close:
            self.save_state()
        super().closeEvent(event)
