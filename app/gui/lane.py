"""The window's write lane: its edits, undo and redo run in order on one worker thread.

Never on the GUI thread; each one's Change comes back to the GUI thread, once when the
database has it and once more when the search index has it too."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from storage.library import Library
from storage.safety import is_busy
from storage.views import Change

PENDING_AFTER_MS = 300  # an edit still waiting this long is shown as pending


@dataclass
class Step:
    """One write: work() runs on the lane (its writes leave the index to the lane, which
    catches it up right after); done(value) or failed(error) then run on the GUI thread."""

    name: str
    work: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[BaseException], None] | None = None
    quiet: bool = False  # an index catch-up: never shown as a pending edit


class WriteLane(QObject):
    """One worker thread running Steps in the order they were given (an undo after the edit
    it undoes). The GUI thread never waits for the database's or the index's lock: another
    process writing the library only makes the steps wait here, shown as pending."""

    busyChanged = Signal(bool)  # noqa: N815 (Qt naming) steps are queued or running
    indexed = Signal(object)  # a step's Change, once the index has it too (GUI thread)
    pendingChanged = Signal(str)  # noqa: N815 "" or what a step that takes long is doing
    _finished = Signal(object, object, object)  # Step, value, error (queued to the GUI thread)
    _caught_up = Signal(object, object)  # Step, value
    _asked = Signal()  # a write made elsewhere asks for a catch-up (from any thread)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        # True while another process is indexing what the window stored (an import's
        # catch-up in the library process): the lane then leaves the index to it.
        self.index_elsewhere: Callable[[], bool] = lambda: False
        self._queue: queue.Queue[Step | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = False  # the window closes: a step the lock keeps waiting gives up
        self._waiting = 0  # steps given and not yet back on the GUI thread
        self._current = ""
        self._finished.connect(self._on_finished)
        self._caught_up.connect(self._on_caught_up)
        self._asked.connect(self._on_asked)
        self._asked_pending = False
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(PENDING_AFTER_MS)
        self._pending.timeout.connect(self._show_pending)

    @property
    def busy(self) -> bool:
        """Steps are queued or running, or their results not yet taken in."""
        return self._waiting > 0

    def run(self, step: Step) -> None:
        """Queue a step after those given before it (GUI thread)."""
        self._waiting += 1
        if self._waiting == 1:
            self.busyChanged.emit(True)
            self._pending.start()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._serve, name="papershelf-writes", daemon=True
            )
            self._thread.start()
        self._queue.put(step)

    def shutdown(self, timeout: float = 30.0) -> bool:
        """Let the queued steps finish (their results are dropped) and stop the thread."""
        self._pending.stop()
        self._stopping = True
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        self._queue.put(None)
        thread.join(timeout)
        return not thread.is_alive()

    # --- the lane's thread ---------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            step = self._queue.get()
            if step is None:
                return
            self._current = "" if step.quiet else step.name
            value, error = self._work(step)
            self._current = ""  # written: its index update is no pending edit
            try:
                self._finished.emit(step, value, error)
                self._catch_up()  # what it wrote (before failing, too)
                self._caught_up.emit(step, None if error else value)
            except RuntimeError:  # the window (this lane) was deleted: nobody to tell
                return

    def _work(self, step: Step) -> tuple[Any, BaseException | None]:
        """Run a step; while another process holds the database's write lock past SQLite's
        busy timeout (a command-line import storing a big file), run it again once it frees
        (nothing was written: its transaction rolled back), until the window closes."""
        while True:
            try:
                with self.library.index_later():
                    return step.work(), None
            except BaseException as failure:  # noqa: BLE001 (every failure goes to the GUI)
                if not is_busy(failure) or self._stopping:
                    return None, failure

    def catch_up(self, change: Change | None = None) -> None:
        """Queue a catch-up of the index alone (a write made elsewhere; `change`: what it
        changed, told to `indexed` once the index has it)."""
        self.run(Step("catching up the search index", lambda: change, quiet=True))

    def request_catch_up(self) -> None:
        """For Library.index_catch_up: a write made outside the lane (a note saved, a file
        attached) has its index update done on the lane, soon. Callable from any thread."""
        self._asked.emit()

    @Slot()
    def _on_asked(self) -> None:
        if not self._asked_pending:  # many writes in a row: one catch-up after them
            self._asked_pending = True
            self.run(Step("catching up the search index", self._asked_done, quiet=True))

    def _asked_done(self) -> Change:
        self._asked_pending = False
        return Change()  # papers unknown: `indexed` with no ids (a search shown runs again)

    def _catch_up(self) -> None:
        """Bring the index up to the writes just made (a busy index leaves them queued and
        says so in the library's notices; the next catch-up takes them in)."""
        if self.index_elsewhere():
            return  # the library process's catch-up (or the window's next) takes them in
        try:
            self.library.catch_up_index()
        except Exception:  # noqa: BLE001 (an index problem is the notices' to tell)
            return

    # --- back on the GUI thread ------------------------------------------------------------

    @Slot(object, object, object)
    def _on_finished(self, step: Step, value: object, error: object) -> None:
        if error is not None:
            if step.failed is not None:
                assert isinstance(error, BaseException)
                step.failed(error)
        elif step.done is not None:
            step.done(value)

    @Slot(object, object)
    def _on_caught_up(self, step: Step, value: object) -> None:
        self._settle()
        if isinstance(value, Change):
            self.indexed.emit(value)

    def _settle(self) -> None:
        self._waiting = max(0, self._waiting - 1)
        if self._waiting == 0:
            self._pending.stop()
            self.pendingChanged.emit("")
            self.busyChanged.emit(False)
        else:
            self._pending.start()  # the next step gets its own grace period

    def _show_pending(self) -> None:
        if self._waiting and self._current:  # an edit (not a catch-up) takes long
            self.pendingChanged.emit(f"Saving: {self._current}… (waiting for the library)")


class LaneUndoStack(QUndoStack):
    """The window's undo stack: the commands pushed on it run their steps on the lane (a
    LibraryCommand's redo and undo queue their work there and return at once)."""

    def __init__(self, lane: WriteLane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = lane

    def push(self, cmd: QUndoCommand) -> None:
        if getattr(cmd, "lane", False) is None:  # a LibraryCommand not given a lane yet
            cmd.lane = self.lane  # type: ignore[attr-defined]
            cmd.stack = self  # type: ignore[attr-defined]
        super().push(cmd)

    def drop(self, cmd: QUndoCommand) -> None:
        """A command (made obsolete) whose work failed on the lane: taken off the stack if it
        is the last one done (an undo of an obsolete command deletes it, doing nothing), with
        any failed before it that it covered (a highlight refused after its comment was
        queued); else the next undo or redo that reaches it drops it."""
        done = self.index()
        if done > 0 and self.command(done - 1) is cmd:
            self.undo()
            while self.index() > 0 and self.command(self.index() - 1).isObsolete():
                self.undo()
