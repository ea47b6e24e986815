"""Related papers for the selected paper.

Asked for off the GUI thread once the selection rests (moving through the table costs a timer
restart), stale answers dropped."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from app.gui.routine.latest import Latest
from app.gui.routine.related_pane import ROWS, RelatedSection
from app.gui.sidebar_keys import ALL
from app.gui.tasks import Task
from storage.library import LibraryError, NotFound
from storage.related import Cancelled

if TYPE_CHECKING:
    from app.gui.routine.host import RelatedHost

DELAY_MS = 180  # the selection must rest this long before related papers are asked for


class RelatedController(QObject):
    """Feeds the detail pane's RelatedSection for the table's current paper."""

    def __init__(self, window: RelatedHost, section: RelatedSection) -> None:
        super().__init__(window.window())
        self.window = window
        self.library = window.library
        self.section = section
        self.worker = Latest("related", self)
        self.asked: int | None = None  # the paper whose related papers were asked for
        self.answered = 0  # answers shown, for tests and measurements
        self.seconds: list[float] = []  # worker time per answer, for measurements
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self._ask)
        window.table.selectionModel().currentRowChanged.connect(lambda *_: self.moved())
        window.model.modelReset.connect(self.moved)
        section.paperClicked.connect(self.go_to)

    def moved(self) -> None:
        """The current paper may have changed: wait for the selection to rest."""
        pid = self.window.table.current_id()
        if pid == self.asked and (self.worker.busy or self.section.for_paper == pid):
            return
        self.worker.cancel()  # its answer is for a paper no longer shown
        self.asked = None
        self.section.show_waiting(pid)
        if pid is not None:
            self.timer.start()

    def refresh(self) -> None:
        """Ask again for the paper shown (its words or the library changed)."""
        self.asked = None
        self.section.for_paper = None
        self.moved()

    def _ask(self) -> None:
        pid = self.window.table.current_id()
        if pid is None:
            return
        self.asked = pid
        library = self.library

        def work(task: Task) -> tuple[list[tuple[int, str, float]], float]:
            start = time.perf_counter()
            hits = library.related(pid, limit=ROWS, cancel=task.is_cancelled)
            return [(h.id, h.title, h.score) for h in hits], time.perf_counter() - start

        self.worker.submit(
            work,
            lambda result: self._answered(pid, result),
            lambda error: self._failed(pid, error),
        )

    def _answered(self, pid: int, result: tuple[list[tuple[int, str, float]], float]) -> None:
        hits, seconds = result
        if pid != self.window.table.current_id():
            return  # the selection moved on meanwhile
        self.answered += 1
        self.seconds.append(seconds)
        self.section.show_hits(pid, hits)

    def _failed(self, pid: int, error: BaseException) -> None:
        if isinstance(error, Cancelled) or pid != self.window.table.current_id():
            return
        if isinstance(error, NotFound):
            self.section.show_waiting(None)
        elif isinstance(error, LibraryError):
            self.section.show_problem(pid, f"Related papers unavailable: {error}")
        else:
            self.section.show_problem(pid, f"Related papers failed: {error}")

    def go_to(self, pid: int) -> None:
        """Select a related paper: in the view shown if it is there, else in All papers
        (without the search, if the search hides it)."""
        window = self.window
        if window.model.row_of(pid) is None:
            if window.sidebar.current_key() != ALL:
                window.sidebar.select(ALL)
            if window.model.row_of(pid) is None and window.query:
                window.search.field.clear()
                window.search.flush()
        if window.model.row_of(pid) is None:
            window._report("That paper is not in the library any more.")
            return
        window.table.select_ids([pid], pid)
        window.table.setFocus()

    def shutdown(self) -> None:
        self.timer.stop()
        self.worker.shutdown()
