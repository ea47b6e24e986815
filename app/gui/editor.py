"""Edits of the selected papers (tags, status, rating, delete) and of tags, all undoable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QMessageBox

from app.gui.commands import (
    DeleteCommand,
    DeleteTagCommand,
    FieldCommand,
    RenameTagCommand,
    TagCommand,
    plural,
)
from app.gui.controller import WindowController
from app.gui.lane import LaneUndoStack
from app.gui.paper_model import PaperTableModel
from app.gui.plain import ask
from app.gui.tagging import TagDialog, ask_new_tag_name, confirm_delete_tag

NOTE_COUNT_LIMIT = 2000  # above this many papers the delete prompt does not count notes


class PaperEditor(WindowController):
    """Turns menu commands into undo-stack commands; their Changes go to `sink`."""

    def setup(self) -> None:
        self.undo_stack = LaneUndoStack(self.window.lane, self.window)  # type: ignore[attr-defined]
        self.undo_stack.setUndoLimit(200)

    @property
    def model(self) -> PaperTableModel:
        return self.table.paper_model()

    def undo(self) -> None:
        if not self.runner.busy:
            self.undo_stack.undo()

    def redo(self) -> None:
        if not self.runner.busy:
            self.undo_stack.redo()

    def _selection(self) -> list[int]:
        ids = self.table.selected_ids()
        if not ids:
            self.report("Select one or more papers first.")
        return ids

    def tag_selection(self) -> None:
        ids = self._selection()
        if not ids:
            return
        rows = self.model.rows_for(ids)
        counts = Counter(tag for row in rows.values() for tag in row.tags)
        dialog = TagDialog(len(ids), self.sidebar.tag_names(), counts, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            add, remove = dialog.changes()
            self.edit_tags(ids, add, remove)

    def edit_tags(self, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]) -> None:
        """Add and remove tags on all these papers at once (undoable)."""
        if not ids or not (add or remove) or self.runner.busy:
            return
        before = {pid: row.tags for pid, row in self.model.rows_for(ids).items()}
        self.undo_stack.push(
            TagCommand(self.library, self.sink, self.report, ids, add, remove, before)
        )

    def set_status(self, status: str, ids: Sequence[int] | None = None) -> None:
        self._set_field("status", status, ids)

    def set_rating(self, rating: int, ids: Sequence[int] | None = None) -> None:
        self._set_field("rating", rating, ids)

    def _set_field(self, field: str, value: str | int, ids: Sequence[int] | None) -> None:
        ids = list(ids) if ids is not None else self._selection()
        if not ids or self.runner.busy:
            return
        rows = self.model.rows_for(ids)
        before = {pid: getattr(row, field) for pid, row in rows.items()}
        changing = [pid for pid in ids if pid in before and before[pid] != value]
        if changing:
            self.undo_stack.push(
                FieldCommand(self.library, self.sink, self.report, field, changing, value, before)
            )

    def delete_selection(self) -> None:
        self.delete_papers(self._selection())

    def delete_papers(self, ids: Sequence[int], confirm: bool = True) -> None:
        if not ids or self.runner.busy:
            return
        if confirm and not self._confirm_delete(ids):
            return
        self.undo_stack.push(DeleteCommand(self.library, self.sink, self.report, ids))

    def _confirm_delete(self, ids: Sequence[int]) -> bool:
        text = f"Delete {plural(len(ids), 'paper')} from the library?"
        if len(ids) == 1:
            row = self.model.rows_for(ids).get(ids[0])
            text = f"Delete “{row.title if row else ids[0]}” from the library?"
        if len(ids) <= NOTE_COUNT_LIMIT:
            notes = sum(len(record.notes) for record in self.library.records(ids))
            extra = f"Its {plural(notes, 'note')} will be deleted too." if notes else ""
            if notes and len(ids) > 1:
                extra = f"They have {plural(notes, 'note')}, which will be deleted too."
        else:
            extra = "Any notes on them will be deleted too."
        lines = (text, extra, "You can undo this with Ctrl+Z.")
        answer = ask(
            self.window, "Delete papers?", "\n".join(line for line in lines if line)
        )
        return answer == QMessageBox.StandardButton.Yes

    def rename_tag(self, old: str, new: str | None = None) -> None:
        if self.runner.busy:
            return
        new = (
            new if new is not None else ask_new_tag_name(self.window, old, self.sidebar.tag_names())
        )
        if new:
            self.undo_stack.push(RenameTagCommand(self.library, self.sink, self.report, old, new))

    def delete_tag(self, name: str, confirm: bool = True) -> None:
        if self.runner.busy:
            return
        count = self.sidebar.count_of(("tag", name)) or 0
        if confirm and not confirm_delete_tag(self.window, name, count):
            return
        self.undo_stack.push(DeleteTagCommand(self.library, self.sink, self.report, name))
