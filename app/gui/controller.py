"""What the window's command controllers share: the parts of the window they act on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.gui.sidebar import Sidebar
from app.gui.table import PaperTable
from app.gui.tasks import TaskRunner
from storage.library import Library
from storage.views import Change


class WindowController:
    """Holds the window, library, table, sidebar and task runner; Changes go to `sink`."""

    def __init__(
        self,
        window: QWidget,
        library: Library,
        table: PaperTable,
        sidebar: Sidebar,
        runner: TaskRunner,
        sink: Callable[[Change], None],
        report: Callable[[str], None],
    ) -> None:
        self.window = window
        self.library = library
        self.table = table
        self.sidebar = sidebar
        self.runner = runner
        self.sink = sink
        self.report = report
        self.setup()

    def setup(self) -> None:
        """Anything a controller builds once its parts are known (nothing by default)."""
