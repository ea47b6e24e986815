"""Background reads where only the newest request matters (related papers, a refit, counts).

Each on its own task runner, so they never hold the window's write lane or busy state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.gui.tasks import Task, TaskRunner, Work


class Latest(QObject):
    """submit() cancels the task before it (its `cancel` callback says so) and only the
    newest task's result reaches `done`; older ones are dropped when they end."""

    busyChanged = Signal(bool)  # noqa: N815 (Qt naming)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.runner = TaskRunner(self)
        self.runner.busyChanged.connect(self.busyChanged)
        self.generation = 0
        self.task: Task | None = None

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def submit(
        self,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> Task:
        self.cancel()
        generation = self.generation
        task = self.runner.submit(self.name, work)
        self.task = task

        def succeeded(value: object) -> None:
            if generation == self.generation:
                self.task = None
                done(value)

        def went_wrong(error: BaseException) -> None:
            if generation == self.generation:
                self.task = None
                if failed is not None:
                    failed(error)

        task.succeeded.connect(succeeded)
        task.failed.connect(went_wrong)
        return task

    def cancel(self) -> None:
        """Drop the outstanding task: it is asked to stop, and its result is ignored."""
        self.generation += 1
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        self.cancel()
        return self.runner.shutdown(timeout_ms)
