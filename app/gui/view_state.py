"""Where the user left the window.

The sidebar view, the search text and the selected paper, saved in QSettings on close and put
back when the window opens (the sort is the window's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from app.gui.sidebar_keys import suggestion_target

if TYPE_CHECKING:
    from app.gui.hosts import ViewStateHost

KIND, VALUE, QUERY, PAPER = "view/sidebar_kind", "view/sidebar_value", "view/query", "view/paper"
LIBRARY = "view/library"  # the view belongs to this library folder (--library may change it)


def save_view(window: ViewStateHost, settings: QSettings) -> None:
    kind, value = window.sidebar.current_key()
    settings.setValue(LIBRARY, str(window.library.folder))
    settings.setValue(KIND, kind)
    settings.setValue(VALUE, value or "")
    settings.setValue(QUERY, window.search.text())
    current = window.table.current_id()
    settings.setValue(PAPER, current if current is not None else -1)


def restore_view(window: ViewStateHost, settings: QSettings) -> None:
    """Put the saved view back before the window's first load (which then shows it): an entry
    the sidebar no longer has falls back to All papers, a paper no longer shown to the first row,
    "Suggested for X" to X (suggestions are fitted when asked for, not at every start); a view
    saved for another library folder is not used."""
    if str(settings.value(LIBRARY, "") or "") != str(window.library.folder):
        return
    kind = str(settings.value(KIND, "all") or "all")
    value = str(settings.value(VALUE, "") or "") or None
    item = window.sidebar.item_for((kind, value))
    target = suggestion_target((kind, value))
    if item is None and target is not None:  # "Suggested for …": its tag or list (no refit yet)
        item = window.sidebar.item_for(target)
    if item is not None:
        window.sidebar.blockSignals(True)  # the window loads once, after this
        window.sidebar.setCurrentItem(item)
        window.sidebar.blockSignals(False)
    query = str(settings.value(QUERY, "") or "").strip()
    window.search.set_text(query)
    window.query = query
    try:
        paper = int(settings.value(PAPER, -1))
    except (TypeError, ValueError):
        paper = -1
    window.select_after_load = paper if paper >= 0 else None
