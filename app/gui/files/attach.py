"""Attaching PDFs to a paper, or reading a file's text again, off the GUI thread.

With a progress dialog and cancel."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.commands import merge, plural
from app.gui.plain import tell
from app.gui.progress import ProgressTaskController
from app.gui.tasks import Task, TaskRunner
from storage.views import Change, FileView


@dataclass
class AttachOutcome:
    """What one attach run did: the changes, one line per file that could not be attached."""

    paper_id: int
    changes: list[Change] = field(default_factory=list)
    attached: int = 0
    failures: list[str] = field(default_factory=list)  # files not attached, one line each
    notes: list[str] = field(default_factory=list)  # attached with a problem (no text, failed)
    cancelled: bool = False
    retried: str | None = None  # the name of the file read again (Retry), not attached

    @property
    def change(self) -> Change:
        return merge(*self.changes) if self.changes else Change()


class AttachController(ProgressTaskController):
    """Runs Library.attach on the task runner (extraction can take seconds) and reports back."""

    attached = Signal(object)  # Change
    finished = Signal(object)  # AttachOutcome, after any message is up
    message = Signal(str)  # a line for the status bar

    def __init__(self, library: object, runner: TaskRunner, window: QWidget) -> None:
        super().__init__(library, runner, window)
        self.last_outcome: AttachOutcome | None = None

    def attach(self, paper_id: int, paths: Sequence[Path]) -> Task | None:
        """Start attaching paths to paper_id; None (with a message) while other work runs."""
        paths = list(paths)
        if not paths:
            return None
        if self.runner.busy:
            self.message.emit("Other work is running; attach the files again when it is done.")
            return None
        library = self.library

        def work(task: Task) -> AttachOutcome:
            outcome = AttachOutcome(paper_id)
            for number, path in enumerate(paths, start=1):
                if task.is_cancelled():
                    outcome.cancelled = True
                    break
                of = f" ({number} of {len(paths)})" if len(paths) > 1 else ""
                task.report(f"Attaching {path.name}{of}…")
                task.advance(number - 1, len(paths))
                try:
                    change = library.attach(paper_id, [path])
                except Exception as error:  # a LibraryError names the file; others: say which
                    text = str(error)
                    outcome.failures.append(text if path.name in text else f"{path}: {text}")
                    continue
                outcome.changes.append(change)
                if change.refused or not change.file_ids:
                    outcome.failures.extend(change.messages or [f"{path}: not attached"])
                else:
                    outcome.attached += 1
                    outcome.notes.extend(change.messages)
            task.advance(len(paths), len(paths))
            return outcome

        return self._start(
            "attach", work, f"Attaching {paths[0].name}…", "Attaching files"
        )

    def retry(self, paper_id: int, view: FileView) -> Task | None:
        """Read the text of a file whose text failed or never came again, in the background;
        None (with a message) while other work runs."""
        if self.runner.busy:
            self.message.emit("Other work is running; retry when it is done.")
            return None
        library = self.library

        def work(task: Task) -> AttachOutcome:
            outcome = AttachOutcome(paper_id, retried=view.name)
            task.report(f"Reading {view.name} again…")
            try:
                change = library.retry_file(paper_id, view.id)
            except Exception as error:  # a LibraryError names the file
                outcome.failures.append(str(error))
                return outcome
            outcome.changes.append(change)
            if change.refused:
                outcome.failures.extend(change.messages)
            else:
                outcome.attached = 1
                outcome.notes.extend(change.messages)
            return outcome

        return self._start("retry", work, f"Reading {view.name} again…", "Reading a file again")

    def _done(self, outcome: AttachOutcome) -> None:
        self._close_progress()
        self.last_outcome = outcome
        if outcome.change:
            self.attached.emit(outcome.change)
        if outcome.retried is not None:
            self._retried(outcome)
        elif outcome.failures:
            title = "Not attached" if not outcome.attached else "Some files not attached"
            tell(self.window, title, "\n".join(outcome.failures))
        elif outcome.attached:
            stop = " (cancelled before the rest)" if outcome.cancelled else ""
            note = f" {outcome.notes[0]}" if len(outcome.notes) == 1 else ""
            more = (
                f" {len(outcome.notes):,} with problems (see Files)."
                if len(outcome.notes) > 1
                else ""
            )
            self.message.emit(f"Attached {plural(outcome.attached, 'file')}{stop}.{note}{more}")
        self.finished.emit(outcome)

    def _retried(self, outcome: AttachOutcome) -> None:
        if outcome.failures:
            tell(self.window, "Text still not readable", "\n".join(outcome.failures))
        else:
            note = f" {outcome.notes[0]}" if outcome.notes else ""
            self.message.emit(f"Read the text of {outcome.retried} again.{note}")

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        traceback.print_exception(error, file=sys.stderr)
        self.attached.emit(Change())
        tell(self.window, "Not attached", f"Attaching stopped: {error}", QMessageBox.Icon.Critical)
        self.finished.emit(None)
