"""Reading with the mouse and keyboard.

Select words across lines, columns and pages, copy, follow links, click highlights, and the
reading keys (Space, PgDn, j/k, Home/End, zoom)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QCursor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QMenu

from app.gui.reader.canvas import FIT_PAGE, PageCanvas
from storage.pdfpages import Link, Span

__all__ = ["ReadingCanvas"]

DRAG_DISTANCE = 4  # pixels a press must move to become a selection
AUTOSCROLL_MS = 30
Point = tuple[int, float, float]  # page, x, y (PDF points)

# Keys the reader keeps from the window's shortcuts while it has the focus.
_OWN_KEYS = {
    Qt.Key.Key_Space, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
    Qt.Key.Key_J, Qt.Key.Key_K, Qt.Key.Key_Escape,
}  # fmt: skip
_SHIFTS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
_PLUS = (Qt.Key.Key_Equal, Qt.Key.Key_Plus)
_MINUS = Qt.Key.Key_Minus


class ReadingCanvas(PageCanvas):
    """PageCanvas with selection, copy, links and the reading keys."""

    selectionChanged = Signal(bool)  # noqa: N815 (Qt naming): whether there is one
    linkRequested = Signal(object)  # noqa: N815 (a Link with an address, to confirm and open)
    highlightClicked = Signal(int, QPoint)  # noqa: N815 (note id, global position)
    pressed = Signal()  # a mouse press on the pages (closes a highlight's panel)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._anchor: Point | None = None
        self._press: QPointF | None = None
        self._dragging = False
        self.history: list[tuple[int, int]] = []  # (page, scroll value) before a link jump
        self.context_actions: list = []  # the reader's (copy, highlight…); None: a separator
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(AUTOSCROLL_MS)
        self._autoscroll.timeout.connect(self._drag_on)

    # --- selection -------------------------------------------------------------------------

    def has_selection(self) -> bool:
        return bool(self.selection)

    def clear_selection(self) -> None:
        if self.selection:
            self.selection = {}
            self.viewport().update()
            self.selectionChanged.emit(False)

    def set_selection(self, selection: dict[int, Span]) -> None:
        self.selection = {page: span for page, span in selection.items() if span[1] > span[0]}
        self.viewport().update()
        self.selectionChanged.emit(bool(self.selection))

    def selected_text(self) -> str:
        """The selection as one would quote it; pages joined by a blank line."""
        parts = []
        for page in sorted(self.selection):
            text = self.texts.get(page)
            if text is not None:
                parts.append(text.text_of(self.selection[page]))
        return "\n\n".join(part for part in parts if part)

    def copy(self) -> bool:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return bool(text)

    def select_between(self, anchor: Point, focus: Point) -> dict[int, Span]:
        """Whole words from anchor to focus in reading order, across pages when they differ."""
        (first_page, ax, ay), (last_page, bx, by) = sorted((anchor, focus), key=self._order)
        selection: dict[int, Span] = {}
        for page in range(first_page, last_page + 1):
            text = self.texts.get(page)
            if text is None or not len(text):
                continue
            start = text.char_near(ax, ay) if page == first_page else 0
            end = text.char_near(bx, by) if page == last_page else len(text) - 1
            if start is None or end is None:
                continue
            span = text.select_chars(start, end)
            if span is not None:
                selection[page] = span
        return selection

    def _order(self, point: Point) -> tuple[int, int]:
        page, x, y = point
        text = self.texts.get(page)
        index = text.char_near(x, y) if text is not None else None
        return page, index if index is not None else 0

    # --- mouse -----------------------------------------------------------------------------

    def _link_at(self, where: Point | None) -> Link | None:
        if where is None:
            return None
        page, x, y = where
        return next((link for link in self.links.get(page, ()) if link.rect.contains(x, y)), None)

    def _highlight_at(self, where: Point | None) -> int | None:
        if where is None:
            return None
        page, x, y = where
        for mark in reversed(self.highlights.get(page, ())):
            if mark.note_id is not None and any(r.contains(x, y) for r in mark.rects):
                return mark.note_id
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.pressed.emit()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._press = event.position()
        self._anchor = self.to_page(event.position())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.selection:
            self._dragging = True
            self._extend(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None:
            self._hover(event.position())
            return
        moved = (event.position() - self._press).manhattanLength()
        if not self._dragging and moved >= DRAG_DISTANCE and self._anchor is not None:
            self._dragging = True
        if self._dragging:
            self._extend(event.position())
            height = self.viewport().height()
            inside = 0 <= event.position().y() <= height
            if inside:
                self._autoscroll.stop()
            elif not self._autoscroll.isActive():
                self._autoscroll.start()

    def _extend(self, position: QPointF) -> None:
        if self._anchor is None:
            return
        focus = self.to_page(position)
        if focus is None:
            return
        self.set_selection(self.select_between(self._anchor, focus))

    def _drag_on(self) -> None:
        position = QPointF(self.viewport().mapFromGlobal(QCursor.pos()))
        height = self.viewport().height()
        if position.y() < 0:
            self.scroll_by_lines(-1)
        elif position.y() > height:
            self.scroll_by_lines(1)
        self._extend(position)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._autoscroll.stop()
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        dragged, self._dragging, self._press = self._dragging, False, None
        if dragged:
            return
        where = self.to_page(event.position())
        link = self._link_at(where)
        note = self._highlight_at(where)
        self.clear_selection()
        if link is not None:
            self.follow(link)
        elif note is not None:
            self.highlightClicked.emit(note, event.globalPosition().toPoint())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        where = self.to_page(event.position())
        if where is None or event.button() != Qt.MouseButton.LeftButton:
            return
        page, x, y = where
        text = self.texts.get(page)
        word = text.word_at(x, y) if text is not None else None
        if word is not None:
            self.set_selection({page: word})
        self._press = None

    def _hover(self, position: QPointF) -> None:
        where = self.to_page(position)
        if self._link_at(where) is not None or self._highlight_at(where) is not None:
            shape = Qt.CursorShape.PointingHandCursor
        else:
            text = self.texts.get(where[0]) if where else None
            over_text = where is not None and text is not None and text.char_at(*where[1:])
            shape = Qt.CursorShape.IBeamCursor if over_text is not None else (
                Qt.CursorShape.ArrowCursor)  # fmt: skip
        self.viewport().setCursor(shape)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if not self.context_actions:
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(event.globalPos())

    # --- links -----------------------------------------------------------------------------

    def follow(self, link: Link) -> None:
        """A link to a page of this file jumps there (Alt+Left comes back); an address is
        handed on (linkRequested) to be confirmed."""
        if link.page is not None:
            self.history.append((self.current_page, self.verticalScrollBar().value()))
            self.go_to(link.page, link.top)
        elif link.uri:
            self.linkRequested.emit(link)

    def back(self) -> bool:
        if not self.history:
            return False
        page, value = self.history.pop()
        self.verticalScrollBar().setValue(value)
        self.current_page = page
        return True

    # --- keys --------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Keep the reading keys (and Ctrl+C) from the window's shortcuts while reading."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in _OWN_KEYS and not (event.modifiers() & ~_SHIFTS):
                event.accept()
                return True
            if event.matches(QKeySequence.StandardKey.Copy):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        control = bool(mods & Qt.KeyboardModifier.ControlModifier)
        plain = not (mods & ~_SHIFTS)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.matches(QKeySequence.StandardKey.ZoomIn) or (control and key in _PLUS):
            self.step_zoom(1)
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (control and key == _MINUS):
            self.step_zoom(-1)
        elif control and key == Qt.Key.Key_0:
            self.set_zoom(1.0)
        elif mods & Qt.KeyboardModifier.AltModifier and key == Qt.Key.Key_Left:
            self.back()
        elif plain and key == Qt.Key.Key_Space:
            self.scroll_by_screens(-1 if shift else 1)
        elif plain and key == Qt.Key.Key_PageDown:
            self.scroll_by_screens(1)
        elif plain and key == Qt.Key.Key_PageUp:
            self.scroll_by_screens(-1)
        elif plain and key in (Qt.Key.Key_J, Qt.Key.Key_Down):
            self.scroll_by_lines(1)
        elif plain and key in (Qt.Key.Key_K, Qt.Key.Key_Up):
            self.scroll_by_lines(-1)
        elif plain and key == Qt.Key.Key_Right and self.fit == FIT_PAGE:
            self.go_to(self.current_page + 1)
        elif plain and key == Qt.Key.Key_Left and self.fit == FIT_PAGE:
            self.go_to(self.current_page - 1)
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(len(self.layout_) - 1)
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        elif plain and key == Qt.Key.Key_Escape and self.selection:
            self.clear_selection()
        else:
            super().keyPressEvent(event)
