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

    qtbot.waitUntil(lambda: sidebar.item_for(key) is not None, timeout=5000)  # counts are
    item = sidebar.item_for(key)  # read on a worker after an edit: an entry may come later
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


def on_modal(kind, handle, timeout_ms: int = 10_000) -> list:
    """Call handle(dialog) once a modal dialog of type `kind` shows (code under test calls
    exec(), which waits): start this, then press the key or click that opens the dialog. The
    list returned holds the dialogs handled."""
    from PySide6.QtCore import QDeadlineTimer, QTimer
    from PySide6.QtWidgets import QApplication

    handled: list = []
    deadline = QDeadlineTimer(timeout_ms)

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            if not widget.isActiveWindow() and not deadline.hasExpired():
                widget.activateWindow()  # as the window manager does: its keys work then
                QTimer.singleShot(10, look)
                return
            handled.append(widget)
            handle(widget)
        elif not deadline.hasExpired():
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)
    return handled


def click_row(qtbot, window, pid: int, modifier=None) -> None:
    """Click the row of paper pid (with a modifier such as Ctrl or Shift to extend)."""
    from PySide6.QtCore import Qt

    row = window.model.row_of(pid)
    assert row is not None, pid
    index = window.model.index(row, 0)
    window.table.scrollTo(index)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(
        window.table.viewport(),
        Qt.MouseButton.LeftButton,
        modifier or Qt.KeyboardModifier.NoModifier,
        rect.center(),
    )


def settle(qtbot, window, timeout: int = 10_000) -> None:
    """Wait until the window shows every change made (edits run and their views re-read off
    the GUI thread, so rows move a moment after a key press)."""
    qtbot.waitUntil(lambda: window.settled, timeout=timeout)


def turning(qtbot, ticks: list[int]) -> None:
    """The event loop still runs: the `ticks` fixture's timer ticks a few more times (no
    clock read)."""
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= before + 5, timeout=10_000)


def focus_table(qtbot, window) -> None:
    """Activate the window and give the paper table the keyboard focus."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)


def press(qtbot, window, key, modifiers=None, widget=None) -> None:
    """A key press on the paper table (or widget), with the window active as a user's is."""
    from PySide6.QtCore import Qt

    target = widget if widget is not None else window.table
    if widget is None:
        focus_table(qtbot, window)
    else:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        target.setFocus()
    qtbot.keyClick(target, key, modifiers or Qt.KeyboardModifier.NoModifier)
    settle(qtbot, window)


def tag_with_dialog(qtbot, window, add: str = "", untick: tuple[str, ...] = ()) -> None:
    """Ctrl+T on the paper table; in the tag dialog, untick tags (a click on each, then Space)
    and type new ones, then Enter."""
    from PySide6.QtCore import Qt

    from app.gui.tagging import TagDialog

    def handle(dialog: TagDialog) -> None:
        for name in untick:
            rows = range(dialog.current.count())
            item = next(
                dialog.current.item(i)
                for i in rows
                if dialog.current.item(i).data(Qt.ItemDataRole.UserRole) == name
            )
            where = dialog.current.visualItemRect(item).center()
            qtbot.mouseClick(dialog.current.viewport(), Qt.MouseButton.LeftButton, pos=where)
            qtbot.keyClick(dialog.current, Qt.Key.Key_Space)
        if add:
            qtbot.keyClicks(dialog.field, add)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    handled = on_modal(TagDialog, handle)
    press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert handled, "no tag dialog"


def undo(qtbot, window, times: int = 1) -> None:
    from PySide6.QtCore import Qt

    for _ in range(times):
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, window) -> None:
    from PySide6.QtCore import Qt

    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_Z, mods)


def click_link(qtbot, view, href: str) -> None:
    """Click the link to href in a text browser (a TextBox, a rendered note) where it is drawn."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    document = view.document()
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isAnchor() and fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                where = view.cursorRect(cursor).center()
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href} is shown")


def on_popup(handle, timeout_ms: int = 5000) -> list:
    """Call handle(menu) once a popup menu shows (code under test calls QMenu.exec(), which
    waits); returns the list of menus handled."""
    from PySide6.QtCore import QDeadlineTimer, QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    handled: list = []
    deadline = QDeadlineTimer(timeout_ms)

    def look() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu) and popup.isVisible():
            handled.append(popup)
            handle(popup)
        elif not deadline.hasExpired():
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)
    return handled
