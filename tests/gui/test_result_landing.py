"""What the GUI thread does when a search result lands: little, in short turns (issue 15).

The window's longest stall while searching is measured by `make bench` (tests/bench/gui_probe);
these tests check the order and the place of the work, never its time."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from gui_support import settle, type_search
from PySide6.QtCore import QEvent, QObject

from storage.library import Library

pytestmark = pytest.mark.gui
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_markdown_renderer_is_warm_before_the_first_note_shows(make_library, tmp_path: Path):
    """A fresh process: once the window is open, Markdown's extensions are imported already,
    on a side thread, though no note was shown (the first note's ~20 ms of imports and entry
    point scan used to land inside a search result's paint on the GUI thread)."""
    library: Library = make_library(3)  # no notes: nothing renders one on the GUI thread
    folder = library.folder
    library.close()
    code = f"""
        import sys, threading, time
        from pathlib import Path
        from PySide6.QtCore import QSettings
        import storage.render
        from app.gui.main import application
        from app.gui.window import MainWindow
        from storage.library import Library

        rendered = []
        real = storage.render.render_markdown
        def render_markdown(text):
            rendered.append(threading.current_thread().name)
            return real(text)
        storage.render.render_markdown = render_markdown
        assert "markdown.extensions.extra" not in sys.modules
        app = application()
        library = Library(Path({str(folder)!r}))
        settings = QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat)
        window = MainWindow(library, settings)
        window.save_on_close = False
        window.show()
        deadline = time.monotonic() + 15
        while "markdown.extensions.extra" not in sys.modules and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        print("extra" in str(sys.modules.get("markdown.extensions.extra")), sorted(set(rendered)))
        window.close()
        library.close()
        """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "True ['papershelf-warm-markdown']"


def test_a_search_results_first_rows_come_read_with_its_ids(
    qtbot, window, library: Library, monkeypatch
) -> None:
    """The rows the table first paints are read on the search worker with the result's ids:
    the GUI thread asks no SQL for them (issue 15: ~3-13 ms of a landing at 100k papers)."""
    threads: list[str] = []
    real = library.rows

    def rows(ids):
        threads.append(threading.current_thread().name)
        return real(ids)

    monkeypatch.setattr(library, "rows", rows)
    fetches = window.model.fetches
    type_search(qtbot, window, "graphs")
    window.table.viewport().repaint()  # the table's first paint of the result
    titles = [window.model.index(row, 0).data() for row in range(window.model.rowCount())]
    assert len(titles) == 3 and all("graphs" in title for title in titles)
    assert window.model.fetches == fetches
    assert threads and threading.main_thread().name not in threads


class Order(QObject):
    """Records the table's paints and the detail pane's shows, in the order they happen."""

    def __init__(self, window) -> None:
        super().__init__()
        self.events: list[str] = []
        self.armed = False
        window.table.viewport().installEventFilter(self)
        real = window.detail.show_paper

        def show_paper(pid):
            if self.armed:
                self.events.append(f"detail {pid}")
            real(pid)

        window.detail.show_paper = show_paper

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if self.armed and event.type() == QEvent.Type.Paint:
            self.events.append("paint")
        return False


def test_the_detail_pane_follows_a_search_after_the_tables_first_paint(
    qtbot, window, library: Library
) -> None:
    """When a search's rows land the table is painted first and the detail pane shows the new
    current paper on the next turn of the event loop: the landing's work on the GUI thread
    comes in two shorter stretches (issue 15), and the pane still ends on the current paper."""
    order = Order(window)
    order.armed = True
    type_search(qtbot, window, "graphs")
    qtbot.waitUntil(lambda: window.detail.current_paper_id == window.table.current_id())
    first = window.table.current_id()
    assert first is not None and "graphs" in window.detail.paper.title
    assert "paint" in order.events and f"detail {first}" in order.events
    assert order.events.index("paint") < order.events.index(f"detail {first}")
    settle(qtbot, window)
    assert window.detail.current_paper_id == window.table.current_id() == first


def test_the_index_is_warmed_on_a_side_thread_after_the_first_rows(
    qtbot, make_window, library: Library, monkeypatch
) -> None:
    """Soon after the window shows its first rows, the word lists a fuzzy or prefix word walks are
    read on a side thread (Library.warm_search): the first `tokenizaton~` does not read them
    while the window waits behind it for the GIL (~170 ms of Python at 100k papers)."""
    threads: list[str] = []
    real = library.warm_search

    def warm(pause=None) -> None:
        threads.append(threading.current_thread().name)
        real(pause)

    monkeypatch.setattr(library, "warm_search", warm)
    window = make_window(library)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    qtbot.waitUntil(lambda: threads == ["papershelf-warm-search"])
    type_search(qtbot, window, "grphs~")
    settle(qtbot, window)
    type_search(qtbot, window, "retrievl~")
    settle(qtbot, window)
    assert threads == ["papershelf-warm-search"]  # once a window, whatever it searches
