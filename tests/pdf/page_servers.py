"""Misbehaving page servers for the reader's worker tests, importable by the worker process."""

from __future__ import annotations

import os
import signal
import time

from storage.pdfpages import PageServer, Rendered


class SlowPageTwo(PageServer):
    """Hangs drawing page 2 (index 1), as a hostile page may."""

    def render(self, index: int, scale: float) -> Rendered:
        if index == 1:
            time.sleep(60)
        return super().render(index, scale)


class CrashOnPageThree(PageServer):
    """Dies on page 3's text the way a PDFium segfault kills the process."""

    def text(self, index: int):  # type: ignore[no-untyped-def]
        if index == 2:
            os.kill(os.getpid(), signal.SIGSEGV)
        return super().text(index)


class Buggy(PageServer):
    def links(self, index: int):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")
