"""A paper's notes: rendered cards, inline editors that autosave, add and delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.lane import Step, WriteLane
from app.gui.note_preview import AutoHeightBrowser, set_muted, warm_renderer
from app.gui.notes_editor import NoteEditor, NoteValues
from storage.highlights.palette import COLOR_HEX, pale
from storage.render import render_note
from storage.views import Change, NoteView


def _discard(widget: QWidget) -> None:
    widget.hide()
    widget.deleteLater()


def local_time(moment: datetime) -> str:
    """A stored time (naive UTC) as local time, e.g. `2024-05-01 14:03`."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone():%Y-%m-%d %H:%M}"


def note_times(note: NoteView) -> str:
    created = local_time(note.created_at)
    updated = local_time(note.updated_at)
    return created if updated == created else f"{created} · edited {updated}"


class NoteCard(QFrame):
    """One saved note, rendered: its quote as a blockquote, its body, and when it was written."""

    editRequested = Signal(int)  # noqa: N815 (Qt naming)
    deleteRequested = Signal(int)  # noqa: N815
    showRequested = Signal(object)  # noqa: N815 (a highlight's NoteView, to show in its PDF)

    def __init__(self, note: NoteView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = note
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.times = QLabel()
        self.times.setWordWrap(True)  # "created · edited …" wraps rather than push the buttons
        set_muted(self.times)
        self.swatch = QLabel()  # a highlight's colour
        self.swatch.setAccessibleName("Highlight colour")
        side = max(10, self.times.fontMetrics().height() - 4)
        self.swatch.setFixedSize(side, side)
        self.view = AutoHeightBrowser()
        self.view.setAccessibleName("Note")
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.edit_button = QToolButton()
        self.edit_button.setText("Edit")
        self.edit_button.setAccessibleName("Edit note")
        self.delete_button = QToolButton()
        self.delete_button.setText("Delete…")
        self.delete_button.setAccessibleName("Delete note")
        self.show_button = QToolButton()  # a highlight's page: opens the PDF there
        self.show_button.setAccessibleName("Show in PDF")
        self.show_button.setAutoRaise(True)
        self.show_button.clicked.connect(lambda: self.showRequested.emit(self.note))
        header = QHBoxLayout()
        header.addWidget(self.swatch)
        header.addWidget(self.times, 1)
        header.addWidget(self.show_button)
        header.addWidget(self.edit_button)
        header.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.view)
        self.edit_button.clicked.connect(lambda: self.editRequested.emit(self.note.id))
        self.delete_button.clicked.connect(lambda: self.deleteRequested.emit(self.note.id))
        self.set_note(note, force=True)

    def set_note(self, note: NoteView, force: bool = False) -> None:
        changed = force or (note.body, note.quote, note.page_text, note.color) != (
            self.note.body,
            self.note.quote,
            self.note.page_text,
            self.note.color,
        )
        self.note = note
        self.times.setText(note_times(note))
        self._show_color(note)
        drawn = note.is_highlight and note.file_id is not None and note.page is not None
        self.show_button.setVisible(drawn)
        if drawn:
            self.show_button.setText(f"p. {note.page} ›")
            self.show_button.setToolTip(f"Show this highlight in the PDF, on page {note.page}")
        if changed:
            tint = pale(note.color) if note.color in COLOR_HEX else None
            self.view.setHtml(render_note(note.body, note.quote, note.page_text, tint))

    def _show_color(self, note: NoteView) -> None:
        """A square of the highlight's colour before the times; hidden for other notes."""
        self.swatch.setVisible(note.color in COLOR_HEX)
        if note.color in COLOR_HEX:
            self.swatch.setStyleSheet(
                f"background: {COLOR_HEX[note.color]}; border: 1px solid palette(mid);"
                " border-radius: 2px;"
            )
            where = f" on page {note.page}" if note.page is not None else ""
            self.swatch.setToolTip(f"{note.color.capitalize()} highlight{where}")


