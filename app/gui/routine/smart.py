"""Smart lists from the window.

Save the search, rename, edit, delete (all undoable), export; their counts are searches, run on
their own worker after every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog

from app.gui.exporter import Scope, file_stem
from app.gui.plain import ask_text
from app.gui.routine.commands import SmartListCommand
from app.gui.routine.latest import Latest
from app.gui.routine.smart_dialog import SmartListDialog, scope_of
from app.gui.tasks import Task
from storage.exporting import ExportSelection
from storage.library import LibraryError
from storage.search import QueryError
from storage.smart import SmartList

if TYPE_CHECKING:
    from app.gui.routine.host import SmartHost

COUNT_DELAY_MS = 250  # changes come in bursts (an import, a triage session): count once


class SmartController(QObject):
    """The Smart lists section's commands; counted() after each recount (for tests)."""

    counted = Signal(object)  # {name: count}

    def __init__(self, window: SmartHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.library = window.library
        self.worker = Latest("smart counts", self)
        self.counts: dict[str, int] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COUNT_DELAY_MS)
        self.timer.timeout.connect(self.recount)
        sidebar = window.sidebar
        sidebar.newSmartRequested.connect(self.save_search)
        sidebar.smartEditRequested.connect(self.edit)
        sidebar.smartRenameRequested.connect(self.rename)
        sidebar.smartDeleteRequested.connect(self.delete)
        sidebar.smartExportRequested.connect(self.export)

    # --- counts --------------------------------------------------------------------------

    def schedule(self) -> None:
        """Count again shortly (after the burst of changes that asked for it)."""
        if self.window.sidebar.smart_names():
            self.timer.start()

    def recount(self) -> None:
        library = self.library

        def work(task: Task) -> dict[str, int]:
            counts: dict[str, int] = {}
            for saved in library.smart_lists():
                if task.is_cancelled():
                    break
                try:
                    counts[saved.name] = library.smart_count(saved.name)
                except (LibraryError, QueryError):
                    counts[saved.name] = 0
            return counts

        self.worker.submit(work, self._counted, lambda _error: None)

    def _counted(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.window.sidebar.set_smart_counts(counts)
        self.counted.emit(counts)

    # --- commands ------------------------------------------------------------------------

    def _problem(self, query: str) -> str:
        try:
            self.library.check_query(query)
        except QueryError as error:
            return str(error)
        return ""

    def _push(self, command: SmartListCommand, then: Callable[[], None] | None = None) -> None:
        """Push the command (its work runs on the write lane); `then` runs on the GUI thread
        once it has, unless it failed."""
        window = self.window
        if window.runner.busy:
            window._report("Wait for the running task to finish first.")
            return
        command.then = then
        window.undo_stack.push(command)

    def _command(
        self, before: SmartList | None, after: tuple[str, str, str | None] | None
    ) -> SmartListCommand:
        window = self.window
        return SmartListCommand(self.library, window.apply_change, window._report, before, after)

    def save_search(self) -> None:
        """Save what the search field holds, within the sidebar's scope, as a smart list."""
        window = self.window
        key = window.sidebar.current_key()
        scope = scope_of(key)
        dialog = SmartListDialog(
            window.sidebar.smart_names(),
            self._problem,
            query=window.search.text(),
            scopes=[None, scope] if scope else [None],
            scope=scope,
            parent=window.window(),
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        window.activateWindow()
        if not accepted:
            return
        name, query, chosen = dialog.values()

        def saved() -> None:
            window.search.field.clear()
            window.search.flush()
            window.sidebar.select(("smart", name))
            window._report(f"Saved the smart list “{name}”.")

        self._push(self._command(None, (name, query, chosen)), saved)

    def edit(self, name: str) -> None:
        window = self.window
        try:
            saved = self.library.smart_list(name)
        except LibraryError as error:
            window._report(str(error))
            return
        shown = window.sidebar.current_key() == ("smart", name)
        scopes = [None, saved.scope, scope_of(window.sidebar.current_key())]
        dialog = SmartListDialog(
            window.sidebar.smart_names(),
            self._problem,
            name=saved.name,
            query=saved.query,
            scopes=[s for s in dict.fromkeys(scopes) if s is None or s],
            scope=saved.scope,
            editing=True,
            parent=window.window(),
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        window.activateWindow()
        if not accepted:
            return
        values = dialog.values()
        if values == (saved.name, saved.query, saved.scope):
            return
        follow = (lambda: window.sidebar.select(("smart", values[0]))) if shown else None
        self._push(self._command(saved, values), follow)

    def rename(self, name: str) -> None:
        window = self.window
        try:
            saved = self.library.smart_list(name)
        except LibraryError as error:
            window._report(str(error))
            return
        new, ok = ask_text(window.window(), "Rename smart list", f"New name for “{name}”:", name)
        new = " ".join(new.split())
        if not ok or not new or new == name:
            return
        taken = {n.casefold() for n in window.sidebar.smart_names() if n != name}
        if new.casefold() in taken:
            window._report(f"A smart list named “{new}” exists already.")
            return
        shown = window.sidebar.current_key() == ("smart", name)
        follow = (lambda: window.sidebar.select(("smart", new))) if shown else None
        self._push(self._command(saved, (new, saved.query, saved.scope)), follow)

    def delete(self, name: str) -> None:
        window = self.window
        try:
            saved = self.library.smart_list(name)
        except LibraryError as error:
            window._report(str(error))
            return
        self._push(
            self._command(saved, None),
            lambda: window._report(f"Deleted the smart list “{name}” (Ctrl+Z brings it back)."),
        )

    def export(self, name: str) -> None:
        self.window.exporter.ask([self.export_scope(name)], 0)

    def export_scope(self, name: str) -> Scope:
        return Scope(f"Smart list “{name}”", ExportSelection.smart(name), file_stem(name))

    def shutdown(self) -> None:
        self.timer.stop()
        self.worker.shutdown()
