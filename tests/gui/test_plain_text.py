"""Hostile titles, tags and list names stay text in every dialog, label, tooltip and menu."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from gui_support import click_row, click_sidebar, press, settle
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # QtGui's Qt namespace holds mightBeRichText
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.gui.exporter import ExportDialog
from app.gui.textbox import TextBox
from storage.library import Library

ICON = Path(__file__).resolve().parents[2] / "app" / "resources" / "icons" / "papershelf-64.png"
TAG = (
    f'<img src="{ICON.as_uri()}" width=300> <b>BOLD</b> '
    '<a href="https://evil.example">login here</a>'
)
TITLE = "<b>Bold title</b> & <i>more</i>"
LIST = "<b>List</b> R&D"
DESCRIPTION = "<b>described</b> <a href='https://evil.example'>here</a>"
FILE_STEM = "<b>evil<b> & <img src=x>"  # no slash: it is a file name

# The real dialogs: the `dialogs` fixture replaces these while a window is made.
REAL = {name: QMessageBox.__dict__[name] for name in ("question", "warning", "critical")}
REAL_BOX_EXEC = QMessageBox.exec
REAL_INPUT_EXEC = QInputDialog.exec
REAL_GET_TEXT = QInputDialog.__dict__["getText"]
REAL_GET_MULTILINE = QInputDialog.__dict__["getMultiLineText"]


def shown_text(label: QLabel | TextBox) -> str:
    """What a label shows a reader: rich text is rendered, plain text is as it is; a text box
    shows its document."""
    if isinstance(label, TextBox):
        return label.toPlainText()
    text, fmt = label.text(), label.textFormat()
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def shown_tooltip(text: str) -> str:
    """What a tooltip shows: Qt renders it as rich text when it might be (Qt.mightBeRichText)."""
    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def shown_menu_text(text: str) -> str:
    """A menu entry's text as shown: `&x` marks a mnemonic (x shown), `&&` is one `&`."""
    return re.sub(r"&(.)", r"\1", text)


