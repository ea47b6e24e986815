"""Helpers for the GUI tests: generated BibTeX files and a message-box spy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

TOPICS = ("attention", "graphs", "pruning", "diffusion")
KINDS = {
    QMessageBox.Icon.Question: "question",
    QMessageBox.Icon.Information: "information",
    QMessageBox.Icon.Warning: "warning",
    QMessageBox.Icon.Critical: "critical",
}
FAMILIES = ("Lovelace", "Noether", "Curie", "Hopper", "Turing", "Franklin")


def bibtex(count: int, start: int = 0, topics: tuple[str, ...] = TOPICS) -> str:
    """`count` distinct BibTeX entries; paper i is about topics[i % len(topics)]."""
    entries = []
    for i in range(start, start + count):
        topic = topics[i % len(topics)]
        family = FAMILIES[i % len(FAMILIES)]
        entries.append(
            f"@article{{gen{i},\n"
            f"  title = {{Study {i:05d} of {topic} in small models}},\n"
            f"  author = {{{family}, Ada and Sample, Sam}},\n"
            f"  journal = {{Journal of Generated Results}},\n"
            f"  year = {{{2000 + i % 25}}},\n"
            f"  abstract = {{We look at {topic} once more, in setting number {i}.}}\n"
            "}\n"
        )
    return "\n".join(entries)


def write_bibtex(path: Path, count: int, start: int = 0) -> Path:
    path.write_text(bibtex(count, start), encoding="utf-8")
    return path


@dataclass
class DialogSpy:
    """Records every message box instead of blocking on it; answers questions with `answer`."""

    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
    shown: list[tuple[str, str]] = field(default_factory=list)
    text_answer: str | None = None  # what input dialogs answer (None: they are cancelled)

    def static(self, kind: str):
        def fake(_parent, title, text, *args, **kwargs):
            self.shown.append((kind, f"{title}: {text}"))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return fake

    def exec(self, box: QMessageBox) -> int:
        """A message box built and exec'd (app.gui.plain): recorded like the static ones by
        its icon, questions answered with `answer`; a box without an icon as ("exec", text)."""
        kind = KINDS.get(box.icon())
        if kind is None:
            self.shown.append(("exec", box.text()))
            return 0
        self.shown.append((kind, f"{box.windowTitle()}: {box.text()}"))
        answer = self.answer if kind == "question" else QMessageBox.StandardButton.Ok
        return int(answer.value)

    def input(self, dialog: QInputDialog) -> int:
        """An input dialog exec'd (app.gui.plain.ask_text): recorded, answered with
        `text_answer` (accepted) or cancelled when that is None."""
        self.shown.append(("input", f"{dialog.windowTitle()}: {dialog.labelText()}"))
        if self.text_answer is None:
            return int(QDialog.DialogCode.Rejected.value)
        dialog.setTextValue(self.text_answer)
        return int(QDialog.DialogCode.Accepted.value)

    def titles(self, kind: str | None = None) -> list[str]:
        return [text for k, text in self.shown if kind is None or k == kind]


def click_sidebar(qtbot, sidebar, key: tuple[str, str | None]) -> None:
    """Click the sidebar entry for key as a user would (it must be shown)."""
    from PySide6.QtCore import Qt

    item = sidebar.item_for(key)
    assert item is not None, key
    sidebar.scrollToItem(item)
    rect = sidebar.visualItemRect(item)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_search(qtbot, window, text: str) -> None:
    """Select the search field's text with Ctrl+F, type text and press Enter, then wait for the
    search worker's result."""
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.search.field, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.field.hasFocus)
    qtbot.keyClick(window.search.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(window.search.field, text)
    else:
        qtbot.keyClick(window.search.field, Qt.Key.Key_Delete)
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)


def choose_menu(qtbot, window, menu: str, action) -> None:
    """Open a menu of the window's menu bar with a click and click one of its entries."""
    from PySide6.QtCore import Qt

    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == menu.replace("&", ""))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    popup = top.menu()
    qtbot.waitUntil(popup.isVisible)
    assert action in popup.actions() and action.isEnabled()
    qtbot.mouseClick(popup, Qt.MouseButton.LeftButton, pos=popup.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not popup.isVisible())
