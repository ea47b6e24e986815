"""Library methods for highlights (notes with a place on a PDF page) and reading positions."""

from __future__ import annotations

from collections.abc import Sequence

from storage.highlights import store
from storage.highlights.store import ReadingPosition
from storage.library.core import LibraryCore
from storage.views import Change, NoteView

__all__ = ["HighlightsMixin"]


class HighlightsMixin(LibraryCore):
    """Highlights are notes: they are searched, exported and deleted as notes are. Pages are
    numbered from 1; rectangles are (x0, y0, x1, y1) in PDF points (storage.highlights)."""

    # --- highlights ----------------------------------------------------------------------

    def add_highlight(
        self,
        paper_id: int,
        file_id: int,
        page: int,
        rects: Sequence[Sequence[float]],
        quote: str | None,
        color: str | None = None,
        comment: str = "",
    ) -> Change:
        """A highlight note on page of the paper's file; Change.note_ids holds its id.
        EditError (HighlightError) for an unknown colour, no rectangles, a page the file does
        not have or a file that is not the paper's."""
        note_id = self._write(
            lambda c: store.add_highlight(c, paper_id, file_id, page, rects, quote, color, comment),
            lambda _id: [paper_id],
        )
        return Change(paper_ids=frozenset({paper_id}), note_ids=frozenset({note_id}))

    def update_highlight(
        self, note_id: int, *, color: str | None = None, comment: str | None = None
    ) -> Change:
        """A new colour and/or comment (the note's Markdown body)."""
        pid = self._write(
            lambda c: store.update_highlight(c, note_id, color, comment), lambda pid: [pid]
        )
        return Change(paper_ids=frozenset({pid}), note_ids=frozenset({note_id}))

    def delete_highlight(self, note_id: int) -> tuple[Change, NoteView]:
        """Delete a highlight (any note); the note as it was, for restore_highlight (undo)."""
        note = self._write(
            lambda c: store.delete_highlight(c, note_id), lambda note: [note.paper_id]
        )
        return Change(paper_ids=frozenset({note.paper_id}), note_ids=frozenset({note_id})), note

    def restore_highlight(self, note: NoteView) -> Change:
        """Put a deleted note back as it was, with its id."""
        pid = self._write(lambda c: store.restore_highlight(c, note), lambda pid: [pid])
        return Change(paper_ids=frozenset({pid}), note_ids=frozenset({note.id}))

    def highlights(
        self,
        *,
        paper_id: int | None = None,
        file_id: int | None = None,
        page: int | None = None,
    ) -> list[NoteView]:
        """Highlights of a paper, a file and/or a page, in reading order (file, page, top to
        bottom); each NoteView has page, rects, color and its id."""
        return self._read(lambda c: store.highlight_views(c, paper_id, file_id, page))

    # --- reading position ----------------------------------------------------------------

    def reading_position(self, paper_id: int) -> ReadingPosition | None:
        """Where the reader left the paper (file, page), or None."""
        return self._read(lambda c: store.position_of(c, paper_id))

    def reading_positions(self, paper_ids: Sequence[int]) -> dict[int, ReadingPosition]:
        """Positions of the papers that have one, with their file's page count (progress)."""
        return self._read(lambda c: store.positions_of(c, paper_ids))

    def set_reading_position(self, paper_id: int, file_id: int, page: int) -> Change:
        """Remember the page of the file the reader is on; not an edit of the paper (its
        updated time stays). HighlightError for a file or page the paper does not have."""
        self._write(lambda c: store.set_position(c, paper_id, file_id, page), lambda _r: ())
        return Change(paper_ids=frozenset({paper_id}))