class ModalWatcher:
    """Looks at every modal dialog the code under test opens, then closes it."""

    def __init__(self, answer: Callable[[QWidget], None]) -> None:
        self.answer = answer
        self.seen: list[tuple[str, list[str]]] = []  # (window title, what each label shows)
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._look)

    def _look(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            return
        labels = [shown_text(label) for label in widget.findChildren(QLabel) if label.text()]
        self.seen.append((widget.windowTitle(), labels))
        self.answer(widget)

    def run(self, action: Callable[[], object]) -> list[str]:
        """Run action (it opens one dialog or more); returns what the labels showed."""
        start = len(self.seen)
        self.timer.start()
        try:
            action()
        finally:
            self.timer.stop()
        shown = [text for _title, labels in self.seen[start:] for text in labels]
        assert shown, "no dialog was opened"
        return shown


def decline(widget: QWidget) -> None:
    if isinstance(widget, QMessageBox):
        button = widget.button(QMessageBox.StandardButton.No) or widget.button(
            QMessageBox.StandardButton.Ok
        )
        button.click()
    else:
        widget.reject()


@pytest.fixture
def real_dialogs(monkeypatch: pytest.MonkeyPatch, dialogs) -> ModalWatcher:
    for name, function in REAL.items():
        monkeypatch.setattr(QMessageBox, name, function)
    monkeypatch.setattr(QMessageBox, "exec", REAL_BOX_EXEC)
    monkeypatch.setattr(QInputDialog, "exec", REAL_INPUT_EXEC)
    monkeypatch.setattr(QInputDialog, "getText", REAL_GET_TEXT)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", REAL_GET_MULTILINE)
    return ModalWatcher(decline)


@pytest.fixture
def hostile(library: Library) -> Library:
    library.update_paper(1, title=TITLE)
    library.add_tags([1, 2], [TAG, "R&D"])
    library.create_list(LIST, DESCRIPTION)
    library.add_to_list(LIST, [1, 2])
    return library


@pytest.fixture
def win(make_window, hostile: Library):
    return make_window(hostile)


def contains_literally(shown: list[str], value: str) -> bool:
    return any(value in text for text in shown)


def test_delete_tag_question_shows_the_tag_as_text(qtbot, win, real_dialogs) -> None:
    click_sidebar(qtbot, win.sidebar, ("tag", TAG))
    shown = real_dialogs.run(lambda: qtbot.keyClick(win.sidebar, Qt.Key.Key_Delete))
    assert contains_literally(shown, TAG), shown


def test_rename_tag_dialog_shows_the_tag_as_text(qtbot, win, real_dialogs) -> None:
    click_sidebar(qtbot, win.sidebar, ("tag", TAG))
    shown = real_dialogs.run(lambda: qtbot.keyClick(win.sidebar, Qt.Key.Key_F2))
    assert contains_literally(shown, f"“{TAG}”"), shown


def test_list_questions_show_the_list_name_as_text(qtbot, win, real_dialogs) -> None:
    click_sidebar(qtbot, win.sidebar, ("list", LIST))
    qtbot.waitUntil(lambda: win.lists.shown_list() == LIST)
    shown = real_dialogs.run(lambda: qtbot.keyClick(win.sidebar, Qt.Key.Key_Delete))
    assert contains_literally(shown, LIST), shown
    click_row(qtbot, win, 1)
    shown = real_dialogs.run(lambda: press(qtbot, win, Qt.Key.Key_Delete))  # out of the list
    assert contains_literally(shown, LIST), shown
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    shown = real_dialogs.run(lambda: press(qtbot, win, Qt.Key.Key_M, ctrl_shift))  # list note
    assert contains_literally(shown, TITLE) and contains_literally(shown, LIST), shown


def test_delete_paper_question_shows_the_title_as_text(qtbot, win, real_dialogs) -> None:
    click_row(qtbot, win, 1)
    shown = real_dialogs.run(lambda: press(qtbot, win, Qt.Key.Key_Delete))
    assert contains_literally(shown, f"“{TITLE}”"), shown


def test_error_messages_show_user_text_as_text(qtbot, win, real_dialogs, tmp_path) -> None:
    """A real export that fails (its folder's path runs through a file) and a real list edit
    refused (another window deleted the list meanwhile): both messages name them as text."""
    (tmp_path / "<b>List<").write_text("a file, not a folder", encoding="utf-8")
    target = tmp_path / LIST / "out.md"  # …/<b>List</b> R&D/out.md: under that file
    typed: list[QWidget] = []

    def answer(widget: QWidget) -> None:
        if isinstance(widget, ExportDialog):
            if widget not in typed:
                typed.append(widget)
                widget.path.selectAll()
                qtbot.keyClicks(widget.path, str(target))
                qtbot.keyClick(widget.path, Qt.Key.Key_Return)  # the Export button's default
        else:
            decline(widget)

    def export() -> None:
        with qtbot.waitSignal(win.exporter.finished, timeout=10_000):
            press(qtbot, win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)

    shown = ModalWatcher(answer).run(export)
    assert typed and contains_literally(shown, str(target)), shown

    win.live.timer.stop()  # the other window's change is not seen before the user acts
    with Library(win.library.folder) as other:
        other.delete_list(LIST)
    click_row(qtbot, win, 1)

    def add_to_list() -> None:
        press(qtbot, win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Add to list…
        menu = win.add_to_list_menu
        qtbot.waitUntil(menu.isVisible)
        assert shown_menu_text(menu.activeAction().text()) == LIST
        qtbot.keyClick(menu, Qt.Key.Key_Return)
        settle(qtbot, win)  # refused on the write lane: its message opens while we watch

    shown = real_dialogs.run(add_to_list)
    assert contains_literally(shown, LIST), shown


def test_tooltips_show_user_text_literally(qtbot, win) -> None:
    list_item = win.sidebar.item_for(("list", LIST))
    assert DESCRIPTION in shown_tooltip(list_item.toolTip(0))
    model = win.model
    row = model.row_of(1)
    tips = [model.index(row, col).data(Qt.ItemDataRole.ToolTipRole) for col in range(3)]
    tips += [model.index(row, col).data(Qt.ItemDataRole.ToolTipRole) for col in range(3, 9)]
    shown = [shown_tooltip(tip) for tip in tips if isinstance(tip, str)]
    assert contains_literally(shown, TITLE), shown
    assert contains_literally(shown, TAG), shown
    win.detail.show_paper(1)
    chips = {chip.tag: chip for chip in win.detail.tags.chips}
    assert TAG in shown_tooltip(chips[TAG].toolTip())
    assert shown_menu_text(chips["R&D"].text()).startswith("R&D")


def test_menus_show_names_with_their_ampersands(qtbot, win) -> None:
    menu = win.sidebar.context_menu_for(win.sidebar.item_for(("list", LIST)))
    assert [shown_menu_text(a.text()) for a in menu.actions()][:3] == [
        f"Rename or describe “{LIST}”…",
        f"Export “{LIST}”…",
        f"Delete “{LIST}”…",
    ]
    menu = win.sidebar.context_menu_for(win.sidebar.item_for(("tag", "R&D")))
    assert [shown_menu_text(a.text()) for a in menu.actions()] == [
        "Rename “R&D”…",
        "Delete “R&D”…",
    ]
    click_sidebar(qtbot, win.sidebar, ("tag", "R&D"))
    qtbot.keyClick(win.sidebar, Qt.Key.Key_Delete)  # the dialogs fixture answers Yes
    assert shown_menu_text(win.actions["undo"].text()) == "Undo Delete tag “R&D”"


def test_detail_pane_labels_are_plain(win) -> None:
    win.detail.show_paper(1)
    assert shown_text(win.detail.title) == TITLE
    win.detail.tags.error.setText(f"Tags not changed: {TAG}")
    assert shown_text(win.detail.tags.error) == f"Tags not changed: {TAG}"


def test_progress_dialogs_show_file_names_as_text(win, tmp_path: Path) -> None:
    from app.gui.plain import plain_progress

    dialog = plain_progress(f"Reading {LIST}.bib…", "Cancel", win)
    assert isinstance(dialog, QProgressDialog)
    [label] = dialog.findChildren(QLabel)
    assert shown_text(label) == f"Reading {LIST}.bib…"
    dialog.setLabelText(f"Reading {TAG}")  # later status lines stay plain too
    assert shown_text(label) == f"Reading {TAG}"
    dialog.deleteLater()


def test_import_summary_shows_file_names_as_text(qtbot, win, tmp_path: Path) -> None:
    """A file with a hostile name dropped on the window: its summary names it as text."""
    source = tmp_path / f"{FILE_STEM}.bib"
    source.write_text(
        "@article{good, title = {Fine paper}, year = {2020}}\n"
        "@article{bad,\n  title = {never closed,\n  year = {2021}\n",
        encoding="utf-8",
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    drop = QDropEvent(
        QPointF(win.area.geometry().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(win.importer.finished, timeout=60_000) as done:
        win.dropEvent(drop)
    assert done.args[0].reports[0].warnings, "the broken entry should be skipped with a reason"
    box = win.importer.summary
    assert box is not None
    shown = [shown_text(label) for label in box.findChildren(QLabel) if label.text()]
    assert contains_literally(shown, f"{FILE_STEM}.bib: 1 new"), shown
    skipped = next(text for text in shown if text.startswith("Skipped:"))
    assert f"{FILE_STEM}.bib" in skipped, shown

def test_every_label_in_the_window_shows_user_text_literally(qtbot, win, hostile) -> None:
    """A walk over every QLabel and text box once the hostile paper, list and tags are on show."""
    hostile.add_note(1, "plain note", quote=TITLE)
    win.sidebar.select(("list", LIST))
    qtbot.waitUntil(lambda: win.lists.shown_list() == LIST)
    win.table.select_ids([1], 1)
    win.detail.show_paper(1)
    win.detail.show_snippet(f"a match in {TITLE}")  # as search highlights arrive
    qtbot.wait(10)
    checked = 0
    for label in [*win.findChildren(QLabel), *win.findChildren(TextBox)]:
        raw = label.text()
        for value in (TITLE, TAG, LIST, DESCRIPTION):
            if value in raw:
                checked += 1
                assert value in shown_text(label), (label.objectName(), raw)
    assert checked >= 1  # the title at least
    assert TITLE not in win.detail.snippet.text()  # the snippet is sanitised, not raw
    assert win.windowTitle() and "<" not in win.windowTitle().replace(str(hostile.folder), "")
