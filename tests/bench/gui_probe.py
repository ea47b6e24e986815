"""GUI benchmark probe: the real window (offscreen) on a big library, in its own process.

`python -m tests.bench.gui_probe open LIB Q1 Q2 …` times opening the window until the table
shows rows (and the first paper is selected and shown), then, per query, the work a
keystroke triggers in the search field: the field debounces typing (searchbar.DEBOUNCE_MS)
and then the window computes the query's ids on a worker thread and shows them on the GUI
thread, so the probe sets the text, calls SearchBar.flush(), which skips the pause, and waits
(events running) until the result is shown. A 10 ms QTimer measures how long the GUI thread
was blocked. Prints JSON, with the peak RSS (VmHWM).

`python -m tests.bench.gui_probe related LIB [STEPS]` and `refit LIB TAG` measure the daily
routine's background work from the GUI thread (see tests/bench/gui_routine.py).

`python -m tests.bench.gui_probe import LIB BIB` imports BIB through the window's importer
(the app's worker thread) while the 10 ms timer ticks, and reports the longest gap between
ticks while the import ran and while the window took in its result.

`open` also asks related papers and a tag's suggestions (and a logistic refit) on a worker
thread while the timer ticks, with the memory before and after (the matrix mapped in).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.bench.probe import memory_mb, peak_rss_mb

START = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The PDF readers an import starts are spawned processes that import this module again (as
# __mp_main__): they need none of Qt, so it is imported only when the probe really runs.
if __name__ != "__mp_main__":
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui.main import application, window_ready


class Ticker:
    """Records the gaps between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last: float | None = None
        self.gaps: list[float] = []

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            self.gaps.append(now - self.last)
        self.last = now

    def start(self) -> None:
        self.gaps, self.last = [], None
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def wait_until(app: QApplication, done, timeout: float = 120.0) -> bool:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.001)
    return True


def settings() -> QSettings:
    path = Path(tempfile.mkdtemp(prefix="papershelf-bench-")) / "settings.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


def open_window(app: QApplication, folder: Path) -> tuple[object, dict[str, float]]:
    from app.gui.window import MainWindow
    from storage.library import Library

    t0 = time.perf_counter()
    library = Library(folder)
    t1 = time.perf_counter()
    window = MainWindow(library, settings())
    gc.freeze()  # as app.gui.main does once the window is made
    window.save_on_close = False
    window.resize(1400, 900)
    window.show()
    t2 = time.perf_counter()
    wait_until(app, lambda: window.model.rowCount() > 0 and window_ready(window))
    for _ in range(3):  # first paint of the visible rows
        app.processEvents()
    t3 = time.perf_counter()
    return window, {
        "library_open_s": t1 - t0,
        "window_construct_s": t2 - t1,
        "to_first_rows_s": t3 - t0,
        "process_start_to_rows_s": t3 - START,
        "rows": window.model.rowCount(),
    }


