"""What a sidebar entry stands for (its key) and the item data roles the sidebar keeps."""

from __future__ import annotations

from PySide6.QtCore import Qt

# ("all", None) | ("inbox", None) | ("status", s) | ("list", name) | ("tag", name)
# | ("smart", name) | ("suggest-tag", name) | ("suggest-list", name)
Key = tuple[str, str | None]
ALL: Key = ("all", None)
INBOX: Key = ("inbox", None)
DISMISSED: Key = ("status", "dismissed")
SUGGEST_FOR = {"tag": "suggest-tag", "list": "suggest-list"}  # owner kind -> suggestion kind
OWNER_OF = {kind: owner for owner, kind in SUGGEST_FOR.items()}
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
NEW_LIST_ROLE = Qt.ItemDataRole.UserRole + 3
NEW_SMART_ROLE = Qt.ItemDataRole.UserRole + 4


def suggestion_target(key: Key) -> tuple[str, str] | None:
    """("tag", name) or ("list", name) for a "Suggested for …" entry's key, else None."""
    kind, value = key
    owner = OWNER_OF.get(kind)
    return (owner, value) if owner and value else None
