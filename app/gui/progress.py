"""The part import and export share: a background task shown in a cancellable progress dialog."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressDialog

from app.gui.tasks import Task


class ProgressTaskController(QObject):
    """Holds the running task and its progress dialog; cancel and close them."""

    task: Task | None = None
    progress: QProgressDialog | None = None

    @staticmethod
    def _advance(dialog: QProgressDialog, done: int, total: int) -> None:
        if dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total))

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
