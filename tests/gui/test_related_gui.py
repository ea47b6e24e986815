"""Related papers in the detail pane: found off the GUI thread once the selection rests, stale
answers dropped, a click selects the paper (in the view shown, or in All papers)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from gui_support import click_sidebar
from PySide6.QtCore import Qt

from storage.library import Library
from tests.routine_support import ids_of, write_corpus

pytestmark = pytest.mark.gui


@pytest.fixture
def topics(make_library, tmp_path: Path) -> Library:
    """Sixteen papers on four topics (tests/routine_support.py), ids 1.. in topic order."""
    library = make_library(0)
    library.import_file(write_corpus(tmp_path))
    library.keep(library.inbox_ids())
    return library


def related_ids(window) -> list[int]:
    return [pid for pid, _title, _score in window.detail.related.hits]


def select(qtbot, window, pid: int) -> None:
    window.table.select_ids([pid], pid)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == pid)


def test_the_detail_pane_lists_related_papers_of_the_same_topic(
    qtbot, make_window, topics: Library, monkeypatch
) -> None:
    threads: list[str] = []
    real = topics.related

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(topics, "related", recorded)
    window = make_window(topics)
    retrieval = ids_of("retrieval")
    select(qtbot, window, retrieval[0])
    section = window.detail.related
    qtbot.waitUntil(
        lambda: section.for_paper == retrieval[0] and bool(section.hits), timeout=10_000
    )
    found = related_ids(window)
    assert retrieval[0] not in found
    assert sum(pid in retrieval for pid in found[:4]) >= 3
    assert threads and threading.main_thread().name not in threads
    row = section.rows[0]
    assert row.isVisible() and row.shown and row.percent.endswith("%")
    assert not section.rows[-1].shown or len(section.hits) == len(section.rows)
    assert row.accessibleName().startswith(section.hits[0][1])


def test_moving_through_the_table_asks_once_the_selection_rests(
    qtbot, make_window, topics: Library
) -> None:
    window = make_window(topics)
    related = window.routine.related
    qtbot.waitUntil(lambda: related.answered >= 1, timeout=10_000)
    before = related.answered
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    for _ in range(8):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.detail.related.message.text() == "Finding related papers…"
    last = window.table.current_id()
    qtbot.waitUntil(lambda: window.detail.related.for_paper == last and related.answered > before)
    qtbot.wait(400)
    assert related.answered == before + 1  # one answer, for the paper the keys stopped on


def test_a_slow_answer_for_a_paper_left_behind_is_dropped(
    qtbot, make_window, topics: Library, monkeypatch
) -> None:
    window = make_window(topics)
    related = window.routine.related
    qtbot.waitUntil(lambda: related.answered >= 1, timeout=10_000)
    real = topics.related
    slow = ids_of("experts")[0]
    cancelled: list[bool] = []

    def sometimes_slow(pid, limit=10, cancel=None):
        if pid == slow:
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline and not (cancel and cancel()):
                time.sleep(0.01)
            cancelled.append(bool(cancel and cancel()))
        return real(pid, limit, cancel)

    monkeypatch.setattr(topics, "related", sometimes_slow)
    shown: list[int] = []
    real_show = window.detail.related.show_hits
    monkeypatch.setattr(
        window.detail.related,
        "show_hits",
        lambda pid, hits: (shown.append(pid), real_show(pid, hits)),
    )
    select(qtbot, window, slow)
    qtbot.waitUntil(lambda: related.asked == slow)
    retrieval = ids_of("retrieval")[1]
    select(qtbot, window, retrieval)
    qtbot.waitUntil(lambda: window.detail.related.for_paper == retrieval and related.answered > 0)
    qtbot.waitUntil(lambda: cancelled == [True], timeout=5000)  # the worker was told to stop
    qtbot.wait(300)
    assert shown == [retrieval]  # the slow paper's answer never reached the pane
    assert related_ids(window) == [hit.id for hit in real(retrieval, 6)]


def test_clicking_a_related_paper_selects_it_here_or_in_all_papers(
    qtbot, make_window, topics: Library
) -> None:
    retrieval = ids_of("retrieval")
    topics.add_tags(retrieval[:1], ["mine"])
    window = make_window(topics)
    select(qtbot, window, retrieval[0])
    section = window.detail.related
    qtbot.waitUntil(
        lambda: section.for_paper == retrieval[0] and bool(section.hits), timeout=10_000
    )
    target = related_ids(window)[0]
    qtbot.mouseClick(section.rows[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.table.current_id() == target)
    assert window.sidebar.current_key() == ("all", None)
    # in a tag that holds only the first paper, a click leaves for All papers
    click_sidebar(qtbot, window.sidebar, ("tag", "mine"))
    qtbot.waitUntil(lambda: list(window.model.ids) == retrieval[:1])
    qtbot.waitUntil(
        lambda: section.for_paper == retrieval[0] and bool(section.hits), timeout=10_000
    )
    second = related_ids(window)[1]
    qtbot.mouseClick(section.rows[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sidebar.current_key() == ("all", None))
    qtbot.waitUntil(lambda: window.table.current_id() == second)
