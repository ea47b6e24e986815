"""Library methods for highlights (notes with a place on a PDF page) and reading positions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Connection

from storage.highlights import pdf_files, store
from storage.highlights.imported import AnnotationImport, import_found
from storage.highlights.pdf_files import AnnotatedPdf, Located
from storage.highlights.store import HighlightError, ReadingPosition
from storage.library.core import LibraryCore
from storage.pdf import PdfText
from storage.views import Change, FileView, NoteView

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

    # --- the PDF files (storage.highlights.pdf_files) ------------------------------------

    def pdf_file(self, paper_id: int, file_id: int | None = None) -> FileView:
        """The paper's file with that id, or its only file; HighlightError when it has none,
        or several and no id was given (the message lists their ids)."""
        return pdf_files.choose_file(paper_id, self._files.files(paper_id), file_id)

    def locate_text(self, file_id: int, page: int, text: str) -> Located:
        """Where the words are on page (from 1) of the file: their rectangles (one per line)
        and the text as the page has it (any case, spacing, line breaks and line-end hyphens
        between the words). HighlightError naming the file and page when they are not there
        (with the pages they are on, when any)."""
        view = self._files.file(file_id)
        if view is None:
            raise HighlightError(f"no file with id {file_id}")
        try:
            return pdf_files.locate(view, page, text)
        except HighlightError as error:
            if "are not on page" not in str(error):
                raise
            stored = self._read(lambda c: store.file_pages(c, file_id))
            elsewhere = [p for p in pdf_files.pages_with(stored, text) if p != page]
            if not elsewhere:
                raise
            hint = ", ".join(str(p) for p in elsewhere)
            raise HighlightError(f"{error} (they are on page {hint})") from None

    def highlight_text(
        self,
        paper_id: int,
        page: int,
        text: str,
        color: str | None = None,
        comment: str = "",
        file_id: int | None = None,
    ) -> Change:
        """Find the words on page of the paper's PDF (file_id when it has several) and store
        them as a highlight; HighlightError when they are not there, the paper has no file,
        or several and none was chosen."""
        check = store.check_color_name(color)
        view = self.pdf_file(paper_id, file_id)
        found = self.locate_text(view.id, page, text)
        return self.add_highlight(paper_id, view.id, page, found.rects, found.quote, check, comment)

    def import_annotations(self, paper_id: int, file_id: int | None = None) -> AnnotationImport:
        """Read the highlights, underlines and sticky notes other programs left in the paper's
        PDFs (or the one named) and add each as a highlight note, once: those already imported
        (or highlighted here at the same place) are counted in .present."""
        views = self._files.files(paper_id)
        if file_id is not None:
            views = [self.pdf_file(paper_id, file_id)]
        report = AnnotationImport()
        for view, text in pdf_files.read_annotations(views):
            if isinstance(text, str):
                report.skipped.append(text)
                continue

            def work(
                conn: Connection, file_id: int = view.id, found: PdfText = text
            ) -> AnnotationImport:
                return import_found(conn, paper_id, file_id, found.annotations)

            report.absorb(self._write(work, lambda r: [paper_id] if r.note_ids else []))
        return report

    def export_annotated_pdf(
        self, paper_id: int, path: Path | str, file_id: int | None = None
    ) -> AnnotatedPdf:
        """Write a copy of the paper's PDF (file_id when it has several) with its highlights
        as standard PDF Highlight annotations (QuadPoints, colour, the comment as Contents,
        author Papershelf); the stored file is never changed. Atomic for a file path."""
        view = self.pdf_file(paper_id, file_id)
        marks = self.highlights(file_id=view.id)
        return pdf_files.write_annotated(view, marks, path, self.folder)
