"""The window's library process: imports run there, their papers shown once stored.

The index catches up after them while the status bar says how far it got."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.gui.tasks import Task
from storage.background import (
    Call,
    Failed,
    Indexed,
    Indexing,
    LibraryProcess,
    ProcessFailed,
    Progress,
    Status,
    Stored,
    StoringDone,
)
from storage.views import ImportReport

WAIT_S = 0.05  # how often a task waiting for a call looks at its Cancel button


@dataclass
class Storing:
    """What an import call stored, file by file, before its index catch-up."""

    reports: list[ImportReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cancelled: str | None = None  # the file (or "Clipboard") the user cancelled in
    indexing: bool = False  # stored; the index catch-up follows


class Background(QObject):
    """Owns the window's LibraryProcess (started on the first import, kept for the next) and
    relays what its calls report: a task waits for an import's papers to be stored; the index
    catch-up that follows reports to `indexing` / `indexed` on the GUI thread."""

    indexing = Signal(int, int)  # papers indexed, of how many (from the reader thread: queued)
    indexed = Signal(object)  # Indexed, or the error the catch-up ended with

    def __init__(self, folder: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = LibraryProcess(folder)
        self.pending = 0  # calls whose index catch-up has not ended yet
        self._count = threading.Lock()  # pending is changed on the reader and GUI threads
        self.indexed.connect(self._ended)

    @property
    def catching_up(self) -> bool:
        """An import's papers are stored and the index is still taking them in."""
        return self.pending > 0

    def start(self) -> None:
        """Start the process (on the GUI thread: it must outlive the thread that starts it)."""
        self.process.start()

    def close(self) -> None:
        self.process.close()

    def _add(self, count: int) -> None:
        with self._count:
            self.pending = max(0, self.pending + count)

    def _ended(self, _outcome: object) -> None:
        self._add(-1)

    def run_import(self, task: Task, name: str, args: dict[str, Any]) -> Storing:
        """On the task's thread: send an import call ("import_files" or "import_text"), relay
        its progress to the task, cancel it with the task, and return what it stored once
        every file is stored; the call goes on indexing them and reports that to `indexing`
        and `indexed`. Raises ProcessFailed when the process cannot run it."""
        storing = Storing()
        finished = threading.Event()  # every file stored (or the call over)

        def on_event(event: object) -> None:
            if isinstance(event, Progress):
                task.advance(event.done, event.total)
            elif isinstance(event, Status) and not finished.is_set():
                task.report(event.text)
            elif isinstance(event, Stored):
                storing.reports.append(event.report)
            elif isinstance(event, Failed):
                storing.failures.append(event.text)
            elif isinstance(event, StoringDone):
                storing.cancelled = event.cancelled
                self._add(1)  # its catch-up follows
                storing.indexing = True
                self.indexing.emit(0, 0)  # how many: once the catch-up has counted them
                finished.set()
            elif isinstance(event, Indexing):
                self.indexing.emit(event.done, event.total)

        def on_done(call: Call) -> None:
            if storing.indexing:
                self.indexed.emit(call.error if call.error is not None else call.value)
            finished.set()

        call = self.process.call(name, args, on_event, on_done)
        cancelled = False
        while not finished.wait(WAIT_S):
            if task.is_cancelled() and not cancelled:
                cancelled = True
                call.cancel()
        if not storing.indexing:
            call.wait()  # the call ended before storing: raises why (the process failed)
        return storing

    def catch_up(self) -> Call:
        """Ask the process to bring the index up to the database (after a cancelled import
        left earlier files' papers queued); reported like an import's catch-up."""
        self._add(1)

        def on_event(event: object) -> None:
            if isinstance(event, Indexing):
                self.indexing.emit(event.done, event.total)

        def on_done(call: Call) -> None:
            self.indexed.emit(call.error if call.error is not None else call.value)

        return self.process.call("catch_up", {}, on_event, on_done)


__all__ = ["Background", "Indexed", "ProcessFailed"]
