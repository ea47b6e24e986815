"""Reading PDFs in a separate process with a time limit and a memory cap, so none can hang us."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from storage.pdf.extract import FAILED, MAX_CHARS_PER_PAGE, MAX_PAGES, PdfText, extract_text
from storage.pdf.extract import source_name as _source_name
from storage.pdf.identify import PdfIdentity, arxiv_from_name, identify

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "PdfWorker", "read_pdf"]

DEFAULT_TIMEOUT = 60.0  # seconds for one file
DEFAULT_MEMORY_MB = 1024  # address space of the worker process (POSIX only)

Reader = Callable[[Any, "str | None", int, int], "tuple[PdfText, PdfIdentity]"]


def read_pdf(
    source: bytes | str, name: str | None, max_pages: int, max_chars: int
) -> tuple[PdfText, PdfIdentity]:
    """Text and identity of one PDF, in this process."""
    text = extract_text(source, name, max_pages, max_chars)
    return text, identify(source, name, text)


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit
        return
    limit = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(connection: Connection, memory_mb: int, reader: Reader) -> None:
    """The worker's loop: one request in, one answer out, until the pipe closes."""
    _limit_memory(memory_mb)
    while True:
        try:
            source, name, max_pages, max_chars = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", reader(source, name, max_pages, max_chars))
        except MemoryError:
            answer = ("failed", f"needs more than {memory_mb} MB of memory")
        except Exception as error:  # a bug must not kill the worker; the caller reports it
            answer = ("failed", f"could not be read ({type(error).__name__}: {error})")
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return


class PdfWorker:
    """One worker process, reused from file to file and restarted after a timeout or a crash.

    Not thread-safe: give each thread its own worker (PDFium itself is not thread-safe either).
    """

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        reader: Reader = read_pdf,
    ) -> None:
        self.timeout, self.memory_mb, self.reader = timeout, memory_mb, reader
        self._context = multiprocessing.get_context("spawn")  # no fork: safe beside Qt threads
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._stop()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self.memory_mb, self.reader), daemon=True
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        return parent

    def _stop(self) -> int | None:
        """Kill the worker (if any); its exit code."""
        code = None
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
            code = self._process.exitcode
            self._process.close()
        self._process = self._connection = None
        return code

    def close(self) -> None:
        """Stop the worker process; the next read starts a new one."""
        self._stop()

    def read(
        self,
        source: bytes | str | os.PathLike[str],
        name: str | None = None,
        max_pages: int = MAX_PAGES,
        max_chars: int = MAX_CHARS_PER_PAGE,
    ) -> tuple[PdfText, PdfIdentity]:
        """Text and identity of one PDF; a hang, a crash or too much memory is a FAILED text."""
        label = _source_name(source, name)
        payload = source if isinstance(source, bytes) else os.fspath(source)
        connection = self._start()
        try:
            connection.send((payload, name, max_pages, max_chars))
            if not connection.poll(self.timeout):
                self._stop()
                return self._failed(label, f"took longer than {self.timeout:g} s; stopped")
            status, value = connection.recv()
        except (EOFError, OSError):
            code = self._stop()
            return self._failed(label, f"made the PDF reader crash (exit code {code})")
        if status != "ok":
            if "memory" in value:  # the worker may be left in a poor state
                self._stop()
            return self._failed(label, value)
        return value

    @staticmethod
    def _failed(label: str, reason: str) -> tuple[PdfText, PdfIdentity]:
        arxiv = arxiv_from_name(os.path.basename(label))  # what the name says still holds
        identity = PdfIdentity(arxiv_id=arxiv, arxiv_from="name" if arxiv else None)
        return PdfText(label, FAILED, reason=f"{label}: {reason}"), identity
