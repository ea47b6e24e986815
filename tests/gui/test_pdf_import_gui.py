"""Importing a folder of PDFs in the window: progress in the dialog, Cancel keeps what is done."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))
from gui_support import settle  # noqa: E402
from make_pdf import make_pdf, text_pages  # noqa: E402

from storage.files import PdfImportReport  # noqa: E402
from storage.library import Library  # noqa: E402

pytestmark = pytest.mark.gui
ANIMALS = ["aardvark", "binturong", "caracal", "dugong", "echidna", "fossa", "gerenuk", "hyrax"]


def pdf_folder(folder: Path) -> Path:
    folder.mkdir()
    for number, animal in enumerate(ANIMALS):
        title = f"Field Notes on the {animal.title()} Number {number}"
        pages = text_pages([title, "A report."], [f"the {animal} was seen at dawn"])
        (folder / f"{animal}.pdf").write_bytes(make_pdf(pages, info={"Title": title}))
    return folder


def stored(library: Library) -> int:
    return sum(1 for _ in (library.folder / "files").rglob("*.pdf"))


def test_progress_counts_the_pdfs(qtbot, window, library: Library, tmp_path: Path) -> None:
    folder = pdf_folder(tmp_path / "pdfs")
    task = window.importer.import_paths([folder])
    assert task is not None
    seen: list[tuple[int, int]] = []
    task.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(window.importer.finished, timeout=60_000) as blocker:
        pass
    # one count a PDF (the modal dialog's setValue runs events, so they may arrive nested)
    assert sorted(seen) == [(done, 8) for done in range(1, 9)]
    assert window.importer.progress is None  # closed at the end
    (report,) = blocker.args[0].reports
    assert isinstance(report, PdfImportReport) and len(report.new_ids) == 8
    summary = window.importer.summary
    assert summary is not None and "8 new, 0 matched" in summary.text()
    assert "caracal.pdf: new paper" in summary.detailedText()  # each PDF's line: Details
    settle(qtbot, window)  # the sidebar's counts are read on a worker
    assert window.sidebar.count_of(("all", None)) == 20


def test_cancel_stops_after_the_pdfs_done(qtbot, window, library: Library, tmp_path: Path):
    folder = pdf_folder(tmp_path / "pdfs")
    # The import runs in the window's library process: its readers are slowed down there.
    window.importer.background.process.setup = "worker_readers:unhurried_library"
    task = window.importer.import_paths([folder])
    assert task is not None
    dialog_max: list[int] = []

    def press_cancel(done: int, total: int) -> None:
        dialog = window.importer.progress
        if done == 2 and dialog is not None:
            dialog_max.append(dialog.maximum())
            dialog.findChild(QPushButton).click()

    task.progress.connect(press_cancel)
    with qtbot.waitSignal(window.importer.finished, timeout=60_000) as blocker:
        pass
    outcome = blocker.args[0]
    (report,) = outcome.reports
    assert dialog_max == [8]
    assert report.cancelled and 2 <= len(report.outcomes) < 8
    kept = len(report.new_ids)
    assert library.stats().papers == 12 + kept and stored(library) == kept  # no stray copies
    assert library.search("dawn").total == kept  # the index caught up with what was kept
    text = window.importer.summary.text()
    assert "Import cancelled" in text and f"cancelled after {kept} of 8 PDFs" in text
    settle(qtbot, window)
    assert window.sidebar.count_of(("all", None)) == 12 + kept
    assert window.importer.progress is None
