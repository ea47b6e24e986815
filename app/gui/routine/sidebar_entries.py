"""The sidebar's daily-routine entries.

The Inbox (count, "12 new"), Dismissed, smart lists with counts computed elsewhere, and
"Suggested for …" under the current tag or reading list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem

from app.gui.plain import mnemonic_safe, tooltip
from app.gui.sidebar_keys import (
    DISMISSED,
    INBOX,
    KEY_ROLE,
    NEW_SMART_ROLE,
    SUGGEST_FOR,
    Key,
    suggestion_target,
)
from storage.library import Library
from storage.triage import InboxBatch
from storage.views import ListSummary

SMART_HINT = "A saved search: its count is live. Right-click (or F2 / Delete) to edit or delete"


@dataclass(frozen=True)
class SidebarCounts:
    """What the sidebar shows, read off the GUI thread: counts per status, the reading lists,
    (tag, count), and the Inbox's papers waiting, imports and smart lists."""

    statuses: dict[str, int]
    lists: list[ListSummary]
    tags: list[tuple[str, int]]
    waiting: int
    batches: list[InboxBatch]
    batches_for: tuple[int, int]
    smart: list[str]


def batch_source(batch: InboxBatch) -> str:
    """'daily.txt, Mar 20 09:14': the import a batch of papers came from, and when."""
    source = Path(batch.source).name if batch.source else "an import"
    if batch.started_at is None:
        return source
    started = batch.started_at
    started = started if started.tzinfo else started.replace(tzinfo=UTC)
    return f"{source}, {started.astimezone().strftime('%b %d %H:%M')}"


def batch_line(batch: InboxBatch) -> str:
    """'12 from daily.txt, Mar 20 09:14' for the Inbox's tooltip."""
    return f"{batch.waiting:,} from {batch_source(batch)}"


def new_papers(batches: list[InboxBatch], seen: int) -> int:
    """How many papers of the newest import wait, when that import came after `seen`."""
    newest = batches[0] if batches else None
    return newest.waiting if newest and newest.id is not None and newest.id > seen else 0


