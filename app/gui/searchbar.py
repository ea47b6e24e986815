"""The search field: debounced search-as-you-type, a hit count, and a gentle inline error line."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.gui.plain import tooltip
from app.gui.search_scope import WHOLE_LIBRARY_KEYS, ScopeChip, WholeLibraryOffer
from app.gui.theme import error_color

DEBOUNCE_MS = 150


PLACEHOLDER = "Search titles, authors, abstracts, tags and notes  (Ctrl+F)"


class SearchBar(QWidget):
    """Emits queryChanged(text) once the user pauses typing (or presses Enter), and
    wholeLibraryRequested when the user widens a search the sidebar narrows."""

    queryChanged = Signal(str)
    wholeLibraryRequested = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.field.setObjectName("search_field")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search papers")
        self.field.setAccessibleDescription(
            'Words, "phrases", OR, NOT, title:, author:, tag:, year:2020, prefix*'
        )
        self.field.setToolTip(
            'Words (all must match), "exact phrases", OR, NOT, title:…, author:…, tag:…, '
            "note:…, text:… (inside the PDFs), year:2020, year:[2019 TO 2021], status:read, "
            "prefix*, fuzzy~ (text:word~ for the PDFs' words)"
        )
        self.count = QLabel(self)
        self.count.setObjectName("search_count")
        self.count.setMinimumWidth(110)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.hint = QLabel(self)  # e.g. the index is catching up: results may be incomplete
        self.hint.setObjectName("search_hint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.hide()
        self.message = QLabel(self)
        self.message.setObjectName("search_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAccessibleName("Search problem")
        self.message.hide()

        self.scope = ScopeChip(self)  # "in tag: retrieval ✕" while the sidebar narrows it
        self.scope.clicked.connect(self.wholeLibraryRequested)
        self.offer = WholeLibraryOffer(self)  # when a narrowed search finds nothing
        self.offer.requested.connect(self.wholeLibraryRequested)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.scope)
        row.addWidget(self.field, 1)
        row.addWidget(self.hint)
        row.addWidget(self.count)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 4)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.message)
        column.addWidget(self.offer)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._emit)
        self.field.textChanged.connect(lambda _text: self.timer.start())
        self.field.returnPressed.connect(self.flush)
        clear = QAction("Clear search", self.field)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.field.clear)
        self.field.addAction(clear)
        self._last: str | None = None

    def text(self) -> str:
        return self.field.text().strip()

    def set_text(self, text: str) -> None:
        """Show text as the query without searching again (the window restores its view)."""
        self.timer.stop()
        self.field.blockSignals(True)
        self.field.setText(text)
        self.field.blockSignals(False)
        self._last = text.strip()

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def flush(self) -> None:
        """Search now rather than after the pause (the results arrive from a worker thread)."""
        self.timer.stop()
        self._emit()

    def _emit(self) -> None:
        text = self.text()
        if text != self._last:
            self._last = text
            self.queryChanged.emit(text)

    def set_count(self, count: int, searching: bool) -> None:
        text = f"{count:,} paper" if count == 1 else f"{count:,} papers"
        if searching:
            text += " matches" if count == 1 else " match"
        self.count.setText(text)
        self.count.setAccessibleName(text)

    def set_scope(self, scope: str) -> None:
        """Show where searches look ('in tag: retrieval'; '' for the whole library)."""
        self.scope.set_scope(scope)
        self.field.setPlaceholderText(
            f"Search {scope} only  (Ctrl+F; {WHOLE_LIBRARY_KEYS}: the whole library)"
            if scope
            else PLACEHOLDER
        )

    def offer_whole_library(self, show: bool) -> None:
        """Offer the whole library after a narrowed search found nothing (False hides it)."""
        self.offer.offer(self.scope.scope if show else "")

    def set_hint(self, text: str) -> None:
        """A short plain note beside the count ('' hides it)."""
        self.hint.setText(text)
        self.hint.setAccessibleName(text)
        self.hint.setVisible(bool(text))

    def show_error(self, problem: str) -> None:
        color = error_color(self.palette())
        self.message.setText(
            f'<span style="color:{color}">Can’t read that query: {html.escape(problem)}</span>'
        )
        self.message.setToolTip(tooltip(problem))
        self.message.show()

    def clear_error(self) -> None:
        self.message.clear()
        self.message.hide()

    @property
    def error_text(self) -> str:
        """The plain text of the inline message ('' when there is none)."""
        return "" if self.message.isHidden() else self.message.toolTip()
