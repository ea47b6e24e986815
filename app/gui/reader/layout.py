"""Where each page sits in the reader's continuous column, at a zoom: pure arithmetic, no Qt."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GAP", "MARGIN", "MAX_ZOOM", "MIN_ZOOM", "PX_PER_POINT", "PageLayout", "PageSlot"]

GAP = 10  # logical pixels between two pages
MARGIN = 12  # around the column
PX_PER_POINT = 96 / 72  # zoom 1.0 (100 %): a page as large as on paper, on a 96-dpi screen
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0,
              4.0, 5.0, 6.0, 8.0)  # fmt: skip


@dataclass(frozen=True)
class PageSlot:
    """A page's place in logical pixels of the whole column (x, y of its top left corner)."""

    index: int
    x: float
    y: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.y + self.height


class PageLayout:
    """Pages one under the other, centred, each `zoom * PX_PER_POINT` pixels a point."""

    def __init__(self, sizes: Sequence[tuple[float, float]]) -> None:
        self.sizes = [(max(w, 1.0), max(h, 1.0)) for w, h in sizes]
        self.zoom = 1.0
        self.viewport_width = 800.0
        self._tops: list[float] = []
        self._relayout()

    def __len__(self) -> int:
        return len(self.sizes)

    @property
    def scale(self) -> float:
        """Logical pixels a point."""
        return self.zoom * PX_PER_POINT

    def set_zoom(self, zoom: float) -> float:
        self.zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        self._relayout()
        return self.zoom

    def set_viewport_width(self, width: float) -> None:
        self.viewport_width = max(width, 1.0)

    def _relayout(self) -> None:
        y = float(MARGIN)
        tops = []
        for _width, height in self.sizes:
            tops.append(y)
            y += height * self.scale + GAP
        self._tops = tops
        self._height = y - GAP + MARGIN if self.sizes else 2 * MARGIN

    @property
    def height(self) -> float:
        return self._height

    @property
    def width(self) -> float:
        widest = max((w for w, _h in self.sizes), default=1.0)
        return widest * self.scale + 2 * MARGIN

    def slot(self, index: int) -> PageSlot:
        width, height = self.sizes[index]
        w, h = width * self.scale, height * self.scale
        x = max((max(self.viewport_width, self.width) - w) / 2, MARGIN)
        return PageSlot(index, x, self._tops[index], w, h)

    def page_at(self, y: float) -> int:
        """The page at height y (the one above when y falls in a gap)."""
        if not self.sizes:
            return 0
        return min(max(bisect_right(self._tops, y) - 1, 0), len(self.sizes) - 1)

    def visible(self, top: float, bottom: float) -> range:
        """Pages any part of which is between these heights."""
        if not self.sizes:
            return range(0)
        first = self.page_at(top)
        last = self.page_at(bottom)
        return range(first, last + 1)

    def top_of(self, index: int) -> float:
        return self._tops[min(max(index, 0), len(self._tops) - 1)] if self._tops else 0.0

    # --- zooms that fit -------------------------------------------------------------------

    def fit_width(self, viewport_width: float, index: int) -> float:
        """The zoom at which the widest page fills the width (the one shown when they differ)."""
        width = self.sizes[index][0] if self.sizes else 612.0
        return (viewport_width - 2 * MARGIN) / (width * PX_PER_POINT)

    def fit_page(self, viewport_width: float, viewport_height: float, index: int) -> float:
        """The zoom at which the whole page shows."""
        width, height = self.sizes[index] if self.sizes else (612.0, 792.0)
        across = (viewport_width - 2 * MARGIN) / (width * PX_PER_POINT)
        down = (viewport_height - 2 * GAP) / (height * PX_PER_POINT)
        return min(across, down)


def step_zoom(zoom: float, steps: int) -> float:
    """The next zoom step up (steps > 0) or down from zoom."""
    if steps > 0:
        bigger = [z for z in ZOOM_STEPS if z > zoom * 1.001]
        return bigger[min(steps, len(bigger)) - 1] if bigger else MAX_ZOOM
    smaller = [z for z in ZOOM_STEPS if z < zoom * 0.999]
    return smaller[max(len(smaller) + steps, 0)] if smaller else MIN_ZOOM
