"""Every menu entry and keyboard shortcut of the main window, declared in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class ActionSpec:
    """One command: where it sits in the menus, its keys, and the window method it calls."""

    name: str
    menu: str
    text: str
    keys: tuple[Key, ...]
    handler: str
    args: tuple[object, ...] = ()
    table_only: bool = False  # the shortcut works only while the paper table has focus
    separator_before: bool = False


SK = QKeySequence.StandardKey
MENUS = ("&File", "&Edit", "&Paper", "&View", "&Help")

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("import", "&File", "&Import…", ("Ctrl+I",), "import_files"),
    ActionSpec("export", "&File", "&Export…", ("Ctrl+E",), "export_papers"),
    ActionSpec(
        "new_list",
        "&File",
        "New reading &list…",
        ("Ctrl+Shift+L",),
        "new_list",
        separator_before=True,
    ),
    ActionSpec("quit", "&File", "&Quit", ("Ctrl+Q",), "close", separator_before=True),
    ActionSpec("undo", "&Edit", "&Undo", (SK.Undo,), "undo"),
    ActionSpec("redo", "&Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo"),
    ActionSpec(
        "paste",
        "&Edit",
        "&Paste papers",
        (SK.Paste,),
        "routine.paste",
        separator_before=True,
    ),
    ActionSpec("find", "&Edit", "&Find…", (SK.Find,), "focus_search", separator_before=True),
    ActionSpec(
        "search_all",
        "&Edit",
        "Search the &whole library",
        ("Ctrl+Shift+F",),
        "search_whole_library",
    ),
    ActionSpec(
        "save_search",
        "&Edit",
        "Save search as smart &list…",
        ("Ctrl+Shift+S",),
        "routine.save_search",
    ),
    ActionSpec(
        "select_all", "&Edit", "Select &all papers", (SK.SelectAll,), "select_all", table_only=True
    ),
    ActionSpec("tag", "&Paper", "&Tag selection…", ("Ctrl+T",), "tag_selection"),
    ActionSpec("add_to_list", "&Paper", "Add to &list…", ("Ctrl+L",), "choose_list"),
    ActionSpec(
        "unread",
        "&Paper",
        "Mark as &unread",
        ("Ctrl+1",),
        "set_status",
        ("unread",),
        separator_before=True,
    ),
    ActionSpec("reading", "&Paper", "Mark as r&eading", ("Ctrl+2",), "set_status", ("reading",)),
    ActionSpec("read", "&Paper", "Mark as &read", ("Ctrl+3",), "set_status", ("read",)),
    *(
        ActionSpec(
            f"rate{n}",
            "&Paper",
            "No rating" if n == 0 else f"Rate {'★' * n}",
            (f"Alt+{n}",),
            "set_rating",
            (n,),
            separator_before=n == 0,
        )
        for n in range(6)
    ),
    ActionSpec(
        "move_up",
        "&Paper",
        "Move &up in list",
        ("Ctrl+Shift+Up",),
        "move_in_list",
        (-1,),
        table_only=True,
        separator_before=True,
    ),
    ActionSpec(
        "move_down",
        "&Paper",
        "Move do&wn in list",
        ("Ctrl+Shift+Down",),
        "move_in_list",
        (1,),
        table_only=True,
    ),
    ActionSpec("entry_note", "&Paper", "Edit list &note…", ("Ctrl+Shift+M",), "edit_entry_note"),
    ActionSpec("remove_from_list", "&Paper", "Re&move from list…", (), "remove_from_list"),
    ActionSpec(
        "delete",
        "&Paper",
        "&Delete…",
        (SK.Delete,),
        "delete_or_remove",
        table_only=True,
        separator_before=True,
    ),
    ActionSpec("inbox", "&View", "Go to the &Inbox", ("Ctrl+Shift+I",), "routine.go_to_inbox"),
    ActionSpec("refit", "&View", "&Refit suggestions", ("F5",), "routine.refit"),
    ActionSpec("show_sidebar", "&View", "Focus the &sidebar", ("Ctrl+Shift+B",), "focus_sidebar"),
    ActionSpec("show_table", "&View", "Focus the paper &table", ("Ctrl+Shift+T",), "focus_table"),
    ActionSpec("shortcuts", "&Help", "&Keyboard shortcuts", ("Ctrl+/",), "help.shortcuts"),
    ActionSpec(
        "search_syntax", "&Help", "&Search syntax", (SK.HelpContents,), "help.search_syntax"
    ),
    ActionSpec(
        "sample", "&Help", "Try a sa&mple library…", (), "sample.offer", separator_before=True
    ),
    ActionSpec("about", "&Help", "&About Papershelf", (), "help.about", separator_before=True),
)

# Actions that change the library; they pause while an import holds the write lane.
EDITING = (
    "tag",
    "add_to_list",
    "unread",
    "reading",
    "read",
    *(f"rate{n}" for n in range(6)),
    "delete",
    "undo",
    "redo",
    "move_up",
    "move_down",
    "entry_note",
    "remove_from_list",
)
LIST_ONLY = ("move_up", "move_down", "entry_note", "remove_from_list")  # a reading list is shown


def key_sequences(keys: tuple[Key, ...]) -> list[QKeySequence]:
    """Resolve standard keys for this platform; a plain string is used as written."""
    found: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, str):
            found.append(QKeySequence(key))
        else:
            found.extend(QKeySequence.keyBindings(key))
    return [seq for seq in found if not seq.isEmpty()]


def build_actions(
    owner: QObject,
    menubar: QMenuBar,
    table: QWidget,
    resolve: Callable[[str], Callable[..., object]],
) -> dict[str, QAction]:
    """Create every action, put it in its menu, and connect it to resolve(handler)(*args)."""
    menus = {title: menubar.addMenu(title) for title in MENUS}
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, owner)
        action.setObjectName(f"action_{spec.name}")
        action.setShortcuts(key_sequences(spec.keys))
        if spec.table_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            table.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        handler = resolve(spec.handler)
        action.triggered.connect(lambda _checked=False, h=handler, a=spec.args: h(*a))
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(action)
        actions[spec.name] = action
    return actions