class NotesPanel(QWidget):
    """Lists a paper's notes; any number of them may be open in autosaving editors."""

    changed = Signal(object)  # storage.views.Change of every save, add and delete
    saveFailed = Signal(str)  # noqa: N815 (Qt naming)
    showRequested = Signal(object)  # noqa: N815 (a highlight's NoteView: show it in its PDF)

    def __init__(self, library: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        warm_renderer()  # Markdown's imports off the GUI thread, before a note shows
        self._paper_id: int | None = None
        self._notes: dict[int, NoteView] = {}
        # The reader deletes highlights (undoably, the highlight with its note) when it is there.
        self.delete_highlight: Callable[[NoteView], None] | None = None
        self.cards: dict[int, NoteCard] = {}
        self.editors: list[NoteEditor] = []
        self.lane: WriteLane | None = None  # the window's (use_lane): saves and deletes go there
        title = QLabel("Notes")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        self.add_button = QPushButton("Add note")
        self.add_button.setAccessibleName("Add note")
        self.add_button.setToolTip("Write a new note for this paper (saved as you type)")
        self.empty = QLabel("No notes yet. Notes are saved as you type.")
        set_muted(self.empty)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.add_button)
        self._list = QVBoxLayout()
        self._list.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addLayout(self._list)
        self.add_button.clicked.connect(self.add_note)

    # --- public --------------------------------------------------------------------------

    def use_lane(self, lane: WriteLane) -> None:
        """Save and delete notes on the window's write lane, never on the GUI thread."""
        self.lane = lane
        for editor in self.editors:
            editor.lane = lane

    def set_notes(self, paper_id: int | None, notes: Sequence[NoteView]) -> None:
        """Show notes of paper_id. The same paper keeps its open editors (and their cursors);
        another paper is flushed first and starts with every note closed."""
        if paper_id != self._paper_id:
            self.flush()
            for editor in list(self.editors):
                if editor.dirty:
                    self._rescue(editor)
                self._drop_editor(editor)
            for card in self.cards.values():
                _discard(card)
            self.cards = {}
            self._paper_id = paper_id
        self._notes = {note.id: note for note in notes}
        for editor in list(self.editors):
            if editor.note_id is not None and editor.note_id not in self._notes:
                if editor.dirty:
                    editor.forget_note()  # gone from the library, but unsaved text stays
                else:
                    self._drop_editor(editor)
        for note_id in [nid for nid in self.cards if nid not in self._notes]:
            _discard(self.cards.pop(note_id))
        editing = {editor.note_id for editor in self.editors}
        for note in notes:
            if note.id in editing:
                continue
            if note.id in self.cards:
                self.cards[note.id].set_note(note)
            else:
                self.cards[note.id] = self._make_card(note)
        self._arrange()
        self.add_button.setEnabled(paper_id is not None)

    def add_note(self) -> NoteEditor | None:
        """Open an editor for a new note; it reaches the library on its first non-empty save."""
        if self._paper_id is None:
            return None
        for editor in self.editors:
            if editor.note_id is None:
                editor.focus_body()
                return editor
        editor = self._make_editor(None)
        self._arrange()
        editor.focus_body()
        return editor

    def edit_note(self, note_id: int) -> NoteEditor | None:
        for editor in self.editors:
            if editor.note_id == note_id:
                editor.focus_body()
                return editor
        note = self._notes.get(note_id)
        if note is None:
            return None
        card = self.cards.pop(note_id, None)
        if card is not None:
            _discard(card)
        editor = self._make_editor(note)
        self._arrange()
        editor.focus_body()
        return editor

    def flush(self) -> bool:
        """Save every open editor now; False if any could not be saved (its text stays)."""
        return all([editor.flush() for editor in self.editors])

    def delete_note(self, note_id: int | None, editor: NoteEditor | None = None) -> bool:
        """Delete a note after asking; an editor whose note was never saved just closes."""
        if note_id is None:
            if editor is not None:
                self._drop_editor(editor)
                self._arrange()
            return True
        note = self._notes.get(note_id)
        if note is not None and note.is_highlight and self.delete_highlight is not None:
            if not self.confirm_delete(highlight=True):
                return False
            for open_editor in [e for e in self.editors if e.note_id == note_id]:
                self._drop_editor(open_editor)
            if self.lane is not None:  # greyed out until the lane has deleted it
                self._hold(note_id, True)
            self.delete_highlight(note)  # the window refreshes this panel after it
            return True
        if not self.confirm_delete():
            return False
        if self.lane is not None:  # shown as being deleted until the lane has done it
            self._hold(note_id, True)
            self.lane.run(
                Step(
                    "Delete the note",
                    lambda: self._library.delete_note(note_id),
                    lambda pid: self._deleted(note_id, pid),
                    lambda error: self._not_deleted(note_id, error),
                )
            )
            return True
        try:
            pid = self._library.delete_note(note_id)
        except Exception as error:  # already gone, or the store refused: report it
            self._not_deleted(note_id, error)
            return False
        self._deleted(note_id, pid)
        return True

    def _hold(self, note_id: int, held: bool) -> None:
        """A note being deleted: its card and editors greyed out, its editors save no more."""
        for editor in self.editors:
            if editor.note_id == note_id:
                editor.hold(held)
        if (card := self.cards.get(note_id)) is not None:
            card.setEnabled(not held)

    def _not_deleted(self, note_id: int, error: BaseException) -> None:
        self._hold(note_id, False)
        self.saveFailed.emit(f"Could not delete the note: {error}")

    def _deleted(self, note_id: int, pid: int) -> None:
        for open_editor in [e for e in self.editors if e.note_id == note_id]:
            self._drop_editor(open_editor)
        self._notes.pop(note_id, None)
        card = self.cards.pop(note_id, None)
        if card is not None:
            _discard(card)
        self._arrange()
        self.changed.emit(Change(paper_ids=frozenset({pid}), note_ids=frozenset({note_id})))

    def confirm_delete(self, highlight: bool = False) -> bool:
        text = (
            "Delete this highlight and its note? Undo (Ctrl+Z) brings them back."
            if highlight
            else "Delete this note? This cannot be undone."
        )
        answer = QMessageBox.question(
            self,
            "Delete highlight" if highlight else "Delete note",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    # --- internals -----------------------------------------------------------------------

    def _make_card(self, note: NoteView) -> NoteCard:
        card = NoteCard(note, self)
        card.editRequested.connect(self.edit_note)
        card.deleteRequested.connect(self.delete_note)
        card.showRequested.connect(self.showRequested)
        return card

    def _make_editor(self, note: NoteView | None) -> NoteEditor:
        editor = NoteEditor(self._library, self._paper_id, note, self)
        editor.lane = self.lane
        editor.saved_after_close = self.changed.emit
        editor.lost_after_close = self._lost_after_close
        editor.changed.connect(lambda change, e=editor: self._editor_saved(e, change))
        editor.saveFailed.connect(self.saveFailed)
        editor.doneRequested.connect(lambda e=editor: self._close_editor(e))
        editor.deleteRequested.connect(lambda e=editor: self.delete_note(e.note_id, e))
        self.editors.append(editor)
        return editor

    def _editor_saved(self, editor: NoteEditor, change: Change) -> None:
        # A new note read back from the library before its editor heard its id (a refresh
        # between the lane's write and its answer) got a card: the editor shows it already.
        if editor.note_id is not None and (card := self.cards.pop(editor.note_id, None)):
            _discard(card)
            self._arrange()
        self.changed.emit(change)

    def _lost_after_close(self, values: NoteValues, error: str) -> None:
        """A save that failed after its editor closed (another paper shown): copied out."""
        self._copy_out(values, error)

    def _close_editor(self, editor: NoteEditor) -> None:
        """Done: the editor becomes a card again (re-read so the card shows stored times)."""
        note_id = editor.note_id
        self._drop_editor(editor)
        if note_id is not None and self._paper_id is not None:
            try:
                notes = self._library.paper(self._paper_id).notes
            except Exception:  # the paper vanished meanwhile; the window will show that
                notes = tuple(self._notes.values())
            self.set_notes(self._paper_id, notes)
        else:
            self._arrange()

    def _drop_editor(self, editor: NoteEditor) -> None:
        self.editors.remove(editor)
        editor.blockSignals(True)  # its text is saved, rescued, or was never worth saving
        _discard(editor)

    def _rescue(self, editor: NoteEditor) -> None:
        """Last resort when a note cannot be saved while leaving its paper: copy it out."""
        self._copy_out(editor.values(), editor.last_error)

    def _copy_out(self, values: NoteValues, error: str | None) -> None:
        text = values.body if not values.quote else f"> {values.quote}\n\n{values.body}"
        QGuiApplication.clipboard().setText(text)
        self.saveFailed.emit(f"A note could not be saved ({error}); its text is on the clipboard.")

    def _arrange(self) -> None:
        """Cards and editors in note order; a new note's editor last. Moves only if needed."""
        by_id = {editor.note_id: editor for editor in self.editors if editor.note_id is not None}
        wanted: list[QWidget] = []
        for note_id in self._notes:
            widget = by_id.get(note_id) or self.cards.get(note_id)
            if widget is not None:
                wanted.append(widget)
        wanted += [editor for editor in self.editors if editor not in wanted]
        current = [self._list.itemAt(i).widget() for i in range(self._list.count())]
        if current != wanted:
            while self._list.count():
                self._list.takeAt(0)
            for widget in wanted:
                self._list.addWidget(widget)
                widget.show()
        self.empty.setVisible(not wanted)
