"""The part import and export share: a background task shown in a cancellable progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.gui.plain import plain_progress
from app.gui.tasks import Task, TaskRunner


class ProgressTaskController(QObject):
    """Holds the running task and its progress dialog; cancel and close them."""

    task: Task | None = None
    progress: QProgressDialog | None = None

    def __init__(self, library: Any, runner: TaskRunner, window: QWidget) -> None:
        super().__init__(window)
        self.library = library
        self.runner = runner
        self.window = window
        self.task = None
        self.progress = None

    def _start(
        self, name: str, work: Callable[[Task], object], label: str, title: str, delay_ms: int = 300
    ) -> Task:
        """Submit work to the task runner, with a progress dialog, and route its outcome to
        the subclass's `_done` / `_failed`."""
        task = self.runner.submit(name, work)
        self.task = task
        self._show_progress(task, self.window, label, title, f"{name.title()} progress", delay_ms)
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        return task

    def _done(self, outcome: Any) -> None:
        raise NotImplementedError

    def _failed(self, error: BaseException) -> None:
        raise NotImplementedError

    @staticmethod
    def _advance(dialog: QProgressDialog, done: int, total: int) -> None:
        if dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total))

    def _show_progress(
        self, task: Task, parent: QWidget, label: str, title: str, name: str, delay_ms: int = 300
    ) -> QProgressDialog:
        """A window-modal, cancellable progress dialog that follows the task (status lines
        and counts) and appears only when the task takes longer than delay_ms."""
        dialog = plain_progress(label, "Cancel", parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.setAccessibleName(name)
        dialog.canceled.connect(self.cancel)
        task.status.connect(dialog.setLabelText)
        task.progress.connect(lambda done, total: self._advance(dialog, done, total))
        dialog.setValue(0)  # starts the minimum-duration timer: a busy bar until the first count
        self.progress = dialog
        return dialog

    def cancel(self) -> None:
        """What the progress dialog's Cancel button does: the task stops and rolls back."""
        if self.task is not None:
            self.task.cancel()
        if self.progress is not None:
            self.progress.setLabelText("Cancelling…")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.task = None