def probe_open(folder: Path, queries: list[str], idle_s: float = 0.0) -> dict[str, object]:
    """The window opened on folder, then queries typed one after the other; with idle_s, the
    user first looks at the window that long (its idle-time warm-up runs meanwhile)."""
    app = application()
    window, result = open_window(app, folder)
    deadline = time.perf_counter() + idle_s
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    result["idle_before_typing_s"] = idle_s
    library = window.library
    timing = {"paper_matches": 0.0}  # the search worker's evaluation of the query
    real_paper_matches = library.paper_matches

    def timed_paper_matches(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_paper_matches(*args, **kwargs)
        finally:
            timing["paper_matches"] += time.perf_counter() - start

    library.paper_matches = timed_paper_matches  # type: ignore[method-assign]
    ticker = Ticker()
    searches = []
    for text in queries:
        ticker.start()
        for _ in range(3):
            app.processEvents()
            time.sleep(0.012)
        timing["paper_matches"] = 0.0
        start = time.perf_counter()
        window.search.field.setText(text)
        window.search.flush()  # what the debounce timer calls after the pause
        wait_until(app, lambda: window_ready(window))
        app.processEvents()
        elapsed = time.perf_counter() - start
        for _ in range(3):
            app.processEvents()
            time.sleep(0.012)
        gaps = ticker.stop()
        searches.append(
            {
                "query": text,
                "seconds": elapsed,
                "paper_matches_s": timing["paper_matches"],
                "rows": window.model.rowCount(),
                "max_gap_s": max(gaps, default=0.0),
            }
        )
    window.search.field.setText("")
    window.search.flush()
    result["searches"] = searches
    result["maxrss_mb"] = peak_rss_mb()
    result["related"] = probe_related(app, library)
    result["maxrss_with_related_mb"] = peak_rss_mb()
    window.close()
    library.close()
    return result


def busy() -> None:
    """About a second of sorting (numpy lets go of the GIL while it sorts)."""
    import numpy as np

    values = np.random.default_rng(1).random(2_000_000)
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:
        np.sort(values)


def probe_related(app: QApplication, library) -> dict[str, object]:
    """Related papers and a tag's suggestions asked off the GUI thread, as the window asks
    them, while the 10 ms timer ticks: the first answer opens the cached matrix. Memory
    before and after (the matrix is mapped from the cache file, not read into memory)."""
    ids = library.paper_ids()
    tags = library.tag_counts()
    tag = min(tags, key=lambda t: abs(t.count - 1000)).name if tags else None
    steps = [
        ("idle", lambda: time.sleep(1.0)),  # the gaps the machine's load alone causes
        ("busy", busy),  # ...and a worker using a core without holding the GIL
        ("related_first", lambda: library.related(ids[0], limit=6)),
        ("related_next", lambda: library.related(ids[len(ids) // 2], limit=6)),
    ]
    if tag is not None:
        steps.append(("suggest", lambda: library.recommend(tag=tag, limit=20)))
        steps.append(
            ("refit_logistic", lambda: library.recommend(tag=tag, limit=20, model="logistic"))
        )
    found: dict[str, object] = {"memory_before_mb": memory_mb(), "tag": tag}
    ticker = Ticker()
    for name, work in steps:
        done = threading.Event()
        start = time.perf_counter()
        ticker.start()
        threading.Thread(target=lambda w=work, d=done: (w(), d.set()), daemon=True).start()
        wait_until(app, done.is_set, timeout=600)
        seconds = time.perf_counter() - start
        gaps = ticker.stop()
        found[name] = {
            "seconds": seconds,
            "max_gap_s": max(gaps, default=0.0),
            "memory_mb": memory_mb(),
        }
    found["memory_after_mb"] = memory_mb()
    return found


def idle_gaps(app: QApplication, seconds: float) -> list[float]:
    """The 10 ms timer's gaps while the window does nothing: the machine's own noise, the
    baseline the stalls are compared with (measured in the same process, same run)."""
    ticker = Ticker()
    ticker.start()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    return ticker.stop()


def busy_idle_gaps(app: QApplication, seconds: float) -> list[float]:
    """The idle window's gaps while every core spins in processes at the library process's
    priority: what the scheduler alone costs the window while an import's indexing runs."""
    import subprocess

    from storage.background.serve import NICENESS

    spin = "import os, time\nos.nice(%d)\nend = time.time() + %f\nwhile time.time() < end: pass"
    burners = [
        subprocess.Popen([sys.executable, "-c", spin % (NICENESS, seconds + 1.0)])
        for _ in range((os.cpu_count() or 1) + 1)
    ]
    time.sleep(0.3)
    try:
        return idle_gaps(app, seconds)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def gap_summary(gaps: list[float]) -> dict[str, float]:
    ordered = sorted(gaps)
    return {
        "max_s": ordered[-1] if ordered else 0.0,
        "p99_s": ordered[int(len(ordered) * 0.99)] if ordered else 0.0,
        "over_50ms": sum(1 for g in gaps if g > 0.05),
        "ticks": len(gaps),
    }


def probe_import(folder: Path, bib: Path) -> dict[str, object]:
    """Import BIB through the window (its library process) while the 10 ms timer ticks:
    the longest gap until the papers show (time to rows), until a search finds them (time to
    searchable), and while the window takes in each result; the idle window's gaps first."""
    app = application()
    window, opened = open_window(app, folder)
    idle = idle_gaps(app, 3.0)
    busy = busy_idle_gaps(app, 3.0)
    before = opened["rows"]
    ticker = Ticker()
    ticker.start()
    for _ in range(5):
        app.processEvents()
        time.sleep(0.012)
    finished: list[object] = []
    indexed: list[object] = []
    window.importer.finished.connect(finished.append)
    window.importer.indexed.connect(indexed.append)
    start = time.perf_counter()
    task = window.importer.import_paths([bib])
    assert task is not None
    wait_until(app, lambda: task.done, timeout=1800)
    stored_s = time.perf_counter() - start
    storing = list(ticker.gaps)
    wait_until(app, lambda: bool(finished) and window.settled, timeout=600)
    rows_s = time.perf_counter() - start
    rows = window.model.rowCount()
    taking = ticker.gaps[len(storing) :]
    wait_until(app, lambda: bool(indexed), timeout=3600)
    wait_until(app, lambda: window.settled, timeout=600)
    searchable_s = time.perf_counter() - start
    for _ in range(5):
        app.processEvents()
        time.sleep(0.012)
    gaps = ticker.stop()
    probe_word = window.library.paper_ids(query="retrieval")
    result = {
        "papers_before": before,
        "rows_after": rows,
        "new_rows": rows - before,
        "stored_s": stored_s,
        "time_to_rows_s": rows_s,
        "time_to_searchable_s": searchable_s,
        "in_step": getattr(indexed[0], "in_step", False) if indexed else False,
        "searchable_matches": len(probe_word),
        "idle": gap_summary(idle),
        "idle_cores_busy": gap_summary(busy),
        "indexing": gap_summary(gaps[len(storing) + len(taking) :]),
        "storing": gap_summary(storing),
        "taking_rows": gap_summary(taking),
        "whole_import": gap_summary(gaps),
        # the names the run's table has read since before (kept: same meaning)
        "import_s": stored_s,
        "max_gap_during_import_s": max(gaps, default=0.0),
        "max_gap_taking_result_s": max(taking, default=0.0),
        "maxrss_mb": peak_rss_mb(),
    }
    window.close()
    window.library.close()
    return result


def main(argv: list[str]) -> int:
    command, folder = argv[0], Path(argv[1])
    if command == "open":
        idle = 0.0
        if len(argv) > 3 and argv[2] == "--idle":  # open LIB --idle SECONDS QUERY...
            idle, argv = float(argv[3]), argv[:2] + argv[4:]
        result = probe_open(folder, argv[2:], idle)
    elif command == "import":
        result = probe_import(folder, Path(argv[2]))
    elif command == "related":  # the detail pane's related papers (tests.bench.gui_routine)
        from tests.bench.gui_routine import probe_related

        result = probe_related(folder, int(argv[2]) if len(argv) > 2 else 200)
    elif command == "refit":  # a tag's suggestions fitted on their worker
        from tests.bench.gui_routine import probe_refit

        result = probe_refit(folder, argv[2])
    else:
        print(f"unknown probe {command}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown of a big window: not what is measured


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
