"""One PDF open in its own process for a reader.

A page that crashes PDFium or takes too long costs that page (a one-line message), never the
caller; the process restarts for the next."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from storage.pdfpages.access import PagesError, open_document
from storage.pdfpages.document import DocumentInfo, Rendered, document_info, page_text, render_page
from storage.pdfpages.links import Link, page_links
from storage.pdfpages.text import PageText

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "PageServer", "PdfPages"]

DEFAULT_TIMEOUT = 10.0  # seconds for one page (or for opening the file)
DEFAULT_MEMORY_MB = 1536  # address space of the process (POSIX): a 40 MP page and PDFium


class PageServer:
    """What the process does with one request; tests pass a subclass that misbehaves."""

    def __init__(self) -> None:
        self.document: Any = None
        self.name = "PDF"

    def open(self, path: str, name: str) -> DocumentInfo:
        self.close()
        self.document = open_document(path, name)
        self.name = name
        return document_info(self.document, name)

    def render(self, index: int, scale: float) -> Rendered:
        return render_page(self._document(), index, scale, self.name)

    def text(self, index: int) -> PageText:
        return page_text(self._document(), index, self.name)

    def links(self, index: int) -> list[Link]:
        return page_links(self._document(), index, self.name)

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        if self.document is not None:
            with contextlib.suppress(Exception):
                self.document.close()
        self.document = None

    def _document(self) -> Any:
        if self.document is None:
            raise PagesError("no document is open")
        return self.document


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


def _serve(connection: Connection, memory_mb: int, server_type: type[PageServer]) -> None:
    """The process's loop: (operation, arguments) in, ("ok", value) or ("failed", line) out."""
    _limit_memory(memory_mb)
    server = server_type()
    while True:
        try:
            operation, arguments = connection.recv()
        except (EOFError, OSError):
            server.close()
            return
        try:
            answer: tuple[str, Any] = ("ok", getattr(server, operation)(*arguments))
        except PagesError as error:
            answer = ("failed", error.message)
        except MemoryError:
            answer = ("failed", f"{server.name}: needs more than {memory_mb} MB of memory")
        except Exception as error:  # a bug must not end the process; the caller says so
            answer = ("failed", f"{server.name}: {type(error).__name__}: {error}")
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return


class PdfPages:
    """A PDF opened for reading in a process of its own, one request at a time.

    start() may run early (the process takes ~0.1 s to come up); open(path) loads the file and
    gives its DocumentInfo. render/text/links raise PagesError with one line naming the page
    when it fails, takes longer than `timeout` or crashes the process; the process is then
    started again (and the file reopened) for the next request, and that page fails at once
    from then on. Not thread-safe: one thread talks to one PdfPages."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        server: type[PageServer] = PageServer,
    ) -> None:
        self.timeout, self.memory_mb, self.server = timeout, memory_mb, server
        self._context = multiprocessing.get_context("spawn")  # no fork beside Qt's threads
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._source: tuple[str, str] | None = None  # (path, name) once opened
        self._opened = False  # the running process has the document open
        self.info: DocumentInfo | None = None
        self.broken: dict[tuple[str, int], str] = {}  # pages that hung or crashed, and why
        self.restarts = 0

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self._source[1] if self._source else "PDF"

    def start(self) -> None:
        """Start the process now (a reader may do so before it knows the file)."""
        if self._process is not None and self._process.is_alive() and self._connection:
            return
        self._stop()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self.memory_mb, self.server), daemon=True,
            name="papershelf-pages",
        )  # fmt: skip
        process.start()
        child.close()
        self._process, self._connection, self._opened = process, parent, False

    def _stop(self) -> int | None:
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
        self._opened = False
        return code

    def close(self) -> None:
        """Stop the process; the document is closed with it."""
        self._stop()

    def abort(self) -> None:
        """Kill the process from another thread: the request waiting on it fails at once (the
        thread that owns this object then calls close())."""
        process = self._process
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()

    def _call(self, operation: str, arguments: tuple[Any, ...], what: str) -> Any:
        self.start()
        connection = self._connection
        assert connection is not None
        try:
            connection.send((operation, arguments))
            if not connection.poll(self.timeout):
                self._stop()
                self.restarts += 1
                raise PagesError(f"{what}: took longer than {self.timeout:g} s; stopped")
            status, value = connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self._stop()
            self.restarts += 1
            raise PagesError(f"{what}: made the PDF reader crash (exit code {code})") from None
        if status != "ok":
            if "memory" in str(value):
                self._stop()  # the process may be left in a poor state
            raise PagesError(str(value))
        return value

    def open(self, path: str | os.PathLike[str], name: str | None = None) -> DocumentInfo:
        """Open the file (in the process); its page sizes and outline, or PagesError."""
        source = (os.fspath(path), name or Path(path).name)
        self._source, self.broken, self.info = source, {}, None
        self.info = self._call("open", source, source[1])
        self._opened = True
        return self.info

    def _ensure_open(self) -> None:
        if self._source is None:
            raise PagesError("no document is open")
        self.start()
        if not self._opened:
            self.info = self._call("open", self._source, self._source[1])
            self._opened = True

    def _page_call(self, operation: str, index: int, *arguments: Any) -> Any:
        key = (operation, index)
        if key in self.broken:
            raise PagesError(self.broken[key])
        self._ensure_open()
        what = f"{self.name}, page {index + 1}"
        restarts = self.restarts
        try:
            return self._call(operation, (index, *arguments), what)
        except PagesError as error:
            if self.restarts != restarts:  # it hung or crashed: never again this session
                self.broken[key] = error.message
            raise

    def render(self, index: int, scale: float) -> Rendered:
        """Page `index` (0-based) drawn at `scale` pixels a point."""
        return self._page_call("render", index, scale)

    def text(self, index: int) -> PageText:
        """Page `index`'s characters with their boxes."""
        return self._page_call("text", index)

    def links(self, index: int) -> list[Link]:
        """Page `index`'s links."""
        return self._page_call("links", index)

    def warm(self) -> None:
        """Start the process and wait until it answers (its imports done)."""
        self._call("ping", (), "PDF reader")
