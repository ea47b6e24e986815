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
PASSING = (CATCHING_UP, STALE_AFTER_WRITE)  # notices that hold only while catching up
NOTICE_MS = 15_000  # how long any other notice stays in the status bar


def index_problem(error: BaseException) -> str:
    """One line for the status bar from an error about the index."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


class IndexStatus(QObject):
    """Library.notices in the status bar (plain text): each new one as a message for a while,
    and while the index is catching up a lasting note there and a hint beside the search hit
    count that results may be incomplete."""

    def __init__(
        self, library: Library, status_bar: QStatusBar, search: SearchBar, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.status_bar = status_bar
        self.search = search
        self.seen = 0  # notices already shown (the library only ever appends to them)
        self.indexing: tuple[int, int] | None = None  # an import's catch-up: (done, total)
        self.behind = ""  # the import's catch-up could not finish: the notice saying why
        self._searching = False
        self.label = QLabel()
        self.label.setObjectName("index_notice")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName("Search index")
        self.label.hide()
        status_bar.addPermanentWidget(self.label)
        self.refresh(searching=False)

    def show_indexing(self, done: int, total: int) -> None:
        """An import's papers are stored and the library process is indexing them."""
        self.indexing = (done, total)
        self.refresh(self._searching)

    def show_indexed(self, in_step: bool, notices: list[str]) -> None:
        """The import's catch-up ended (in step with the database, or not yet: busy); notices:
        what the library process had to say."""
        self.indexing = None
        passing = [text for text in notices if text in PASSING]
        self.behind = "" if in_step else (passing[-1] if passing else CATCHING_UP)
        fresh = [text for text in notices if text not in PASSING]
        if fresh:
            self.status_bar.showMessage(fresh[-1], NOTICE_MS)
        self.refresh(self._searching)

    def refresh(self, searching: bool) -> None:
        """Bring the notices and the hint up to the library's state (after a search or edit)."""
        self._searching = searching
        notices = self.library.notices
        fresh = [text for text in notices[self.seen :] if text not in PASSING]
        self.seen = len(notices)
        if fresh:
            self.status_bar.showMessage(fresh[-1], NOTICE_MS)  # plain text, like every message
        catching_up = self.library.index_catching_up or self.indexing is not None
        catching_up = catching_up or bool(self.behind)
        current = ""
        if self.indexing is not None:
            done, total = self.indexing
            share = f" {100 * done // total} %" if total else "…"
            current = f"indexing{share} — new papers are searchable once it is done"
        elif self.behind:
            current = self.behind
        elif catching_up:
            current = next((text for text in reversed(notices) if text in PASSING), CATCHING_UP)
        self.label.setText(current)
        self.label.setToolTip(tooltip(current))
        self.label.setVisible(bool(current))
        self.search.set_hint(HINT if catching_up and searching else "")
