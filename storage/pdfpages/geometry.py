"""Rectangles in PDF page coordinates, and how a page's points map to the page as it is shown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["PageBox", "Rect", "union"]


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in PDF page coordinates: points, origin where PDFium puts it, y up."""

    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Rect:
        """From (left, bottom, right, top), in any order of the corners."""
        left, bottom, right, top = (float(v) for v in values)
        return cls(min(left, right), min(bottom, top), max(left, right), max(bottom, top))

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.left, self.bottom, self.right, self.top)

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def empty(self) -> bool:
        return self.width <= 0 or self.height <= 0

    def union(self, other: Rect) -> Rect:
        return Rect(
            min(self.left, other.left),
            min(self.bottom, other.bottom),
            max(self.right, other.right),
            max(self.top, other.top),
        )

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top

    def distance(self, x: float, y: float) -> tuple[float, float]:
        """(vertical, horizontal) distance of a point from the rectangle; 0 inside it."""
        dy = max(self.bottom - y, 0.0, y - self.top)
        dx = max(self.left - x, 0.0, x - self.right)
        return dy, dx

    def overlap_y(self, other: Rect) -> float:
        """How much of the lower of the two heights the rectangles share vertically (0..1)."""
        shared = min(self.top, other.top) - max(self.bottom, other.bottom)
        smaller = min(self.height, other.height)
        return 0.0 if smaller <= 0 else max(shared, 0.0) / smaller


def union(rects: Iterable[Rect]) -> Rect | None:
    """The smallest rectangle around all of these, or None when there are none."""
    found: Rect | None = None
    for rect in rects:
        found = rect if found is None else found.union(rect)
    return found


@dataclass(frozen=True, slots=True)
class PageBox:
    """A page as it is shown: its crop box in page coordinates and its rotation (clockwise).

    View coordinates are points with the origin at the top left of the page as shown (after the
    rotation), y down, as a screen draws it; multiply by the zoom for pixels.
    """

    crop: Rect
    rotation: int = 0  # 0, 90, 180 or 270

    @property
    def width(self) -> float:
        """The shown width in points."""
        return self.crop.height if self.rotation in (90, 270) else self.crop.width

    @property
    def height(self) -> float:
        return self.crop.width if self.rotation in (90, 270) else self.crop.height

    def to_view(self, x: float, y: float) -> tuple[float, float]:
        """A point of the page in view coordinates."""
        ux, uy = x - self.crop.left, self.crop.top - y  # unrotated, y down
        w, h = self.crop.width, self.crop.height
        if self.rotation == 90:
            return h - uy, ux
        if self.rotation == 180:
            return w - ux, h - uy
        if self.rotation == 270:
            return uy, w - ux
        return ux, uy

    def from_view(self, vx: float, vy: float) -> tuple[float, float]:
        """A point in view coordinates back on the page."""
        w, h = self.crop.width, self.crop.height
        if self.rotation == 90:
            ux, uy = vy, h - vx
        elif self.rotation == 180:
            ux, uy = w - vx, h - vy
        elif self.rotation == 270:
            ux, uy = w - vy, vx
        else:
            ux, uy = vx, vy
        return ux + self.crop.left, self.crop.top - uy

    def rect_to_view(self, rect: Rect) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of a page rectangle in view coordinates, x0 <= x1 and y0 <= y1."""
        ax, ay = self.to_view(rect.left, rect.bottom)
        bx, by = self.to_view(rect.right, rect.top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
