"""Detail-pane probe: how long showing one paper takes with many tags or a huge abstract.

`python -m tests.bench.detail_probe [250 1000 10000 ...] [--abstract-mb 1]` builds a library
in a temporary folder with one paper per tag count (and one with an abstract of that many MB),
shows each in a real DetailPane (offscreen, 420 px wide, as in the window) and times
show_paper() plus the layout and paint that follow, until the event queue is empty. Each paper
is shown after another, so the pane really rebuilds. Prints one JSON line per paper.
Not a unit test: the figures depend on the machine.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.gui.detail import DetailPane  # noqa: E402
from storage.library import Library  # noqa: E402


def timed_show(app: QApplication, pane: DetailPane, pid: int) -> float:
    start = time.perf_counter()
    pane.show_paper(pid)
    pane.repaint()
    app.processEvents()
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    megabytes = 1.0
    if "--abstract-mb" in argv:
        at = argv.index("--abstract-mb")
        megabytes = float(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    counts = [int(a) for a in argv if a.isdigit()] or [250, 1000, 10000]
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder) / "lib")
        bib = Path(folder) / "one.bib"
        bib.write_text(
            "".join(
                f"@article{{p{i}, title = {{Paper {i}}}, year = {{2020}}}}\n"
                for i in range(len(counts) + 2)
            ),
            encoding="utf-8",
        )
        library.import_file(bib)
        ids = library.paper_ids()
        base, rest = ids[0], ids[1:]
        for pid, count in zip(rest, counts, strict=False):
            library.add_tags([pid], [f"topic-{n:05d}" for n in range(count)])
        words = "attention heads prune sparse models graph diffusion tokens "
        abstract = (words * int(megabytes * 1_000_000 / len(words) + 1))[: int(megabytes * 1e6)]
        library.update_paper(rest[len(counts)], abstract=abstract)
        pane = DetailPane(library)
        pane.resize(420, 900)
        pane.show()
        app.processEvents()
        for label, pid in [*((f"{c} tags", p) for c, p in zip(counts, rest, strict=False)),
                           (f"{megabytes:g} MB abstract", rest[len(counts)])]:  # fmt: skip
            timed_show(app, pane, base)
            seconds = timed_show(app, pane, pid)
            print(json.dumps({"paper": label, "show_ms": round(seconds * 1000, 1)}), flush=True)
        pane.close()
        library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
