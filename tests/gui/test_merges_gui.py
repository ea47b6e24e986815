"""Merges in the window (issue 10): the import summary lists them, and the detail pane's
"Merged from N entries…" dialog splits one back off into its own paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import settle

from app.gui.detail import DetailPane
from storage.library import Library

pytestmark = pytest.mark.gui

BIB = """@article{first,
  title = {Nicaragua},
  author = {Walker, Thomas},
  keywords = {history}
}

@book{second,
  title = {Nicaragua},
  year = {2003},
  doi = {10.4324/nic.2003},
  keywords = {geography}
}

@book{third,
  title = {Nicaragua},
  author = {Kinzer, Stephen},
  year = {1991}
}
"""


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "nic.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def test_import_summary_lists_the_merges(qtbot, make_library, make_window, bib: Path) -> None:
    window = make_window(make_library(0, name="empty"))
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as blocker:
        window.importer.import_paths([bib])
    assert blocker.args[0].summary_lines() == [
        "nic.bib: 2 new, 1 merged, 0 already present, 0 skipped"
    ]
    summary = window.importer.summary
    assert summary is not None and summary.isVisible()
    assert "1 entry merged into papers already here (see Details)" in summary.informativeText()
    assert summary.detailedText() == (
        f'Merged (1):\n{bib}:7: "Nicaragua" merged into paper 1 "Nicaragua" (same title; merge 1)'
    )
    settle(qtbot, window)
    assert window.model.rowCount() == 2


def test_detail_pane_splits_a_merge_off(qtbot, tmp_path: Path, bib: Path) -> None:
    library = Library(tmp_path / "lib")
    try:
        report = library.import_file(bib)
        survivor = report.merges[0].paper_id
        pane = DetailPane(library)
        qtbot.addWidget(pane)
        pane.show()
        pane.show_paper(survivor)
        assert pane.merged.isVisible()
        assert pane.merged.text() == "Merged from 2 entries…"
        pane.show_paper(report.new_ids[1])  # the Kinzer book merged with nothing
        assert not pane.merged.isVisible()
        pane.show_paper(survivor)

        dialog = pane.merged.open_dialog()
        assert dialog is not None and dialog.isVisible()
        assert dialog.entries.count() == 1
        assert dialog.entries.item(0).text().startswith("Nicaragua (2003; 10.4324/nic.2003)")
        with qtbot.waitSignal(pane.changed, timeout=5_000) as blocker:
            dialog.split_button.click()
        change = blocker.args[0]
        (new_id,) = change.paper_ids - {survivor}
        assert change.paper_ids == {survivor, new_id}
        assert not dialog.isVisible()  # nothing left to split
        assert not pane.merged.isVisible()
        assert pane.paper.doi is None and pane.paper.tags == ("history",)
        assert library.paper(new_id).doi == "10.4324/nic.2003"
        assert library.stats().papers == 3
    finally:
        library.close()


def test_splitting_in_the_window_adds_the_paper_to_the_table(
    qtbot, make_library, make_window, bib: Path
) -> None:
    library = make_library(0, name="nic")
    report = library.import_file(bib)
    survivor = report.merges[0].paper_id
    window = make_window(library)
    settle(qtbot, window)
    assert window.model.rowCount() == 2
    window.table.select_ids([survivor], survivor)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == survivor)
    assert window.detail.merged.isVisible()
    dialog = window.detail.merged.open_dialog()
    dialog.split_button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    settle(qtbot, window)  # the sidebar's counts are read on a worker
    assert window.sidebar.count_of(("all", None)) == 3
    assert window.detail.current_paper_id == survivor
    assert not window.detail.merged.isVisible()
