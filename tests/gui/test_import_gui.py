"""Importing from the window: background work, progress, cancel, summary, drag and drop."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from gui_support import bibtex, settle, write_bibtex
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton

from app.gui.tasks import TaskRunner
from storage.library import Library

pytestmark = pytest.mark.gui

# An entry that never closes is skipped (an untitled one is imported with a placeholder now).
BROKEN_ENTRY = "\n@article{broken,\n  title = {never closed,\n  year = {2020}\n"


def dropped(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def test_dropping_files_imports_them_and_shows_a_summary(
    qtbot, make_library, make_window, tmp_path: Path
) -> None:
    window = make_window(make_library(0, name="empty"))
    assert window.area.showing_empty
    source = tmp_path / "papers.bib"
    source.write_text(bibtex(30) + BROKEN_ENTRY, encoding="utf-8")
    stray = tmp_path / "scan.pdf"
    stray.write_bytes(b"%PDF-1.4")
    mime = dropped([source, stray])
    with warnings.catch_warnings():  # PySide6 offers only the deprecated QPoint constructor
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(50, 50),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as blocker:
        window.dropEvent(drop)
        assert not window.actions["import"].isEnabled()  # one writer at a time
    outcome = blocker.args[0]
    assert [Path(r.source).name for r in outcome.reports] == ["papers.bib"]
    (failure,) = outcome.failures  # the truncated PDF is tried, and named
    assert "scan.pdf" in failure
    assert len(outcome.reports[0].new_ids) == 30
    assert len(outcome.warnings()) == 1
    settle(qtbot, window)
    assert not window.area.showing_empty
    assert window.model.rowCount() == 30
    assert window.sidebar.count_of(("all", None)) == 30
    assert window.table.current_id() is not None
    assert window.actions["import"].isEnabled()
    summary = window.importer.summary
    assert summary is not None and summary.isVisible()
    assert "30 new, 0 merged, 0 already present, 1 skipped" in summary.text()
    assert "papers.bib" in summary.detailedText()


def test_reimporting_reports_papers_already_present(qtbot, window, tmp_path: Path) -> None:
    again = write_bibtex(tmp_path / "again.bib", 5)  # gen0..gen4 are in the library already
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as blocker:
        window.importer.import_paths([again])
    assert "0 new, 0 merged, 5 already present, 0 skipped" in blocker.args[0].summary_lines()[0]
    assert window.model.rowCount() == 12


def test_cancelling_an_import_leaves_the_library_unchanged(
    qtbot, window, library: Library, tmp_path: Path
) -> None:
    big = write_bibtex(tmp_path / "big.bib", 1500, start=100)
    before = library.stats()
    # the library process must not finish before the Cancel gets there (a loaded machine)
    window.importer.background.process.setup = "slow_library:unhurried_imports"
    task = window.importer.import_paths([big])
    assert task is not None

    def press_cancel(_done: int, _total: int) -> None:
        dialog = window.importer.progress
        if dialog is not None:
            dialog.findChild(QPushButton).click()

    task.progress.connect(press_cancel)
    with qtbot.waitSignal(window.importer.finished, timeout=60_000) as blocker:
        pass
    outcome = blocker.args[0]
    assert outcome.cancelled == str(big)
    assert outcome.reports == []
    assert library.stats() == before
    assert window.model.rowCount() == 12
    assert window.sidebar.count_of(("all", None)) == 12
    assert "cancelled" in window.importer.summary.text()
    assert window.importer.progress is None


def test_a_big_import_runs_outside_the_window_process_while_its_events_turn(
    qtbot, window, tmp_path: Path, monkeypatch
) -> None:
    """Parsing, storing and indexing happen in the library process: none of it runs in the
    window's interpreter (so none of it holds its GIL), and the event loop keeps turning.
    How long the GUI thread stalls is measured by `make bench`, not here."""
    from storage.formats import detect
    from storage.search.updates import IndexUpdates

    in_window: list[str] = []
    for owner, name in ((detect, "parse"), (IndexUpdates, "replace"), (Library, "import_file")):
        real = getattr(owner, name)

        def recorded(*args, _real=real, _name=name, **kwargs):
            in_window.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)
    big = write_bibtex(tmp_path / "big.bib", 1500, start=100)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    task = window.importer.import_paths([big])
    assert task is not None
    timer.timeout.connect(lambda: None if task.done else ticks.append(1))
    timer.start()
    with qtbot.waitSignal(window.importer.finished, timeout=60_000):
        pass
    timer.stop()
    settle(qtbot, window)
    assert window.model.rowCount() == 1512
    assert in_window == []
    assert len(ticks) > 5  # the timer fired while the import ran: the loop was not held


def test_a_task_failure_comes_back_as_a_signal(qtbot) -> None:
    runner = TaskRunner()

    def boom(_task) -> None:
        raise ValueError("bad luck")

    task = runner.submit("boom", boom)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ValueError)
    assert not runner.busy
    assert runner.shutdown(1000)
