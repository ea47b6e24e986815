"""The paper table's column widths from their content, measured on a sample of rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtGui import QFontMetrics

from app.gui.paper_model import COLUMNS, cell_text
from storage.views import PaperRow

PADDING = 22  # the cell's margins and a little air
# The widest a column grows to fit its content (longer text is elided; the user can drag it
# wider); the title is never here: it stretches into what the others leave.
LIMITS = {
    "authors": 260,
    "year": 80,
    "tags": 200,
    "status": 120,
    "progress": 120,
    "rating": 120,
    "added": 130,
}
WHOLE = {"year", "status", "progress", "rating", "added"}  # short: the widest one fits whole
SHARE = 0.9  # for long texts, the width that fits this share of the sampled rows


TITLE_SHARE = 0.45  # the title keeps at least this share of the table's width
SHRINKABLE = ("authors", "tags")  # narrowed (down to their heading) to leave the title that


def content_widths(
    rows: Iterable[PaperRow],
    cells: QFontMetrics,
    heads: QFontMetrics,
    texts: Mapping[str, Sequence[str]] | None = None,
) -> tuple[dict[str, int], dict[str, int]]:
    """({column key: width}, {column key: its heading's width}) for the columns in LIMITS:
    wide enough for the heading and for the sampled rows (all of them for short texts, SHARE
    of them for long ones), at most its limit. A column empty in every sampled row is as wide
    as its heading. `texts` gives the sampled texts of columns a PaperRow does not hold
    (the reading progress)."""
    sample = list(rows)
    texts = texts or {}
    found: dict[str, int] = {}
    headings: dict[str, int] = {}
    for column in COLUMNS:
        if column.key not in LIMITS:
            continue
        heading = headings[column.key] = heads.horizontalAdvance(column.title) + PADDING
        shown = texts.get(column.key) or [cell_text(row, column.key) for row in sample]
        sizes = sorted(cells.horizontalAdvance(text) for text in shown)
        sizes = [size for size in sizes if size > 0]
        if not sizes:
            found[column.key] = heading
            continue
        share = 1.0 if column.key in WHOLE else SHARE
        content = sizes[min(len(sizes) - 1, int(len(sizes) * share))] + PADDING
        found[column.key] = min(LIMITS[column.key], max(heading, content))
    return found, headings


def fitted_widths(
    content: dict[str, int], headings: dict[str, int], room: int
) -> dict[str, int]:
    """The content widths, with the shrinkable columns narrowed (in proportion, never below
    their heading) when the title would get less than TITLE_SHARE of `room` otherwise (room:
    the table's width less the columns not sized here)."""
    widths = dict(content)
    excess = sum(widths.values()) - int(room * (1 - TITLE_SHARE))
    shrinkable = [key for key in SHRINKABLE if key in widths]
    slack = {key: max(0, widths[key] - headings.get(key, 0)) for key in shrinkable}
    total = sum(slack.values())
    if excess > 0 and total > 0:
        cut = min(excess, total)
        for key in shrinkable:
            widths[key] -= round(cut * slack[key] / total)
    return widths


def sample_ids(ids: list[int] | tuple[int, ...], limit: int) -> list[int]:
    """At most `limit` ids: the first half of them from the top (what shows first), the rest
    spread evenly over the others."""
    if len(ids) <= limit:
        return list(ids)
    top = limit // 2
    rest = ids[top:]
    step = len(rest) / (limit - top)
    return [*ids[:top], *(rest[int(i * step)] for i in range(limit - top))]


def keys_of(value: object) -> set[str]:
    """Column keys from a QSettings value (a list, one string, or nothing)."""
    if isinstance(value, str):
        value = [value] if value else []
    known = {column.key for column in COLUMNS}
    return {str(key) for key in value if str(key) in known} if isinstance(value, list) else set()
