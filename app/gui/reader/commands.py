"""Undoable reader edits for the window's undo stack.

Highlights (add, recolour or comment, delete: written on the window's write lane, shown at once
by the readers) and marking a paper as reading when its PDF is opened."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from app.gui.commands import ChangeSink, ErrorSink, FieldCommand, LibraryCommand
from app.gui.reader.pending import (
    HighlightRef,
    Overlay,
    PendingHighlights,
    Shown,
    Unstored,
    show_added,
    show_edited,
    show_removed,
)
from storage.library import Library
from storage.views import Change, NoteView

__all__ = [
    "AddHighlightCommand",
    "HighlightCommand",
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


class HighlightCommand(LibraryCommand):
    """An edit of one highlight, written on the window's write lane like any other edit: the
    readers show it at once (`pending`, laid over what the library has) until it is written
    or refused."""

    pending: PendingHighlights | None = None  # the readers' view of queued edits
    rescue: Callable[[str], None] | None = None  # a comment whose highlight was never saved

    def __init__(
        self, text: str, library: Library, sink: ChangeSink, on_error: ErrorSink,
        ref: HighlightRef, paper_id: int,
    ) -> None:  # fmt: skip
        super().__init__(text, library, sink, on_error)
        self.ref = ref
        self.touched = frozenset({paper_id})
        self._queued: deque[int] = deque()  # tokens of its runs shown before written

    @property
    def note_id(self) -> int | None:
        return self.ref.id

    def shown_applied(self, ref: HighlightRef, shown: Shown) -> None:
        raise NotImplementedError

    def shown_reverted(self, ref: HighlightRef, shown: Shown) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        self._show(self.shown_applied)
        super().redo()

    def undo(self) -> None:
        self._show(self.shown_reverted)
        super().undo()

    def _show(self, overlay: Overlay) -> None:
        if self.lane is not None and self.pending is not None and not self.isObsolete():
            self._queued.append(self.pending.queue(self.ref, overlay))

    def _landed(self) -> None:
        if self._queued and self.pending is not None:
            self.pending.landed(self._queued.popleft())

    def _done(self, change: Change) -> None:
        self._landed()
        super()._done(change)

    def _failed(self, error: BaseException) -> None:
        self._landed()
        super()._failed(error)

    def _message(self, error: BaseException) -> str | None:
        if isinstance(error, Unstored):  # its highlight was refused: told for that one
            return None
        return super()._message(error)


class AddHighlightCommand(HighlightCommand):
    """A new highlight (a note); undo deletes it, redo puts the same note back."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        ref: HighlightRef,
        paper_id: int,
        file_id: int,
        page: int,
        rects: Sequence[tuple[float, float, float, float]],
        quote: str,
        color: str,
        comment: str = "",
    ) -> None:
        super().__init__(f"Highlight {quoted(quote)}", library, sink, on_error, ref, paper_id)
        self.paper_id, self.file_id, self.page = paper_id, file_id, page
        self.rects, self.quote, self.color, self.comment = list(rects), quote, color, comment
        now = datetime.now(UTC)
        self.view = NoteView(
            ref.provisional, paper_id, comment, quote, page, now, now, file_id=file_id,
            color=color, rects=tuple(rects),
        )  # fmt: skip
        self.deleted: NoteView | None = None  # the note as undo left it (set on the lane)

    def apply(self) -> Change:
        if self.deleted is not None:
            return self.library.restore_highlight(self.deleted)
        change = self.library.add_highlight(
            self.paper_id, self.file_id, self.page, self.rects, self.quote, self.color,
            self.comment,
        )  # fmt: skip
        self.ref.id = next(iter(change.note_ids))
        return change

    def revert(self) -> Change:
        change, self.deleted = self.library.delete_highlight(self.ref.stored())
        return change

    def shown_applied(self, ref: HighlightRef, shown: Shown) -> None:
        show_added(self.deleted or self.view)(ref, shown)

    def shown_reverted(self, ref: HighlightRef, shown: Shown) -> None:
        show_removed(ref, shown)

    def _done(self, change: Change) -> None:
        if self.pending is not None:
            self.pending.known(self.ref)
        super()._done(change)


class EditHighlightCommand(HighlightCommand):
    """A highlight's colour and/or comment changed; undo puts back the old ones."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        ref: HighlightRef,
        note: NoteView,
        color: str | None = None,
        comment: str | None = None,
    ) -> None:
        what = "Recolour" if comment is None else "Comment on"
        super().__init__(f"{what} highlight {quoted(note.quote)}", library, sink, on_error,
                         ref, note.paper_id)  # fmt: skip
        self.after = (color, comment)
        self.before = (note.color if color is not None else None,
                       note.body if comment is not None else None)  # fmt: skip

    def apply(self) -> Change:
        color, comment = self.after
        return self.library.update_highlight(self.ref.stored(), color=color, comment=comment)

    def revert(self) -> Change:
        color, comment = self.before
        return self.library.update_highlight(self.ref.stored(), color=color, comment=comment)

    def shown_applied(self, ref: HighlightRef, shown: Shown) -> None:
        show_edited(*self.after)(ref, shown)

    def shown_reverted(self, ref: HighlightRef, shown: Shown) -> None:
        show_edited(*self.before)(ref, shown)

    def _failed(self, error: BaseException) -> None:
        comment = self.after[1]
        if isinstance(error, Unstored) and comment and self.rescue is not None:
            self.rescue(comment)  # typed while its highlight was being refused
        super()._failed(error)


class DeleteHighlightCommand(HighlightCommand):
    """Delete a highlight and its note; undo restores both, with the same id."""

    def __init__(
        self, library: Library, sink: ChangeSink, on_error: ErrorSink, ref: HighlightRef,
        note: NoteView,
    ) -> None:  # fmt: skip
        super().__init__(f"Delete highlight {quoted(note.quote)}", library, sink, on_error,
                         ref, note.paper_id)  # fmt: skip
        self.shown_note = note  # as the reader showed it
        self.deleted: NoteView | None = None  # as the library had it (set on the lane)

    def apply(self) -> Change:
        change, self.deleted = self.library.delete_highlight(self.ref.stored())
        return change

    def revert(self) -> Change:
        if self.deleted is None:
            raise Unstored("the highlight was not deleted")
        return self.library.restore_highlight(self.deleted)

    def shown_applied(self, ref: HighlightRef, shown: Shown) -> None:
        show_removed(ref, shown)

    def shown_reverted(self, ref: HighlightRef, shown: Shown) -> None:
        show_added(self.deleted or self.shown_note)(ref, shown)


class MarkReadingCommand(FieldCommand):
    """An unread paper whose PDF was opened is marked as reading: a status edit (undoable),
    written on the window's write lane like any other (rewriting the paper's index entry, PDF
    text and all, takes ~0.1-0.3 s), so an undo runs after it."""

    def __init__(
        self, library: Library, sink: ChangeSink, on_error: ErrorSink, paper_id: int
    ) -> None:
        super().__init__(library, sink, on_error, "status", [paper_id], "reading",
                         {paper_id: "unread"})  # fmt: skip
