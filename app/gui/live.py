"""Changes made elsewhere (the command line, another window) reach the window while it runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from app.gui.query_worker import QueryRequest
from app.gui.row_moves import RowMoves
from storage.library import LibraryError

if TYPE_CHECKING:
    from app.gui.hosts import LiveHost

POLL_MS = 1000  # how often an idle window looks at the database's data_version
SCREEN_MARGIN = 5  # rows read again beyond those on screen


class LiveUpdates(QObject):
    """Polls the library's ChangeWatch on a timer (timers fire only while the event loop is
    idle) and, after a commit made by another connection, refreshes what it may have changed:
    the sidebar's names and counts, the paper on show (only if it differs), the table's ids
    (read on the search worker, so no lock is ever waited for on the GUI thread; rows inserted
    and removed, not a reset) and the rows on screen, keeping the selection and the paper at
    the top of the view. The window's own edits are seen too; refreshing after them changes
    nothing and costs a query of ids and a screenful of rows."""

    def __init__(self, window: LiveHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.watch = window.library.change_watch()
        self.refreshes = 0  # refreshes done, for tests and measurements
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.close()

    def poll(self) -> bool:
        """Refresh if another connection committed since the last look; whether it did."""
        window = self.window
        if window.runner.busy or window.search_pending or QApplication.activeModalWidget():
            return False  # looked at later: the data_version is not read, so nothing is missed
        if not self.watch.changed():
            return False
        self.refresh()
        return True

    def refresh(self) -> None:
        window = self.window
        self.refreshes += 1
        shown = window.model.filter
        try:
            window.sidebar.refresh()  # a tag or list that went away: All papers (a reload)
            window.area.show_empty(window.sidebar.total == 0)
            self._refresh_detail()
        except LibraryError as error:  # e.g. the database was found damaged meanwhile
            window.statusBar().showMessage(f"Could not read the changes: {error}", 10_000)
            return
        flt = window.current_filter()
        if flt != shown or window.search_pending:
            return  # the view changed (a reload is showing it afresh)
        self.follow(())

    def follow(self, changed: Iterable[int]) -> None:
        """Read the view's ids again on the search worker, with the rows to move worked out
        there too (`changed`: papers whose sort keys may have changed); finish() shows them."""
        window = self.window
        sort, descending, sorted_shown = window.effective_sort()
        window.searcher.submit(
            window.current_filter(),
            sort,
            descending,
            sorted_shown,
            refresh=True,
            base=window.model.snapshot(),
            changed=changed,
        )

    def _refresh_detail(self) -> None:
        detail = self.window.detail
        pid = detail.current_paper_id
        if pid is None:
            return
        try:
            now = self.window.library.paper(pid)
        except LibraryError:  # deleted: its row goes with the ids, and the pane follows
            return
        if now != detail.paper:
            detail.refresh()

    def finish(self, request: QueryRequest, moves: RowMoves) -> None:
        """The view's ids read again (on the worker): bring the table to them."""
        window = self.window
        table, model = window.table, window.model
        if request.filter != model.filter or request.sort != model.sort_key:
            return  # the view changed meanwhile; it was loaded afresh
        if window.lists.moving:
            return  # the table shows moves not written yet: the last one's follow shows all
        keep, current = table.selected_ids(), table.current_id()
        current_row = table.currentIndex().row()
        top = self._top()
        try:
            fresh = window.library.rows(self._on_screen(moves, top))
        except LibraryError:
            return
        if model.reconcile(moves, fresh) is None:  # rows moved since it was asked for
            if not window.search_pending:
                self.follow(request.changed)
            return
        still = [pid for pid in keep if model.row_of(pid) is not None]
        wanted = window.select_after_change
        if wanted is not None and model.row_of(wanted[1]) is not None:
            window.select_after_change = None
            still, current = [pid for pid in wanted[0] if model.row_of(pid) is not None], wanted[1]
        if table.selected_ids() != still or table.current_id() != current:
            table.select_ids(still, current)
        if table.current_id() is None and model.rowCount():
            table.select_row(min(max(current_row, 0), model.rowCount() - 1))
        self._scroll_to(top)
        window.show_current()
        window._after_rows_changed()  # noqa: SLF001 (the window's own after-change step)

    # --- the view's top ------------------------------------------------------------------

    def _top(self) -> tuple[int | None, int, int]:
        """(paper at the top of the view, its row now, pixels of it scrolled out of view)."""
        table, model = self.window.table, self.window.model
        row = table.rowAt(0)
        if row < 0:
            return None, 0, 0
        return model.id_at(row), row, -table.rowViewportPosition(row)

    def _on_screen(self, moves: RowMoves, top: tuple[int | None, int, int]) -> list[int]:
        """The ids that will be on screen once moves.new are shown (the top paper stays on
        top)."""
        table = self.window.table
        pid, row, _offset = top
        if pid is not None:
            row = moves.row_of.get(pid, row)
        height = max(1, table.verticalHeader().defaultSectionSize())
        count = table.viewport().height() // height + SCREEN_MARGIN
        return moves.new[max(0, row - 1) : row + count]

    def _scroll_to(self, top: tuple[int | None, int, int]) -> None:
        table, model = self.window.table, self.window.model
        pid, _row, offset = top
        row = model.row_of(pid) if pid is not None else None
        if row is None:
            return  # the top paper went: the view stays where it was
        bar = table.verticalScrollBar()
        if table.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
            bar.setValue(row)
        else:
            bar.setValue(row * table.verticalHeader().defaultSectionSize() + offset)
