"""Find in the document (Ctrl+F in the reader).

Every match marked, Enter and Shift+Enter step through them, "3 of 12" counts them while the
pages are searched one by one off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.gui.note_preview import set_muted
from app.gui.reader.interact import ReadingCanvas
from app.gui.reader.source import Match, PageSource

__all__ = ["FindBar", "Finder"]

TYPING_PAUSE_MS = 200


class FindBar(QWidget):
    """The field, the count and the previous/next/close buttons."""

    phraseChanged = Signal(str)  # noqa: N815 (Qt naming): after a short pause in typing
    stepRequested = Signal(int)  # noqa: N815 (+1 next, -1 previous)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Find in document")
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in document")
        self.field.setAccessibleName("Find in document")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.count = QLabel("")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setAccessibleName("Matches")
        set_muted(self.count)
        self.previous = self._button("↑", "Previous match (Shift+Enter)", lambda: self.step(-1))
        self.next = self._button("↓", "Next match (Enter)", lambda: self.step(1))
        self.close_button = self._button("✕", "Close (Escape)", self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        row.addWidget(self.previous)
        row.addWidget(self.next)
        row.addWidget(self.close_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TYPING_PAUSE_MS)
        self.timer.timeout.connect(lambda: self.phraseChanged.emit(self.field.text()))
        self.field.textEdited.connect(lambda _text: self.timer.start())
        self.hide()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def open_bar(self, phrase: str = "") -> None:
        self.show()
        if phrase:
            self.field.setText(phrase)
            self.phraseChanged.emit(phrase)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.timer.stop()
        self.hide()
        self.closed.emit()

    def step(self, delta: int) -> None:
        if self.timer.isActive():  # Enter before the pause: search now, then step
            self.timer.stop()
            self.phraseChanged.emit(self.field.text())
        self.stepRequested.emit(delta)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.step(-1 if shift else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)


class Finder(QObject):
    """Runs a find through the PageSource and keeps its matches in reading order; the canvas
    marks them all and the current one more strongly, and scrolls to the current one."""

    counted = Signal(str)  # "3 of 12", "No matches", "" (nothing searched)

    def __init__(self, source: PageSource, canvas: ReadingCanvas, parent: QObject | None = None):
        super().__init__(parent)
        self.source, self.canvas = source, canvas
        self.phrase = ""
        self.generation = 0
        self.done = True
        self.by_page: dict[int, list[Match]] = {}
        self.matches: list[Match] = []
        self.current = -1
        self._pending_step = 0
        source.found.connect(self._on_found)
        source.findDone.connect(self._on_done)

    def search(self, phrase: str) -> None:
        phrase = phrase.strip()
        if phrase == self.phrase and (self.matches or not self.done):
            return
        self.phrase = phrase
        self.by_page, self.matches, self.current = {}, [], -1
        self.canvas.matches, self.canvas.current_match = {}, None
        self.canvas.viewport().update()
        count = len(self.canvas.layout_)
        start = self.canvas.current_page
        order = list(range(start, count)) + list(range(0, start))
        self.done = not phrase
        self.generation = self.source.find(phrase, order if phrase else [])
        self._count()

    def clear(self) -> None:
        self.search("")

    def step(self, delta: int) -> None:
        """Move to the next (+1) or previous (-1) match, wrapping around."""
        if not self.matches:
            self._pending_step = delta if not self.done else 0
            return
        self.current = (self.current + delta) % len(self.matches)
        self._show_current()

    def _show_current(self) -> None:
        match = self.matches[self.current]
        self.canvas.current_match = match
        if match.rects:
            first = match.rects[0]
            self.canvas.ensure_visible(match.page, first)
        else:
            self.canvas.go_to(match.page)
        self.canvas.viewport().update()
        self._count()

    def _on_found(self, generation: int, page: int, matches: list[Match]) -> None:
        if generation != self.generation or not matches:
            return
        self.by_page[page] = matches
        current = self.matches[self.current] if self.current >= 0 else None
        self.matches = [m for p in sorted(self.by_page) for m in self.by_page[p]]
        self.canvas.matches = self.by_page
        if current is not None:
            self.current = self.matches.index(current)
        else:  # the first match at or after the page shown: the find started there
            self.current = self.matches.index(matches[0])
            self._show_current()
            if self._pending_step:
                self._pending_step = 0
        self.canvas.viewport().update()
        self._count()

    def _on_done(self, generation: int) -> None:
        if generation == self.generation:
            self.done = True
            self._count()

    def _count(self) -> None:
        if not self.phrase:
            text = ""
        elif self.matches:
            more = "" if self.done else "…"
            text = f"{self.current + 1:,} of {len(self.matches):,}{more}"
        else:
            text = "No matches" if self.done else "Searching…"
        self.counted.emit(text)
