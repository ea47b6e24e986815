"""Reader benchmark probe: the real window (offscreen, 1400x900) reading a PDF, in its own process.

`python -m tests.bench.reader_probe open LIB PAPER_ID RUNS` opens the paper's PDF RUNS times (a
new reader tab and PDF process each time, as a user opening it) and times each from the call
to the first page on screen (drawn and painted), and until every page on screen is drawn.

`python -m tests.bench.reader_probe render LIB PAPER_ID ROUNDS` times each page's drawing at the
fit-width scale of that window: through the reader's PDF process (PdfPages.render: PDFium in
the process plus the pixels over the pipe) and, for comparison, PDFium in this process.

`python -m tests.bench.reader_probe scroll LIB PAPER_ID` scrolls the reader from the first page to
the last at about seven screens a second while a 10 ms timer on the GUI thread records how long
it was kept waiting; peak memory of the window's process and of the PDF process.

Each prints one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.gui_probe import Ticker, settings, wait_until  # noqa: E402

SCROLL_TICK_MS = 16
SCREENS_PER_SECOND = 7.5
IDLE_S = 15.0  # the same window doing nothing, measured the same way first (the machine's noise)


class CpuTicker(Ticker):
    """A Ticker that also notes the GUI thread's CPU time in each gap: a long gap with little
    CPU is the thread kept waiting (another process had the core), not its own work."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []
        self._last_cpu = 0.0

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.last is not None:
            self.gaps.append(now - self.last)
            self.cpu.append(cpu - self._last_cpu)
        self.last, self._last_cpu = now, cpu

    def start(self) -> None:
        self.cpu = []
        super().start()

    def summary(self) -> dict[str, float]:
        gaps = sorted(self.gaps)
        longest = max(range(len(self.gaps)), key=self.gaps.__getitem__, default=None)
        return {
            "max_gap_s": gaps[-1] if gaps else 0.0,
            "max_gap_cpu_s": self.cpu[longest] if longest is not None else 0.0,
            "p99_gap_s": gaps[int(len(gaps) * 0.99)] if gaps else 0.0,
            "gaps_over_50ms": sum(1 for gap in gaps if gap > 0.05),
            "ticks": len(gaps),
        }


def _window(folder: Path):  # type: ignore[no-untyped-def]
    from app.gui.main import application
    from app.gui.window import MainWindow
    from storage.library import Library

    app = application()
    library = Library(folder)
    window = MainWindow(library, settings())
    window.save_on_close = False
    window.resize(1400, 900)
    window.show()
    wait_until(app, lambda: window.model.rowCount() > 0)
    for _ in range(5):
        app.processEvents()
        time.sleep(0.01)
    return app, window


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _open_runs(app, window, paper_id: int, runs: int, pause: float) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    ticker = Ticker()
    first, ready, gaps = [], [], []
    for _ in range(runs):
        end = time.perf_counter() + pause  # a user between two papers; spares start meanwhile
        wait_until(app, lambda end=end: time.perf_counter() > end)
        ticker.start()
        for _ in range(5):  # ticks before: the wait while opening is measured too
            app.processEvents()
            time.sleep(0.012)
        start = time.perf_counter()
        reader = window.reader.open_paper(paper_id, page=0)
        assert reader is not None
        wait_until(app, lambda r=reader: r.canvas is not None and r.canvas.cache.get(0) is not None)
        app.processEvents()  # the paint that shows it
        first.append(time.perf_counter() - start)
        wait_until(app, reader.ready)
        app.processEvents()
        ready.append(time.perf_counter() - start)
        wait_until(app, lambda r=reader: r.was_shown)
        for _ in range(5):
            app.processEvents()
            time.sleep(0.012)
        gaps.append(max(ticker.stop(), default=0.0))
        window.reader.tabs.close_tab(window.reader.tabs.indexOf(reader))
    return {"first_page_s": first, "all_on_screen_s": ready, "max_gap_s": gaps}


