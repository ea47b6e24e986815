"""Paste to import: Ctrl+V on the table (or Edit › Paste papers) imports the clipboard through
the importer, off the GUI thread, with the import summary; untrusted text stays text."""

from __future__ import annotations

import threading

import pytest
from gui_support import choose_menu, settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from storage.library import Library

pytestmark = pytest.mark.gui

BIBTEX = """@article{pasted2024,
  title = {A pasted paper on <img src=x onerror=alert(1)> retrieval},
  author = {Curie, Marie},
  year = {2024},
}
"""


def paste_on_table(qtbot, window, text: str) -> None:
    """Copy text elsewhere, click into the table and press Ctrl+V; wait for the summary."""
    QGuiApplication.clipboard().setText(text)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.importer.summary is not None, timeout=60_000)


def test_pasted_arxiv_ids_and_dois_become_papers_in_the_inbox(
    qtbot, make_window, library: Library, monkeypatch
) -> None:
    threads: list[str] = []
    real = library.import_text

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(library, "import_text", recorded)
    window = make_window(library)
    paste_on_table(qtbot, window, "arXiv:2305.12345v2\nhttps://doi.org/10.1000/XYZ\n")
    summary = window.importer.summary
    assert summary.windowTitle() == "Imported 2 new papers"
    assert "Clipboard: 2 new" in summary.text()
    assert threads == []  # parsed and stored in the library process, not the window's
    titles = {library.paper(pid).title for pid in library.inbox_ids()}
    assert {"arXiv:2305.12345", "doi:10.1000/xyz"} <= titles
    qtbot.waitUntil(lambda: window.sidebar.count_of(("inbox", None)) == 14)
    assert window.sidebar.count_of(("all", None)) == 14


def test_pasted_bibtex_shows_its_title_as_text(qtbot, make_window, library: Library) -> None:
    window = make_window(library)
    paste_on_table(qtbot, window, BIBTEX)
    assert window.importer.summary.windowTitle() == "Imported 1 new paper"
    pid = library.resolve("pasted2024")
    assert library.paper(pid).title.startswith("A pasted paper on <img")
    window.importer.summary.close()
    # the new row is put in once the search worker has read the view's ids again
    qtbot.waitUntil(lambda: window.model.row_of(pid) is not None, timeout=60_000)
    settle(qtbot, window, timeout=60_000)
    window.table.select_ids([pid], pid)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == pid, timeout=20_000)
    assert "<img" in window.detail.title.toPlainText()  # shown as the characters typed


def test_text_that_is_no_format_is_a_clear_message(qtbot, make_window, library) -> None:
    window = make_window(library)
    paste_on_table(qtbot, window, "<b>just</b> some words & more")
    summary = window.importer.summary
    assert summary.windowTitle() == "Nothing imported"
    assert "Clipboard: unrecognised format" in summary.text()
    assert library.stats().papers == 12


def test_edit_paste_imports_too_and_an_empty_clipboard_says_so(
    qtbot, make_window, library: Library
) -> None:
    window = make_window(library)
    QGuiApplication.clipboard().setText("   ")
    choose_menu(qtbot, window, "Edit", window.actions["paste"])
    assert "nothing to import" in window.statusBar().currentMessage()
    QGuiApplication.clipboard().setText("2401.00001")
    with qtbot.waitSignal(window.importer.indexed, timeout=60_000):  # searchable from then on
        choose_menu(qtbot, window, "Edit", window.actions["paste"])
        qtbot.waitUntil(lambda: window.importer.summary is not None, timeout=60_000)
    assert library.paper_ids(query="2401.00001") != []


def test_ctrl_v_in_the_search_field_still_pastes_text(qtbot, make_window, library) -> None:
    window = make_window(library)
    QGuiApplication.clipboard().setText("pruning")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.search.field.setFocus()
    qtbot.waitUntil(window.search.field.hasFocus)
    qtbot.keyClick(window.search.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.search.field.text() == "pruning"
    assert window.importer.summary is None and library.stats().papers == 12
