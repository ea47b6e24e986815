"""A LibraryProcess.setup for GUI tests: the window's library process imports unhurried."""

from __future__ import annotations

import time
from typing import Any

PAUSE_S = 0.2  # at each progress report: long enough for a Cancel pressed then to arrive


def unhurried_imports(library: Any) -> None:
    """Each import the library process runs pauses at its progress reports, so an import of a
    few thousand entries cannot finish before a Cancel the window sends gets there."""
    real = library.import_file

    def import_file(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def unhurried(done: int, total: int) -> None:
            time.sleep(PAUSE_S)
            if progress is not None:
                progress(done, total)

        return real(*args, progress=unhurried, **kwargs)

    library.import_file = import_file
