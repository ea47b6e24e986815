"""The reader's page column.

Continuous scrolling, zoom and fit, painting pages and their marks, asking for the pages on
screen (plus a margin) at the screen's pixel density."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from app.gui.reader.layout import PageLayout, PageSlot, step_zoom
from app.gui.reader.source import Match, PageCache, PageImage, PageSource
from storage.pdfpages import MAX_PIXELS, DocumentInfo, Link, PageBox, PageText, Rect, Span

__all__ = ["FIT_PAGE", "FIT_WIDTH", "Mark", "PageCanvas"]

FIT_WIDTH, FIT_PAGE = "width", "page"
MARGIN_SCREENS = 1.0  # pages this many screens above and below are drawn ahead
TEXT_PAGES = 48  # page texts (for selection) kept
TEXT_DELAY_MS = 120  # text is read for the pages on screen once scrolling pauses this long
FIND_COLOR = QColor(255, 150, 0, 90)
CURRENT_COLOR = QColor(255, 90, 0, 150)


@dataclass(frozen=True)
class Mark:
    """A highlight drawn on a page: its rectangles (PDF points) and colour; note_id when it is
    a highlight (clicking it opens the note; negative while a new one is being written);
    pending while an edit of it waits to be written (drawn with a dashed edge)."""

    page: int
    rects: tuple[Rect, ...]
    color: QColor
    note_id: int | None = None
    pending: bool = False


class PageCanvas(QAbstractScrollArea):
    """Pages one under the other. `source` draws them off the GUI thread; this widget only
    places, scales and paints what came back, and asks again when the view changes."""

    pageChanged = Signal(int)  # noqa: N815 (Qt naming): 0-based page mostly on screen
    zoomChanged = Signal(float)  # noqa: N815

    def __init__(self, info: DocumentInfo, source: PageSource, parent: QWidget | None = None):
        super().__init__(parent)
        self.info, self.source = info, source
        self.setObjectName("reader_canvas")
        self.setAccessibleName("Pages")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.layout_ = PageLayout(info.sizes)
        self.cache = PageCache()
        self.failed: dict[int, str] = {}
        self.texts: dict[int, PageText] = {}
        self.links: dict[int, list[Link]] = {}
        self.boxes: dict[int, PageBox] = {}
        self.fit: str | None = FIT_WIDTH
        self.dark = False
        self.highlights: dict[int, list[Mark]] = {}
        self.matches: dict[int, list[Match]] = {}
        self.current_match: Match | None = None
        self.selection: dict[int, Span] = {}
        self.current_page = 0
        self.renders_asked = 0
        self._asked: dict[int, tuple[float, bool]] = {}
        self._request = QTimer(self)
        self._request.setSingleShot(True)
        self._request.setInterval(0)
        self._request.timeout.connect(self._ask_for_pages)
        self._text_request = QTimer(self)  # text and links once scrolling pauses
        self._text_request.setSingleShot(True)
        self._text_request.setInterval(TEXT_DELAY_MS)
        self._text_request.timeout.connect(self._ask_for_text)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())
        source.rendered.connect(self._on_rendered)
        source.pageFailed.connect(self._on_failed)
        source.textReady.connect(self._on_text)
        self.viewport().setAutoFillBackground(False)
        self.viewport().setMouseTracking(True)

    # --- geometry --------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self.layout_.zoom

    def _viewport_size(self) -> tuple[float, float]:
        size = self.viewport().size()
        return float(size.width()), float(size.height())

    def _update_ranges(self) -> None:
        width, height = self._viewport_size()
        self.layout_.set_viewport_width(width)
        vertical, horizontal = self.verticalScrollBar(), self.horizontalScrollBar()
        vertical.setRange(0, max(int(math.ceil(self.layout_.height - height)), 0))
        vertical.setPageStep(max(int(height * 0.9), 1))
        vertical.setSingleStep(max(int(height / 20), 8))
        horizontal.setRange(0, max(int(math.ceil(self.layout_.width - width)), 0))
        horizontal.setPageStep(max(int(width), 1))
        horizontal.setSingleStep(20)

    def slot_in_view(self, index: int) -> QRectF:
        """Where page `index` is in viewport coordinates."""
        slot = self.layout_.slot(index)
        x, y = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        return QRectF(slot.x - x, slot.y - y, slot.width, slot.height)

    def to_view(self, index: int, rect: Rect) -> QRectF | None:
        """A rectangle of page `index` (PDF points) in viewport coordinates; None before the
        page's box is known."""
        box = self.boxes.get(index)
        if box is None:
            return None
        place = self.slot_in_view(index)
        scale = self.layout_.scale
        x0, y0, x1, y1 = box.rect_to_view(rect)
        return QRectF(place.x() + x0 * scale, place.y() + y0 * scale,
                      (x1 - x0) * scale, (y1 - y0) * scale)  # fmt: skip

    def to_page(self, point: QPointF, index: int | None = None) -> tuple[int, float, float] | None:
        """The page under a viewport point (or page `index`, for a drag that left it) and the
        point in its PDF coordinates; None before the page's box is known."""
        content_y = point.y() + self.verticalScrollBar().value()
        page = self.layout_.page_at(content_y) if index is None else index
        box = self.boxes.get(page)
        if box is None:
            return None
        place = self.slot_in_view(page)
        scale = self.layout_.scale
        x, y = box.from_view((point.x() - place.x()) / scale, (point.y() - place.y()) / scale)
        return page, x, y

    def visible_pages(self) -> range:
        top = self.verticalScrollBar().value()
        return self.layout_.visible(top, top + self._viewport_size()[1])

    def _page_mostly_shown(self) -> int:
        top = self.verticalScrollBar().value()
        bottom = top + self._viewport_size()[1]
        best, shown = self.current_page, -1.0
        for index in self.layout_.visible(top, bottom):
            slot = self.layout_.slot(index)
            part = min(slot.bottom, bottom) - max(slot.y, top)
            if part > shown + 0.5:
                best, shown = index, part
        return best

    # --- zoom and scrolling ----------------------------------------------------------------

    def set_fit(self, fit: str | None) -> None:
        self.fit = fit
        self._apply_fit()

    def _apply_fit(self) -> None:
        if self.fit is None or not len(self.layout_):
            return
        width, height = self._viewport_size()
        page = self.current_page
        if self.fit == FIT_WIDTH:
            zoom = self.layout_.fit_width(width - 2, page)
        else:
            zoom = self.layout_.fit_page(width, height, page)
        self._zoom_to(zoom, keep_fit=True)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to this factor (1.0: actual size), keeping the point under `anchor` (or the
        top of the page on screen) where it is."""
        self.fit = None
        self._zoom_to(zoom, anchor)

    def step_zoom(self, steps: int, anchor: QPointF | None = None) -> None:
        self.set_zoom(step_zoom(self.zoom, steps), anchor)

    def _zoom_to(self, zoom: float, anchor: QPointF | None = None, keep_fit: bool = False) -> None:
        old = self.layout_.scale
        page = self.current_page
        vertical = self.verticalScrollBar()
        if anchor is None:  # keep the top of the view at the same place of the current page
            anchor = QPointF(self._viewport_size()[0] / 2, 0)
        content_y = vertical.value() + anchor.y()
        anchor_page = self.layout_.page_at(content_y)
        within = (content_y - self.layout_.top_of(anchor_page)) / old
        before = self.zoom
        self.layout_.set_zoom(zoom)
        self._update_ranges()
        vertical.setValue(round(self.layout_.top_of(anchor_page) + within * self.layout_.scale
                                - anchor.y()))  # fmt: skip
        self.current_page = page
        self.viewport().update()
        self._schedule()
        if abs(before - self.zoom) > 1e-6:
            self.zoomChanged.emit(self.zoom)

    def go_to(self, index: int, top: float | None = None) -> None:
        """Show page `index` (0-based) from its top, or from PDF height `top` on it."""
        index = min(max(index, 0), len(self.layout_) - 1)
        y = self.layout_.top_of(index) - self.layout_.top_of(0) + 0.0
        if top is not None and index in self.boxes:
            _x, view_y = self.boxes[index].to_view(0, top)
            y = self.layout_.top_of(index) + max(view_y, 0) * self.layout_.scale - 8
        elif top is not None:
            height = self.info.sizes[index][1]
            y = self.layout_.top_of(index) + max(height - top, 0) * self.layout_.scale - 8
        self.verticalScrollBar().setValue(round(y))
        self.current_page = index
        self._scrolled()

    def scroll_by_screens(self, screens: float) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(round(bar.value() + screens * bar.pageStep()))

    def scroll_by_lines(self, lines: int) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + lines * bar.singleStep())

    def ensure_visible(self, index: int, rect: Rect) -> None:
        """Scroll so that this rectangle of page `index` is on screen (centred if it was not)."""
        shown = self.to_view(index, rect)
        height = self._viewport_size()[1]
        if shown is None:
            self.go_to(index, rect.top)
            return
        if shown.top() < 0 or shown.bottom() > height:
            bar = self.verticalScrollBar()
            bar.setValue(round(bar.value() + shown.center().y() - height / 2))
        width = self._viewport_size()[0]
        if shown.left() < 0 or shown.right() > width:
            bar = self.horizontalScrollBar()
            bar.setValue(round(bar.value() + shown.center().x() - width / 2))

    def set_dark(self, dark: bool) -> None:
        if dark != self.dark:
            self.dark = dark
            self._asked.clear()
            self.viewport().update()
            self._schedule()

    # --- asking for pages --------------------------------------------------------------------

    def _scrolled(self, _value: int = 0) -> None:
        page = self._page_mostly_shown()
        if page != self.current_page:
            self.current_page = page
            self.pageChanged.emit(page)
        self.viewport().update()
        self._schedule()

    def _schedule(self) -> None:
        self._request.start()

    def device_scale(self, index: int) -> float:
        """Device pixels a point for page `index` at this zoom, within the pixel budget."""
        scale = self.layout_.scale * self.devicePixelRatioF()
        width, height = self.info.sizes[index]
        most = math.sqrt(MAX_PIXELS * 0.9 / (width * height))
        return min(scale, most)

    def wanted_pages(self) -> list[int]:
        """The pages on screen (middle ones first), then a screen's worth above and below."""
        top = self.verticalScrollBar().value()
        height = self._viewport_size()[1]
        middle = top + height / 2
        shown = list(self.layout_.visible(top, top + height))
        margin = self.layout_.visible(top - height * MARGIN_SCREENS,
                                      top + height * (1 + MARGIN_SCREENS))  # fmt: skip
        shown.sort(key=lambda i: abs(self.layout_.slot(i).y + self.layout_.slot(i).height / 2
                                     - middle))  # fmt: skip
        return shown + [i for i in margin if i not in shown]

    def _ask_for_pages(self) -> None:
        wanted = []
        for index in self.wanted_pages():
            if index in self.failed:
                continue
            scale = self.device_scale(index)
            have = self.cache.get(index)
            if (
                have is not None
                and abs(have.scale - scale) < 0.01 * scale
                and have.dark == self.dark
            ):
                continue
            wanted.append((index, scale))
        asked = {index: (scale, self.dark) for index, scale in wanted}
        if asked != self._asked or wanted:
            self.source.want_pages(wanted, self.dark)
            self.renders_asked += len(wanted)
        self._asked = asked
        self._text_request.start()

    def _ask_for_text(self) -> None:
        missing = [i for i in self.visible_pages() if i not in self.texts and i not in self.failed]
        if missing:
            self.source.want_text(missing)

    def _on_rendered(self, image: PageImage) -> None:
        self.boxes[image.index] = image.box
        image.image.setDevicePixelRatio(image.scale / self.layout_.scale)
        self.cache.put(image, keep=self.wanted_pages())
        self._asked.pop(image.index, None)
        if image.index in self.visible_pages():
            self.viewport().update()

    def _on_failed(self, index: int, message: str) -> None:
        self.failed[index] = message
        self._asked.pop(index, None)
        self.viewport().update()

    def _on_text(self, index: int, text: PageText | None, links: list[Link]) -> None:
        if text is None:
            text = PageText("", [], self.boxes.get(index) or PageBox(Rect(0, 0, 1, 1)))
        self.texts[index] = text
        self.boxes.setdefault(index, text.page)
        self.links[index] = links
        if len(self.texts) > TEXT_PAGES:  # the oldest first, never one on screen
            shown = set(self.visible_pages())
            for old in [i for i in self.texts if i not in shown][: len(self.texts) - TEXT_PAGES]:
                self.texts.pop(old)
                self.links.pop(old, None)
        self.viewport().update()

    # --- Qt events ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_ranges()
        if self.fit is not None:
            self._apply_fit()
        self._scrolled()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if steps:
                self.step_zoom(steps, event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        background = QColor(38, 38, 40) if self.dark else self.palette().color(
            QPalette.ColorRole.Mid)  # fmt: skip
        painter.fillRect(event.rect(), background)
        for index in self.visible_pages():
            self._paint_page(painter, index)
        painter.end()

    def _paint_page(self, painter: QPainter, index: int) -> None:
        place = self.slot_in_view(index)
        image = self.cache.get(index)
        paper = QColor(30, 30, 30) if self.dark else QColor(255, 255, 255)
        if image is None or index in self.failed:
            painter.fillRect(place, paper)
        else:
            painter.drawImage(place, image.image)
        if index in self.failed:
            self._paint_message(painter, place, self.failed[index])
            return
        for mark in self.highlights.get(index, ()):
            self._paint_rects(painter, index, mark.rects, mark.color, multiply=not self.dark)
            if mark.pending:
                self._paint_pending(painter, index, mark)
        for match in self.matches.get(index, ()):
            color = CURRENT_COLOR if match == self.current_match else FIND_COLOR
            self._paint_rects(painter, index, match.rects, color)
        span = self.selection.get(index)
        text = self.texts.get(index)
        if span is not None and text is not None:
            color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            color.setAlpha(100)
            self._paint_rects(painter, index, tuple(text.rects(span)), color)

    def _paint_rects(
        self, painter: QPainter, index: int, rects: tuple[Rect, ...], color: QColor,
        multiply: bool = False,
    ) -> None:  # fmt: skip
        if multiply:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        for rect in rects:
            shown = self.to_view(index, rect)
            if shown is not None:
                painter.fillRect(shown, color)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)

    def _paint_pending(self, painter: QPainter, index: int, mark: Mark) -> None:
        """A dashed edge in the mark's colour, darker: not written to the library yet."""
        edge = QColor(mark.color)
        edge.setAlpha(255)
        pen = QPen(edge.lighter(160) if self.dark else edge.darker(170), 1.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect in mark.rects:
            shown = self.to_view(index, rect)
            if shown is not None:
                painter.drawRect(shown.adjusted(-1, -1, 1, 1))

    def _paint_message(self, painter: QPainter, place: QRectF, message: str) -> None:
        painter.setPen(QColor(200, 200, 200) if self.dark else QColor(140, 20, 20))
        inner = place.adjusted(24, 24, -24, -24)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(inner, int(flags), f"This page cannot be shown.\n\n{message}")


def slot_rect(slot: PageSlot) -> QRectF:
    return QRectF(slot.x, slot.y, slot.width, slot.height)
