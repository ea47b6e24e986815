"""The paper area: the paper table (header, sorting, selection by id) or the empty-library page."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QItemSelection, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.columns import content_widths, fitted_widths, sample_ids
from app.gui.paper_model import (
    COLUMNS,
    IDS_MIME,
    LIST_NOTE,
    PaperTableModel,
    progress_text,
    runs,
)

# The title column stretches into whatever these leave.
DEFAULT_WIDTHS = {
    "authors": 150,
    "year": 54,
    "tags": 100,
    "status": 70,
    "progress": 74,
    "rating": 70,
    "added": 88,
    "list_note": 180,
}
SAMPLE_ROWS = 200  # rows measured to size the columns, however many the table has
FIRST_DESCENDING = {"year", "rating", "added"}  # newest / best first on the first click
EMPTY_TEXT = (
    "<h2>Your library is empty</h2>"
    "<p>Import PDFs or a BibTeX, RIS, CSL-JSON or listing file (Ctrl+I)<br>or drop files here.</p>"
    "<p>Or look around a small sample library first: it opens in a window of its own,<br>"
    "in a folder of its own, and leaves your library as it is.</p>"
)


class PaperTable(QTableView):
    """A fast table over PaperTableModel; header clicks become columnClicked(sort key)."""

    columnClicked = Signal(str)  # the Library sort key of a sortable column
    rowsMoved = Signal(object, int)  # (paper ids, row they were dropped before) in list order

    def __init__(self, model: PaperTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paper_table")
        self.setAccessibleName("Papers")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.context_actions: list[QAction | None] = []
        self._shown_sort: tuple[str | None, bool] = (None, False)
        self._added_hidden_for_list = False
        self.list_order = False  # a reading list in its own order: rows can be dragged to move
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDropIndicatorShown(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)

        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for section, column in enumerate(COLUMNS):
            if column.key == "title":
                header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch)
            else:
                header.resizeSection(section, DEFAULT_WIDTHS[column.key])
        header.setSectionHidden(LIST_NOTE, True)
        header.sectionClicked.connect(self._on_section_clicked)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.user_sized: set[str] = set()  # columns the user resized: never fitted again
        self.fitted = False  # fitted to the rows once they first show
        self._content: tuple[dict[str, int], dict[str, int]] = ({}, {})  # widths, headings
        self._sizing = False  # resizes made here, not by the user
        header.sectionResized.connect(self._on_section_resized)

    def paper_model(self) -> PaperTableModel:
        model = self.model()
        assert isinstance(model, PaperTableModel)
        return model

    # --- sorting -------------------------------------------------------------------------

    def _on_section_clicked(self, section: int) -> None:
        sort = COLUMNS[section].sort
        if sort is None:
            self.show_sort(*self._shown_sort)  # the header flipped it already: put it back
        else:
            self.columnClicked.emit(sort)

    def show_sort(self, sort: str | None, descending: bool) -> None:
        """Show the indicator on the column sorted by `sort`; none for relevance/list order."""
        self._shown_sort = (sort, descending)
        header = self.horizontalHeader()
        section = next((i for i, c in enumerate(COLUMNS) if c.sort and c.sort == sort), -1)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.blockSignals(True)
        header.setSortIndicatorShown(section >= 0)
        header.setSortIndicator(section, order)
        header.blockSignals(False)

    # --- reading lists -------------------------------------------------------------------

    def show_list(self, shown: bool, in_order: bool) -> None:
        """Show the List note column while a list is shown; drag to reorder in list order."""
        header = self.horizontalHeader()
        if shown != (not header.isSectionHidden(LIST_NOTE)):
            header.setSectionHidden(LIST_NOTE, not shown)
            # a list is read in its own order: the date added makes room for the notes
            added = next(i for i, c in enumerate(COLUMNS) if c.key == "added")
            if shown and not header.isSectionHidden(added):
                header.setSectionHidden(added, True)
                self._added_hidden_for_list = True
            elif not shown and self._added_hidden_for_list:
                header.setSectionHidden(added, False)
                self._added_hidden_for_list = False
        self.list_order = shown and in_order
        mode = QAbstractItemView.DragDropMode
        self.setDragDropMode(mode.InternalMove if self.list_order else mode.DragOnly)

    def _own_drag(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return self.list_order and event.source() is self and event.mimeData().hasFormat(IDS_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._own_drag(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._own_drag(event):
            super().dragMoveEvent(event)  # draws the indicator
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop_row(self, y: int) -> int:
        """The row a drop at viewport height y lands before (rowCount() for the end)."""
        row = self.rowAt(y)
        if row < 0:
            return self.paper_model().rowCount()
        middle = self.rowViewportPosition(row) + self.rowHeight(row) // 2
        return row + 1 if y > middle else row

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._own_drag(event):
            event.ignore()
            return
        raw = bytes(event.mimeData().data(IDS_MIME).data()).decode()
        ids = [int(part) for part in raw.split(",") if part.strip()]
        event.setDropAction(Qt.DropAction.CopyAction)  # the view must not remove any rows
        event.accept()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if ids:
            self.rowsMoved.emit(ids, self.drop_row(int(event.position().y())))

    # --- state ---------------------------------------------------------------------------

    def header_state(self) -> QByteArray:
        """The header as the user arranged it (not the columns a reading list swaps)."""
        header = self.horizontalHeader()
        listed, in_order = not header.isSectionHidden(LIST_NOTE), self.list_order
        if listed:
            self.show_list(False, False)
        state = header.saveState()
        if listed:
            self.show_list(True, in_order)
        return state

    def restore_header(self, state: object) -> bool:
        if not isinstance(state, QByteArray) or state.isEmpty():
            return False
        self._sizing = True
        try:
            return self.horizontalHeader().restoreState(state)
        finally:
            self._sizing = False

    # --- column widths -------------------------------------------------------------------

    def fit_columns(self, forget_user_sizes: bool = False) -> None:
        """Size the columns to a sample of the rows (SAMPLE_ROWS at most, never every row);
        the title stretches into what is left. Columns the user resized keep their width
        unless forget_user_sizes."""
        if forget_user_sizes:
            self.user_sized.clear()
        model = self.paper_model()
        rows = model.sample_rows(sample_ids(model.ids, SAMPLE_ROWS))
        header = self.horizontalHeader()
        places = (model.progress(row.id) for row in rows)
        progress = [progress_text(*place) for place in places if place is not None]
        self._content = content_widths(
            rows, self.fontMetrics(), header.fontMetrics(), {"progress": progress}
        )
        self.fitted = True
        self._apply_widths()

    def _apply_widths(self) -> None:
        """The fitted widths for the table's width now (the title keeps its share)."""
        content, headings = self._content
        header = self.horizontalHeader()
        shown = {
            column.key: section
            for section, column in enumerate(COLUMNS)
            if not header.isSectionHidden(section) and column.key != "title"
        }
        auto = {key: width for key, width in content.items()
                if key in shown and key not in self.user_sized}  # fmt: skip
        others = sum(header.sectionSize(shown[key]) for key in shown if key not in auto)
        widths = fitted_widths(auto, headings, self.viewport().width() - others)
        self._sizing = True
        try:
            for key, width in widths.items():
                if header.sectionSize(shown[key]) != width:
                    header.resizeSection(shown[key], width)
        finally:
            self._sizing = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.fitted and event.size().width() != event.oldSize().width():
            self._apply_widths()

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        key = COLUMNS[section].key
        header = self.horizontalHeader()
        if self._sizing or key == "title" or new == 0 or header.isSectionHidden(section):
            return
        self.user_sized.add(key)  # dragged by the user (the title only ever stretches)

    # --- selection by id -----------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        model = self.paper_model()
        rows: set[int] = set()
        for part in self.selectionModel().selection():
            rows.update(range(part.top(), part.bottom() + 1))
        return [model.id_at(row) for row in sorted(rows)]

    def current_id(self) -> int | None:
        index = self.currentIndex()
        return self.paper_model().id_at(index.row()) if index.isValid() else None

    def select_ids(self, ids: Iterable[int], current: int | None = None) -> None:
        """Select these papers (those still shown) and make `current` the current row."""
        model = self.paper_model()
        row_of = model.row_map()
        rows = [row_of[pid] for pid in ids if pid in row_of]
        last = model.columnCount() - 1
        selection = QItemSelection()
        for first, end in runs(rows):
            selection.select(model.index(first, 0), model.index(end, last))
        flags = QItemSelectionModel.SelectionFlag
        selector = self.selectionModel()
        selector.select(selection, flags.ClearAndSelect | flags.Rows)
        if current is not None and current in row_of:
            index = model.index(row_of[current], 0)
            selector.setCurrentIndex(index, flags.NoUpdate)
            self.scrollTo(index)

    def select_row(self, row: int) -> None:
        model = self.paper_model()
        if 0 <= row < model.rowCount():
            self.select_ids([model.id_at(row)], model.id_at(row))

    # --- menus ---------------------------------------------------------------------------

    def _header_menu(self, pos: QPoint) -> None:
        """Show or hide columns (the title always stays), or fit them to their content."""
        header = self.horizontalHeader()
        menu = QMenu(self)
        for section, column in enumerate(COLUMNS):
            if column.key in ("title", "list_note"):
                continue
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.toggled.connect(lambda shown, s=section: self._show_column(s, shown))
        menu.addSeparator()
        menu.addAction("Fit columns to their content", lambda: self.fit_columns(True))
        menu.exec(header.viewport().mapToGlobal(pos))

    def _show_column(self, section: int, shown: bool) -> None:
        self._sizing = True
        try:
            self.horizontalHeader().setSectionHidden(section, not shown)
        finally:
            self._sizing = False
        if self.fitted:
            self._apply_widths()

    def _context_menu(self, pos: QPoint) -> None:
        if not self.indexAt(pos).isValid() or not self.context_actions:
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is not None and action.property("context_hidden"):
                continue
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(pos))


