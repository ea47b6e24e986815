"""A query's ids off the GUI thread: one worker at a time, the newest request wins."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from app.gui.paper_model import PaperFilter, PaperTableModel


@dataclass(frozen=True)
class QueryRequest:
    generation: int
    filter: PaperFilter
    sort: str
    descending: bool
    shown: bool  # whether the header should show the sort
    refresh: bool = False  # the same view read again after changes made elsewhere


class QueryWorker(QObject):
    """Runs PaperTableModel.query_ids on a worker thread; `finished` arrives on the GUI thread.

    Every submit() gets a new generation number; only the result of the newest request is
    delivered (finished(request, ids, error)), older ones are ignored. At most one thread runs:
    requests made meanwhile are coalesced to the newest, started when the running one ends.
    """

    finished = Signal(object, object, object)  # QueryRequest, list[int] | None, error | None
    _done = Signal(object, object, object)  # emitted on the worker; queued to the GUI thread

    def __init__(self, model: PaperTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.generation = 0
        self.pending = False  # the newest request's result has not been delivered yet
        self._thread: threading.Thread | None = None
        self._running: QueryRequest | None = None
        self._queued: QueryRequest | None = None
        self._done.connect(self._on_done)

    def submit(
        self, flt: PaperFilter, sort: str, descending: bool, shown: bool, refresh: bool = False
    ) -> int:
        self.generation += 1
        request = QueryRequest(self.generation, flt, sort, descending, shown, refresh)
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
        self.cancel()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _start(self, request: QueryRequest) -> None:
        thread = threading.Thread(
            target=self._run, args=(request,), name="papershelf-search", daemon=True
        )
        self._thread, self._running = thread, request
        thread.start()

    def _run(self, request: QueryRequest) -> None:
        try:
            ids = self.model.query_ids(request.filter, request.sort, request.descending)
        except Exception as error:  # handed to the GUI thread (QueryError: the inline message)
            self._done.emit(request, None, error)
        else:
            self._done.emit(request, ids, None)

    @Slot(object, object, object)
    def _on_done(self, request: QueryRequest, ids: object, error: object) -> None:
        if request is self._running and self._thread is not None:
            self._thread.join(1.0)  # it is only returning from emit()
            self._thread, self._running = None, None
            if self._queued is not None:
                queued, self._queued = self._queued, None
                self._start(queued)
        if request.generation != self.generation:
            return  # stale: a newer request was made after this one
        self.pending = False
        self.finished.emit(request, ids, error)
