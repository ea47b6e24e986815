"""The search index's state in the window: its notices, a catching-up hint, one-line errors."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from app.gui.plain import tooltip
from app.gui.searchbar import SearchBar
from storage.library import Library
from storage.search import SearchIndexError
from storage.search.upkeep import CATCHING_UP, STALE_AFTER_WRITE

HINT = "catching up — results may be incomplete"
INDEX_ERRORS = (SearchIndexError,)  # what a search or an edit may raise about the index alone
PASSING = (CATCHING_UP, STALE_AFTER_WRITE)  # notices that no longer hold once caught up


def index_problem(error: BaseException) -> str:
    """One line for the status bar from an error about the index."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


class IndexStatus(QObject):
    """Shows Library.notices in the status bar (plain text) and, while another process holds
    the index, a hint beside the search hit count that results may be incomplete."""

    def __init__(
        self, library: Library, status_bar: QStatusBar, search: SearchBar, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.search = search
        self.label = QLabel()
        self.label.setObjectName("index_notice")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName("Search index")
        self.label.hide()
        status_bar.addPermanentWidget(self.label)
        self.refresh(searching=False)

    def refresh(self, searching: bool) -> None:
        """Bring the notice and the hint up to the library's state (after a search or edit)."""
        notices = self.library.notices
        catching_up = self.library.index_catching_up
        latest = notices[-1] if notices else ""
        if latest in PASSING and not catching_up:
            latest = ""
        self.label.setText(latest)
        self.label.setToolTip(tooltip("\n".join(notices)) if notices else "")
        self.label.setVisible(bool(latest))
        self.search.set_hint(HINT if catching_up and searching else "")
