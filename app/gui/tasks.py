"""One small task runner: long work (import, export, reindex) off the GUI thread, one at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from shiboken6 import isValid

Work = Callable[["Task"], Any]  # runs on the worker; may call task.advance/report/is_cancelled


class Task(QObject):
    """A handle on one piece of background work; its public signals arrive on the GUI thread."""

    progress = Signal(int, int)  # done, total
    status = Signal(str)  # a line for the progress dialog
    succeeded = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception it raised
    finished = Signal()  # always, after succeeded or failed

    # Emitted from the worker thread; queued to this object's (the GUI) thread.
    _progress = Signal(int, int)
    _status = Signal(str)
    _done = Signal(bool, object)

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._cancel = threading.Event()
        self._progress.connect(self._on_progress)
        self._status.connect(self._on_status)
        self._done.connect(self._on_done)

    # --- called from any thread ---------------------------------------------------------

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, text: str) -> None:
        """Work may call this to change the progress label."""
        self._status.emit(text)

    def advance(self, done: int, total: int) -> None:
        """Work calls this with its progress (a Library progress callback)."""
        self._progress.emit(done, total)

    # --- the worker thread ---------------------------------------------------------------

    def run(self) -> None:
        try:
            value = self.work(self)
        except BaseException as error:  # handed to the GUI thread, never lost
            self._done.emit(False, error)
        else:
            self._done.emit(True, value)

    # --- back on the GUI thread -----------------------------------------------------------

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    @Slot(str)
    def _on_status(self, text: str) -> None:
        self.status.emit(text)

    @Slot(bool, object)
    def _on_done(self, ok: bool, value: object) -> None:
        self.done = True
        if ok:
            self.result = value
            self.succeeded.emit(value)
        else:
            self.error = value if isinstance(value, BaseException) else RuntimeError(str(value))
            self.failed.emit(self.error)
        self.finished.emit()


class TaskRunner(QObject):
    """Runs tasks on one worker thread, in order; writes share the Library's single lane."""

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running: list[Task] = []

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def submit(self, name: str, work: Work) -> Task:
        task = Task(name, work)  # no Qt parent: alive while someone holds it
        self._running.append(task)
        task.finished.connect(lambda: self._forget(task))
        if len(self._running) == 1:
            self.busyChanged.emit(True)
        self.pool.start(task.run)
        return task

    def _forget(self, task: Task) -> None:
        if not isValid(self):  # its window went while the task ended: nobody to tell
            return
        if task in self._running:
            self._running.remove(task)
        if not self._running:
            self.busyChanged.emit(False)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel everything and wait for the worker; True when it stopped in time."""
        for task in self._running:
            task.cancel()
        return self.pool.waitForDone(timeout_ms)
