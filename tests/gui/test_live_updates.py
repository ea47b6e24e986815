"""The window sees changes made by the command line or another window while it runs, without a
restart: rows, counts, tags, lists and the paper on show, with the selection and the scroll kept."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from gui_support import click_sidebar, type_search, write_bibtex
from PySide6.QtCore import Qt

from app.gui.live import POLL_MS
from storage.library import Library

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
SEEN_WITHIN = POLL_MS * 3 + 2000  # a poll, the refresh, and a loaded machine


def key(library: Library, i: int) -> int:
    return library.resolve(f"gen{i}")


def row_text(window, pid: int, column: int = 0) -> str | None:
    row = window.model.row_of(pid)
    return None if row is None else window.model.index(row, column).data()


def click_row(qtbot, window, pid: int) -> None:
    row = window.model.row_of(pid)
    assert row is not None
    window.table.scrollTo(window.model.index(row, 0))
    rect = window.table.visualRect(window.model.index(row, 0))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.detail.current_paper_id == pid)


@pytest.fixture
def big(make_library) -> Library:
    return make_library(80, name="big")


@pytest.fixture
def other(big: Library):
    """The same library opened a second time, as another window or a command would."""
    second = Library(big.folder)
    yield second
    second.close()


def test_edits_made_elsewhere_show_up_with_selection_and_scroll_kept(
    qtbot, make_window, big, other
) -> None:
    window = make_window(big)
    table, scroll = window.table, window.table.verticalScrollBar()
    middle = key(big, 40)  # newest first: row 39 of 80
    click_row(qtbot, window, middle)
    scroll.setValue(scroll.maximum() // 2)
    top = window.model.id_at(table.rowAt(0))
    assert scroll.value() > 0 and top != window.model.id_at(0)

    other.add_tags([middle], ["from-elsewhere"])
    other.update_paper(top, title="Renamed in another window")
    qtbot.waitUntil(
        lambda: window.sidebar.count_of(("tag", "from-elsewhere")) == 1, timeout=SEEN_WITHIN
    )
    qtbot.waitUntil(lambda: row_text(window, top) == "Renamed in another window")
    assert row_text(window, middle, 3) == "from-elsewhere"
    assert "from-elsewhere" in [chip.tag for chip in window.detail.tags.chips]
    assert table.selected_ids() == [middle] and table.current_id() == middle
    assert window.model.id_at(table.rowAt(0)) == top  # the same paper stays at the top

    other.import_file(write_bibtex(other.folder.parent / "more.bib", 5, start=500))
    qtbot.waitUntil(lambda: window.model.rowCount() == 85, timeout=SEEN_WITHIN)
    assert window.search.count.text() == "85 papers"
    assert window.sidebar.count_of(("all", None)) == 85
    assert window.model.id_at(table.rowAt(0)) == top  # new rows above did not push it away
    assert table.selected_ids() == [middle]

    gone = key(big, 41)
    other.delete_papers([gone])
    qtbot.waitUntil(lambda: window.model.row_of(gone) is None, timeout=SEEN_WITHIN)
    assert window.model.rowCount() == 84 and table.selected_ids() == [middle]


def test_the_paper_on_show_follows_edits_and_deletion(qtbot, make_window, library, dialogs):
    window = make_window(library)
    other = Library(library.folder)
    try:
        shown = key(library, 3)
        click_row(qtbot, window, shown)
        note = other.add_note(shown, "Written from the command line")
        other.set_rating([shown], 4)
        qtbot.waitUntil(lambda: note in window.detail.notes.cards, timeout=SEEN_WITHIN)
        assert window.detail.rating.rating == 4
        other.delete_papers([shown])
        qtbot.waitUntil(lambda: window.model.row_of(shown) is None, timeout=SEEN_WITHIN)
        qtbot.waitUntil(lambda: window.detail.current_paper_id not in (shown,))
        assert window.detail.current_paper_id == window.table.current_id()
    finally:
        other.close()


def test_lists_and_tags_made_elsewhere_reach_the_sidebar(qtbot, make_window, library) -> None:
    window = make_window(library)
    other = Library(library.folder)
    try:
        other.create_list("Made elsewhere")
        other.add_to_list("Made elsewhere", [key(library, 1), key(library, 2)], note="read first")
        qtbot.waitUntil(
            lambda: window.sidebar.count_of(("list", "Made elsewhere")) == 2, timeout=SEEN_WITHIN
        )
        click_sidebar(qtbot, window.sidebar, ("list", "Made elsewhere"))
        qtbot.waitUntil(lambda: window.model.rowCount() == 2)
        other.set_list_entry_note("Made elsewhere", key(library, 2), "changed elsewhere")
        qtbot.waitUntil(
            lambda: window.model.list_note(key(library, 2)) == "changed elsewhere",
            timeout=SEEN_WITHIN,
        )
        other.delete_list("Made elsewhere")  # the list shown goes: All papers again
        qtbot.waitUntil(lambda: window.sidebar.current_key() == ("all", None), timeout=SEEN_WITHIN)
        assert window.model.rowCount() == 12
    finally:
        other.close()


def test_a_search_on_show_follows_changes_made_elsewhere(qtbot, make_window, library) -> None:
    window = make_window(library)
    type_search(qtbot, window, "pruning")
    assert window.model.rowCount() == 3
    other = Library(library.folder)
    try:
        other.update_paper(key(library, 0), title="Pruning attention heads")
        qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=SEEN_WITHIN)
        assert window.search.count.text() == "4 papers match"
    finally:
        other.close()


def test_the_command_line_is_seen_while_the_window_runs(qtbot, make_window, library) -> None:
    window = make_window(library)
    pid = key(library, 5)
    click_row(qtbot, window, pid)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--library",
            str(library.folder),
            "tag",
            str(pid),
            "--add",
            "cli-tag",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(
        lambda: "cli-tag" in [c.tag for c in window.detail.tags.chips], timeout=SEEN_WITHIN
    )
    assert window.sidebar.count_of(("tag", "cli-tag")) == 1
    assert window.table.selected_ids() == [pid]


def test_polling_never_waits_for_a_lock(qtbot, make_window, library, other_lock) -> None:
    """Another process holds the search index's lock and this window's own write lane is
    taken by a long write: a change made elsewhere still shows (the refresh needed neither)."""
    window = make_window(library)
    other = Library(library.folder)
    other.index.lock_timeout = 0.1
    try:
        other_lock(library.folder)
        lane_taken, release = threading.Event(), threading.Event()

        def long_write() -> None:
            with library._lock:  # noqa: SLF001 (the write lane an import would hold)
                lane_taken.set()
                release.wait(30)

        writer = threading.Thread(target=long_write)
        writer.start()
        try:
            assert lane_taken.wait(5)
            other.add_tags([key(library, 2)], ["while-locked"])
            qtbot.waitUntil(
                lambda: window.sidebar.count_of(("tag", "while-locked")) == 1, timeout=SEEN_WITHIN
            )
            assert row_text(window, key(library, 2), 3) == "while-locked"
            assert writer.is_alive()  # the refresh happened while the lane was held
        finally:
            release.set()
            writer.join()
    finally:
        other.close()


@pytest.fixture
def other_lock(held_lock):
    return held_lock
