"""The last writes the window made on its GUI thread run on its write lane too (issue 15): the
reader's page, a file removed, a merge split off. While another process holds the library's
write lock the window keeps turning and nothing is lost; each lands when the lock frees."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import settle, turning
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from reader_support import reader_library, wait_ready
from test_files_gui import show, write_pdf
from test_merges_gui import BIB
from test_write_lane_edits_gui import PENDING

pytestmark = pytest.mark.gui


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "nic.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def short_busy_wait(monkeypatch) -> None:
    """SQLite's busy timeout short: a write waiting on the held lock is retried by the lane."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)


def test_the_reading_position_waits_for_another_process(
    qtbot,
    make_library,
    make_window,
    writer_holding_the_lock,
    ticks,
    tmp_path,
) -> None:
    """A reader tab closed (Ctrl+W) while another process holds the lock: the page it was
    left at is written once the lock frees, the window answering meanwhile."""
    library = reader_library(make_library, tmp_path)
    window = make_window(library)
    reader = window.reader.open_paper(2, page=6)
    wait_ready(qtbot, reader)
    settle(qtbot, window)  # opening marks the paper as reading, on the lane
    held = writer_holding_the_lock(library.folder)
    qtbot.keyClick(reader.canvas, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    turning(qtbot, ticks)
    assert library.reading_position(2) is None  # nothing written: the lock is held
    assert "not saved" not in window.statusBar().currentMessage()
    held.release()
    settle(qtbot, window, timeout=30_000)
    position = library.reading_position(2)
    assert position is not None and (position.page, position.pages) == (7, 30)


def test_a_file_removed_waits_for_another_process(
    qtbot,
    make_library,
    make_window,
    writer_holding_the_lock,
    ticks,
    dialogs,
    tmp_path,
) -> None:
    """Remove (answered Yes) while the lock is held: pending, the file still stored and
    shown; removed from the library and the pane once the lock frees."""
    library = make_library(12)
    pdf = write_pdf(tmp_path / "gone.pdf", "Removed later")
    library.attach(2, [pdf])
    window = make_window(library)
    show(window, 2)
    (row,) = window.detail.files.rows
    held = writer_holding_the_lock(library.folder)
    dialogs.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    turning(qtbot, ticks)
    assert len(library.files(2)) == 1 and len(window.detail.files.rows) == 1
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert library.files(2) == [] and window.detail.files.rows == []
    assert [kind for kind, _text in dialogs.shown] == ["question"]  # no error told
    assert pdf.is_file()


def test_a_split_waits_for_another_process(
    qtbot,
    make_library,
    make_window,
    writer_holding_the_lock,
    ticks,
    bib: Path,
) -> None:
    """Split off in the "Merged entries" dialog while the lock is held: the button waits
    ("Splitting…"), the window answering; the paper is split off once the lock frees."""
    library = make_library(0, name="nic")
    report = library.import_file(bib)
    survivor = report.merges[0].paper_id
    window = make_window(library)
    settle(qtbot, window)
    window.table.select_ids([survivor], survivor)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == survivor)
    dialog = window.detail.merged.open_dialog()
    assert dialog is not None
    held = writer_holding_the_lock(library.folder)
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    assert dialog.split_button.text() == "Splitting…" and not dialog.split_button.isEnabled()
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    turning(qtbot, ticks)
    assert library.stats().papers == 2 and dialog.isVisible()
    held.release()
    settle(qtbot, window, timeout=30_000)
    assert library.stats().papers == 3
    assert not dialog.isVisible() and not dialog.error.isVisible()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
