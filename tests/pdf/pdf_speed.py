"""Pages/s of PDF extraction in process and in a worker: `python tests/pdf/pdf_speed.py FILE…`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.pdf import PdfWorker, extract_text, identify  # noqa: E402


def best_of(runs: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main(files: list[str], runs: int = 7) -> None:
    with PdfWorker() as worker:
        for file in files:
            text = extract_text(file)
            pages = text.page_count
            extract = best_of(runs, lambda: extract_text(file))  # noqa: B023
            ident = best_of(runs, lambda: identify(file, text=text))  # noqa: B023
            isolated = best_of(runs, lambda: worker.read(file))  # noqa: B023
            print(
                f"{file}: {pages} pages, {sum(map(len, text.pages))} chars, best of {runs}: "
                f"extract {extract * 1000:.1f} ms = {pages / extract:.0f} pages/s; "
                f"identify +{ident * 1000:.1f} ms; "
                f"worker (extract + identify) {isolated * 1000:.1f} ms"
                f" = {pages / isolated:.0f} pages/s"
            )


if __name__ == "__main__":  # the worker process imports this module again: keep it guarded
    main(sys.argv[1:])
