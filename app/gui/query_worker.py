"""A query's ids off the GUI thread (and, when there are none, why).

One worker at a time, the newest request wins. Its one evaluation of the query also gives the
words it matched (storage.search.Matches), from which the current paper's snippet is cut: no
second search of the same query runs beside it."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.gui.paper_filter import PaperFilter
from app.gui.paper_model import PaperTableModel
from app.gui.row_moves import Loaded, plan_moves
from storage.search import Matches

HELP_LIMIT = 50  # papers with most of the words offered when a search finds none


@dataclass(frozen=True)
class QueryRequest:
    generation: int
    filter: PaperFilter
    sort: str
    descending: bool
    shown: bool  # whether the header should show the sort
    refresh: bool = False  # the same view read again after changes (here or elsewhere)
    # For a refresh: the ids the table showed when it was asked for (the worker works out the
    # rows to move from them: a RowMoves instead of ids), and the papers known to have changed.
    base: list[int] | None = field(default=None, compare=False, repr=False)
    changed: frozenset[int] = field(default=frozenset(), compare=False, repr=False)


# The index is warmed once the window has been idle (no search running or wanted) this long:
# the warm-up's Python, beside a search or a paint, lengthens the GUI thread's waits for the GIL.
WARM_AFTER_MS = 1500


class QueryWorker(QObject):
    """Runs PaperTableModel.query_matches on a worker thread; `finished` arrives on the GUI
    thread.

    Every submit() gets a new generation number; only the result of the newest request is
    delivered (finished(request, ids, matches, error)), older ones are ignored. At most one
    thread runs: requests made meanwhile are coalesced to the newest, started when the running
    one ends.
    """

    # QueryRequest, Loaded | RowMoves | None, Matches | None, error | None
    finished = Signal(object, object, object, object)
    helped = Signal(object, object)  # QueryRequest, SearchHelp: after finished, when it was []
    _done = Signal(object, object, object, object)  # emitted on the worker; queued to the GUI
    _help = Signal(object, object)

    def __init__(self, model: PaperTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.generation = 0
        self.pending = False  # the newest request's result has not been delivered yet
        self._thread: threading.Thread | None = None
        self._running: QueryRequest | None = None
        self._queued: QueryRequest | None = None
        self._helpers: list[threading.Thread] = []  # explaining empty results
        self._warming: threading.Thread | None = None  # warm_search, once
        self._stopping = False
        self._warm_timer = QTimer(self, singleShot=True, interval=WARM_AFTER_MS)
        self._warm_timer.timeout.connect(self._warm_up)
        self._warm_timer.start()
        self._done.connect(self._on_done)
        self._help.connect(self._on_help)

    def submit(
        self,
        flt: PaperFilter,
        sort: str,
        descending: bool,
        shown: bool,
        refresh: bool = False,
        base: list[int] | None = None,
        changed: Iterable[int] = (),
    ) -> int:
        """Ask for the filter's ids; with `base` (the ids shown now) the result is a RowMoves
        from them, worked out on the worker too."""
        self.generation += 1
        request = QueryRequest(
            self.generation, flt, sort, descending, shown, refresh, base, frozenset(changed)
        )
        self.pending = True
        if self._thread is None:
            self._start(request)
        else:
            self._queued = request
        return request.generation

    def cancel(self) -> None:
        """Forget every outstanding request (a running one finishes and is ignored)."""
        self.generation += 1
        self._queued = None
        self.pending = False

    def shutdown(self, timeout: float = 5.0) -> None:
        self._warm_timer.stop()
        self._stopping = True
        self.cancel()
        for thread in [self._thread, *self._helpers, self._warming]:
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout)

    def _start(self, request: QueryRequest) -> None:
        thread = threading.Thread(
            target=self._run, args=(request,), name="papershelf-search", daemon=True
        )
        self._thread, self._running = thread, request
        thread.start()

    def _run(self, request: QueryRequest) -> None:
        try:
            matches: Matches = self.model.query_matches(
                request.filter, request.sort, request.descending
            )
            ids = matches.ids
            result: object = Loaded.of(ids, self.model.library)  # the first rows read too
            if request.base is not None:
                result = plan_moves(request.base, ids, request.changed)
        except Exception as error:  # handed to the GUI thread (QueryError: the inline message)
            self._done.emit(request, None, None, error)
            return
        self._done.emit(request, result, matches, None)
        if not ids and request.generation == self.generation:  # why nothing matched, on the
            helper = threading.Thread(  # side: the next search need not wait for it
                target=self._explain, args=(request,), name="papershelf-search-help", daemon=True
            )
            self._helpers = [t for t in self._helpers if t.is_alive()] + [helper]
            helper.start()

    def _explain(self, request: QueryRequest) -> None:
        flt, library = request.filter, self.model.library
        try:
            scope = None
            if flt.status or flt.tag or flt.list_name:
                scope = library.paper_ids(status=flt.status, tag=flt.tag, list_name=flt.list_name)
            help_ = library.search_help(flt.query, limit=HELP_LIMIT, restrict_ids=scope)
        except Exception:  # noqa: BLE001 (the help is a bonus: an empty table says enough)
            return
        self._help.emit(request, help_)

    @Slot(object, object)
    def _on_help(self, request: QueryRequest, help_: object) -> None:
        if request.generation == self.generation or not self.pending and self._is_shown(request):
            self.helped.emit(request, help_)

    def _is_shown(self, request: QueryRequest) -> bool:
        """Whether the table still shows what request asked for (nothing newer replaced it)."""
        return self.model.filter == request.filter

    @Slot(object, object, object, object)
    def _on_done(self, request: QueryRequest, ids: object, matches: object, error: object) -> None:
        if request is self._running and self._thread is not None:
            self._thread.join(1.0)  # it is only returning from emit()
            self._thread, self._running = None, None
            if self._queued is not None:
                queued, self._queued = self._queued, None
                self._start(queued)
        if request.generation != self.generation:
            return  # stale: a newer request was made after this one
        self.pending = False
        self.finished.emit(request, ids, matches, error)

    def _make_way(self) -> None:
        """The warm-up's pause (on its thread): a moment, and as long as a search runs."""
        time.sleep(0.002)
        while self._thread is not None and not self._stopping:
            time.sleep(0.01)

    def _warm_up(self) -> None:
        """Once the window is idle after it shows: the index's word lists read on a side
        thread (Library.warm_search), so that the first fuzzy or prefix search does not read
        them while the window waits for the GIL behind it."""
        if self._warming is not None:
            return
        if self.pending or self._thread is not None:  # the window is busy: later
            self._warm_timer.start()
            return
        library = self.model.library

        def warm() -> None:
            with contextlib.suppress(Exception):  # only a head start: a search reads them anyway
                library.warm_search(pause=self._make_way)

        self._warming = threading.Thread(target=warm, name="papershelf-warm-search", daemon=True)
        self._warming.start()
