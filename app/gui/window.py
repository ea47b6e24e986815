"""The main window: sidebar, search and paper table, detail pane, menus, undo and settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.gui.actions import EDITING, LIST_ONLY, build_actions
from app.gui.columns import keys_of
from app.gui.detail import DetailPane
from app.gui.editor import PaperEditor
from app.gui.exporter import ExportController, Scope, file_stem, view_scopes
from app.gui.files import install as install_files
from app.gui.filtering import FilteringMixin
from app.gui.help import HelpController
from app.gui.importer import ImportController, importable
from app.gui.index_follow import IndexFollower
from app.gui.index_status import IndexStatus
from app.gui.lane import WriteLane
from app.gui.lists import ListController
from app.gui.live import LiveUpdates
from app.gui.paper_model import COLUMNS, PaperTableModel
from app.gui.plain import mnemonic_safe
from app.gui.query_worker import QueryWorker
from app.gui.reader import install as install_reader
from app.gui.routine import install as install_routine
from app.gui.routine.latest import Latest
from app.gui.sample import SampleController
from app.gui.search_help import install as install_search_help
from app.gui.searchbar import SearchBar
from app.gui.selection_pane import SelectionPane
from app.gui.sidebar import Sidebar
from app.gui.table import PaperArea, PaperTable
from app.gui.tasks import TaskRunner
from app.gui.view_state import restore_view, save_view
from storage.exporting import ExportSelection
from storage.library import Library
from storage.search import Matches
from storage.views import Change

SNIPPET_DELAY_MS = 120
SORT_KEYS = {column.sort for column in COLUMNS if column.sort}
TOOLBAR = ("import", None, "tag", "delete", None, "undo", "redo")


class MainWindow(FilteringMixin, QMainWindow):
    """Three panes in a splitter; every edit goes through Library and comes back as a Change."""

    closed = Signal()  # after the window closed (its state saved)

    def __init__(self, library: Library, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        # This process runs Qt's threads: its index writes never fork worker processes (an
        # import's indexing runs in the library process, which may).
        library.index.worker_processes = False
        self.settings = settings
        self.save_on_close = True
        self.setWindowTitle(str(library.folder))  # Qt adds " — Papershelf"
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        self.lane = WriteLane(library, self)  # edits, undo and redo: in order, off this thread
        library.index_catch_up = self.lane.request_catch_up  # other writes' index updates too
        self.query = ""
        self._snippet_for: tuple[int | None, str] | None = None
        self.shown_matches: Matches | None = None  # the search shown (its snippets are cut from)
        self.snippet_timer = QTimer(self)
        self.snippet_timer.setSingleShot(True)
        self.snippet_timer.setInterval(SNIPPET_DELAY_MS)
        self.snippet_timer.timeout.connect(self._show_snippet)
        self.snippets = Latest("snippet", self)
        self.select_after_load: int | None = None
        self.select_after_change: tuple[list[int], int] | None = None
        self.sort_override = False  # a header click while searching or in a list wins
        self.user_sort = str(settings.value("table/sort", "added"))
        if self.user_sort not in SORT_KEYS:
            self.user_sort = "added"
        self.user_descending = settings.value("table/descending", True, type=bool)

        self.model = PaperTableModel(library, parent=self)
        self.searcher = QueryWorker(self.model, self)  # a query's ids, off the GUI thread
        self.table = PaperTable(self.model)
        self.area = PaperArea(self.table)
        self.sidebar = Sidebar(library)
        self.search = SearchBar()
        self.detail = DetailPane(library)
        self.detail.use_lane(self.lane)  # its status, rating and tag edits: off this thread
        self.detail.setMinimumWidth(300)
        self.importer = ImportController(library, self.runner, self)
        self.lane.index_elsewhere = lambda: self.importer.background.catching_up
        self.editor = PaperEditor(
            self, library, self.table, self.sidebar, self.runner, self.apply_change, self._report
        )
        self.undo_stack = self.editor.undo_stack
        self.lists = ListController(
            self, library, self.table, self.sidebar, self.runner, self.apply_change, self._report
        )
        self.lists.lane = self.lane  # list edits: off this thread too
        self.model.write_entry_note = self.lists.write_entry_note
        self.exporter = ExportController(library, self.runner, self)
        self.index_status = IndexStatus(library, self.statusBar(), self.search, self)

        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.search)
        column.addWidget(self.area, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.right = QStackedWidget()  # the paper on show, or the bulk actions for several
        self.right.addWidget(self.detail)
        for pane in (self.sidebar, middle, self.right):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 880, 340])
        self.setCentralWidget(self.splitter)

        self.routine = install_routine(self)  # Inbox, paste, related, suggestions, smart lists
        self.help = HelpController(self, self.search, self.library)
        self.sample = SampleController(self)  # Help › Try a sample library
        self.actions = build_actions(self, self.menuBar(), self.table, self._handler)
        self._build_toolbar()
        self.selection_pane = SelectionPane(self.actions)
        self.right.addWidget(self.selection_pane)
        self.add_to_list_menu = QMenu("Add to &list", self)
        self.add_to_list_menu.aboutToShow.connect(self._fill_add_to_list_menu)
        self.table.context_actions = [
            self.actions[name] if name else None
            for name in ("tag", None, "unread", "reading", "read", None, "delete")
        ]
        self.table.context_actions[1:1] = [
            self.add_to_list_menu.menuAction(),
            self.actions["entry_note"],
            self.actions["remove_from_list"],
        ]
        self._connect()
        self.attacher = install_files(self)  # Files section, attaching, PDFs dropped on rows
        self.search_help = install_search_help(self)  # why a search found nothing
        self.detail.editor.push = self.undo_stack.push  # "Edit details" saves are undoable
        self.detail.editor.sink = self.apply_change
        self.detail.editor.report = self._report
        self.reader = install_reader(self)  # the middle as tabs: papers, then open PDFs
        self._restore_state()
        self.routine.follow_sidebar()  # the view put back (the Inbox's keys, a smart list…)
        self.reload()
        self.live = LiveUpdates(self)  # changes made by commands or other windows

    # --- building ------------------------------------------------------------------------

    def _handler(self, name: str) -> Callable[..., object]:
        """The method an action calls: an edit on the editor, else one of the window's
        ("help.about": a method of one of its parts)."""
        if "." in name:
            part, method = name.split(".", 1)
            return getattr(getattr(self, part), method)
        return getattr(self.editor, name, None) or getattr(self, name)

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
        self.sidebar.refreshed.connect(lambda: self.area.show_empty(self.sidebar.total == 0))
        self.sidebar.readFailed.connect(lambda text: self._report(f"Could not read counts: {text}"))
        self.sidebar.renameTagRequested.connect(self.editor.rename_tag)
        self.sidebar.deleteTagRequested.connect(self.editor.delete_tag)
        self.sidebar.newListRequested.connect(self.new_list)
        self.sidebar.editListRequested.connect(self.lists.edit_list)
        self.sidebar.deleteListRequested.connect(self.lists.delete_list)
        self.sidebar.exportListRequested.connect(self.export_list)
        self.sidebar.idsDropped.connect(self.lists.add_to_list)
        self.table.rowsMoved.connect(self.lists.move_to)
        self.search.queryChanged.connect(self._on_query)
        self.search.wholeLibraryRequested.connect(self.search_whole_library)
        self.searcher.finished.connect(self._on_search_done)
        self.table.columnClicked.connect(self._on_column_clicked)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda *_: self.show_current())
        selection.selectionChanged.connect(lambda *_: self._update_actions())
        selection.selectionChanged.connect(lambda *_: self._show_selection())
        self.model.modelReset.connect(self._show_selection)
        self.model.modelReset.connect(self._update_actions)
        self.detail.changed.connect(lambda change: self.apply_change(change, from_detail=True))
        self.detail.saveFailed.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.importer.imported.connect(self.apply_change)
        self.importer.indexing.connect(self.index_status.show_indexing)
        self.index_follower = IndexFollower(self)  # searches run again once indexed
        self.area.empty.importClicked.connect(self.import_files)
        self.area.empty.sampleClicked.connect(lambda: self.sample.offer())
        self.runner.busyChanged.connect(self._on_busy)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.actions["undo"].setText(
                f"&Undo {mnemonic_safe(text)}" if text else "&Undo"
            )
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self.actions["redo"].setText(
                f"&Redo {mnemonic_safe(text)}" if text else "&Redo"
            )
        )
        self.undo_stack.canUndoChanged.connect(lambda _can: self._update_actions())
        self.undo_stack.canRedoChanged.connect(lambda _can: self._update_actions())

    # --- after every edit ----------------------------------------------------------------

    def apply_change(self, change: Change, from_detail: bool = False) -> None:
        """Refresh exactly what a mutation touched: rows, counts, the detail pane. The view's
        ids are read again on the search worker (a search re-ranked there), and the rows that
        moved are moved when they arrive (live.finish)."""
        self.model.forget(change.paper_ids)
        if self.model.filter.list_name and change.lists:
            self.model.refresh_list_notes()
        if change.lists or change.smart_lists:
            self.sidebar.refresh()  # its entries change: shown at once (the list just made…)
        else:
            self.sidebar.refresh_later()  # only counts: read on a worker, shown when read
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
        if self.search_pending:
            self.reload()  # the search under way may have read the library before this change
        elif self.model.filter == self.current_filter():
            self.live.follow(change.paper_ids)

    def _report(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    # --- commands (the action table calls these by name) ---------------------------------

    def import_files(self) -> None:
        self.importer.choose_files()

    # --- reading lists and export ---------------------------------------------------------

    def new_list(self) -> None:
        self.lists.new_list()

    def move_in_list(self, delta: int) -> None:
        self.lists.move(delta)

    def edit_entry_note(self) -> None:
        self.lists.edit_entry_note()

    def remove_from_list(self) -> None:
        self.lists.remove_from_list()

    def delete_or_remove(self) -> None:
        """Delete: in a reading list it takes papers out of the list, never out of the library;
        in the Inbox it dismisses them, in suggestions it rejects them."""
        if self.routine.delete_key():
            return
        if self.lists.shown_list() is not None:
            self.lists.remove_from_list()
        else:
            self.editor.delete_selection()

    def _fill_add_to_list_menu(self) -> None:
        menu = self.add_to_list_menu
        menu.clear()
        shown = self.lists.shown_list()
        for name in self.sidebar.list_names():
            action = menu.addAction(mnemonic_safe(name))
            action.setEnabled(name != shown)
            action.triggered.connect(
                lambda _c=False, n=name: self.lists.add_to_list(n, self.table.selected_ids())
            )
        if menu.actions():
            menu.addSeparator()
        menu.addAction("New list…", lambda: self.lists.new_list(self.table.selected_ids()))

    def choose_list(self) -> None:
        """Paper › Add to list… (Ctrl+L): the lists as a menu at the current row, to pick with
        the arrow keys and Enter (or a click); "New list…" at the end."""
        index = self.table.currentIndex()
        rect = self.table.visualRect(index) if index.isValid() else self.table.rect()
        where = self.table.viewport().mapToGlobal(
            rect.bottomLeft() if index.isValid() else rect.center()
        )
        self.add_to_list_menu.popup(where)  # fills itself (aboutToShow) before it shows
        enabled = [a for a in self.add_to_list_menu.actions() if a.isEnabled() and a.text()]
        if enabled:
            self.add_to_list_menu.setActiveAction(enabled[0])

    def export_scopes(self) -> tuple[list[Scope], int]:
        """What File › Export… offers for the current view, and which one it starts on."""
        key = self.sidebar.current_key()
        shown = self.model.ids if key[0] == "status" else ()
        smart = self.routine.export_scope(key)
        return view_scopes(key, self.table.selected_ids(), shown, smart, self.query)

    def export_papers(self) -> None:
        scopes, chosen = self.export_scopes()
        self.exporter.ask(scopes, chosen)

    def export_list(self, name: str) -> None:
        scope = Scope(f"Reading list “{name}”", ExportSelection.reading_list(name), file_stem(name))
        self.exporter.ask([scope], 0)

    def focus_search(self) -> None:
        self.search.focus()

    def focus_sidebar(self) -> None:
        self.sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_table(self) -> None:
        self.routine.focus_view()  # the table, or the Inbox's triage view

    def select_all(self) -> None:
        self.table.selectAll()

    # --- busy state, drops, settings -----------------------------------------------------

    def _on_busy(self, busy: bool) -> None:
        self.detail.setEnabled(not busy)  # its edits would wait for the import's write lane
        self._update_actions()

    def _show_selection(self) -> None:
        """With several papers selected the right pane says how many and offers bulk edits."""
        if not shiboken6.isValid(self.selection_pane):
            return
        ranges = self.table.selectionModel().selection()
        count = sum(part.bottom() - part.top() + 1 for part in ranges)
        if count > 1:
            self.selection_pane.set_count(count)
            self.right.setCurrentWidget(self.selection_pane)
        else:
            self.right.setCurrentWidget(self.detail)

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
        self.actions["export"].setEnabled(not busy)
        in_list = self.lists.shown_list() is not None
        for name in LIST_ONLY:
            self.actions[name].setProperty("context_hidden", not in_list)
            self.actions[name].setEnabled(in_list and not busy and selected)
        reorder = in_list and self.table.list_order
        self.actions["move_up"].setEnabled(reorder and not busy and selected)
        self.actions["move_down"].setEnabled(reorder and not busy and selected)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.row_drops.drag_move(event)  # PDFs over a paper row: "Drop to attach to …"

    def dropEvent(self, event: QDropEvent) -> None:
        if self.row_drops.drop(event):  # PDFs on a paper row attach to it (app.gui.files)
            return
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.import_dropped(paths)

    def import_dropped(self, paths: Sequence[Path]) -> None:
        files = importable(paths)
        if not files:
            self._report("Drop PDFs, folders, .bib, .ris, .json (CSL-JSON) or .txt to import.")
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
        self.table.user_sized = keys_of(s.value("table/user_sized", []))
        restore_view(self, s)  # sidebar view, search text, selected paper

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("table/header", self.table.header_state())
        s.setValue("table/user_sized", sorted(self.table.user_sized))
        s.setValue("table/sort", self.user_sort)
        s.setValue("table/descending", self.user_descending)
        save_view(self, s)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.search.timer.stop()
        self.snippet_timer.stop()
        self.snippets.shutdown()
        self.live.stop()
        self.searcher.shutdown()
        self.routine.shutdown()
        self.detail.flush()
        if self.runner.busy:
            self.importer.cancel()
            self.exporter.cancel()
            self.runner.shutdown()
        self.lane.shutdown()  # the edits queued are written before the window goes
        if self.library.index_catch_up == self.lane.request_catch_up:
            self.library.index_catch_up = None  # the library's writes index themselves again
        self.importer.close()
        if self.save_on_close:
            self.save_state()
        super().closeEvent(event)
        self.closed.emit()
