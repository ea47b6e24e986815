"""Pages of a PDF for reading: drawing, text with character boxes, find, selection, links.

No Qt here; the reader in the window (app.gui.reader) and the highlight commands build on it.
Coordinates are PDF page points with PDFium's origin (y up): what a highlight stores.

- `PdfPages()`: one document open in a process of its own (`start()`, `open(path)` ->
  `DocumentInfo` with page sizes and the `OutlineItem`s of its table of contents; then
  `render(index, scale)` -> `Rendered` BGRX pixels, `text(index)` -> `PageText`,
  `links(index)` -> `Link`s). A page that crashes PDFium or takes longer than the time
  limit raises `PagesError` (one line naming the page); the process restarts for the others.
- `PageText`: the page's characters (`text`, PDFium's indices), each with its box.
  `find(phrase)` -> `Span`s (any case, spacing, line breaks, hyphenation, ligatures);
  `rects(span)` -> one `Rect` per line; `text_of(span)` -> the quotable text;
  `select(point_a, point_b)` -> the `Span` between them in reading order, whole words
  (`select_chars(i, j)` the same from character indices);
  `word_at(x, y)`, `char_near(x, y)`, `char_at(x, y)`; `span_in(rects)` -> the text under
  stored rectangles; `words`, `lines`; `page` is its `PageBox`.
- `PageBox`: a page's crop box and rotation; `to_view`/`from_view`/`rect_to_view` map page
  points to the page as shown (origin top left, y down, points).
- In this process (no isolation; for short trusted work): `open_document(path, name)`,
  `page_text(document, index)`, `render_page(document, index, scale)`,
  `page_links(document, index)`, `document_info(document, name)`, `read_page_text(path, index)`.
"""

from storage.pdfpages.access import PagesError, open_document, page_box
from storage.pdfpages.document import (
    MAX_PIXELS,
    DocumentInfo,
    Rendered,
    document_info,
    page_text,
    read_page_text,
    render_page,
)
from storage.pdfpages.geometry import PageBox, Rect
from storage.pdfpages.links import Link, OutlineItem, outline, page_links
from storage.pdfpages.text import Line, PageText, Span
from storage.pdfpages.worker import PageServer, PdfPages

__all__ = [
    "MAX_PIXELS",
    "DocumentInfo",
    "Line",
    "Link",
    "OutlineItem",
    "PageBox",
    "PageServer",
    "PageText",
    "PagesError",
    "PdfPages",
    "Rect",
    "Rendered",
    "Span",
    "document_info",
    "open_document",
    "outline",
    "page_box",
    "page_links",
    "page_text",
    "read_page_text",
    "render_page",
]
