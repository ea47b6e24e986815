"""Smart lists in the window: save the search (with its scope), live counts counted off the GUI
thread, rename, edit, delete and their undo, a bad query said in the dialog, export."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from gui_support import click_sidebar, settle, type_search
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.gui.exporter import ExportDialog
from app.gui.routine.smart_dialog import SmartListDialog
from storage.library import Library

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def in_dialog(qtbot, fill) -> None:
    """Run fill(dialog) on the smart list dialog once it is up (it is modal)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SmartListDialog)
        fill(dialog)

    QTimer.singleShot(0, act)


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def save(qtbot, window, name: str) -> None:
    """Ctrl+Shift+S, type the name, press Enter."""

    def fill(dialog: SmartListDialog) -> None:
        type_into(qtbot, dialog.name, name)
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    in_dialog(qtbot, fill)
    qtbot.keyClick(window.search.field, Qt.Key.Key_S, CTRL_SHIFT)


def test_save_the_search_as_a_smart_list_with_a_live_count(
    qtbot, make_window, library: Library, monkeypatch
) -> None:
    threads: list[str] = []
    real = library.smart_count

    def recorded(name):
        threads.append(threading.current_thread().name)
        return real(name)

    monkeypatch.setattr(library, "smart_count", recorded)
    window = make_window(library)
    type_search(qtbot, window, "pruning")
    assert window.routine._save_action.isVisible()  # the star in the search field
    save(qtbot, window, "Pruning")
    key = ("smart", "Pruning")
    qtbot.waitUntil(lambda: window.sidebar.current_key() == key)
    assert library.smart_list("Pruning").query == "pruning"
    assert window.search.text() == ""  # the list shows the papers now, not the field
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    qtbot.waitUntil(lambda: window.sidebar.count_of(key) == 3, timeout=5000)
    assert threads and threading.main_thread().name not in threads
    assert window.routine.banner.title.text() == "Smart list “Pruning”"
    # the count follows edits: a fourth paper about pruning
    library.update_paper(1, abstract="We look at pruning once more.")
    window.apply_change(window.library.add_tags([1], ["x"]))
    qtbot.waitUntil(lambda: window.sidebar.count_of(key) == 4, timeout=5000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)


def test_a_search_in_a_tag_is_saved_with_that_scope(qtbot, make_window, library) -> None:
    library.add_tags([1, 3, 4], ["mine"])  # 3 is about pruning
    window = make_window(library)
    click_sidebar(qtbot, window.sidebar, ("tag", "mine"))
    type_search(qtbot, window, "pruning OR attention")
    save(qtbot, window, "Mine")
    qtbot.waitUntil(lambda: window.sidebar.current_key() == ("smart", "Mine"))
    assert library.smart_list("Mine").scope == "tag:mine"
    qtbot.waitUntil(lambda: sorted(window.model.ids) == [1, 3])


def test_a_query_that_cannot_be_read_is_said_in_the_dialog(qtbot, make_window, library) -> None:
    window = make_window(library)
    seen: list[str] = []

    def fill(dialog: SmartListDialog) -> None:
        type_into(qtbot, dialog.name, "Broken")
        type_into(qtbot, dialog.query, "year:abc")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        seen.append(dialog.problem.text())
        assert dialog.isVisible()  # not closed
        type_into(qtbot, dialog.name, "")
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.reject()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    in_dialog(qtbot, fill)
    qtbot.keyClick(window.search.field, Qt.Key.Key_S, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].startswith("Can’t read that query:")
    assert library.smart_lists() == []


def test_rename_edit_and_delete_are_undoable(qtbot, make_window, library, dialogs) -> None:
    library.create_smart_list("Graphs", "graphs")
    window = make_window(library)
    click_sidebar(qtbot, window.sidebar, ("smart", "Graphs"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    window.sidebar.setFocus()
    dialogs.text_answer = "Graph papers"
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.sidebar.current_key() == ("smart", "Graph papers"))
    assert [s.name for s in library.smart_lists()] == ["Graph papers"]

    def fill(dialog: SmartListDialog) -> None:
        type_into(qtbot, dialog.query, "graphs OR diffusion")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    in_dialog(qtbot, fill)
    qtbot.mouseClick(window.routine.banner.buttons["edit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.smart_list("Graph papers").query == "graphs OR diffusion")
    qtbot.waitUntil(lambda: window.model.rowCount() == 6)
    qtbot.waitUntil(window.isActiveWindow)
    window.sidebar.setFocus()
    qtbot.waitUntil(window.sidebar.hasFocus)
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: library.smart_lists() == [])
    settle(qtbot, window)  # written on the write lane, then shown
    assert window.sidebar.current_key() == ("all", None)
    for expected in (
        ("Graph papers", "graphs OR diffusion"),
        ("Graph papers", "graphs"),
        ("Graphs", "graphs"),
    ):
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Z, CTRL)
        qtbot.waitUntil(
            lambda e=expected: [(s.name, s.query) for s in library.smart_lists()] == [e]
        )
    settle(qtbot, window)
    assert window.sidebar.smart_names() == ["Graphs"]


def test_a_smart_list_exports_like_a_reading_list(
    qtbot, make_window, library, tmp_path: Path, monkeypatch
) -> None:
    library.create_smart_list("Attention", "attention")
    window = make_window(library)
    seen: list[str] = []
    target = tmp_path / "attention.bib"

    def fake_exec(dialog: ExportDialog) -> int:
        seen.append(dialog.scope.currentText())
        dialog.format.setCurrentIndex(dialog.format.findData("bibtex"))
        dialog.path.setText(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)
    click_sidebar(qtbot, window.sidebar, ("smart", "Attention"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    window.activateWindow()
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000):
        qtbot.keyClick(window.table, Qt.Key.Key_E, CTRL)
    assert seen == ["Smart list “Attention”"]
    assert target.read_text(encoding="utf-8").count("@article") == 3
