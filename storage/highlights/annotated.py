"""A copy of a PDF with highlights as standard PDF Highlight annotations other viewers show.

QuadPoints, colour, the comment as Contents, author Papershelf; the source is only read."""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pypdfium2
import pypdfium2.raw as pdfium_c

from storage.highlights.palette import DEFAULT_COLOR, color_rgb
from storage.highlights.rects import quad_points
from storage.pdf.annotations import identify
from storage.pdf.extract import PdfOpenError, open_pdf
from storage.views import Rect

__all__ = ["AUTHOR", "Mark", "annotated_pdf"]

AUTHOR = "Papershelf"


@dataclass(frozen=True)
class Mark:
    """One highlight to write: a page (from 1), rectangles in PDF points, a palette colour, the
    comment, when it was made and changed, and the annotation it came from (its key on the
    page) when it was imported from this very file: that one is updated, not added again."""

    note_id: int
    page: int
    rects: tuple[Rect, ...]
    color: str | None
    comment: str
    created_at: datetime
    updated_at: datetime
    from_annotation: str | None = None


class AnnotateError(Exception):
    """The copy cannot be written (one line naming the file)."""


def _wide(text: str) -> ctypes.Array[ctypes.c_char]:
    data = (text + "\0").encode("utf-16-le")
    return ctypes.create_string_buffer(data, len(data))


def _set_text(annot: object, key: str, value: str) -> None:
    buffer = _wide(value)
    pointer = ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
    pdfium_c.FPDFAnnot_SetStringValue(annot, key.encode(), pointer)


def _date(moment: datetime) -> str:
    """A PDF date (ISO 32000-1, 7.9.4) in UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def _style(annot: object, mark: Mark) -> None:
    red, green, blue = color_rgb(mark.color or DEFAULT_COLOR)
    pdfium_c.FPDFAnnot_SetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, red, green, blue, 255)
    _set_text(annot, "Contents", mark.comment)
    _set_text(annot, "M", _date(mark.updated_at))


def _add(page: pypdfium2.PdfPage, mark: Mark) -> None:
    annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, pdfium_c.FPDF_ANNOT_HIGHLIGHT)
    if not annot:
        raise AnnotateError(f"page {mark.page}: PDFium could not add an annotation")
    try:
        for rect in mark.rects:
            pdfium_c.FPDFAnnot_AppendAttachmentPoints(
                annot, pdfium_c.FS_QUADPOINTSF(*quad_points(rect))
            )
        left = min(r[0] for r in mark.rects)
        bottom = min(r[1] for r in mark.rects)
        right = max(r[2] for r in mark.rects)
        top = max(r[3] for r in mark.rects)
        pdfium_c.FPDFAnnot_SetRect(annot, pdfium_c.FS_RECTF(left, top, right, bottom))
        pdfium_c.FPDFAnnot_SetFlags(annot, pdfium_c.FPDF_ANNOT_FLAG_PRINT)
        _style(annot, mark)
        _set_text(annot, "T", AUTHOR)
        _set_text(annot, "NM", f"papershelf-note-{mark.note_id}")
        _set_text(annot, "CreationDate", _date(mark.created_at))
    finally:
        pdfium_c.FPDFPage_CloseAnnot(annot)


def _update(page: pypdfium2.PdfPage, keys: dict[str, Mark]) -> set[str]:
    """Give the annotations that notes were imported from the notes' colour and comment;
    the keys it found."""
    done: set[str] = set()
    for number in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, number)
        if not annot:
            continue
        try:
            identity = identify(annot)
            mark = keys.get(identity[1]) if identity is not None else None
            if identity is not None and mark is not None:
                _style(annot, mark)
                done.add(identity[1])
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return done


def annotated_pdf(source: str, marks: Sequence[Mark], name: str) -> bytes:
    """The bytes of a copy of the PDF at source with the marks added (those imported from it
    updated in place). The original bytes come first, unchanged: the annotations are an
    incremental update (ISO 32000-1, 7.5.6), so signatures and everything PDFium does not
    understand survive. AnnotateError (one line naming the file) when it cannot be done."""
    try:
        with open_pdf(source, name) as document:
            by_page: dict[int, list[Mark]] = {}
            for mark in marks:
                by_page.setdefault(mark.page, []).append(mark)
            for number, group in sorted(by_page.items()):
                if not 1 <= number <= len(document):
                    raise AnnotateError(f"{name}: has no page {number}")
                page = document[number - 1]
                try:
                    imported = {m.from_annotation: m for m in group if m.from_annotation}
                    done = _update(page, imported) if imported else set()
                    for mark in group:
                        if mark.from_annotation not in done:
                            _add(page, mark)
                finally:
                    page.close()
            return _save(document, name)
    except PdfOpenError as error:
        raise AnnotateError(error.message) from None
    except (pypdfium2.PdfiumError, ValueError, OSError) as error:
        raise AnnotateError(f"{name}: PDFium could not write the copy ({error})") from None


def _save(document: pypdfium2.PdfDocument, name: str) -> bytes:
    buffer = io.BytesIO()
    try:
        document.save(buffer, flags=pdfium_c.FPDF_INCREMENTAL)
    except pypdfium2.PdfiumError:  # a file PDFium cannot append to: write it out whole
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