def probe_open(folder: Path, paper_id: int, runs: int) -> dict[str, object]:
    """Opens as they usually are (a PDF process started ahead, 3 s between papers), then cold
    ones (a new process each time, as the very first open soon after the window starts)."""
    app, window = _window(folder)
    warm = _open_runs(app, window, paper_id, runs, pause=3.0)
    window.reader.warm_ahead = False
    window.reader.pages = window.reader.pages  # drops the spare
    cold = _open_runs(app, window, paper_id, runs, pause=1.0)
    result = {"runs": runs, **warm, "cold": cold, "maxrss_mb": _rss_mb()}
    window.close()
    return result


def probe_render(folder: Path, paper_id: int, rounds: int) -> dict[str, object]:
    from storage.pdfpages import PdfPages, open_document, render_page

    app, window = _window(folder)
    reader = window.reader.open_paper(paper_id, page=0)
    assert reader is not None
    wait_until(app, reader.ready)
    canvas = reader.canvas
    assert canvas is not None
    scale = canvas.device_scale(0)
    pages = len(canvas.layout_)
    path = reader.path
    window.reader.tabs.close_tab(window.reader.tabs.indexOf(reader))
    isolated, local = [], []
    with PdfPages() as process:
        process.open(path)
        process.render(0, scale)  # warm
        for _ in range(rounds):
            for index in range(pages):
                start = time.perf_counter()
                drawn = process.render(index, scale)
                isolated.append(time.perf_counter() - start)
    document = open_document(path, path.name)
    for _ in range(rounds):
        for index in range(pages):
            start = time.perf_counter()
            render_page(document, index, scale)
            local.append(time.perf_counter() - start)
    document.close()
    window.close()
    return {
        "scale": scale,
        "dpi": scale * 72,
        "pixels": [drawn.width, drawn.height],
        "pages": pages,
        "rounds": rounds,
        "process_s": isolated,
        "in_process_s": local,
    }


def probe_scroll(folder: Path, paper_id: int) -> dict[str, object]:
    from PySide6.QtCore import QTimer

    app, window = _window(folder)
    idle_rss = _current_rss_mb()
    reader = window.reader.open_paper(paper_id, page=0)
    assert reader is not None
    wait_until(app, reader.ready)
    canvas = reader.canvas
    assert canvas is not None
    bar = canvas.verticalScrollBar()
    step = max(1, round(canvas.viewport().height() * SCREENS_PER_SECOND * SCROLL_TICK_MS / 1000))
    rss_samples: list[float] = []
    idle = CpuTicker()
    idle.start()
    end = time.perf_counter() + IDLE_S
    wait_until(app, lambda: time.perf_counter() > end)
    idle.stop()

    def scroll() -> None:
        bar.setValue(bar.value() + step)
        rss_samples.append(_current_rss_mb())

    mover = QTimer()
    mover.setInterval(SCROLL_TICK_MS)
    mover.timeout.connect(scroll)
    ticker = CpuTicker()
    ticker.start()
    for _ in range(5):
        app.processEvents()
        time.sleep(0.012)
    start = time.perf_counter()
    mover.start()
    wait_until(app, lambda: bar.value() >= bar.maximum(), timeout=600)
    mover.stop()
    scrolled = time.perf_counter() - start
    wait_until(app, reader.ready, timeout=60)
    settled = time.perf_counter() - start
    ticker.stop()
    result = {
        "pages": len(canvas.layout_),
        "scroll_s": scrolled,
        "settled_s": settled,
        "step_px": step,
        **ticker.summary(),
        "idle": {"seconds": IDLE_S, **idle.summary()},
        "renders_asked": canvas.renders_asked,
        "cache_peak_mb": canvas.cache.peak / 2**20,
        "cache_budget_mb": canvas.cache.budget / 2**20,
        "idle_window_rss_mb": idle_rss,
        "peak_rss_while_scrolling_mb": max(rss_samples, default=0.0),
        "maxrss_mb": _rss_mb(),
    }
    window.reader.tabs.close_tab(window.reader.tabs.indexOf(reader))
    result["pdf_process_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    window.close()
    return result


def main(argv: list[str]) -> int:
    command, folder, paper_id = argv[0], Path(argv[1]), int(argv[2])
    if command == "open":
        result = probe_open(folder, paper_id, int(argv[3]))
    elif command == "render":
        result = probe_render(folder, paper_id, int(argv[3]))
    elif command == "scroll":
        result = probe_scroll(folder, paper_id)
    else:
        print(f"unknown probe {command}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown: not what is measured


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
