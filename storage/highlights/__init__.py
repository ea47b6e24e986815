"""Highlights: notes with a colour and a place on a page of a PDF, and where the reader was."""

from storage.highlights.palette import (
    COLOR_HEX,
    COLORS,
    DEFAULT_COLOR,
    check_color,
    color_rgb,
    nearest_color,
)
from storage.highlights.rects import Rect, clean_rects, quad_points

__all__ = [
    "COLORS",
    "COLOR_HEX",
    "DEFAULT_COLOR",
    "Rect",
    "check_color",
    "clean_rects",
    "color_rgb",
    "nearest_color",
    "quad_points",
]
