"""The outline (table of contents) of a PDF and the links on its pages: to a page or an address."""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

from storage.pdfpages.access import PagesError, clean_line, label, load_page
from storage.pdfpages.geometry import Rect

__all__ = ["Link", "OutlineItem", "outline", "page_links"]

MAX_OUTLINE = 5_000  # outline entries read
_ACTION_GOTO, _ACTION_URI = 1, 3  # PDFACTION_GOTO, PDFACTION_URI


@dataclass(frozen=True)
class OutlineItem:
    """An entry of the table of contents: its title, depth (0 at the top) and target."""

    title: str
    level: int
    page: int | None  # 0-based page index, None when it points nowhere in this file
    top: float | None = None  # the target's y in page coordinates, when it gives one


@dataclass(frozen=True)
class Link:
    """A link on a page: where it is, and either a page of this file or an address (uri)."""

    rect: Rect
    page: int | None = None  # 0-based target page
    top: float | None = None  # target y in the target page's coordinates
    uri: str | None = None  # an external address, as the file gives it (untrusted)


def _dest_target(document: pypdfium2.PdfDocument, dest: object) -> tuple[int | None, float | None]:
    if not dest:
        return None, None
    index = pdfium_c.FPDFDest_GetDestPageIndex(document, dest)
    if index < 0 or index >= len(document):
        return None, None
    has_x, has_y, has_zoom = pdfium_c.FPDF_BOOL(), pdfium_c.FPDF_BOOL(), pdfium_c.FPDF_BOOL()
    x, y, zoom = pdfium_c.FS_FLOAT(), pdfium_c.FS_FLOAT(), pdfium_c.FS_FLOAT()
    found = pdfium_c.FPDFDest_GetLocationInPage(dest, has_x, has_y, has_zoom, x, y, zoom)
    top = float(y.value) if found and has_y.value and math.isfinite(y.value) else None
    return index, top


def _uri(document: pypdfium2.PdfDocument, action: object) -> str | None:
    size = pdfium_c.FPDFAction_GetURIPath(document, action, None, 0)
    if size <= 1 or size > 65_536:
        return None
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAction_GetURIPath(document, action, buffer, size)
    uri = buffer.raw[: size - 1].decode("utf-8", "replace").strip()
    return uri or None


def _action_target(
    document: pypdfium2.PdfDocument, action: object
) -> tuple[int | None, float | None, str | None]:
    if not action:
        return None, None, None
    kind = pdfium_c.FPDFAction_GetType(action)
    if kind == _ACTION_GOTO:
        page, top = _dest_target(document, pdfium_c.FPDFAction_GetDest(document, action))
        return page, top, None
    if kind == _ACTION_URI:
        return None, None, _uri(document, action)
    return None, None, None


def outline(document: pypdfium2.PdfDocument) -> list[OutlineItem]:
    """The table of contents in order, each entry with its depth; [] when there is none."""
    items: list[OutlineItem] = []
    try:
        for bookmark in document.get_toc(max_depth=12):
            if len(items) >= MAX_OUTLINE:
                break
            title = clean_line(bookmark.get_title())
            page, top = _dest_target(document, pdfium_c.FPDFBookmark_GetDest(document, bookmark))
            if page is None:
                page, top, _uri_target = _action_target(
                    document, pdfium_c.FPDFBookmark_GetAction(bookmark)
                )
            items.append(OutlineItem(title or "(untitled)", bookmark.level, page, top))
    except Exception:
        pass  # a damaged outline: the entries read so far
    return items


def page_links(document: pypdfium2.PdfDocument, index: int, name: str = "PDF") -> list[Link]:
    """The page's links: link annotations (to a page or an address) and addresses written in
    its text (as viewers make them clickable)."""
    page = load_page(document, index, name)
    links: list[Link] = []
    try:
        position, handle = ctypes.c_int(0), pdfium_c.FPDF_LINK()
        while len(links) < 2_000 and pdfium_c.FPDFLink_Enumerate(page, position, handle):
            area = pdfium_c.FS_RECTF()
            if not pdfium_c.FPDFLink_GetAnnotRect(handle, area):
                continue
            rect = Rect.of((area.left, area.bottom, area.right, area.top))
            target, top = _dest_target(document, pdfium_c.FPDFLink_GetDest(document, handle))
            uri = None
            if target is None:
                target, top, uri = _action_target(document, pdfium_c.FPDFLink_GetAction(handle))
            if target is not None or uri:
                links.append(Link(rect, target, top, uri))
        links.extend(_web_links(page, links))
    except Exception as error:
        raise PagesError(
            f"{label(name, index)}: links unreadable ({type(error).__name__})"
        ) from None
    finally:
        page.close()
    return links


def _web_links(page: pypdfium2.PdfPage, known: list[Link]) -> list[Link]:
    """Addresses in the page's text that no link annotation covers already."""
    found: list[Link] = []
    textpage = page.get_textpage()
    web = pdfium_c.FPDFLink_LoadWebLinks(textpage)
    try:
        for number in range(min(pdfium_c.FPDFLink_CountWebLinks(web), 500)):
            size = pdfium_c.FPDFLink_GetURL(web, number, None, 0)
            if size <= 1 or size > 8_192:
                continue
            buffer = (ctypes.c_ushort * size)()
            pdfium_c.FPDFLink_GetURL(web, number, buffer, size)
            uri = bytes(buffer)[: 2 * (size - 1)].decode("utf-16-le", "replace")
            for part in range(pdfium_c.FPDFLink_CountRects(web, number)):
                box = [ctypes.c_double() for _ in range(4)]
                if not pdfium_c.FPDFLink_GetRect(web, number, part, *box):
                    continue
                left, top, right, bottom = (value.value for value in box)
                rect = Rect.of((left, bottom, right, top))
                centre = ((rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2)
                if not any(link.rect.contains(*centre) for link in known):
                    found.append(Link(rect, uri=uri))
    finally:
        pdfium_c.FPDFLink_CloseWebLinks(web)
        textpage.close()
    return found
