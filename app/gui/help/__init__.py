"""The Help menu: keyboard shortcuts, search syntax with runnable examples, About."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow

from app.gui.help.about import AboutDialog
from app.gui.help.shortcuts import NATIVE, Shortcut, ShortcutsDialog, window_shortcuts
from app.gui.help.syntax import SYNTAX, SearchSyntaxDialog
from app.gui.list_note import SAVE_KEYS as LIST_NOTE_KEYS
from app.gui.notes_editor import DONE_KEYS
from app.gui.sidebar import DELETE_KEYS, RENAME_KEYS

if TYPE_CHECKING:
    from app.gui.searchbar import SearchBar
    from storage.library import Library

__all__ = ["SYNTAX", "HelpController", "widget_keys"]


def widget_keys() -> list[Shortcut]:
    """Keys that widgets handle themselves, from the constants they use."""

    def texts(keys: tuple[object, ...]) -> tuple[str, ...]:
        return tuple(QKeySequence(k).toString(NATIVE) for k in keys)

    return [
        Shortcut("Sidebar", "Rename the tag, or rename and describe the list", texts(RENAME_KEYS)),
        Shortcut("Sidebar", "Delete the tag or the list", texts(DELETE_KEYS)),
        Shortcut("Note editor", "Save the note and close the editor", texts(DONE_KEYS)),
        Shortcut("List note", "Save the paper's note in the list", texts(LIST_NOTE_KEYS)),
    ]


class HelpController(QObject):
    """Opens the help windows (not modal: they stay open beside the window, one of each):
    the window's keys, its search field's syntax (examples run in `search`), the library."""

    def __init__(self, window: QMainWindow, search: SearchBar, library: Library) -> None:
        super().__init__(window)
        self.window, self.search, self.library = window, search, library
        self.dialogs: dict[str, QDialog] = {}

    def _show(self, name: str, dialog: QDialog) -> QDialog:
        old = self.dialogs.pop(name, None)
        if old is not None:
            old.close()
            old.deleteLater()
        self.dialogs[name] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def shortcuts(self) -> QDialog:
        """Every shortcut the window has now, read from its actions."""
        found = window_shortcuts(self.window, widget_keys())
        return self._show("shortcuts", ShortcutsDialog(found, self.window))

    def search_syntax(self) -> QDialog:
        dialog = self.dialogs.get("syntax")
        if isinstance(dialog, SearchSyntaxDialog):
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        syntax = SearchSyntaxDialog(self.window)
        syntax.exampleChosen.connect(self.run_example)
        return self._show("syntax", syntax)

    def run_example(self, query: str) -> None:
        """Put an example in the search field and search (in the sidebar's scope, as typed)."""
        search = self.search
        search.field.setText(query)
        search.flush()

    def about(self) -> QDialog:
        library = self.library
        return self._show("about", AboutDialog(library.folder, library.stats(), self.window))
