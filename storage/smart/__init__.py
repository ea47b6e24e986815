"""Smart lists: saved searches (a query and an optional scope) with live counts."""

from __future__ import annotations

from storage.smart.lists import (
    KEEP,
    SCOPE_KINDS,
    SmartList,
    SmartListCount,
    all_smart_lists,
    create,
    edit,
    find,
    follow_rename,
    parse_scope,
    put_back,
    records,
    remove,
    rename,
)

__all__ = [
    "KEEP",
    "SCOPE_KINDS",
    "SmartList",
    "SmartListCount",
    "all_smart_lists",
    "create",
    "edit",
    "find",
    "follow_rename",
    "parse_scope",
    "put_back",
    "records",
    "remove",
    "rename",
]
