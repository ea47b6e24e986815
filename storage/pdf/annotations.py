"""Markup annotations already in a PDF, made in other programs, read with PDFium.

Highlights, underlines and sticky notes: where they are, their colour, comment and the words
under them."""

from __future__ import annotations

import ctypes
import hashlib
import unicodedata
from dataclasses import dataclass, field

import pypdfium2
import pypdfium2.raw as pdfium_c

__all__ = [
    "KINDS",
    "MAX_ANNOTATIONS",
    "FoundAnnotation",
    "annotation_key",
    "identify",
    "page_annotations",
    "string_value",
]

MAX_ANNOTATIONS = 5000  # in one file; a file with more is not read past them
MAX_CONTENTS = 100_000  # characters of one annotation's comment
KINDS = {
    pdfium_c.FPDF_ANNOT_HIGHLIGHT: "highlight",
    pdfium_c.FPDF_ANNOT_UNDERLINE: "underline",
    pdfium_c.FPDF_ANNOT_SQUIGGLY: "squiggly",
    pdfium_c.FPDF_ANNOT_STRIKEOUT: "strikeout",
    pdfium_c.FPDF_ANNOT_TEXT: "text",  # a sticky note: an icon at a place, with a comment
}
Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass
class FoundAnnotation:
    """One markup annotation of a page (from 1): its rectangles (one per quad, or the sticky
    note's icon), RGB colour (None when it has none), comment, the words under it (empty for
    a sticky note) and its identity in the file (see annotation_key)."""

    page: int
    kind: str
    rects: list[Box] = field(default_factory=list)
    color: tuple[int, int, int] | None = None
    contents: str = ""
    quote: str = ""
    key: str = ""
    author: str = ""


def string_value(annot: object, key: str) -> str:
    """A text entry of the annotation (Contents, NM, T, …); '' when absent or unreadable."""
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pointer = ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
    pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode(), pointer, size)
    text = buffer.raw[: size - 2].decode("utf-16-le", errors="replace")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)[:MAX_CONTENTS]


def _quads(annot: object) -> list[Box]:
    boxes: list[Box] = []
    quad = pdfium_c.FS_QUADPOINTSF()
    for index in range(min(pdfium_c.FPDFAnnot_CountAttachmentPoints(annot), 1000)):
        if not pdfium_c.FPDFAnnot_GetAttachmentPoints(annot, index, quad):
            continue
        xs = (quad.x1, quad.x2, quad.x3, quad.x4)
        ys = (quad.y1, quad.y2, quad.y3, quad.y4)
        box = (min(xs), min(ys), max(xs), max(ys))
        if box[2] > box[0] and box[3] > box[1]:
            boxes.append(box)
    return boxes


def _rect(annot: object) -> list[Box]:
    area = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFAnnot_GetRect(annot, area):
        return []
    left, right = sorted((area.left, area.right))
    bottom, top = sorted((area.bottom, area.top))
    return [(left, bottom, right, top)] if right > left and top > bottom else []


def _color(annot: object) -> tuple[int, int, int] | None:
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFAnnot_HasKey(annot, b"C") or not pdfium_c.FPDFAnnot_GetColor(
        annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, red, green, blue, alpha
    ):
        return None
    return red.value, green.value, blue.value


def annotation_key(kind: str, name: str, rects: list[Box]) -> str:
    """The annotation's identity on its page: its unique name (/NM) when it has one, else its
    kind and place (rounded to a point), so that reading the file again finds the same key."""
    if name:
        return "nm:" + name[:200]
    place = ";".join(",".join(f"{v:.0f}" for v in box) for box in rects)
    return f"at:{kind}:" + hashlib.sha256(place.encode()).hexdigest()[:24]


def identify(annot: object) -> tuple[str, str, list[Box]] | None:
    """(kind, key, rectangles) of a markup annotation; None for any other annotation, for a
    reply (/IRT) and for one without a place."""
    kind = KINDS.get(pdfium_c.FPDFAnnot_GetSubtype(annot))
    if kind is None or pdfium_c.FPDFAnnot_HasKey(annot, b"IRT"):
        return None
    rects = _rect(annot) if kind == "text" else _quads(annot) or _rect(annot)
    if not rects:
        return None
    return kind, annotation_key(kind, string_value(annot, "NM").strip(), rects), rects


def page_annotations(
    document: pypdfium2.PdfDocument, page: pypdfium2.PdfPage, index: int, room: int
) -> list[FoundAnnotation]:
    """The markup annotations of a page (at most `room`), with the words under each; replies
    (/IRT) and popups are left out. PdfiumError or ValueError when the page is unreadable."""
    found: list[FoundAnnotation] = []
    count = pdfium_c.FPDFPage_GetAnnotCount(page.raw)
    for number in range(count):
        if len(found) >= room:
            break
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, number)
        if not annot:
            continue
        try:
            identity = identify(annot)
            if identity is None:
                continue
            kind, key, rects = identity
            item = FoundAnnotation(index + 1, kind, rects, _color(annot), key=key)
            item.contents = string_value(annot, "Contents").strip()
            item.author = string_value(annot, "T").strip()[:200]
            found.append(item)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    if any(item.kind != "text" for item in found):
        _add_quotes(document, index, found)
    return found


def _add_quotes(document: pypdfium2.PdfDocument, index: int, found: list[FoundAnnotation]) -> None:
    """The words under each markup annotation: the characters whose box centres lie in its
    quads (storage.pdfpages, the reader's geometry: what it draws is what is quoted)."""
    from storage.pdfpages import PagesError, Rect, page_text

    try:
        text = page_text(document, index)
    except PagesError:
        return
    for item in found:
        if item.kind == "text":
            continue
        span = text.span_in([Rect.of(box) for box in item.rects])
        if span is not None:
            item.quote = text.text_of(span)
