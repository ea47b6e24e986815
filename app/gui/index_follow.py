"""The window following the search index: a search shown runs again once it has an edit.

The same once it has an import; an edit waiting for the library says so; a busy index is
tried again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from storage.background import Indexed
from storage.views import Change

if TYPE_CHECKING:
    from app.gui.hosts import IndexHost

CATCH_UP_RETRY_MS = 5000  # after an import's catch-up found the index busy


class IndexFollower(QObject):
    """Hears the write lane (an edit indexed, an edit pending) and the importer (an import
    indexed, or its catch-up failed) and brings the window up to them."""

    def __init__(self, host: IndexHost) -> None:
        super().__init__(host.window())
        self.host = host
        lane, importer = host.lane, host.importer
        lane.indexed.connect(self._after_index)
        lane.pendingChanged.connect(self._show_pending)
        lane.busyChanged.connect(lambda _busy: host.index_status.refresh(bool(host.query)))
        importer.indexed.connect(self._on_indexed)

    def _searching(self) -> bool:
        host = self.host
        return bool(host.query) or host.current_filter().smart is not None

    def _on_indexed(self, outcome: object) -> None:
        """An import's papers are in the search index (or its catch-up failed): the view's
        search is run again so that they show in it."""
        host = self.host
        in_step = isinstance(outcome, Indexed) and outcome.in_step
        notices = outcome.notices if isinstance(outcome, Indexed) else []
        if isinstance(outcome, BaseException):
            notices = [f"The search index could not take in the import: {outcome}"]
        host.index_status.show_indexed(in_step, notices)
        host.lane.catch_up()  # edits made while the library process indexed, if it missed any
        if not in_step and not host.importer.background.catching_up:
            QTimer.singleShot(CATCH_UP_RETRY_MS, self, self._retry_catch_up)
        if self._searching():
            host.live.refresh()

    def _after_index(self, change: Change) -> None:
        """An edit is in the search index too: a search shown is ranked again with it."""
        host = self.host
        if not self._searching():
            return
        if host.search_pending:
            host.reload()
        elif host.model.filter == host.current_filter():
            host.live.follow(change.paper_ids)

    def _show_pending(self, text: str) -> None:
        """An edit waiting (another process holds the library's write lock): said in the
        status bar until it is saved."""
        bar = self.host.statusBar()
        if text:
            bar.showMessage(text)
        elif bar.currentMessage().startswith("Saving:"):
            bar.clearMessage()

    def _retry_catch_up(self) -> None:
        """The index was busy (another Papershelf writing it): try again, in the library
        process, until it takes in what the window's imports stored."""
        host = self.host
        if host.index_status.behind and not host.importer.background.catching_up:
            host.importer.background.catch_up()
