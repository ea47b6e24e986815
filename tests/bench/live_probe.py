"""Live-update probe: what noticing a change made elsewhere costs the window.

`python -m tests.bench.live_probe [--papers 10000] [--rounds 20]` builds a library of that many
generated papers in a temporary folder, opens the window on it (offscreen), and measures:
- a look with nothing changed (PRAGMA data_version on the watch's own connection), per look;
- after another Library tags one paper on screen: the GUI thread's time in the poll and in
  taking in the ids the worker read, and the time until the row shows the tag;
- the baseline, in the same run: the window's own edit of the same kind (a tag added through
  the window's apply_change, what every edit made in the window costs).
Prints one JSON line. Not a unit test: the figures depend on the machine.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))
from gui_support import write_bibtex  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from app.gui.main import application, window_ready  # noqa: E402


def pump(app, until, timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while not until():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the window did not catch up")
        time.sleep(0.0005)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    papers = int(argv[argv.index("--papers") + 1]) if "--papers" in argv else 10_000
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 20
    from app.gui.window import MainWindow
    from storage.library import Library

    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        with Library(folder) as seed:
            seed.import_file(write_bibtex(Path(tmp) / "papers.bib", papers))
        library = Library(folder)
        other = Library(folder)
        window = MainWindow(
            library, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        )
        window.save_on_close = False
        window.live.timer.stop()  # polled by hand below, to time each part
        window.resize(1400, 900)
        window.show()
        pump(app, lambda: window_ready(window))
        tags_column = 3

        looks = []
        for _ in range(1000):
            start = time.perf_counter()
            window.live.watch.changed()
            looks.append(time.perf_counter() - start)

        poll_s, finish_s, shown_s, own_s = [], [], [], []
        real_finish = window.live.finish

        def timed_finish(request, ids):
            start = time.perf_counter()
            real_finish(request, ids)
            finish_s.append(time.perf_counter() - start)

        window.live.finish = timed_finish
        for i in range(rounds):
            pid = window.model.id_at(i % 20)
            row = window.model.row_of(pid)
            other.add_tags([pid], [f"elsewhere{i}"])
            start = time.perf_counter()
            assert window.live.poll()
            poll_s.append(time.perf_counter() - start)
            tag = f"elsewhere{i}"
            shown = lambda r=row, t=tag: t in str(window.model.index(r, tags_column).data())  # noqa: E731
            shown_s.append(poll_s[-1] + pump(app, shown))
            pump(app, lambda: not window.search_pending)
            change = library.add_tags([pid], [f"here{i}"])  # the baseline: an edit in the window
            start = time.perf_counter()
            window.apply_change(change)
            own_s.append(time.perf_counter() - start)
            window.live.watch.changed()  # the window's own edit: not counted again
        window.close()
        other.close()
        library.close()

    def ms(values: list[float]) -> float:
        return round(statistics.median(values) * 1000, 2)

    gui = [p + f for p, f in zip(poll_s, finish_s, strict=True)]
    print(
        json.dumps(
            {
                "papers": papers,
                "look_us_median": round(statistics.median(looks) * 1e6, 1),
                "external_gui_thread_ms_median": ms(gui),
                "external_until_shown_ms_median": ms(shown_s),
                "own_edit_apply_change_ms_median": ms(own_s),
                "external_gui_vs_own_edit": round(
                    statistics.median(gui) / statistics.median(own_s), 2
                ),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
