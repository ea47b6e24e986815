"""File › Export… from the window: the dialog's choices, a background write, errors, cancel."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from gui_support import click_sidebar, press
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QPushButton

from app.gui.exporter import ExportDialog
from storage.library import Library

ORDER = [5, 2, 9, 1]


@pytest.fixture
def week(library: Library) -> Library:
    library.create_list("Week", "what we read this week")
    library.add_to_list("Week", ORDER)
    library.set_list_entry_note("Week", 9, "the proofs are in the appendix")
    return library


def answer_dialog(monkeypatch, fmt: str, path: Path | None, seen: list | None = None) -> None:
    """Make ExportDialog.exec pick fmt (and path, unless None) and press Export."""

    def fake_exec(dialog: ExportDialog) -> int:
        if seen is not None:
            seen.append([dialog.scope.itemText(i) for i in range(dialog.scope.count())])
            seen.append(dialog.scope.currentText())
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        if path is not None:
            dialog.path.setText(str(path))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)


def titles(library: Library, ids: list[int]) -> list[str]:
    return [library.paper(pid).title for pid in ids]


def test_ctrl_e_exports_the_shown_list_as_csl_json(qtbot, make_window, week, tmp_path, monkeypatch):
    window = make_window(week)
    click_sidebar(qtbot, window.sidebar, ("list", "Week"))
    seen: list = []
    target = tmp_path / "week.json"
    answer_dialog(monkeypatch, "csl-json", target, seen)
    assert window.actions["export"].shortcut().toString() == "Ctrl+E"
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000) as done:
        press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert done.args[0] is not None
    assert seen[1] == "Reading list “Week”"  # the list shown is what Export starts on
    assert "Whole library" in seen[0]
    items = json.loads(target.read_text(encoding="utf-8"))
    assert [item["title"] for item in items] == titles(week, ORDER)
    assert "exported 4 papers" in window.statusBar().currentMessage().lower()
    assert not window.runner.busy


def test_export_list_from_the_sidebar_as_markdown(qtbot, make_window, week, tmp_path, monkeypatch):
    window = make_window(week)
    target = tmp_path / "week.md"
    answer_dialog(monkeypatch, "markdown", target)
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000):
        window.sidebar.exportListRequested.emit("Week")
    text = target.read_text(encoding="utf-8")
    places = [text.index(title) for title in titles(week, ORDER)]
    assert places == sorted(places)  # the titles in list order
    assert "the proofs are in the appendix" in text
    others = set(range(1, 13)) - set(ORDER)
    assert not any(title in text for title in titles(week, sorted(others)))


def test_format_change_swaps_the_suffix_and_browse_uses_it(qtbot, window, monkeypatch, tmp_path):
    scopes, chosen = window.export_scopes()
    dialog = ExportDialog(scopes, chosen, tmp_path, "markdown", window)
    qtbot.addWidget(dialog)
    assert dialog.path.text() == str(tmp_path / "papershelf-library.md")
    dialog.format.setCurrentIndex(dialog.format.findData("bibtex"))
    assert dialog.path.text() == str(tmp_path / "papershelf-library.bib")
    asked: list[str] = []

    def fake_save(_parent, _title, _start, filters, *args):
        asked.append(filters)
        return str(tmp_path / "mine"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    dialog.choose_file()
    assert "*.bib" in asked[0]
    assert dialog.path.text() == str(tmp_path / "mine.bib")


def test_selection_and_search_scopes(qtbot, window) -> None:
    window.table.select_ids([3, 4], 3)
    window.search.field.setText("pruning")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)
    window.table.select_ids(list(window.model.ids)[:2], window.model.ids[0])
    scopes, chosen = window.export_scopes()
    labels = [scope.label for scope in scopes]
    assert labels[0] == "Whole library"
    assert "Selected papers (2)" in labels
    assert labels[chosen] == "Search “pruning” (whole library)"


def test_selected_papers_export_as_bibtex(qtbot, window, library, tmp_path, monkeypatch):
    window.table.select_ids([3, 7], 3)
    scopes, _chosen = window.export_scopes()
    selected = next(s for s in scopes if s.label.startswith("Selected"))
    target = tmp_path / "two.bib"
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000):
        window.exporter.start(selected.selection, "bibtex", target)
    text = target.read_text(encoding="utf-8")
    assert text.count("@article") == 2
    assert library.paper(3).title in text and library.paper(7).title in text


def test_export_error_is_a_clear_message(qtbot, window, dialogs, tmp_path, monkeypatch):
    target = tmp_path / "missing-folder" / "out.md"
    answer_dialog(monkeypatch, "markdown", target)
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000) as done:
        window.export_papers()
    assert done.args[0] is None
    [(kind, text)] = dialogs.shown
    assert kind == "warning"
    assert "Export failed" in text and "missing-folder" in text and "does not exist" in text
    assert not target.parent.exists()


def test_cancelled_export_writes_nothing(qtbot, window, tmp_path) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me", encoding="utf-8")
    gate = threading.Event()
    window.runner.pool.start(lambda: gate.wait(10))  # holds the one worker thread
    from storage.exporting import ExportSelection

    task = window.exporter.start(ExportSelection.everything(), "json", target)
    assert task is not None
    window.exporter.progress.findChild(QPushButton).click()  # the Cancel button
    assert window.exporter.progress.labelText() == "Cancelling…"
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    assert target.read_text(encoding="utf-8") == "keep me"
    assert "cancelled" in window.statusBar().currentMessage().lower()
    assert window.exporter.progress is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == ["out.json"]


def export_dialog(qtbot, window, path: Path) -> ExportDialog:
    scopes, chosen = window.export_scopes()
    dialog = ExportDialog(scopes, chosen, path.parent, "markdown", window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(path))
    return dialog


def press_export(qtbot, dialog: ExportDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_export_asks_before_replacing_a_file(qtbot, window, dialogs, tmp_path) -> None:
    target = tmp_path / "mine.md"
    target.write_text("my own notes", encoding="utf-8")
    dialog = export_dialog(qtbot, window, target)
    dialogs.answer = QMessageBox.StandardButton.No
    press_export(qtbot, dialog)
    assert dialogs.titles("question") == [
        f"Replace the file?: “mine.md” already exists in {tmp_path}.\n\n"
        "Replace it with this export?"
    ]
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted  # stays open
    dialogs.answer = QMessageBox.StandardButton.Yes
    press_export(qtbot, dialog)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_a_new_file_or_one_the_file_dialog_confirmed_is_not_asked_about(
    qtbot, window, dialogs, tmp_path, monkeypatch
) -> None:
    dialog = export_dialog(qtbot, window, tmp_path / "new.md")
    press_export(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    target = tmp_path / "there.md"
    target.write_text("x", encoding="utf-8")
    dialog = export_dialog(qtbot, window, tmp_path / "new.md")
    monkeypatch.setattr(  # the system's save dialog asks about replacing by itself
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(target), ""))
    )
    qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
    press_export(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialogs.shown == []


def test_after_an_export_the_window_says_where_and_opens_the_folder(
    qtbot, make_window, week, tmp_path, monkeypatch
) -> None:
    window = make_window(week)
    window.sidebar.select(("list", "Week"))
    target = tmp_path / "out" / "week.csv"
    target.parent.mkdir()
    answer_dialog(monkeypatch, "csv", target)
    opened: list[QUrl] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True)
    )
    assert window.exporter.open_folder.isHidden()
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    with qtbot.waitSignal(window.exporter.finished, timeout=10_000):
        qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == f"Exported 4 papers to {target} (csv)."
    button = window.exporter.open_folder
    assert button.isVisible() and str(target.parent) in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [target.parent]
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].endswith(",list_position,list_note")


def test_no_open_folder_after_an_export_to_a_device(qtbot, window, monkeypatch) -> None:
    from storage.exporting import ExportSelection

    with qtbot.waitSignal(window.exporter.finished, timeout=10_000) as done:
        window.exporter.start(ExportSelection.everything(), "ris", Path("/dev/null"))
    assert done.args[0].streamed
    assert window.exporter.open_folder.isHidden()
