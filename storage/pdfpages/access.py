"""Opening a PDF and its pages in this process, every failure a one-line PagesError."""

from __future__ import annotations

import os
import re
import unicodedata

import pypdfium2

from storage.pdfpages.geometry import PageBox, Rect

__all__ = [
    "PagesError",
    "box_of",
    "clean_line",
    "label",
    "load_page",
    "open_document",
    "page_box",
]

_TITLE_LIMIT = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ufffe\uffff]+")


class PagesError(Exception):
    """A document or page could not be read or drawn; the message is one line naming it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def label(name: str, index: int | None = None) -> str:
    return name if index is None else f"{name}, page {index + 1}"


def clean_line(text: str, limit: int = _TITLE_LIMIT) -> str:
    text = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())
    return text if len(text) <= limit else text[:limit] + "…"


def open_document(source: str | bytes | os.PathLike[str], name: str) -> pypdfium2.PdfDocument:
    """The document (forms ready to draw); PagesError saying why not (encrypted, damaged…)."""
    target = source if isinstance(source, bytes) else os.fspath(source)
    try:
        document = pypdfium2.PdfDocument(target)
    except Exception:
        raise PagesError(_open_failure(source, name)) from None
    try:
        if len(document) < 1:
            raise PagesError(f"{name}: the PDF has no pages")
        document.init_forms()
    except PagesError:
        document.close()
        raise
    except Exception as error:
        document.close()
        raise PagesError(f"{name}: damaged PDF ({type(error).__name__})") from None
    return document


def _open_failure(source: str | bytes | os.PathLike[str], name: str) -> str:
    """Why the file cannot be opened, worded as the extraction words it (loaded only here:
    storage.pdf brings the database layer, which a reader's process does not otherwise need)."""
    from storage.pdf.extract import PdfOpenError, open_pdf

    try:
        with open_pdf(source, name):
            pass
    except PdfOpenError as error:
        return error.message
    except Exception as error:
        return f"{name}: cannot be opened ({type(error).__name__})"
    return f"{name}: cannot be opened"


def load_page(document: pypdfium2.PdfDocument, index: int, name: str) -> pypdfium2.PdfPage:
    if not 0 <= index < len(document):
        raise PagesError(f"{name}: no page {index + 1} (the file has {len(document)})")
    try:
        return document[index]
    except Exception as error:
        raise PagesError(f"{label(name, index)}: damaged ({type(error).__name__})") from None


def box_of(page: pypdfium2.PdfPage) -> PageBox:
    crop = Rect.of(page.get_cropbox())
    return PageBox(crop, page.get_rotation() % 360)


def page_box(document: pypdfium2.PdfDocument, index: int, name: str = "PDF") -> PageBox:
    """The page's crop box and rotation (what maps its points to the view)."""
    page = load_page(document, index, name)
    try:
        return box_of(page)
    finally:
        page.close()
