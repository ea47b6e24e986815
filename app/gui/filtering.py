"""The window's table loading: the sidebar filter, the search query, the sort, and the snippet."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from app.gui.index_status import INDEX_ERRORS, IndexStatus
from app.gui.lane import WriteLane
from app.gui.paper_filter import PaperFilter
from app.gui.paper_model import PaperTableModel
from app.gui.query_worker import QueryRequest, QueryWorker
from app.gui.routine.latest import Latest
from app.gui.row_moves import Loaded, RowMoves
from app.gui.search_scope import scope_text
from app.gui.searchbar import SearchBar
from app.gui.sidebar import ALL, Key, Sidebar
from app.gui.sidebar_keys import suggestion_target
from app.gui.table import FIRST_DESCENDING, PaperArea, PaperTable
from storage.library import LibraryError
from storage.search import Matches, QueryError, Snippet

if TYPE_CHECKING:
    from app.gui.detail import DetailPane
    from app.gui.live import LiveUpdates
    from app.gui.routine.controller import Routine
    from app.gui.search_help import SearchHelpController
    from storage.library import Library


class FilteringMixin:
    """MainWindow's part that fills the table for the current filter, query and sort (queries
    on the worker thread, newest wins) and shows the current paper with its search snippet.

    The attributes below are made by MainWindow.__init__; _update_actions and _report are
    MainWindow's.
    """

    library: Library
    model: PaperTableModel
    searcher: QueryWorker
    lane: WriteLane
    index_status: IndexStatus
    live: LiveUpdates
    routine: Routine
    table: PaperTable
    area: PaperArea
    sidebar: Sidebar
    search: SearchBar
    detail: DetailPane
    query: str
    sort_override: bool
    user_sort: str
    user_descending: bool
    snippet_timer: QTimer
    snippets: Latest  # the current paper's search snippet, on a worker thread
    search_help: SearchHelpController
    select_after_load: int | None  # a paper to select once the next load arrives
    select_after_change: tuple[list[int], int] | None  # papers to select once shown
    _snippet_for: tuple[int | None, str] | None
    shown_matches: Matches | None  # the search shown: its ids and matched words (snippets)
    _update_actions: Callable[[], None]
    _report: Callable[[str], None]

    def effective_sort(self) -> tuple[str, bool, bool]:
        """(sort key, descending, whether it is a column sort the header should show)."""
        if not self.sort_override:
            if self.query:
                return "relevance", False, False
            kind = self.sidebar.current_key()[0]
            if kind == "list":
                return "position", False, False
            own = self.routine.own_order(self.sidebar.current_key())  # Inbox, suggestions…
            if own is not None:
                return own, False, False
        return self.user_sort, self.user_descending, True

    def current_filter(self) -> PaperFilter:
        key = self.sidebar.current_key()
        kind, value = key
        target = suggestion_target(key)
        return PaperFilter(
            status=value if kind == "status" else None,
            tag=value if kind == "tag" else None,
            list_name=value if kind == "list" else None,
            query=self.query,
            inbox=kind == "inbox",
            smart=value if kind == "smart" else None,
            suggest=target,
            ranked=self.routine.ranked(key),
        )

    @property
    def search_pending(self) -> bool:
        """A search runs on the worker and its results are not shown yet."""
        return self.searcher.pending

    def select_when_shown(self, ids: list[int], current: int) -> None:
        """Select these papers now if the table shows them, else once the view's ids read
        again after a change (live.finish) bring them in (an undone triage step)."""
        if self.model.row_of(current) is not None:
            self.table.select_ids(ids, current)
            self.select_after_change = None
        else:
            self.select_after_change = (ids, current)

    @property
    def settled(self) -> bool:
        """Every change made is shown: no edit waits on the write lane, no view's ids or
        sidebar counts are being read again on a worker."""
        return not (self.searcher.pending or self.sidebar.pending_counts or self.lane.busy)

    def reload(self) -> bool:
        """Fill the table for the current filter, query and sort; False for a bad query.

        With a query the ids are computed on a worker thread (ranking every match can take a
        few hundred ms) and shown when they arrive; the newest request wins.
        """
        flt = self.current_filter()
        sort, descending, shown = self.effective_sort()
        self.search.set_scope(scope_text(self.sidebar.current_key()))
        if flt.query or flt.smart is not None:  # a search: on the worker
            self.searcher.submit(flt, sort, descending, shown)
            return True
        self.searcher.cancel()
        self.shown_matches = None
        try:
            ids = self.model.query_matches(flt, sort, descending).ids
        except QueryError as error:
            self.search.show_error(str(error))
            return False
        self._show_ids(flt, sort, descending, shown, ids)
        return True

    def _on_search_done(
        self, request: QueryRequest, ids: object, matches: object, error: object
    ) -> None:
        """The newest search's ids and matched words (or its error), back on the GUI thread."""
        if request.refresh:  # the view read again after changes (its rows to move, worked out)
            if error is None:
                assert isinstance(ids, RowMoves)
                if request.filter == self.model.filter:
                    self._matched(matches)
                self.live.finish(request, ids)
            return
        if error is not None:
            self.query = self.model.filter.query  # keep showing the last good results
            if isinstance(error, QueryError):
                self.search.show_error(str(error))
            else:
                self._report(f"Search failed: {error}")
            return
        row_of = ids.row_of if isinstance(ids, Loaded) else None
        ids = ids.ids if isinstance(ids, Loaded) else ids
        assert isinstance(ids, list)
        self._matched(matches)
        self._show_ids(request.filter, request.sort, request.descending, request.shown, ids, row_of)

    def _matched(self, matches: object) -> None:
        """Keep the search shown's matched words: the current paper's snippet is cut from them
        (no search runs for it)."""
        assert matches is None or isinstance(matches, Matches)
        self.shown_matches = matches

    def _show_ids(
        self,
        flt: PaperFilter,
        sort: str,
        descending: bool,
        shown: bool,
        ids: list[int],
        row_of: dict[int, int] | None = None,
    ) -> None:
        keep, current = self.table.selected_ids(), self.table.current_id()
        if self.select_after_load is not None:  # the paper selected when the window closed
            keep, current = [self.select_after_load], self.select_after_load
            self.select_after_load = None
        self.model.load_ids(flt, sort, descending, ids, row_of)
        self.search.clear_error()
        self.table.show_sort(sort if shown else None, descending)
        self.table.show_list(
            flt.list_name is not None or flt.suggest is not None, sort == "position"
        )
        self.area.show_empty(self.sidebar.total == 0)
        self.table.select_ids(keep, current)
        if self.table.current_id() is None:
            self.table.select_row(0)
        self._after_rows_changed()
        self.show_current(force=False)

    def _after_rows_changed(self) -> None:
        if not self.table.fitted and self.model.rowCount():
            self.table.fit_columns()  # once, when rows first show (a sample of them)
        searching = bool(self.model.filter.query)
        self.search.set_count(self.model.rowCount(), searching)
        narrowed = self.sidebar.current_key() != ALL
        self.search.offer_whole_library(searching and narrowed and not self.model.rowCount())
        self.index_status.refresh(bool(self.model.filter.query))
        self._update_actions()

    def _on_filter(self, _key: Key) -> None:
        self.sort_override = False
        self.reload()

    def _on_query(self, text: str) -> None:
        if bool(text) != bool(self.query):
            self.sort_override = False
        self.query = text
        self.reload()  # a bad query puts self.query back to the one shown

    def search_whole_library(self) -> None:
        """Widen the search to the whole library: the sidebar shows All papers, the query
        stays (Ctrl+Shift+F, the scope chip, or the offer after a narrowed search found none)."""
        if self.sidebar.current_key() != ALL:
            self.sidebar.select(ALL)

    def _on_column_clicked(self, sort: str) -> None:
        current, descending, shown = self.effective_sort()
        same = shown and current == sort
        descending = not descending if same else sort in FIRST_DESCENDING
        self.user_sort, self.user_descending = sort, descending
        self.sort_override = bool(self.query) or self.sidebar.current_key()[0] == "list"
        self.reload()

    def show_current(self, force: bool = False) -> None:
        """Show the current paper in the detail pane now, and its search snippet shortly."""
        pid = self.table.current_id()
        if pid is None and self.search_help.keeps(self.detail.current_paper_id):
            return  # a closest paper chosen on the no-results page stays while it is edited
        if pid != self.detail.current_paper_id or force:
            self.detail.show_paper(pid)  # which clears the snippet
            self._snippet_for = None
        if self._snippet_for == (pid, self.query):
            return
        if pid is None or not self.query:
            self._snippet_for = (pid, self.query)
            self.detail.show_snippet("")
        else:
            self.snippet_timer.start()  # a snippet search scans every match: not per keypress

    def _show_snippet(self) -> None:
        """Cut the current paper's snippet on a worker thread from the words the search shown
        matched (its one evaluation, on the search worker): only its text is read from the
        database (a file's pages only when no abstract or note shows a match). While a newer
        query is being searched there is nothing to cut it from: it is asked for once that
        search's rows are shown (show_current)."""
        pid, query, matches = self.table.current_id(), self.query, self.shown_matches
        if pid is None or not query or self._snippet_for == (pid, query):
            return
        if matches is None or matches.query != query:
            return
        self._snippet_for = (pid, query)
        library = self.library

        def work(_task: object) -> Snippet | None:
            try:
                return library.snippet(matches, pid)
            except (LibraryError, *INDEX_ERRORS):
                return None

        self.snippets.submit(work, lambda found: self._snippet_found(pid, query, found))

    def _snippet_found(self, pid: int, query: str, found: Snippet | None) -> None:
        """A snippet back from the worker: shown if its paper and query still are."""
        if self.detail.current_paper_id != pid or self._snippet_for != (pid, query):
            return
        if found is None:
            self.detail.show_snippet("")
        else:
            self.detail.show_snippet(found.text, found.page, found.file_id)
