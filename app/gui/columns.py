"""The paper table's column widths from their content, measured on a sample of rows."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QFontMetrics

from app.gui.paper_model import COLUMNS, cell_text
from storage.views import PaperRow

PADDING = 22  # the cell's margins and a little air
# The widest a column grows to fit its content (longer text is elided; the user can drag it
# wider); the title is never here: it stretches into what the others leave.
LIMITS = {"authors": 260, "year": 80, "tags": 200, "status": 120, "rating": 120, "added": 130}
WHOLE = {"year", "status", "rating", "added"}  # short texts: the widest one fits whole
SHARE = 0.9  # for long texts, the width that fits this share of the sampled rows


def content_widths(
    rows: Iterable[PaperRow], cells: QFontMetrics, heads: QFontMetrics
) -> dict[str, int]:
    """{column key: width} for the columns in LIMITS: wide enough for the heading and for
    the sampled rows (all of them for short texts, SHARE of them for long ones), at most its
    limit. A column empty in every sampled row is as wide as its heading."""
    sample = list(rows)
    found: dict[str, int] = {}
    for column in COLUMNS:
        if column.key not in LIMITS:
            continue
        heading = heads.horizontalAdvance(column.title) + PADDING
        sizes = sorted(cells.horizontalAdvance(cell_text(row, column.key)) for row in sample)
        sizes = [size for size in sizes if size > 0]
        if not sizes:
            found[column.key] = heading
            continue
        share = 1.0 if column.key in WHOLE else SHARE
        content = sizes[min(len(sizes) - 1, int(len(sizes) * share))] + PADDING
        found[column.key] = min(LIMITS[column.key], max(heading, content))
    return found


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
