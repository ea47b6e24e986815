"""The highlight colours: a small named palette, its RGB values, and the nearest name to any RGB."""

from __future__ import annotations

__all__ = [
    "COLORS",
    "COLOR_HEX",
    "DEFAULT_COLOR",
    "BadValue",
    "check_color",
    "color_rgb",
    "nearest_color",
    "pale",
]


class BadValue(ValueError):
    """A colour or rectangle that cannot be stored (the message says why); the Library
    raises it as a HighlightError, an EditError."""


# Zotero's reader colours for the names they share, so highlights look the same in both.
COLOR_HEX: dict[str, str] = {
    "yellow": "#ffd400",
    "green": "#5fb236",
    "blue": "#2ea8e5",
    "pink": "#ff6666",
    "purple": "#a28ae5",
}
COLORS: tuple[str, ...] = tuple(COLOR_HEX)
DEFAULT_COLOR = "yellow"


def check_color(color: str | None) -> str:
    """The palette name for color (case and spaces ignored; None is the default colour);
    BadValue naming the palette for anything else."""
    if color is None:
        return DEFAULT_COLOR
    name = color.strip().casefold()
    if name not in COLOR_HEX:
        raise BadValue(f"unknown colour {color!r}: use one of {', '.join(COLORS)}")
    return name


def color_rgb(color: str) -> tuple[int, int, int]:
    """(red, green, blue), 0-255, of a palette name."""
    value = COLOR_HEX[color].lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def pale(color: str, strength: float = 0.45) -> str:
    """#rrggbb of a palette colour mixed with white (strength 1: the colour itself), for the
    background of a highlighted quote on screen."""
    red, green, blue = color_rgb(color)
    mixed = (round(255 - (255 - value) * strength) for value in (red, green, blue))
    return "#" + "".join(f"{value:02x}" for value in mixed)


def nearest_color(red: float, green: float, blue: float) -> str:
    """The palette name closest to an RGB colour (0-255), for annotations made elsewhere.
    Distance in a weighted RGB ("redmean"), which follows the eye better than plain RGB."""

    def distance(name: str) -> float:
        r, g, b = color_rgb(name)
        mean = (red + r) / 2
        dr, dg, db = red - r, green - g, blue - b
        return (2 + mean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - mean) / 256) * db * db

    return min(COLORS, key=distance)
