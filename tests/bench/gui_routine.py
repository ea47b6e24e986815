"""GUI-thread cost of the daily routine's background work (run by tests.bench.gui_probe).

`gui_probe related LIB [STEPS]` arrows through the table of the real window (offscreen), one
Down key every 33 ms (keyboard auto-repeat), first with the detail pane's related papers
switched off (the baseline, same run), then on; then it browses, resting 400 ms on each of
20 papers so that each one's related papers are computed on the worker while the 10 ms
ticker runs. It reports per key the GUI-thread time of handling it, the longest gap between
ticks, and how long after the last key the related papers were shown.

`gui_probe refit LIB TAG` opens "Suggested for TAG" and times the fit on its worker (the
first one reads or builds the TF-IDF rows), then F5 twice more (warm), with the longest gap
between ticks during each; and a cancel: how long after Cancel the worker stops.
"""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from storage.related.files import BASE_FILE
from tests.bench.gui_probe import Ticker, open_window, wait_until

KEY_PERIOD_S = 0.033  # keyboard auto-repeat, ~30 keys a second
REST_S = 0.4  # browsing: how long the selection rests on each paper


def pump(app: QApplication, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def arrow(app: QApplication, window, steps: int, period: float) -> dict[str, float]:
    """Press Down `steps` times, one every `period` s; GUI time per key and the longest gap."""
    table = window.table
    ticker = Ticker()
    ticker.start()
    costs: list[float] = []
    for _ in range(steps):
        start = time.perf_counter()
        QTest.keyClick(table, Qt.Key.Key_Down)
        app.processEvents()
        costs.append(time.perf_counter() - start)
        pump(app, max(0.0, period - costs[-1]))
    gaps = ticker.stop()
    return {
        "keys": steps,
        "key_p50_ms": statistics.median(costs) * 1000,
        "key_p95_ms": sorted(costs)[int(len(costs) * 0.95)] * 1000,
        "key_max_ms": max(costs) * 1000,
        "max_gap_ms": max(gaps, default=0.0) * 1000,
    }


def probe_related(folder: Path, steps: int) -> dict[str, object]:
    from app.gui.main import application

    app = application()
    cached = (folder / "cache" / BASE_FILE).exists()
    window, opened = open_window(app, folder)
    related = window.routine.related
    table = window.table
    table.setFocus()
    table.select_row(0)
    # the first answer reads the TF-IDF rows (from the cache, or builds them)
    ticker = Ticker()
    ticker.start()
    start = time.perf_counter()
    first = related.answered
    wait_until(app, lambda: related.answered > first, timeout=600)
    result: dict[str, object] = {
        "rows": opened["rows"],
        "first_answer_s": time.perf_counter() - start,
        "first_answer_max_gap_ms": max(ticker.stop(), default=0.0) * 1000,
        "terms_cached_before": cached,  # False: the first answer built the TF-IDF rows
    }

    real_moved = related.moved
    related.moved = lambda: None  # type: ignore[method-assign]  # the pane off: baseline
    result["arrowing_off"] = arrow(app, window, steps, KEY_PERIOD_S)
    related.moved = real_moved  # type: ignore[method-assign]
    before = related.answered
    result["arrowing_on"] = arrow(app, window, steps, KEY_PERIOD_S)
    last_key = time.perf_counter()
    wait_until(app, lambda: related.answered > before, timeout=60)
    result["answer_after_last_key_ms"] = (time.perf_counter() - last_key) * 1000
    result["answers_while_arrowing"] = related.answered - before
    off, on = result["arrowing_off"], result["arrowing_on"]
    result["key_p50_on_vs_off"] = on["key_p50_ms"] / off["key_p50_ms"]  # type: ignore[index]

    related.moved = lambda: None  # type: ignore[method-assign]
    result["browsing_off"] = browse(app, window, related)
    related.moved = real_moved  # type: ignore[method-assign]
    result["browsing_on"] = browse(app, window, related)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    window.library.close()
    return result


def browse(app: QApplication, window, related) -> dict[str, object]:
    """Rest REST_S on each of 20 papers: the longest gap while each one's related papers are
    computed on the worker (or not, with the pane off)."""
    ticker = Ticker()
    ticker.start()
    shown_before = related.answered
    costs: list[float] = []
    for _ in range(20):
        start = time.perf_counter()
        QTest.keyClick(window.table, Qt.Key.Key_Down)
        app.processEvents()
        costs.append(time.perf_counter() - start)
        pump(app, REST_S)
    gaps = ticker.stop()
    answered = related.answered - shown_before
    seconds = related.seconds[-answered:] if answered else []
    return {
        "papers": 20,
        "answered": answered,
        "worker_p50_ms": statistics.median(seconds) * 1000 if seconds else None,
        "key_p50_ms": statistics.median(costs) * 1000,
        "max_gap_ms": max(gaps, default=0.0) * 1000,
    }


def timed_fit(app: QApplication, window, start_fit) -> dict[str, float]:
    suggestions = window.routine.suggestions
    ticker = Ticker()
    ticker.start()
    pump(app, 0.05)
    start = time.perf_counter()
    start_fit()
    wait_until(app, lambda: suggestions.fitting is None, timeout=1800)
    seconds = time.perf_counter() - start
    pump(app, 0.1)
    gaps = ticker.stop()
    return {"seconds": seconds, "max_gap_ms": max(gaps, default=0.0) * 1000}


def probe_refit(folder: Path, tag: str) -> dict[str, object]:
    from app.gui.main import application

    app = application()
    cached = (folder / "cache" / BASE_FILE).exists()
    window, opened = open_window(app, folder)
    sidebar, suggestions = window.sidebar, window.routine.suggestions
    result: dict[str, object] = {"rows": opened["rows"], "tag": tag, "terms_cached": cached}
    result["positives"] = len(window.library.paper_ids(tag=tag))
    sidebar.select(("tag", tag))
    wait_until(app, lambda: sidebar.item_for(("suggest-tag", tag)) is not None)

    def first() -> None:
        sidebar.select(("suggest-tag", tag))

    result["first_fit"] = timed_fit(app, window, first)
    result["shown"] = window.model.rowCount()
    warm = [timed_fit(app, window, lambda: QTest.keyClick(window.table, Qt.Key.Key_F5))]
    warm.append(timed_fit(app, window, lambda: QTest.keyClick(window.table, Qt.Key.Key_F5)))
    result["refit"] = {
        "seconds_p50": statistics.median(w["seconds"] for w in warm),
        "max_gap_ms": max(w["max_gap_ms"] for w in warm),
    }
    # a cancel: the fit asked to stop right after it started (its worker checks between steps)
    window.table.setFocus()
    start = time.perf_counter()
    suggestions.refit()
    suggestions.cancel()
    worker = suggestions.worker
    wait_until(app, lambda: not worker.busy, timeout=600)
    result["cancel_stopped_after_s"] = time.perf_counter() - start
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    window.library.close()
    return result
