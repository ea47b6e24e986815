"""The reader's pages off the GUI thread.

One thread per open PDF talks to its PDF process (storage.pdfpages.PdfPages) and hands back page
images, text, links and find results."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from storage.pdfpages import PageBox, PagesError, PageText, PdfPages, Rect, Span

__all__ = ["CACHE_BYTES", "Match", "PageCache", "PageImage", "PageSource"]

CACHE_BYTES = 128 * 1024 * 1024  # page images kept: ~35 pages drawn for a 1400x900 window
TEXT_PAGES = 64  # page texts kept by the thread for find
_INVERT = bytes(255 - value for value in range(256))


@dataclass(frozen=True)
class PageImage:
    """A drawn page: its pixels (device pixels, `scale` of them a point) and its box."""

    index: int
    scale: float
    dark: bool
    image: QImage
    box: PageBox
    data: bytes  # the pixels the image shows (kept alive with it)

    @property
    def nbytes(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Match:
    """One find match: its page, characters and the rectangles (one a line) to mark."""

    page: int
    span: Span
    rects: tuple[Rect, ...]


class PageCache:
    """Page images by page number, the least recently used dropped past a byte budget."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._images: OrderedDict[int, PageImage] = OrderedDict()
        self.bytes = 0
        self.peak = 0

    def __len__(self) -> int:
        return len(self._images)

    def __contains__(self, index: int) -> bool:
        return index in self._images

    def get(self, index: int) -> PageImage | None:
        image = self._images.get(index)
        if image is not None:
            self._images.move_to_end(index)
        return image

    def put(self, image: PageImage, keep: Iterable[int] = ()) -> None:
        """Keep this page's image (instead of an older one); drop others past the budget,
        never those in `keep` (the pages on screen)."""
        old = self._images.pop(image.index, None)
        if old is not None:
            self.bytes -= old.nbytes
        self._images[image.index] = image
        self.bytes += image.nbytes
        kept = set(keep) | {image.index}
        for index in list(self._images):
            if self.bytes <= self.budget:
                break
            if index not in kept:
                self.bytes -= self._images.pop(index).nbytes
        self.peak = max(self.peak, self.bytes)

    def clear(self) -> None:
        self._images.clear()
        self.bytes = 0


class PageSource(QObject):
    """One PDF: a thread that runs what the reader asks for, most urgent first — the pages on
    screen, then their text and links, then a find, one page at a time. Signals arrive on the
    GUI thread; a page that fails comes back as pageFailed with its one-line message."""

    opened = Signal(object)  # DocumentInfo
    openFailed = Signal(str)  # noqa: N815 (Qt naming)
    rendered = Signal(object)  # PageImage
    pageFailed = Signal(int, str)  # noqa: N815
    textReady = Signal(int, object, object)  # noqa: N815 (page, PageText, list[Link])
    found = Signal(int, int, object)  # find generation, page, list[Match]
    findDone = Signal(int)  # noqa: N815 (generation)

    def __init__(
        self,
        path: Path,
        name: str,
        pages: Callable[[], PdfPages] = PdfPages,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path, self.name = path, name
        self._pages = pages()
        self._lock = threading.Condition()
        self._renders: list[tuple[int, float, bool]] = []  # most urgent first
        self._texts: list[int] = []
        self._find: tuple[int, str, list[int]] | None = None  # generation, phrase, pages left
        self._generation = 0
        self._stopping = False
        self._text_cache: OrderedDict[int, PageText] = OrderedDict()
        self._thread = threading.Thread(target=self._run, name=f"reader {name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    # --- asked from the GUI thread ---------------------------------------------------------

    def want_pages(self, wanted: list[tuple[int, float]], dark: bool) -> None:
        """Draw these (page, scale) in this order, instead of what was asked before."""
        with self._lock:
            self._renders = [(index, scale, dark) for index, scale in wanted]
            self._lock.notify()

    def want_text(self, indexes: Iterable[int]) -> None:
        """Read these pages' text and links (after the drawing asked for)."""
        with self._lock:
            for index in indexes:
                if index not in self._texts:
                    self._texts.append(index)
            self._lock.notify()

    def find(self, phrase: str, pages: list[int]) -> int:
        """Look for the phrase on these pages, in this order; found() for each page with the
        generation returned here (a newer find makes older results stale)."""
        with self._lock:
            self._generation += 1
            self._find = (self._generation, phrase, list(pages)) if phrase.strip() else None
            self._lock.notify()
            return self._generation

    def close(self) -> None:
        """Stop the thread and the PDF's process (a request under way ends at once)."""
        with self._lock:
            self._stopping = True
            self._renders, self._texts, self._find = [], [], None
            self._lock.notify()
        self._pages.abort()
        if self._thread.is_alive():
            self._thread.join(5)

    # --- the thread ------------------------------------------------------------------------

    def _next(self) -> tuple[str, tuple] | None:
        with self._lock:
            while not self._stopping and not (self._renders or self._texts or self._find):
                self._lock.wait()
            if self._stopping:
                return None
            if self._renders:
                return "render", self._renders.pop(0)
            if self._texts:
                return "text", (self._texts.pop(0),)
            assert self._find is not None
            generation, phrase, left = self._find
            index = left.pop(0)
            if not left:
                self._find = None
            return "find", (generation, phrase, index, not left)

    def _run(self) -> None:
        try:
            info = self._pages.open(self.path, self.name)
        except PagesError as error:
            self._emit(self.openFailed, error.message)
            self._pages.close()
            return
        self._emit(self.opened, info)
        while (job := self._next()) is not None:
            kind, arguments = job
            try:
                getattr(self, f"_do_{kind}")(*arguments)
            except Exception as error:  # a bug: say it for the page, keep the thread going
                if kind != "find":
                    self._emit(self.pageFailed, arguments[0], f"{self.name}: {error}")
        self._pages.close()

    def _emit(self, signal: Signal, *values: object) -> None:
        if not self._stopping:
            with contextlib.suppress(RuntimeError):  # the receiver went away meanwhile
                signal.emit(*values)  # type: ignore[attr-defined]

    def _do_render(self, index: int, scale: float, dark: bool) -> None:
        try:
            drawn = self._pages.render(index, scale)
        except PagesError as error:
            self._emit(self.pageFailed, index, error.message)
            return
        data = drawn.data.translate(_INVERT) if dark else drawn.data
        image = QImage(data, drawn.width, drawn.height, drawn.stride, QImage.Format.Format_RGB32)
        self._emit(self.rendered, PageImage(index, scale, dark, image, drawn.box, data))

    def _text(self, index: int) -> PageText:
        text = self._text_cache.get(index)
        if text is None:
            text = self._pages.text(index)
            self._text_cache[index] = text
            while len(self._text_cache) > TEXT_PAGES:
                self._text_cache.popitem(last=False)
        return text

    def _do_text(self, index: int) -> None:
        try:
            text = self._text(index)
            links = self._pages.links(index)
        except PagesError:  # the page shows without selectable text; its drawing says the rest
            self._emit(self.textReady, index, None, [])
            return
        self._emit(self.textReady, index, text, links)

    def _do_find(self, generation: int, phrase: str, index: int, last: bool) -> None:
        try:
            text = self._text(index)
        except PagesError:
            matches: list[Match] = []
        else:
            matches = [Match(index, span, tuple(text.rects(span))) for span in text.find(phrase)]
        self._emit(self.found, generation, index, matches)
        if last:
            self._emit(self.findDone, generation)
