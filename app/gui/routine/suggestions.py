"""Suggested for a tag or reading list.

The papers most like its own, fitted off the GUI thread (cancellable), shown in the table with
the words that say why; A accepts, R rejects."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from app.gui.routine.commands import ACCEPT, REJECT, SuggestionCommand
from app.gui.routine.latest import Latest
from app.gui.routine.views import next_after
from app.gui.sidebar_keys import SUGGEST_FOR, suggestion_target
from app.gui.tasks import Task
from storage.related import Cancelled, Suggestion

if TYPE_CHECKING:
    from app.gui.routine.host import SuggestionsHost

LIMIT = 60  # suggestions fitted and shown per tag or list
Target = tuple[str, str]  # ("tag" | "list", name)
KEYS = {ACCEPT: ("A", "Accept the suggestion"), REJECT: ("R", "Reject the suggestion")}


@dataclass(frozen=True)
class Fit:
    """One fit's suggestions for a target, best first, and how long it took."""

    ids: tuple[int, ...]
    why: dict[int, str]
    seconds: float
    when: float  # time.time() it was made


def why_text(suggestion: Suggestion) -> str:
    return " · ".join(suggestion.why) if suggestion.why else ""


class SuggestionController(QObject):
    """Fits, keeps and shows suggestions; `changed` says a fit's state moved (for the banner)."""

    changed = Signal()

    def __init__(self, window: SuggestionsHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.library = window.library
        self.worker = Latest("suggestions", self)
        self.worker.busyChanged.connect(lambda _busy: self.changed.emit())
        self.fits: dict[Target, Fit] = {}
        self.fitting: Target | None = None
        self.since: dict[Target, int] = {}  # accepted or rejected since the last fit
        self.problem = ""
        self.actions: dict[str, QAction] = {}
        for verb, (key, text) in KEYS.items():
            action = QAction(text, window.table)
            action.setObjectName(f"suggestion_{verb}")
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, v=verb: self.decide(v))
            action.setEnabled(False)
            window.table.addAction(action)
            self.actions[verb] = action

    # --- the view ------------------------------------------------------------------------

    @property
    def target(self) -> Target | None:
        return suggestion_target(self.window.sidebar.current_key())

    def ranked(self, target: Target) -> tuple[int, ...]:
        fit = self.fits.get(target)
        return fit.ids if fit is not None else ()

    def entered(self, target: Target) -> None:
        for action in self.actions.values():
            action.setEnabled(True)
        if target not in self.fits and self.fitting != target:
            self.refit(target)
        self.changed.emit()

    def left(self) -> None:
        for action in self.actions.values():
            action.setEnabled(False)
        if self.fitting is not None:
            self.cancel()

    # --- fitting -------------------------------------------------------------------------

    def refit(self, target: Target | None = None) -> Task | None:
        """Fit the suggestions for target (the one shown) on the suggestions' own worker."""
        target = target or self.target
        if target is None:
            return None
        kind, name = target
        library = self.library

        def work(task: Task) -> Fit:
            start = time.perf_counter()
            found = library.recommend(
                tag=name if kind == "tag" else None,
                list_name=name if kind == "list" else None,
                limit=LIMIT,
                cancel=task.is_cancelled,
            )
            found = [s for s in found if s.score > 0]  # more like the rest than like these: no
            return Fit(
                tuple(s.id for s in found),
                {s.id: why_text(s) for s in found},
                time.perf_counter() - start,
                time.time(),
            )

        self.fitting, self.problem = target, ""
        task = self.worker.submit(
            work, lambda fit: self._fitted(target, fit), lambda e: self._failed(target, e)
        )
        self.changed.emit()
        return task

    def cancel(self) -> None:
        if self.fitting is not None:
            self.worker.cancel()
            self.fitting = None
            self.problem = "Fitting cancelled."
            self.changed.emit()

    def _fitted(self, target: Target, fit: Fit) -> None:
        self.fitting = None
        self.fits[target] = fit
        self.since[target] = 0
        self.window.model.why[target] = fit.why
        if self.target == target:
            self.window.reload()
        self._count(target)
        self.changed.emit()

    def _failed(self, target: Target, error: BaseException) -> None:
        self.fitting = None
        if not isinstance(error, Cancelled):
            self.problem = f"Could not fit suggestions: {error}"
        self.changed.emit()

    def _count(self, target: Target) -> None:
        kind, name = target
        key = (SUGGEST_FOR[kind], name)
        shown = self.window.model.rowCount() if self.target == target else None
        self.window.sidebar.set_suggestion_count(key, shown)

    # --- accept and reject ------------------------------------------------------------------

    def decide(self, verb: str) -> None:
        """A or R (or Delete): the selected suggestions accepted or rejected (undoable)."""
        target, window = self.target, self.window
        ids = window.table.selected_ids()
        if target is None or not ids or window.runner.busy:
            return
        following = next_after(window.model.ids, ids)
        window.undo_stack.push(
            SuggestionCommand(
                self.library, window.apply_change, window._report, target, ids, verb, self._heard
            )
        )
        if following is not None and window.model.row_of(following) is not None:
            window.table.select_ids([following], following)

    def _heard(self, ids: list[int], verb: str, undone: bool) -> None:
        target = self.target
        if target is None:
            return
        self.since[target] = max(0, self.since.get(target, 0) + (-len(ids) if undone else len(ids)))
        if undone:
            self.window.select_when_shown(ids, ids[0])
        self._count(target)
        self.changed.emit()

    def shutdown(self) -> None:
        self.worker.shutdown()
