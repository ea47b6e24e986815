"""A PDF's pages in this process: what a reader needs first, pixels, text with boxes.

The worker process (storage.pdfpages.worker) runs these for the reader; they raise PagesError
with a one-line message, never a PDFium exception."""

from __future__ import annotations

import math
import os
from array import array
from dataclasses import dataclass, field

import pypdfium2
import pypdfium2.raw as pdfium_c

from storage.pdfpages.access import PagesError, box_of, clean_line, label, load_page, open_document
from storage.pdfpages.geometry import PageBox
from storage.pdfpages.links import OutlineItem, outline
from storage.pdfpages.text import PageText

__all__ = [
    "MAX_CHARS",
    "MAX_PIXELS",
    "DocumentInfo",
    "Rendered",
    "document_info",
    "page_text",
    "read_page_text",
    "render_page",
]

MAX_PIXELS = 40_000_000  # a rendered page's pixels (160 MB as BGRX); more is refused
MAX_CHARS = 200_000  # characters of one page's text (as the extraction caps them)


@dataclass(frozen=True)
class DocumentInfo:
    """What a reader needs before drawing: page count, page sizes as shown, the outline."""

    name: str
    sizes: list[tuple[float, float]]  # (width, height) in points of each page as shown
    outline: list[OutlineItem] = field(default_factory=list)
    title: str = ""  # the file's own title (metadata), maybe empty

    @property
    def page_count(self) -> int:
        return len(self.sizes)


@dataclass(frozen=True)
class Rendered:
    """A page drawn to pixels: 4 bytes a pixel, B G R X (QImage.Format_RGB32 on every
    little-endian machine), rows `stride` bytes apart, top row first."""

    index: int
    scale: float
    width: int
    height: int
    stride: int
    data: bytes
    box: PageBox  # to place text, links and highlights on it


def document_info(document: pypdfium2.PdfDocument, name: str) -> DocumentInfo:
    """Page sizes (without loading the pages), the outline and the title."""
    sizes = []
    for index in range(len(document)):
        try:
            width, height = document.get_page_size(index)
        except Exception:
            width, height = 612.0, 792.0  # a damaged page: a Letter-sized gap to show its message
        sizes.append((max(float(width), 1.0), max(float(height), 1.0)))
    title = ""
    try:
        title = clean_line(document.get_metadata_value("Title"))
    except Exception:
        title = ""
    return DocumentInfo(name, sizes, outline(document), title)


def page_text(
    document: pypdfium2.PdfDocument, index: int, name: str = "PDF", max_chars: int = MAX_CHARS
) -> PageText:
    """The page's characters, each with its loose box (font ascent to descent, advance wide),
    so that the boxes of a line line up; characters PDFium made up have an empty box."""
    page = load_page(document, index, name)
    try:
        box = box_of(page)
        textpage = page.get_textpage()
        try:
            count = min(textpage.count_chars(), max_chars)
            chars: list[str] = []
            boxes = array("d", bytes(32 * count))
            area = pdfium_c.FS_RECTF()
            for i in range(count):
                code = pdfium_c.FPDFText_GetUnicode(textpage, i)
                chars.append(chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000
                             else "\ufffd")  # fmt: skip
                if pdfium_c.FPDFText_IsGenerated(textpage, i) != 1 and (
                    pdfium_c.FPDFText_GetLooseCharBox(textpage, i, area)
                ):
                    boxes[4 * i : 4 * i + 4] = array(
                        "d", (area.left, area.bottom, area.right, area.top)
                    )
        finally:
            textpage.close()
    except PagesError:
        raise
    except Exception as error:
        raise PagesError(
            f"{label(name, index)}: text unreadable ({type(error).__name__})"
        ) from None
    finally:
        page.close()
    return PageText("".join(chars), boxes, box)


def render_page(
    document: pypdfium2.PdfDocument, index: int, scale: float, name: str = "PDF"
) -> Rendered:
    """The page drawn at `scale` pixels a point (its annotations and form fields too)."""
    page = load_page(document, index, name)
    try:
        width, height = page.get_size()
        pixels = math.ceil(width * scale) * math.ceil(height * scale)
        if not math.isfinite(scale) or scale <= 0 or pixels > MAX_PIXELS:
            raise PagesError(f"{label(name, index)}: too large to draw at {scale:.2f}x")
        bitmap = page.render(scale=scale, prefer_bgrx=True, may_draw_forms=True)
        try:
            data = bytes(bitmap.buffer)
            size = (bitmap.width, bitmap.height, bitmap.stride)
            return Rendered(index, scale, *size, data, box_of(page))
        finally:
            bitmap.close()
    except PagesError:
        raise
    except MemoryError:
        raise PagesError(f"{label(name, index)}: not enough memory to draw it") from None
    except Exception as error:
        raise PagesError(
            f"{label(name, index)}: cannot be drawn ({type(error).__name__})"
        ) from None
    finally:
        page.close()


def read_page_text(source: str | os.PathLike[str], index: int, name: str | None = None) -> PageText:
    """One page's text with boxes, the file opened and closed in this process (a command that
    finds words on a page of a file the library already read)."""
    shown = name or os.path.basename(os.fspath(source))
    document = open_document(source, shown)
    try:
        return page_text(document, index, shown)
    finally:
        document.close()
