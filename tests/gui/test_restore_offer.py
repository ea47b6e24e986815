"""A library refused at open because library.db was emptied offers its newest backup (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import write_bibtex
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui.main import open_library
from storage.library import Library
from storage.safety import DatabaseLost

pytestmark = pytest.mark.gui


@pytest.fixture
def emptied(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    with Library(folder) as library:  # closing it leaves the daily backup
        library.import_file(write_bibtex(tmp_path / "papers.bib", 15))
    (folder / "library.db").write_bytes(b"")
    return folder


def answer_with(button_text: str, seen: list[str]) -> None:
    """Click a button of the message box once it is up (it runs its own event loop)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        (button,) = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, click)


def test_restore_newest_backup_from_the_dialog(qapp, emptied: Path) -> None:
    seen: list[str] = []
    answer_with("Restore newest backup", seen)
    library = open_library(emptied, ask=True)
    try:
        assert library.stats().papers == 15
        assert library.check().ok
    finally:
        library.close()
    assert "15 papers" in seen[0] and "backups" in seen[0]


def test_quit_leaves_the_library_refused_and_untouched(qapp, emptied: Path) -> None:
    seen: list[str] = []
    answer_with("Quit", seen)
    with pytest.raises(DatabaseLost):
        open_library(emptied, ask=True)
    assert seen and (emptied / "library.db").stat().st_size == 0


def test_without_asking_it_is_refused(qapp, emptied: Path) -> None:
    with pytest.raises(DatabaseLost):
        open_library(emptied, ask=False)
