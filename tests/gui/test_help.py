"""The Help menu: keyboard shortcuts read from the actions, the search syntax with runnable
examples (the README's table), and About with the version, the folder and the counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gui_support import choose_menu
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.cli.parser import app_version
from app.gui.help import SYNTAX
from app.gui.help.shortcuts import NATIVE, plain
from storage.library import Library

pytestmark = pytest.mark.gui

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_syntax() -> list[tuple[tuple[str, ...], str]]:
    """The rows of the README's "Search syntax" table: (examples, what they find)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Search syntax", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("query", "---"):
            continue
        rows.append((tuple(re.findall(r"`([^`]+)`", cells[0])), cells[1]))
    return rows


def test_the_help_menu_has_its_entries(window) -> None:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entries = [plain(a.text()) for a in help_menu.actions() if not a.isSeparator()]
    assert entries[:2] == ["Keyboard shortcuts", "Search syntax"]
    assert entries[-1] == "About Papershelf"


def test_keyboard_shortcuts_list_every_key_the_window_has(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.table, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = window.help.dialogs["shortcuts"]
    qtbot.waitUntil(dialog.isVisible)
    rows = dialog.rows()
    shown = {(command, keys) for _group, command, keys in rows}
    with_keys = [a for a in window.findChildren(QAction) if a.shortcuts()]
    assert len(with_keys) > 25
    for action in with_keys:
        keys = ",  ".join(s.toString(NATIVE) for s in action.shortcuts())
        assert (plain(action.text()), keys) in shown, action.text()
    assert ("Edit", "Search the whole library", "Ctrl+Shift+F") in rows
    assert ("Paper", "Mark as read", "Ctrl+3") in rows
    assert ("Search papers", "Clear search", "Esc") in rows
    assert ("Note editor", "Save the note and close the editor", "Ctrl+Return,  Ctrl+Enter") in rows
    assert ("Sidebar", "Rename the tag, or rename and describe the list", "F2") in rows

    qtbot.keyClicks(dialog.filter, "ctrl+3")
    assert dialog.rows() == [("Paper", "Mark as read", "Ctrl+3")]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_new_action_is_listed_without_touching_the_help(qtbot, window) -> None:
    """Generated from the actions: one added at run time shows up, so the list cannot drift."""
    extra = QAction("Do something new", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+N"))
    window.menuBar().actions()[-1].menu().addAction(extra)
    dialog = window.help.shortcuts()
    assert ("Help", "Do something new", "Ctrl+Alt+N") in dialog.rows()


def test_the_search_syntax_is_the_readmes_and_its_examples_run(
    qtbot, window, library: Library
) -> None:
    assert list(SYNTAX) == readme_syntax()
    library.update_paper(library.resolve("gen3"), year=2020)
    choose_menu(qtbot, window, "Help", window.actions["search_syntax"])
    dialog = window.help.dialogs["syntax"]
    qtbot.waitUntil(dialog.isVisible)
    every = [query for examples, _finds in SYNTAX for query in examples]
    assert sorted(dialog.examples) == sorted(every)
    qtbot.mouseClick(dialog.examples["year:2020"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.search_pending and window.model.rowCount() == 1)
    assert window.search.text() == "year:2020"
    assert window.model.ids == (library.resolve("gen3"),)
    assert dialog.isVisible()  # stays open to try another
    qtbot.mouseClick(dialog.examples['"dense passage retrieval"'], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.search_pending)
    assert window.search.text() == '"dense passage retrieval"'
    assert window.search.error_text == ""  # every example is a query that can be read


def test_every_syntax_example_is_a_query_the_library_reads(library: Library) -> None:
    for examples, _finds in SYNTAX:
        for query in examples:
            library.search(query, limit=1)  # raises QueryError for one that cannot be read


def test_about_shows_version_folder_and_counts(qtbot, window, library: Library) -> None:
    library.add_tags([library.resolve("gen1")], ["kept"])
    library.add_note(library.resolve("gen1"), "a note")
    choose_menu(qtbot, window, "Help", window.actions["about"])
    dialog = window.help.dialogs["about"]
    qtbot.waitUntil(dialog.isVisible)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.counts)))
    assert f"Papershelf {app_version()}" in texts
    assert dialog.folder_label.text() == str(library.folder)
    assert dialog.counts.text() == "12 papers · 1 tag · 1 note · 0 lists · 0 files"
