"""What the window's small controllers use of it, as Protocols (so none imports app.gui.window).

Each protocol lists only what its controller touches; MainWindow has all of it. Its
`window()` is QWidget.window(), which for a top-level window is the window itself: the
controller's Qt parent and the parent of the dialogs it opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QStatusBar, QWidget

    from app.gui.detail import DetailPane
    from app.gui.importer import ImportController
    from app.gui.index_status import IndexStatus
    from app.gui.lane import WriteLane
    from app.gui.lists import ListController
    from app.gui.paper_filter import PaperFilter
    from app.gui.paper_model import PaperTableModel
    from app.gui.query_worker import QueryWorker
    from app.gui.searchbar import SearchBar
    from app.gui.sidebar import Sidebar
    from app.gui.table import PaperArea, PaperTable
    from app.gui.tasks import TaskRunner
    from storage.library import Library


class LiveHost(Protocol):
    """The window as app.gui.live.LiveUpdates refreshes it."""

    library: Library
    runner: TaskRunner
    model: PaperTableModel
    searcher: QueryWorker
    table: PaperTable
    area: PaperArea
    sidebar: Sidebar
    detail: DetailPane
    select_after_change: tuple[list[int], int] | None  # papers to select once shown
    lists: ListController  # its moves, shown before they are written

    @property
    def search_pending(self) -> bool: ...

    def window(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def current_filter(self) -> PaperFilter: ...

    def effective_sort(self) -> tuple[str, bool, bool]: ...

    def show_current(self, force: bool = False) -> None: ...

    def _after_rows_changed(self) -> None: ...


class Follows(Protocol):
    """What IndexFollower uses of app.gui.live.LiveUpdates."""

    def refresh(self) -> None: ...

    def follow(self, changed: Iterable[int]) -> None: ...


class IndexHost(Protocol):
    """The window as app.gui.index_follow.IndexFollower brings it up to the search index."""

    lane: WriteLane
    importer: ImportController
    index_status: IndexStatus
    model: PaperTableModel
    query: str

    @property
    def live(self) -> Follows: ...

    @property
    def search_pending(self) -> bool: ...

    def window(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def current_filter(self) -> PaperFilter: ...

    def reload(self) -> bool: ...


class ViewStateHost(Protocol):
    """The window as app.gui.view_state saves and restores its view."""

    library: Library
    sidebar: Sidebar
    search: SearchBar
    table: PaperTable
    query: str
    select_after_load: int | None


class SearchHelpHost(Protocol):
    """The window as app.gui.search_help puts its no-results page in the paper area."""

    library: Library
    model: PaperTableModel
    searcher: QueryWorker
    area: PaperArea
    search: SearchBar
    detail: DetailPane

    @property
    def undo_stack(self) -> QUndoStack: ...