class RoutineEntries(QTreeWidget):
    """Sidebar's part for the routine; Sidebar builds on it (its _entry, _section, _set_count,
    _keyed and library are Sidebar's)."""

    newSmartRequested = Signal()
    smartEditRequested = Signal(str)
    smartRenameRequested = Signal(str)
    smartExportRequested = Signal(str)
    smartDeleteRequested = Signal(str)

    _entry: Callable[[QTreeWidgetItem, str, Key], QTreeWidgetItem]
    _section: Callable[[str], QTreeWidgetItem]
    _set_count: Callable[[QTreeWidgetItem, int], None]
    _keyed: Callable[[QTreeWidgetItem], list[QTreeWidgetItem]]
    _library_section: QTreeWidgetItem
    library: Library

    def _build_routine(self) -> None:
        """The Inbox first in Library, Dismissed last, and the Smart lists section (call
        between the Reading lists and Tags sections)."""
        self.seen_batch = 0  # the newest import the user has looked at in the Inbox
        self.new_in_inbox = 0
        self._smart_counts: dict[str, int] = {}
        self._suggestion: QTreeWidgetItem | None = None
        self._batches: list[InboxBatch] = []
        self._batches_for: tuple[int, int] | None = None
        self._inbox = self._entry(self._library_section, "Inbox", INBOX)
        self._library_section.insertChild(
            0, self._library_section.takeChild(self._library_section.indexOfChild(self._inbox))
        )
        self._inbox.setToolTip(0, "Papers your imports brought in, waiting to be kept or dismissed")
        self._dismissed = self._entry(self._library_section, "Dismissed", DISMISSED)
        self._dismissed.setToolTip(0, "Papers dismissed in the Inbox (search: status:dismissed)")
        self._smart_section = self._section("Smart lists")

    # --- counts --------------------------------------------------------------------------

    def _read_routine(
        self, statuses: dict[str, int]
    ) -> tuple[int, list[InboxBatch], tuple[int, int], list[str]]:
        """(papers waiting in the Inbox, its imports, what they were read for, the smart
        lists' names), read on any thread; the imports only when the Inbox changed size."""
        library = self.library
        waiting = library.inbox_count()
        key = (waiting, sum(statuses.values()))  # imports, keeps and dismisses change it
        batches = self._batches
        if key != self._batches_for:  # the grouping costs ~60 ms with 100k papers waiting
            batches = library.inbox_batches() if waiting else []
        return waiting, batches, key, [saved.name for saved in library.smart_lists()]

    def _show_routine(self, counts: SidebarCounts) -> None:
        self._batches, self._batches_for = counts.batches, counts.batches_for
        batches, waiting = counts.batches, counts.waiting
        self.new_in_inbox = new_papers(batches, self.seen_batch)
        new = self.new_in_inbox
        self._inbox.setText(0, f"Inbox · {short_count(new)} new" if new else "Inbox")
        font = QFont(self.font())
        font.setBold(bool(new))
        self._inbox.setFont(0, font)
        lines = [batch_line(b) for b in batches[:8]]
        about = "Papers your imports brought in, waiting to be kept or dismissed"
        about += f" ({new:,} new since you last looked)" if new else ""
        self._inbox.setToolTip(0, tooltip("\n".join([about, *lines])))
        self._set_count(self._inbox, waiting)
        self._set_count(self._dismissed, counts.statuses.get("dismissed", 0))
        self._fill_smart(counts.smart)

    def mark_inbox_seen(self) -> None:
        """The user opened the Inbox: its papers are no longer "new"."""
        ids = [b.id for b in self._batches if b.id is not None]
        if ids and max(ids) > self.seen_batch:
            self.seen_batch = max(ids)
            self.new_in_inbox = 0
            self._inbox.setText(0, "Inbox")
            self._inbox.setFont(0, self.font())

    # --- smart lists ---------------------------------------------------------------------

    def _fill_smart(self, names: list[str]) -> None:
        section = self._smart_section
        if [item.text(0) for item in self._keyed(section)] != names or not section.childCount():
            section.takeChildren()
            for name in names:
                item = self._entry(section, name, ("smart", name))
                item.setToolTip(0, SMART_HINT)
            hint = QTreeWidgetItem(section, ["Save current search…", ""])
            hint.setData(0, NEW_SMART_ROLE, True)
            hint.setForeground(0, self.palette().brush(QPalette.ColorRole.PlaceholderText))
            hint.setToolTip(0, "Save the search in the search field as a smart list")
            hint.setData(0, Qt.ItemDataRole.AccessibleTextRole, "Save current search")
        for item in self._keyed(section):
            count = self._smart_counts.get(item.text(0))
            if count is None:
                item.setText(1, "…")
                item.setData(1, Qt.ItemDataRole.AccessibleTextRole, "counting")
            else:
                self._set_count(item, count)
        section.setExpanded(True)

    def set_smart_counts(self, counts: dict[str, int]) -> None:
        """Counts computed off the GUI thread: shown beside each smart list."""
        self._smart_counts = dict(counts)
        for item in self._keyed(self._smart_section):
            if item.text(0) in counts:
                self._set_count(item, counts[item.text(0)])

    def smart_names(self) -> list[str]:
        return [item.text(0) for item in self._keyed(self._smart_section)]

    # --- "Suggested for …" under the current tag or list -----------------------------------

    def _place_suggestion(self, current: QTreeWidgetItem | None) -> None:
        """Show "Suggested for …" under current when it is a tag or reading list (kept while
        the suggestion itself is current), else nowhere."""
        if self._suggestion is not None and not shiboken6.isValid(self._suggestion):
            self._suggestion = None  # went with its tag or list when that section was rebuilt
        key = tuple(current.data(0, KEY_ROLE) or ()) if current is not None else ()
        if current is not None and current is self._suggestion:
            return
        owner = key[0] if key else None
        wanted = SUGGEST_FOR.get(str(owner)) if owner else None
        old = self._suggestion
        if old is not None and wanted and old.parent() is current:
            return
        self._drop_suggestion()
        if wanted and current is not None and key[1]:
            self._suggestion = self.suggestion_item(current, (wanted, key[1]))

    def suggestion_item(self, owner: QTreeWidgetItem, key: Key) -> QTreeWidgetItem:
        item = QTreeWidgetItem(owner, [f"Suggested for {key[1]}", ""])
        item.setData(0, KEY_ROLE, key)
        font = QFont(self.font())
        font.setItalic(True)
        item.setFont(0, font)
        item.setForeground(1, self.palette().brush(QPalette.ColorRole.PlaceholderText))
        item.setToolTip(
            0,
            tooltip(
                f"Papers most like those in “{key[1]}”, with the words that say why; "
                "A accepts one, R rejects it for good"
            ),
        )
        owner.setExpanded(True)
        return item

    def _drop_suggestion(self) -> None:
        old, self._suggestion = self._suggestion, None
        if old is not None and shiboken6.isValid(old) and old.parent() is not None:
            old.parent().removeChild(old)

    def set_suggestion_count(self, key: Key, count: int | None) -> None:
        item = self._suggestion
        if (
            item is not None
            and shiboken6.isValid(item)
            and tuple(item.data(0, KEY_ROLE)) == tuple(key)
        ):
            if count is None:
                item.setText(1, "")
            else:
                self._set_count(item, count)

    def _suggestion_for(self, key: Key, owner: QTreeWidgetItem | None) -> QTreeWidgetItem | None:
        """The "Suggested for …" item of key, made under owner (its tag or list) if need be."""
        if owner is None or suggestion_target(key) is None:
            return None
        item = self._suggestion
        if item is not None and not shiboken6.isValid(item):
            item = self._suggestion = None
        if item is not None and item.parent() is owner and tuple(item.data(0, KEY_ROLE)) == key:
            return item
        self._drop_suggestion()
        self._suggestion = self.suggestion_item(owner, key)
        return self._suggestion

    # --- menus ---------------------------------------------------------------------------

    def smart_menu(self, name: str) -> QMenu:
        shown = mnemonic_safe(name)
        menu = QMenu(self)
        menu.addAction(f"Edit “{shown}”…", lambda: self.smartEditRequested.emit(name))
        menu.addAction(f"Rename “{shown}”…", lambda: self.smartRenameRequested.emit(name))
        menu.addAction(f"Export “{shown}”…", lambda: self.smartExportRequested.emit(name))
        menu.addAction(f"Delete “{shown}”", lambda: self.smartDeleteRequested.emit(name))
        menu.addSeparator()
        menu.addAction("Save current search…", self.newSmartRequested.emit)
        return menu

    def routine_key_items(self) -> list[QTreeWidgetItem]:
        """The routine's entries that carry keys (for Sidebar.item_for)."""
        items = [self._inbox, self._dismissed, *self._keyed(self._smart_section)]
        if self._suggestion is not None and shiboken6.isValid(self._suggestion):
            items.append(self._suggestion)
        return items


def short_count(number: int) -> str:
    """A count that fits beside a sidebar label: 950, 9.9k, 12k, 1.2M."""
    if number < 1_000:
        return str(number)
    size, unit = (1_000_000, "M") if number >= 999_500 else (1_000, "k")
    value = number / size
    return f"{value:.1f}".removesuffix(".0") + unit if value < 9.95 else f"{value:.0f}{unit}"
