"""One note being edited: Markdown body, quote and page, a live preview, and debounced autosave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.gui.lane import Step, WriteLane
from app.gui.note_preview import AutoHeightBrowser, set_alert, set_muted
from storage.render import render_note
from storage.views import Change, NoteView

DEBOUNCE_MS = 800  # quiet time after the last keystroke before the note is written
PREVIEW_MS = 120  # quiet time before the preview re-renders
DONE_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # save and close the editor (Help lists them)


@dataclass(frozen=True)
class NoteValues:
    """What the editor holds; compared with the last saved values to know if it is dirty."""

    body: str
    quote: str | None
    page: str | None

    @property
    def blank(self) -> bool:
        return not self.body.strip() and not self.quote and not self.page


def exact_text(edit: QPlainTextEdit) -> str:
    """What was typed, exactly: unlike toPlainText() this keeps no-break spaces (U+00A0).
    Block and line separators become "\\n" (Qt stores them as U+2029 and U+2028)."""
    return edit.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")


class GrowingPlainTextEdit(QPlainTextEdit):
    """A plain-text editor that grows with its text between min_lines and max_lines."""

    focusLost = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, min_lines: int, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_lines, self._max_lines = min_lines, max_lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        doc = self.document()
        lines = min(max(doc.lineCount(), doc.blockCount(), self._min_lines), self._max_lines)
        margins = self.contentsMargins()
        height = (
            lines * self.fontMetrics().lineSpacing()
            + int(2 * doc.documentMargin())
            + margins.top()
            + margins.bottom()
            + 2
        )
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()

    def focusOutEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.focusLost.emit()


class NoteEditor(QFrame):
    """Edits one note (or a new one, created on its first non-empty save) and autosaves it."""

    changed = Signal(object)  # storage.views.Change after every successful save
    saveFailed = Signal(str)  # noqa: N815 (Qt naming)
    doneRequested = Signal()  # noqa: N815
    deleteRequested = Signal()  # noqa: N815

    def __init__(
        self, library: object, paper_id: int, note: NoteView | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._library = library
        self.paper_id = paper_id
        self._note_id: int | None = note.id if note else None
        empty = NoteValues("", None, None)
        start = NoteValues(note.body, note.quote, note.page_text) if note else empty
        self._saved = start
        self.last_error: str | None = None
        # The window's write lane (set by the panel): saves queue there, in order, and the
        # editor shows "Saving…" until one is written. The note's id lives in _box on the lane
        # (a new note's first save sets it; the saves queued after it update that note).
        self.lane: WriteLane | None = None
        self._box: list[int | None] = [self._note_id]
        self._queued = start  # the values of the last save given to the lane
        self._in_flight = 0  # saves queued and not yet back
        self._close_when_saved = False  # Done was asked while saves were in flight
        self._held = False  # its note is being deleted: no more saves
        # For a save that comes back after the editor closed (another paper was shown):
        self.saved_after_close: Callable[[Change], None] | None = None
        self.lost_after_close: Callable[[NoteValues, str], None] | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Note editor")

        self.quote_edit = GrowingPlainTextEdit(1, 6)
        self.quote_edit.setPlaceholderText("Quoted passage (optional)")
        self.quote_edit.setAccessibleName("Quoted passage")
        self.quote_edit.setTabChangesFocus(True)
        self.quote_edit.setPlainText(start.quote or "")
        self.page_edit = QLineEdit(start.page or "")
        self.page_edit.setPlaceholderText("Page")
        self.page_edit.setAccessibleName("Page of the quoted passage")
        self.page_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        if note is not None and note.is_highlight:  # the words under the highlight, its page
            for edit in (self.quote_edit, self.page_edit):
                edit.setReadOnly(True)
                edit.setToolTip("The highlighted words and their page, as in the PDF")
        self.body_edit = GrowingPlainTextEdit(6, 22)
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body_edit.setPlaceholderText("Write your note in Markdown…")
        self.body_edit.setAccessibleName("Note text (Markdown)")
        self.body_edit.setPlainText(start.body)
        self.preview = AutoHeightBrowser(minimum_lines=2)
        self.preview.setAccessibleName("Note preview")
        self.preview.setPlaceholderText("The preview appears here as you type.")
        self.preview.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # error messages quote user text
        self.status.setWordWrap(True)  # a long error wraps rather than widen the pane
        self.status.setAccessibleName("Save status")
        set_muted(self.status)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.done_button = QPushButton("Done")
        self.done_button.setAccessibleName("Finish editing note")
        self.done_button.setToolTip("Save and close the editor (Ctrl+Return)")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete note")

        quote_row = QHBoxLayout()
        quote_row.addWidget(self.quote_edit, 1)
        quote_row.addWidget(self.page_edit, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.done_button)
        preview_label = QLabel("Preview")
        set_muted(preview_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addLayout(quote_row)
        layout.addWidget(self.body_edit)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)

        self._save_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._save_timer.timeout.connect(self.flush)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_MS)
        self._preview_timer.timeout.connect(self._render_preview)
        for edit in (self.body_edit, self.quote_edit):
            edit.textChanged.connect(self._edited)
            edit.focusLost.connect(self.flush)
        self.page_edit.textEdited.connect(self._edited)
        self.page_edit.installEventFilter(self)
        self.done_button.clicked.connect(self._done)
        self.delete_button.clicked.connect(self.deleteRequested)
        for keys in DONE_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._done)
        if note is not None:  # as the editor holds it (CRLF became \n): opening never writes
            self._saved = self._queued = self.values()
        self._render_preview()
        self._show_saved_state()

    # --- state ---------------------------------------------------------------------------

    @property
    def note_id(self) -> int | None:
        """The note's id, or None while a new note has not been written yet."""
        return self._note_id

    def values(self) -> NoteValues:
        """The editor's content: the body exactly as typed; empty quote and page become None."""
        quote = exact_text(self.quote_edit)
        page = self.page_edit.text().strip()
        return NoteValues(
            exact_text(self.body_edit), quote if quote.strip() else None, page or None
        )

    @property
    def dirty(self) -> bool:
        """True while something typed is neither in the library nor on its way there."""
        current = self.values()
        new = self._note_id is None and self._box[0] is None and self._in_flight == 0
        if new and current.blank:
            return False  # an empty new note is nothing to save
        return current != (self._queued if self.lane is not None else self._saved)

    @property
    def saving(self) -> bool:
        """Saves are queued on the lane and not yet written."""
        return self._in_flight > 0

    def focus_body(self) -> None:
        self.body_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.body_edit.moveCursor(QTextCursor.MoveOperation.End)

    def forget_note(self) -> None:
        """The note vanished from the library: what is shown becomes a new, unsaved note."""
        self._note_id = None
        self._box = [None]  # saves already queued keep the old box (and fail: not found)
        self._saved = self._queued = NoteValues("", None, None)
        self._show_saved_state()

    def hold(self, held: bool = True) -> None:
        """Its note is being deleted: no more saves (and no typing) until it is gone, or
        back editable if the delete failed."""
        self._held = held
        self._save_timer.stop()
        self.setEnabled(not held)

    # --- saving --------------------------------------------------------------------------

    def flush(self) -> bool:
        """Write pending edits now. True when the library holds what the editor shows."""
        if not all(isValid(w) for w in (self, self.body_edit, self.quote_edit, self.page_edit)):
            return False  # torn down (application exit): nothing left to read
        self._save_timer.stop()
        if self._held or not self.dirty:
            return True
        current = self.values()
        if self.lane is not None:
            self._queue_save(current)
            return True
        try:
            if self._note_id is None:
                self._note_id = self._library.add_note(
                    self.paper_id, current.body, current.quote, current.page
                )
            else:
                self._library.update_note(
                    self._note_id, body=current.body, quote=current.quote, page=current.page
                )
        except Exception as error:  # any failure: keep the text, say so
            self.last_error = str(error)
            self.status.setText(f"Not saved: {error}")
            set_alert(self.status, True)
            self.saveFailed.emit(str(error))
            return False
        self._saved = current
        self.last_error = None
        self.status.setText(f"Saved {datetime.now():%H:%M:%S}")
        set_alert(self.status, False)
        self.changed.emit(
            Change(paper_ids=frozenset({self.paper_id}), note_ids=frozenset({self._note_id}))
        )
        return True

    def _queue_save(self, values: NoteValues) -> None:
        """Give the save to the lane (after the saves before it); the editor says "Saving…"."""
        library, box, paper_id = self._library, self._box, self.paper_id

        def work() -> int:
            if box[0] is None:
                box[0] = library.add_note(paper_id, values.body, values.quote, values.page)
            else:
                library.update_note(
                    box[0], body=values.body, quote=values.quote, page=values.page
                )
            return box[0]

        self._queued = values
        self._in_flight += 1
        self.status.setText("Saving…")
        set_alert(self.status, False)
        name = "Save the note" if box[0] is not None else "Add a note"
        self.lane.run(  # type: ignore[union-attr] (flush gives it only with a lane)
            Step(name, work, lambda nid: self._landed(values, nid), lambda e: self._lost(values, e))
        )

    def _alive(self) -> bool:
        return isValid(self) and not self.signalsBlocked()  # the panel blocks a closed one

    def _landed(self, values: NoteValues, note_id: int) -> None:
        """A save is written (GUI thread)."""
        change = Change(paper_ids=frozenset({self.paper_id}), note_ids=frozenset({note_id}))
        if not self._alive():
            if self.saved_after_close is not None:
                self.saved_after_close(change)
            return
        self._in_flight -= 1
        if self._box[0] == note_id:  # not a note forgotten meanwhile
            self._note_id = note_id
        self._saved = values
        if self._in_flight == 0 or values == self._queued:
            self.last_error = None
            self.status.setText(f"Saved {datetime.now():%H:%M:%S}")
            set_alert(self.status, False)
        self.changed.emit(change)
        if self._close_when_saved and self._in_flight == 0 and not self.dirty:
            self._close_when_saved = False
            self.doneRequested.emit()

    def _lost(self, values: NoteValues, error: BaseException) -> None:
        """A save failed (GUI thread): the text stays, the error shows; the next save (or
        Done) tries again."""
        if not self._alive():
            if self.lost_after_close is not None:
                self.lost_after_close(values, str(error))
            return
        self._in_flight -= 1
        self._close_when_saved = False
        if values == self._queued:
            self._queued = self._saved  # dirty again: the next flush saves it
        self.last_error = str(error)
        self.status.setText(f"Not saved: {error}")
        set_alert(self.status, True)
        self.saveFailed.emit(str(error))

    def _edited(self, *_: object) -> None:
        self._save_timer.start()
        self._preview_timer.start()
        if self.dirty:
            self.status.setText("Editing…")

    def _show_saved_state(self) -> None:
        self.status.setText("Saved" if self._note_id is not None else "New note")

    def body_text(self) -> str:
        return exact_text(self.body_edit)

    def _render_preview(self) -> None:
        current = self.values()
        self.preview.setHtml(render_note(current.body, current.quote, current.page))

    def _done(self) -> None:
        if not self.flush():
            return
        if self._in_flight:  # closes once the library has it (a failure keeps it open)
            self._close_when_saved = True
        else:
            self.doneRequested.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.page_edit and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def hideEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        self.flush()
        super().hideEvent(event)
