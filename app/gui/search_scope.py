"""Where a search looks.

The sidebar entry as a chip beside the search field, and the whole library offered when a search
limited to that entry finds nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from app.gui.note_preview import set_muted
from app.gui.plain import mnemonic_safe, tooltip

WHOLE_LIBRARY_KEYS = "Ctrl+Shift+F"  # the window's "Search the whole library" action
NAME_WIDTH = 180  # pixels of a tag's or list's name on the chip; longer names are elided
STATUS_NAMES = {"unread": "Unread", "reading": "Reading", "read": "Read", "dismissed": "Dismissed"}


def scope_text(key: tuple[str, str | None]) -> str:
    """'in tag: retrieval', 'in list: Week 3', 'in Unread'; '' for the whole library."""
    kind, value = key
    if kind == "inbox":
        return "in Inbox"
    if kind == "tag" and value:
        return f"in tag: {value}"
    if kind == "list" and value:
        return f"in list: {value}"
    if kind == "smart" and value:
        return f"in smart list: {value}"
    if kind in ("suggest-tag", "suggest-list") and value:
        return f"in suggestions for: {value}"
    if kind == "status" and value:
        return f"in {STATUS_NAMES.get(value, value)}"
    return ""


class ScopeChip(QToolButton):
    """'in tag: retrieval ✕' beside the search field while the sidebar narrows the search;
    clicking it widens the search to the whole library (wholeLibraryRequested)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_scope")
        self.setAutoRaise(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+Shift+F is its key
        self._scope = ""
        self.hide()

    def set_scope(self, text: str) -> None:
        self._scope = text
        kind, _, name = text.partition(": ")
        if name:
            name = self.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, NAME_WIDTH)
            shown = f"{kind}: {name}"
        else:
            shown = text
        self.setText(f"{mnemonic_safe(shown)}  ✕")
        self.setAccessibleName(f"Searching {text}; click to search the whole library")
        self.setToolTip(
            tooltip(
                f"The search looks only {text} (the sidebar's choice).\n"
                f"Click, or press {WHOLE_LIBRARY_KEYS}, to search the whole library."
            )
        )
        self.setVisible(bool(text))

    @property
    def scope(self) -> str:
        """The scope shown ('' for the whole library), without elision or the ✕."""
        return self._scope


class WholeLibraryOffer(QWidget):
    """'Nothing in tag: retrieval matches. [Search the whole library (Ctrl+Shift+F)]'."""

    requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whole_library_offer")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        set_muted(self.label)
        self.button = QPushButton(f"Search the whole library ({WHOLE_LIBRARY_KEYS})")
        self.button.setAccessibleName("Search the whole library")
        self.button.clicked.connect(self.requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)  # one line while there is room, wrapped when narrow
        row.addWidget(self.button)
        self.hide()

    def offer(self, scope: str) -> None:
        """Say that nothing matched `scope` and offer the whole library ('' hides it)."""
        self.label.setText(f"No paper {scope} matches." if scope else "")
        self.setVisible(bool(scope))
