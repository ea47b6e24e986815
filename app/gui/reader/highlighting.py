"""Highlights in the readers.

Made from the selection (H, or 1–5 for a colour), drawn from the library's PDF-point rectangles,
edited in a panel by the highlight; all through the undo stack, written on the window's write
lane: shown at once (drawn as pending until written), a refused one taken back and told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, QSettings, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton

from app.gui.plain import tell
from app.gui.reader.canvas import Mark
from app.gui.reader.commands import (
    AddHighlightCommand,
    DeleteHighlightCommand,
    EditHighlightCommand,
    HighlightCommand,
)
from app.gui.reader.pending import HighlightRef, PendingHighlights, Shown
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
        self.pending = PendingHighlights(self.refresh_all)  # edits not yet written
        window.undo_stack.indexChanged.connect(lambda _index: self.refresh_all())
        window.detail.changed.connect(lambda _change: self.refresh_all())

    def _report(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    def _sink(self, change: Change) -> None:
        self.window.apply_change(change)

    def _push(self, command: HighlightCommand) -> None:
        command.pending = self.pending
        command.rescue = self._rescue
        self.window.undo_stack.push(command)

    def _not_changed(self, message: str) -> None:
        tell(self.window, "Highlight not changed", message)

    def _not_saved(self, ref: HighlightRef, message: str) -> None:
        """A new highlight (or its redo) was refused: it is no longer drawn; a comment being
        typed for it is kept on the clipboard."""
        typed = ""
        for popup in self.popups.values():
            if popup.note_id is not None and self.pending.ref(popup.note_id) is ref:
                typed = popup.comment.toPlainText().strip()
                popup.note_id = None
                popup.hide()
        if typed:
            self._rescue(typed)
            message += "\n\nIts comment was copied to the clipboard."
        tell(self.window, "Highlight not saved", message)

    def _rescue(self, comment: str) -> None:
        QGuiApplication.clipboard().setText(comment)
        self._report("The comment of a highlight that was not saved is on the clipboard.")

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
        notes, pending = self._shown(reader)
        marks: dict[int, list[Mark]] = {}
        for key, note in notes.items():
            if note.page is None or not note.rects:
                continue
            mark = Mark(note.page - 1, tuple(Rect.of(r) for r in note.rects),
                        mark_color(note.color, canvas.dark), key, key in pending)  # fmt: skip
            marks.setdefault(note.page - 1, []).append(mark)
        canvas.highlights = marks
        canvas.viewport().update()
        popup = self.popup(reader)
        if popup is not None:
            self._title(popup, notes, pending)

    def _title(self, popup: HighlightPopup, notes: Shown, pending: set[int]) -> None:
        """The panel says when its highlight has edits still to be written."""
        if popup.note_id is not None:
            waiting = self.pending.ref(popup.note_id).key(notes) in pending
            popup.title.setText("Highlight · saving…" if waiting else "Highlight")

    def refresh_all(self) -> None:
        for reader in list(self.readers):
            self.refresh(reader)

    def _shown(self, reader: Reader) -> tuple[Shown, set[int]]:
        """The file's highlights as shown (with the edits not yet written) and which of them
        have edits still to be written."""
        try:
            stored = self.library.highlights(file_id=reader.file_id)
        except Exception as error:  # the file went meanwhile: nothing to draw
            self._report(f"Highlights not shown: {error}")
            stored = []
        return self.pending.shown(stored, reader.file_id)

    def _note_of(self, reader: Reader, note_id: int) -> NoteView | None:
        """The highlight shown with this id (provisional or stored), as shown."""
        shown, _pending = self._shown(reader)
        return shown.get(self.pending.ref(note_id).key(shown))

    # --- making and editing --------------------------------------------------------------------

    def highlight(self, reader: Reader, color: str | None = None) -> list[int]:
        """Highlight the reader's selection (one highlight a page) in `color`, or the colour
        used last; the ids they are shown with (provisional until written). The panel opens by
        the first for a comment (typed while it is being written, saved after it)."""
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
                ref = self.pending.new_ref()
                commands.append(AddHighlightCommand(
                    self.library, self._sink, lambda m, r=ref: self._not_saved(r, m), ref,
                    reader.paper_id, reader.file_id, page + 1, rects, quote, color,
                ))  # fmt: skip
        stack = self.window.undo_stack
        if len(commands) > 1:
            stack.beginMacro(f"Highlight {len(commands)} pages")
        for command in commands:
            self._push(command)
        if len(commands) > 1:
            stack.endMacro()
        made = [c.ref.provisional if c.ref.id is None else c.ref.id for c in commands
                if not c.isObsolete()]  # fmt: skip
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
        shown, pending = self._shown(reader)
        note = shown.get(self.pending.ref(note_id).key(shown))
        if popup is None or canvas is None or note is None or note.page is None:
            return
        if popup.isVisible() and not (
            popup.note_id is not None and self.pending.same(popup.note_id, note_id)
        ):
            popup.finish()
        where = self._where(reader, note)
        if where is None:
            return
        popup.anchor = (note.page - 1, where)
        if popup.isVisible() and popup.note_id is not None:
            popup.set_color(note.color or "")  # the same one: what is typed stays
            popup.place(where[1])
            return
        popup.open_for(note_id, note.color, note.body, where[1])
        self._title(popup, shown, pending)

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
        if note is not None and note.color != color and popup and popup.note_id:
            ref = self.pending.ref(popup.note_id)
            self._push(
                EditHighlightCommand(
                    self.library, self._sink, self._not_changed, ref, note, color=color
                )
            )

    def _commented(self, reader: Reader, popup: HighlightPopup, text: str) -> None:
        note_id = popup.note_id
        note = self._note_of(reader, note_id) if note_id else None
        if note_id and note is not None and text.strip() != (note.body or "").strip():
            ref, comment = self.pending.ref(note_id), text.strip()
            self._push(
                EditHighlightCommand(
                    self.library, self._sink, self._not_changed, ref, note, comment=comment
                )
            )
        if reader.canvas is not None:
            reader.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _delete_from_popup(self, reader: Reader) -> None:
        popup = self.popup(reader)
        note_id = popup.note_id if popup else None
        note = self._note_of(reader, note_id) if note_id else None
        if popup is not None:
            popup.note_id = None
            popup.hide()
        if note_id and note is not None:
            self._delete(self.pending.ref(note_id), note)
        if reader.canvas is not None:
            reader.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete(self, note: NoteView) -> None:
        """Delete a highlight and its note (undoable); `note` as the library has it."""
        self._delete(self.pending.ref(note.id), note)

    def _delete(self, ref: HighlightRef, note: NoteView) -> None:
        self._push(DeleteHighlightCommand(self.library, self._sink, self._not_changed, ref, note))