class EmptyLibraryPage(QWidget):
    """Shown instead of the table while the library has no papers at all."""

    importClicked = Signal()
    sampleClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_page")
        self.label = QLabel(EMPTY_TEXT, self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.button = QPushButton("Import papers…", self)
        self.button.setAccessibleName("Import papers")
        self.button.setDefault(True)
        self.button.clicked.connect(self.importClicked)
        self.sample_button = QPushButton("Try a sample library", self)
        self.sample_button.setAccessibleName("Try a sample library")
        self.sample_button.clicked.connect(self.sampleClicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.label)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)


class PaperArea(QStackedWidget):
    """The table, or the empty-library page when there is nothing to show yet."""

    def __init__(self, table: PaperTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.empty = EmptyLibraryPage(self)
        self.addWidget(table)
        self.addWidget(self.empty)
        self.main: QWidget = table  # what shows the papers: the table, or e.g. the triage view

    def show_empty(self, empty: bool) -> None:
        """The empty-library page, or (leaving it) the papers: the table, or what shows them
        instead (show_main: the Inbox's triage view); another page stays (a search's help
        when it found nothing: app.gui.search_help)."""
        if empty:
            self.setCurrentWidget(self.empty)
        elif self.currentWidget() is self.empty:
            self.setCurrentWidget(self.main)

    def show_main(self, widget: QWidget) -> None:
        """Show the papers in widget (a page added to this stack) instead of the table, or in
        the table again; the empty-library page still wins while there is nothing."""
        self.main = widget
        if not self.showing_empty:
            self.setCurrentWidget(widget)

    @property
    def showing_empty(self) -> bool:
        return self.currentWidget() is self.empty
