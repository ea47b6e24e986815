"""What the routine's controllers use of the window, as Protocols (none imports app.gui.window).

One protocol per controller, listing only what it touches; Routine, which hands the window to
all of them, needs their union (RoutineHost). MainWindow has all of it. `window()` is
QWidget.window(), for a top-level window the window itself: the controllers' Qt parent and the
parent of the dialogs they open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QPalette, QUndoStack
    from PySide6.QtWidgets import QWidget

    from app.gui.detail import DetailPane
    from app.gui.editor import PaperEditor
    from app.gui.exporter import ExportController
    from app.gui.importer import ImportController
    from app.gui.paper_model import PaperTableModel
    from app.gui.searchbar import SearchBar
    from app.gui.sidebar import Sidebar
    from app.gui.table import PaperArea, PaperTable
    from app.gui.tasks import TaskRunner
    from storage.library import Library
    from storage.views import Change


class Reports(Protocol):
    """A window that shows a message in its status bar and applies the Change of a command."""

    def _report(self, message: str) -> None: ...

    def apply_change(self, change: Change, from_detail: bool = False) -> None: ...


class InboxOrder(Protocol):
    """The window's Routine as the triage view asks it to switch the Inbox's order."""

    def set_inbox_by_score(self, on: bool) -> None: ...


class PasteHost(Protocol):
    """The window as app.gui.routine.paste imports the clipboard."""

    runner: TaskRunner
    importer: ImportController

    def _report(self, message: str) -> None: ...

    def import_dropped(self, paths: Sequence[Path]) -> None: ...


class RelatedHost(Protocol):
    """The window as app.gui.routine.related follows its selection and shows a related paper."""

    library: Library
    model: PaperTableModel
    table: PaperTable
    sidebar: Sidebar
    search: SearchBar
    query: str

    def window(self) -> QWidget: ...

    def _report(self, message: str) -> None: ...


class SmartHost(Reports, Protocol):
    """The window as app.gui.routine.smart saves, renames, deletes and exports smart lists."""

    library: Library
    runner: TaskRunner
    sidebar: Sidebar
    search: SearchBar
    exporter: ExportController

    @property
    def undo_stack(self) -> QUndoStack: ...

    def window(self) -> QWidget: ...

    def activateWindow(self) -> None: ...  # noqa: N802 (Qt's name)


class SuggestionsHost(Reports, Protocol):
    """The window as app.gui.routine.suggestions ranks, accepts and rejects suggestions."""

    library: Library
    model: PaperTableModel
    table: PaperTable
    sidebar: Sidebar
    runner: TaskRunner

    @property
    def undo_stack(self) -> QUndoStack: ...

    def window(self) -> QWidget: ...

    def reload(self) -> bool: ...

    def select_when_shown(self, ids: list[int], current: int) -> None: ...


class TriageHost(Reports, Protocol):
    """The window as app.gui.routine.triage shows the Inbox's card and runs its verbs."""

    library: Library
    model: PaperTableModel
    table: PaperTable
    sidebar: Sidebar
    area: PaperArea
    settings: QSettings
    runner: TaskRunner
    editor: PaperEditor

    @property
    def undo_stack(self) -> QUndoStack: ...

    @property
    def routine(self) -> InboxOrder: ...

    def window(self) -> QWidget: ...

    def activateWindow(self) -> None: ...  # noqa: N802 (Qt's name)

    def select_when_shown(self, ids: list[int], current: int) -> None: ...


class RoutineHost(TriageHost, SuggestionsHost, RelatedHost, SmartHost, PasteHost, Protocol):
    """The window as app.gui.routine.Routine builds the controllers above and the banner."""

    detail: DetailPane

    def palette(self) -> QPalette: ...
