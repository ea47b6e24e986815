"""The library process's side: one Library, calls taken in order, progress sent as it goes."""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from storage.background.events import (
    Failed,
    Indexed,
    Indexing,
    Progress,
    Status,
    Stored,
    StoringDone,
)

EVENT_EVERY_S = 0.1  # progress is sent at most this often (and always at the end)
POLL_EVERY_S = 0.02  # how often a running call looks for a cancel (or the window gone)
# Below the window's priority (and its index workers', which inherit it): a core the window
# wants for drawing goes to it first; alone, the process runs as fast as ever.
NICENESS = 5


class Stopped(Exception):  # noqa: N818 (not an error: the window asked to stop, or went away)
    """The window closed or asked the process to stop: the call ends where it is."""


class Server:
    """Runs calls ("import_files", "import_text", "catch_up") on one Library, one at a time.

    Messages in: ("call", id, kind, args), ("cancel", id), ("stop",). Messages out:
    ("ready", pid), ("started", id), ("event", id, event), ("result", id, value),
    ("error", id, exception), ("fatal", text) when the library cannot be opened.
    """

    def __init__(self, connection: Connection, library: Any) -> None:
        self.connection = connection
        self.library = library
        self.backlog: deque[tuple] = deque()  # calls that arrived while another ran
        self.cancelled: set[int] = set()
        self.stopping = False
        self._polled = 0.0
        self._sent: dict[tuple[int, type], tuple[float, int]] = {}  # when, and the count sent

    # --- the loop ------------------------------------------------------------------------

    def serve(self) -> None:
        while not self.stopping:
            message = self.backlog.popleft() if self.backlog else self._receive()
            if message is None or message[0] == "stop":
                return
            if message[0] == "cancel":
                continue  # for a call already finished
            _kind, call_id, name, args = message
            if call_id in self.cancelled:
                self._send(("error", call_id, _cancelled()))
                continue
            self._send(("started", call_id))
            try:
                value = getattr(self, f"do_{name}")(call_id, **args)
            except Stopped:
                return
            except BaseException as error:  # noqa: BLE001 (every failure goes back to the window)
                self._send(("error", call_id, _picklable(error)))
            else:
                self._send(("result", call_id, value))

    def _receive(self) -> tuple | None:
        try:
            return self.connection.recv()
        except (EOFError, OSError):
            return None

    def _send(self, message: tuple) -> None:
        try:
            self.connection.send(message)
        except (OSError, ValueError):
            raise Stopped from None  # the window is gone

    def _poll(self, force: bool = False) -> None:
        """Take in what the window sent while a call runs: cancels, later calls, a stop."""
        now = time.monotonic()
        if not force and now - self._polled < POLL_EVERY_S:
            return
        self._polled = now
        try:
            while self.connection.poll():
                message = self.connection.recv()
                if message[0] == "cancel":
                    self.cancelled.add(message[1])
                elif message[0] == "stop":
                    self.stopping = True
                else:
                    self.backlog.append(message)
        except (EOFError, OSError):
            self.stopping = True
        if self.stopping:
            raise Stopped

    def _event(self, call_id: int, event: object, last: bool = False) -> None:
        """Send an event; progress of one kind at most every EVENT_EVERY_S unless last, or
        it moved by a hundredth of its total (each of a few PDFs, which take a while each)."""
        key = (call_id, type(event))
        now = time.monotonic()
        sent_at, sent_done = self._sent.get(key, (0.0, 0))
        done, total = getattr(event, "done", None), getattr(event, "total", None)
        step = isinstance(done, int) and isinstance(total, int) and done - sent_done >= max(
            1, total // 100
        )
        if last or step or now - sent_at >= EVENT_EVERY_S:
            self._sent[key] = (now, done if isinstance(done, int) else 0)
            self._send(("event", call_id, event))

    def _cancel_fn(self, call_id: int) -> Callable[[], bool]:
        def cancel() -> bool:
            self._poll()
            return call_id in self.cancelled

        return cancel

    def _progress_fn(self, call_id: int) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            self._poll()
            self._event(call_id, Progress(done, total), last=done >= total)

        return progress

    # --- the calls -----------------------------------------------------------------------

    def do_import_files(self, call_id: int, paths: list[str]) -> Indexed:
        """Import files (or folders or PDFs) one by one, each in its own transaction: Stored
        (or Failed) for each, StoringDone, then Indexing while the index takes them in."""
        from storage.importing import ImportCancelled, ImportFailed

        cancelled = None
        for number, path in enumerate(paths, start=1):
            if call_id in self.cancelled:
                cancelled = path
                break
            of = f" ({number} of {len(paths)})" if len(paths) > 1 else ""
            self._event(call_id, Status(f"Importing {Path(path).name}{of}…"), last=True)
            try:
                with self.library.index_later():
                    report = self.library.import_file(
                        Path(path),
                        progress=self._progress_fn(call_id),
                        cancel=self._cancel_fn(call_id),
                    )
            except ImportCancelled:
                cancelled = path
                break
            except ImportFailed as error:
                self._send(("event", call_id, Failed(str(error))))
            else:
                self._send(("event", call_id, Stored(report)))
        self._send(("event", call_id, StoringDone(cancelled)))
        return self.do_catch_up(call_id)

    def do_import_text(self, call_id: int, text: str, source: str) -> Indexed:
        """Import pasted text as import_files does a file."""
        from storage.importing import ImportCancelled, ImportFailed

        cancelled = None
        try:
            with self.library.index_later():
                report = self.library.import_text(
                    text,
                    source,
                    progress=self._progress_fn(call_id),
                    cancel=self._cancel_fn(call_id),
                )
        except ImportCancelled:
            cancelled = source
        except ImportFailed as error:
            self._send(("event", call_id, Failed(str(error))))
        else:
            self._send(("event", call_id, Stored(report)))
        self._send(("event", call_id, StoringDone(cancelled)))
        return self.do_catch_up(call_id)

    def do_catch_up(self, call_id: int) -> Indexed:
        """Bring the index up to the database, saying how far it got."""
        self._event(call_id, Status("Indexing…"), last=True)

        def progress(done: int, total: int) -> None:
            self._poll()  # a stop ends the write: nothing of it is committed, the queue stays
            self._event(call_id, Indexing(done, total), last=done >= total)

        in_step = self.library.catch_up_index(progress)
        return Indexed(in_step, list(self.library.notices))


def _cancelled() -> BaseException:
    from storage.importing import ImportCancelled

    return ImportCancelled()


def _picklable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def main(connection: Connection, folder: str, setup: str | None = None) -> None:
    """The process's entry point: open the library, say so, serve until told to stop.
    setup: "module:function" called with the Library first (LibraryProcess.setup)."""
    from storage.library import Library, LibraryError
    from storage.search.bulk import die_with_parent

    die_with_parent()
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(NICENESS)
    try:
        library = Library(Path(folder))
    except (LibraryError, OSError) as error:  # said in one line by the window
        connection.send(("fatal", f"{folder}: the library could not be opened ({error})"))
        return
    try:
        if setup is not None:
            module, _, name = setup.partition(":")
            getattr(importlib.import_module(module), name)(library)
        connection.send(("ready", os.getpid()))
        Server(connection, library).serve()
    finally:
        library.close()
        connection.close()
