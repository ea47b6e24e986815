"""Help › Keyboard shortcuts: every key the window has, read from its actions (never a copy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class Shortcut:
    group: str  # the menu ("Paper") or the place ("Note editor") where the keys work
    text: str  # what they do
    keys: tuple[str, ...]  # as the platform writes them ("Ctrl+Shift+F")


def plain(text: str) -> str:
    """A menu text as read: no mnemonic markers or trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def key_texts(sequences: Iterable[QKeySequence]) -> tuple[str, ...]:
    return tuple(s.toString(NATIVE) for s in sequences if not s.isEmpty())


def _menu_actions(menu: QMenu, group: str) -> Iterable[tuple[str, QAction]]:
    for action in menu.actions():
        if action.menu() is not None:
            yield from _menu_actions(action.menu(), group)
        elif not action.isSeparator():
            yield group, action


def window_shortcuts(window: QMainWindow, extra: Iterable[Shortcut] = ()) -> list[Shortcut]:
    """The menu bar's actions that have keys, menu by menu; then every other action and
    QShortcut in the window with keys (e.g. Esc in the search field); then `extra`, keys that
    widgets handle themselves (they come from the same constants those widgets use)."""
    found: list[Shortcut] = []
    seen: set[int] = set()
    for top in window.menuBar().actions():
        if top.menu() is None:
            continue
        for group, action in _menu_actions(top.menu(), plain(top.text())):
            seen.add(id(action))
            keys = key_texts(action.shortcuts())
            if keys:
                found.append(Shortcut(group, plain(action.text()), keys))
    for action in window.findChildren(QAction):
        if id(action) in seen or not action.shortcuts():
            continue
        seen.add(id(action))
        owner = action.parent()
        where = owner.accessibleName() if isinstance(owner, QWidget) else ""
        found.append(
            Shortcut(where or "Window", plain(action.text()), key_texts(action.shortcuts()))
        )
    for shortcut in window.findChildren(QShortcut):
        keys = key_texts([shortcut.key()])
        owner = shortcut.parent()
        where = owner.accessibleName() if isinstance(owner, QWidget) else ""
        text = shortcut.whatsThis()
        if keys and text:
            found.append(Shortcut(where or "Window", text, keys))
    found.extend(extra)
    return found


class ShortcutsDialog(QDialog):
    """The shortcuts grouped by menu or place, with a filter field."""

    def __init__(self, shortcuts: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard_shortcuts")
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter, e.g. list or Ctrl+3")
        self.filter.setAccessibleName("Filter shortcuts")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Command", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for shortcut in shortcuts:
            group = groups.get(shortcut.group)
            if group is None:
                group = QTreeWidgetItem(self.tree, [shortcut.group])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setFirstColumnSpanned(True)
                groups[shortcut.group] = group
            QTreeWidgetItem(group, [shortcut.text, ",  ".join(shortcut.keys)])
        self.tree.expandAll()
        note = QLabel(
            "Keys marked in the menus work anywhere in the window; the paper table's "
            "own keys (Delete, Select all, moving in a list) work while it has focus."
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.resize(560, 640)

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, command, keys) of the rows shown."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                if not child.isHidden():
                    found.append((group.text(0), child.text(0), child.text(1)))
        return found

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                child = group.child(j)
                hit = not needle or any(needle in child.text(c).casefold() for c in (0, 1))
                child.setHidden(not hit)
                shown += hit
            group.setHidden(shown == 0)
