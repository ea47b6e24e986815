"""Highlights in the readers.

Made from the selection (H, or 1–5 for a colour), drawn from the library's PDF-point rectangles,
edited in a panel by the highlight; all through the undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, QSettings, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton

from app.gui.reader.canvas import Mark
from app.gui.reader.commands import (
    AddHighlightCommand,
    DeleteHighlightCommand,
    EditHighlightCommand,
)
from app.gui.reader.popup import HighlightPopup
from app.gui.reader.reader import Reader
from storage.highlights import COLOR_HEX, COLORS, DEFAULT_COLOR
from storage.pdfpages import Rect
from storage.views import Change, NoteView

if TYPE_CHECKING:
    from app.gui.window import MainWindow

__all__ = ["Highlighter", "swatch"]

MARK_ALPHA = 170  # multiplied onto a light page; drawn over a dark one


def swatch(color: str, side: int = 14) -> QIcon:
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor(COLOR_HEX.get(color, "#ffd400")))
    return QIcon(pixmap)


def mark_color(color: str | None, dark: bool = False) -> QColor:
    shown = QColor(COLOR_HEX.get(color or DEFAULT_COLOR, COLOR_HEX[DEFAULT_COLOR]))
    shown.setAlpha(110 if dark else MARK_ALPHA)
    return shown


class Highlighter(QObject):
    """One for the window: works on whichever reader asks, through the window's undo stack."""

    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.library, self.settings = window, window.library, settings
        chosen = str(settings.value("reader/color", DEFAULT_COLOR))
        self.color = chosen if chosen in COLOR_HEX else DEFAULT_COLOR
        self.readers: list[Reader] = []
        self.popups: dict[int, HighlightPopup] = {}  # id(reader) -> its panel
        window.undo_stack.indexChanged.connect(lambda _index: self.refresh_all())
        window.detail.changed.connect(lambda _change: self.refresh_all())

    def _report(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    def _sink(self, change: Change) -> None:
        self.window.apply_change(change)

    # --- readers -----------------------------------------------------------------------------

    def attach(self, reader: Reader) -> None:
        """Give a new reader its Highlight button, menu entries and keys."""
        self.readers.append(reader)
        button = QToolButton()
        button.setText("Highlight")
        button.setAccessibleName("Highlight")
        button.setToolTip("Highlight the selection (H; keys 1–5 pick a colour)")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setIcon(swatch(self.color))
        menu = QMenu(button)
        reader.highlight_actions = []
        for number, color in enumerate(COLORS, start=1):
            action = QAction(swatch(color), f"{color.capitalize()}\t{number}", menu)
            action.triggered.connect(lambda _c=False, r=reader, c=color: self.highlight(r, c))
            menu.addAction(action)
            reader.highlight_actions.append(action)
        button.setMenu(menu)
        button.clicked.connect(lambda: self.highlight(reader))
        reader.highlight_button = button
        reader.add_tool(button)
        reader.key_handlers.append(lambda event, r=reader: self._key(r, event))
        reader.opened.connect(lambda r=reader: self._opened(r))
        reader.dark_action.toggled.connect(lambda _on, r=reader: self.refresh(r))
        reader.destroyed.connect(lambda _o=None, r=reader: self._forget(r))
        if reader.canvas is not None:
            self._opened(reader)

    def _forget(self, reader: Reader) -> None:
        if reader in self.readers:
            self.readers.remove(reader)
        self.popups.pop(id(reader), None)

    def _opened(self, reader: Reader) -> None:
        canvas = reader.canvas
        assert canvas is not None
        popup = HighlightPopup(canvas.viewport())
        self.popups[id(reader)] = popup
        popup.colorChosen.connect(lambda color, r=reader: self._recolor(r, color))
        popup.deleteRequested.connect(lambda r=reader: self._delete_from_popup(r))
        popup.done.connect(lambda text, r=reader, p=popup: self._commented(r, p, text))
        canvas.highlightClicked.connect(lambda note_id, _pos, r=reader: self.edit(r, note_id))
        canvas.verticalScrollBar().valueChanged.connect(lambda _v, r=reader: self._follow(r))
        canvas.context_actions = [reader.copy_action, None, *reader.highlight_actions]
        canvas.pressed.connect(lambda r=reader: self.close_popup(r))
        self.refresh(reader)

    def popup(self, reader: Reader) -> HighlightPopup | None:
        return self.popups.get(id(reader))

    # --- drawing -----------------------------------------------------------------------------

    def refresh(self, reader: Reader) -> None:
        """Draw the file's highlights as the library has them now."""
        canvas = reader.canvas
        if canvas is None:
            return
        try:
            notes = self.library.highlights(file_id=reader.file_id)
        except Exception as error:  # the file went meanwhile: nothing to draw
            self._report(f"Highlights not shown: {error}")
            notes = []
        marks: dict[int, list[Mark]] = {}
        for note in notes:
            if note.page is None or not note.rects:
                continue
            mark = Mark(note.page - 1, tuple(Rect.of(r) for r in note.rects),
                        mark_color(note.color, canvas.dark), note.id)  # fmt: skip
            marks.setdefault(note.page - 1, []).append(mark)
        canvas.highlights = marks
        canvas.viewport().update()

    def refresh_all(self) -> None:
        for reader in list(self.readers):
            self.refresh(reader)

    def _note_of(self, reader: Reader, note_id: int) -> NoteView | None:
        return next(
            (n for n in self.library.highlights(file_id=reader.file_id) if n.id == note_id), None
        )

    # --- making and editing --------------------------------------------------------------------

    def highlight(self, reader: Reader, color: str | None = None) -> list[int]:
        """Highlight the reader's selection (one highlight a page) in `color`, or the colour
        used last; the new note ids. The panel opens by the first for a comment."""
        canvas = reader.canvas
        if color is not None:
            self._choose(color)
        if canvas is None or not canvas.selection:
            self._report("Select some text first, then highlight it (H).")
            return []
        color = color or self.color
        commands = []
        for page, span in sorted(canvas.selection.items()):
            text = canvas.texts.get(page)
            if text is None:
                continue
            rects = [rect.as_tuple() for rect in text.rects(span)]
            quote = text.text_of(span)
            if rects and quote:
                commands.append(AddHighlightCommand(
                    self.library, self._sink, self._report, reader.paper_id, reader.file_id,
                    page + 1, rects, quote, color,
                ))  # fmt: skip
        stack = self.window.undo_stack
        if len(commands) > 1:
            stack.beginMacro(f"Highlight {len(commands)} pages")
        for command in commands:
            stack.push(command)
        if len(commands) > 1:
            stack.endMacro()
        made = [c.note_id for c in commands if c.note_id is not None]
        canvas.clear_selection()
        if made:
            self.edit(reader, made[0])
        return made

    def _choose(self, color: str) -> None:
        self.color = color
        self.settings.setValue("reader/color", color)
        for reader in self.readers:
            button = getattr(reader, "highlight_button", None)
            if button is not None:
                button.setIcon(swatch(color))

    def _key(self, reader: Reader, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key == Qt.Key.Key_H:
            self.highlight(reader)
            return True
        number = key - Qt.Key.Key_1
        if 0 <= number < len(COLORS):
            popup = self.popup(reader)
            if popup is not None and popup.isVisible():
                self._recolor(reader, COLORS[number])
            elif reader.canvas is not None and reader.canvas.selection:
                self.highlight(reader, COLORS[number])
            else:
                self._choose(COLORS[number])
            return True
        return False

    def edit(self, reader: Reader, note_id: int) -> None:
        """Open the panel by this highlight (to comment, recolour or delete it)."""
        popup, canvas = self.popup(reader), reader.canvas
        note = self._note_of(reader, note_id)
        if popup is None or canvas is None or note is None or note.page is None:
            return
        if popup.isVisible() and popup.note_id != note_id:
            popup.finish()
        where = self._where(reader, note)
        if where is None:
            return
        popup.anchor = (note.page - 1, where)
        popup.open_for(note.id, note.color, note.body, where[1])

    def _where(self, reader: Reader, note: NoteView) -> tuple[int, QRectF] | None:
        canvas = reader.canvas
        if canvas is None or note.page is None or not note.rects:
            return None
        shown = [canvas.to_view(note.page - 1, Rect.of(r)) for r in note.rects]
        boxes = [box for box in shown if box is not None]
        if not boxes:
            return None
        around = boxes[0]
        for box in boxes[1:]:
            around = around.united(box)
        return note.page - 1, around

    def _follow(self, reader: Reader) -> None:
        popup = self.popup(reader)
        if popup is None or not popup.isVisible() or popup.note_id is None:
            return
        note = self._note_of(reader, popup.note_id)
        where = self._where(reader, note) if note is not None else None
        if where is not None:
            popup.place(where[1])

    def close_popup(self, reader: Reader) -> None:
        popup = self.popup(reader)
        if popup is not None and popup.isVisible():
            popup.finish()

    def _recolor(self, reader: Reader, color: str) -> None:
        popup = self.popup(reader)
        note = self._note_of(reader, popup.note_id) if popup and popup.note_id else None
        self._choose(color)
        if popup is not None:
            popup.set_color(color)
        if note is not None and note.color != color:
            self.window.undo_stack.push(EditHighlightCommand(
                self.library, self._sink, self._report, note, color=color))  # fmt: skip

    def _commented(self, reader: Reader, popup: HighlightPopup, text: str) -> None:
        note_id = popup.note_id
        note = self._note_of(reader, note_id) if note_id else None
        if note is not None and text.strip() != (note.body or "").strip():
            self.window.undo_stack.push(EditHighlightCommand(
                self.library, self._sink, self._report, note, comment=text.strip()))  # fmt: skip
        if reader.canvas is not None:
            reader.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _delete_from_popup(self, reader: Reader) -> None:
        popup = self.popup(reader)
        note = self._note_of(reader, popup.note_id) if popup and popup.note_id else None
        if popup is not None:
            popup.note_id = None
            popup.hide()
        if note is not None:
            self.delete(note)
        if reader.canvas is not None:
            reader.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete(self, note: NoteView) -> None:
        """Delete a highlight and its note (undoable)."""
        self.window.undo_stack.push(
            DeleteHighlightCommand(self.library, self._sink, self._report, note)
        )
