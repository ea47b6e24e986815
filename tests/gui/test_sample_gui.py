"""Try a sample library: from the empty library's page and the Help menu, built in a folder of
its own and opened in a window of its own; the user's library stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from gui_support import choose_menu
from PySide6.QtCore import Qt

from app.sample import SAMPLE_ENV, is_sample

pytestmark = pytest.mark.gui


def folder_state(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix not in (".db-wal", ".db-shm")
    }


def test_the_empty_library_offers_the_sample(
    qtbot, make_library, make_window, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(SAMPLE_ENV, str(tmp_path / "data" / "sample"))
    mine = make_library(0, name="mine")
    window = make_window(mine)
    assert window.area.showing_empty
    button = window.area.empty.sample_button
    assert button.isVisible() and button.text() == "Try a sample library"
    before = folder_state(mine.folder)

    with qtbot.waitSignal(window.sample.opened, timeout=60_000) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    sample = opened.args[0]
    try:
        assert sample is not window and sample.isVisible()
        assert sample.windowTitle().startswith("Sample library")
        assert sample.library.folder == tmp_path / "data" / "sample"
        assert is_sample(sample.library.folder)
        assert sample.sidebar.count_of(("all", None)) == 21
        assert sample.sidebar.count_of(("list", "Reading group: retrieval")) == 5
        assert window.area.showing_empty  # the user's library is still empty
        assert mine.stats().papers == 0 and folder_state(mine.folder) == before
        sample.library.add_tags(sample.library.paper_ids()[:1], ["tried"])

        # Offered again from the Help menu: the old sample window goes, a fresh sample comes.
        with qtbot.waitSignal(window.sample.opened, timeout=60_000) as again:
            choose_menu(qtbot, window, "Help", window.actions["sample"])
        fresh = again.args[0]
        assert fresh is not sample and not shiboken6.isValid(sample)  # closed and deleted
        assert fresh.sidebar.item_for(("tag", "tried")) is None
        assert fresh.sidebar.count_of(("all", None)) == 21
    finally:
        window.sample.close_sample()


def test_the_sample_window_offers_a_fresh_sample_through_its_maker(
    qtbot, make_library, make_window, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(SAMPLE_ENV, str(tmp_path / "sample"))
    window = make_window(make_library(3, name="mine"))
    with qtbot.waitSignal(window.sample.opened, timeout=60_000) as opened:
        choose_menu(qtbot, window, "Help", window.actions["sample"])
    sample = opened.args[0]
    try:
        with qtbot.waitSignal(window.sample.opened, timeout=60_000) as again:
            choose_menu(qtbot, sample, "Help", sample.actions["sample"])
        assert again.args[0] is not sample and window.sample.sample_window is again.args[0]
        assert window.library.stats().papers == 3
    finally:
        window.sample.close_sample()


def test_a_folder_that_is_not_a_sample_is_refused_in_one_line(
    qtbot, make_library, make_window, tmp_path: Path, monkeypatch, dialogs
) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv(SAMPLE_ENV, str(taken))
    window = make_window(make_library(0, name="mine"))
    task = window.sample.offer()
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    assert dialogs.titles("warning") or dialogs.titles("exec") or dialogs.shown
    text = " ".join(t for _k, t in dialogs.shown)
    assert "not empty and holds no sample library" in text
    assert (taken / "keep.txt").read_text(encoding="utf-8") == "mine"
