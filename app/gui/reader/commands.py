"""Undoable reader edits for the window's undo stack.

Highlights (add, recolour or comment, delete) and marking a paper as reading when its PDF is
opened."""

from __future__ import annotations

from collections.abc import Sequence

from app.gui.commands import ChangeSink, ErrorSink, FieldCommand, LibraryCommand
from storage.library import Library
from storage.views import Change, NoteView

__all__ = [
    "AddHighlightCommand",
    "DeleteHighlightCommand",
    "EditHighlightCommand",
    "MarkReadingCommand",
    "quoted",
]

QUOTE_LIMIT = 40


def quoted(text: str | None) -> str:
    """A short form of a quote for an Undo menu entry."""
    text = " ".join((text or "").split())
    return f"“{text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + '…'}”"


class AddHighlightCommand(LibraryCommand):
    """A new highlight (a note); undo deletes it, redo puts the same note back."""

    on_lane = False  # the reader draws it and opens its comment at once (one row written)

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        paper_id: int,
        file_id: int,
        page: int,
        rects: Sequence[tuple[float, float, float, float]],
        quote: str,
        color: str,
        comment: str = "",
    ) -> None:
        super().__init__(f"Highlight {quoted(quote)}", library, sink, on_error)
        self.paper_id, self.file_id, self.page = paper_id, file_id, page
        self.rects, self.quote, self.color, self.comment = list(rects), quote, color, comment
        self.touched = frozenset({paper_id})
        self.note_id: int | None = None
        self.deleted: NoteView | None = None  # the note as undo left it

    def apply(self) -> Change:
        if self.deleted is not None:
            return self.library.restore_highlight(self.deleted)
        change = self.library.add_highlight(
            self.paper_id, self.file_id, self.page, self.rects, self.quote, self.color,
            self.comment,
        )  # fmt: skip
        self.note_id = next(iter(change.note_ids))
        return change

    def revert(self) -> Change:
        assert self.note_id is not None
        change, self.deleted = self.library.delete_highlight(self.note_id)
        return change


class EditHighlightCommand(LibraryCommand):
    """A highlight's colour and/or comment changed; undo puts back the old ones."""

    on_lane = False  # the reader redraws it at once

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        note: NoteView,
        color: str | None = None,
        comment: str | None = None,
    ) -> None:
        what = "Recolour" if comment is None else "Comment on"
        super().__init__(f"{what} highlight {quoted(note.quote)}", library, sink, on_error)
        self.note_id = note.id
        self.touched = frozenset({note.paper_id})
        self.after = (color, comment)
        self.before = (note.color if color is not None else None,
                       note.body if comment is not None else None)  # fmt: skip

    def apply(self) -> Change:
        color, comment = self.after
        return self.library.update_highlight(self.note_id, color=color, comment=comment)

    def revert(self) -> Change:
        color, comment = self.before
        return self.library.update_highlight(self.note_id, color=color, comment=comment)


class DeleteHighlightCommand(LibraryCommand):
    """Delete a highlight and its note; undo restores both, with the same id."""

    on_lane = False  # the reader redraws it at once

    def __init__(
        self, library: Library, sink: ChangeSink, on_error: ErrorSink, note: NoteView
    ) -> None:
        super().__init__(f"Delete highlight {quoted(note.quote)}", library, sink, on_error)
        self.note_id = note.id
        self.touched = frozenset({note.paper_id})
        self.deleted: NoteView = note

    def apply(self) -> Change:
        change, self.deleted = self.library.delete_highlight(self.note_id)
        return change

    def revert(self) -> Change:
        return self.library.restore_highlight(self.deleted)


class MarkReadingCommand(FieldCommand):
    """An unread paper whose PDF was opened is marked as reading: a status edit (undoable),
    written on the window's write lane like any other (rewriting the paper's index entry, PDF
    text and all, takes ~0.1-0.3 s), so an undo runs after it."""

    def __init__(
        self, library: Library, sink: ChangeSink, on_error: ErrorSink, paper_id: int
    ) -> None:
        super().__init__(library, sink, on_error, "status", [paper_id], "reading",
                         {paper_id: "unread"})  # fmt: skip
