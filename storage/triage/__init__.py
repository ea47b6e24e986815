"""Triage: the Inbox of newly imported papers, keep and dismiss, and their undo."""

from __future__ import annotations

from storage.triage.inbox import (
    DISMISSED,
    Inbox,
    InboxBatch,
    InboxPaper,
    TriageChange,
    TriageState,
    add_to_inbox,
    dismiss,
    in_inbox,
    inbox_batches,
    inbox_count,
    inbox_ids,
    inbox_papers,
    keep,
    restore,
)

__all__ = [
    "DISMISSED",
    "Inbox",
    "InboxBatch",
    "InboxPaper",
    "TriageChange",
    "TriageState",
    "add_to_inbox",
    "dismiss",
    "in_inbox",
    "inbox_batches",
    "inbox_count",
    "inbox_ids",
    "inbox_papers",
    "keep",
    "restore",
]
