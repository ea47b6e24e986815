"""The window's side of the library process: start it, send calls, hand back their events.

Spawned, never forked; results go to callbacks; close() stops it."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from storage.database import LibraryError

EventFn = Callable[[object], None]
STOP_WAIT_S = 3.0  # how long close() waits for the process to stop before killing it


class ProcessFailed(LibraryError):
    """The library process could not open the library, or stopped in the middle of a call."""


class Call:
    """One call to the library process. Its events and its end are handed to the callbacks
    on the process's reader thread; wait() blocks until it ends."""

    def __init__(
        self,
        process: LibraryProcess,
        call_id: int,
        on_event: EventFn | None,
        on_done: Callable[[Call], None] | None,
    ) -> None:
        self.process = process
        self.id = call_id
        self.on_event = on_event
        self.on_done = on_done
        self.started = False  # the process began it (earlier calls are done)
        self.value: Any = None
        self.error: BaseException | None = None
        self._done = threading.Event()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def cancel(self) -> None:
        """Ask the process to stop this call (an import rolls back; a stored one stays)."""
        if not self.done:
            self.process._send(("cancel", self.id))  # noqa: SLF001 (the call's own process)

    def wait(self, timeout: float | None = None) -> Any:
        """The call's value once it ends; raises what it raised (TimeoutError if not done)."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"call {self.id} still running")
        if self.error is not None:
            raise self.error
        return self.value

    def _event(self, event: object) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def _end(self, value: Any = None, error: BaseException | None = None) -> None:
        if self.done:
            return
        self.value, self.error = value, error
        self._done.set()
        if self.on_done is not None:
            self.on_done(self)


class LibraryProcess:
    """A process of its own holding a Library on `folder`, started (spawn: a fresh
    interpreter, so nothing is forked from a process running Qt's threads) on the first call
    or by start(), and kept for the next calls. Calls run there one at a time, in order."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._calls: dict[int, Call] = {}
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._reader: threading.Thread | None = None
        self.pid: int | None = None  # once the process has opened the library
        # "module:function", called with the process's Library once it is open (tests use
        # it to slow the PDF readers down); the module must be importable there.
        self.setup: str | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self) -> None:
        """Start the process now (a later call then finds the library open)."""
        with self._lock:
            self._start()

    def _start(self) -> Connection:
        if self._connection is not None and self.running:
            return self._connection
        from storage.background.serve import main

        parent, child = self._context.Pipe()
        # Not a daemon: its index writes may start worker processes of their own.
        process = self._context.Process(
            target=main, args=(child, str(self.folder), self.setup), name="papershelf-library"
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        self._reader = threading.Thread(
            target=self._read, args=(parent,), name="papershelf-library-reader", daemon=True
        )
        self._reader.start()
        return parent

    def call(
        self,
        name: str,
        args: dict[str, Any] | None = None,
        on_event: EventFn | None = None,
        on_done: Callable[[Call], None] | None = None,
    ) -> Call:
        """Send a call ("import_files", "import_text", "catch_up"); it runs after those sent
        before it. Its events go to on_event, and on_done is called when it ends, both on the
        reader thread."""
        with self._lock:
            connection = self._start()
            call = Call(self, next(self._ids), on_event, on_done)
            self._calls[call.id] = call
            try:
                connection.send(("call", call.id, name, args or {}))
            except (OSError, ValueError) as error:
                self._calls.pop(call.id, None)
                call._end(error=ProcessFailed(f"the library process is gone ({error})"))
        return call

    def _send(self, message: tuple) -> None:
        with self._lock:
            if self._connection is not None:
                # When the process is gone the reader thread ends the calls.
                with contextlib.suppress(OSError, ValueError):
                    self._connection.send(message)

    def _read(self, connection: Connection) -> None:
        """The reader thread: every message from the process, to its call."""
        failure = "the library process stopped"
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                break
            kind = message[0]
            if kind == "ready":
                self.pid = message[1]
            elif kind == "fatal":
                failure = message[1]
            elif kind == "started":
                call = self._calls.get(message[1])
                if call is not None:
                    call.started = True
            elif kind == "event":
                call = self._calls.get(message[1])
                if call is not None:
                    call._event(message[2])
            elif kind in ("result", "error"):
                call = self._calls.pop(message[1], None)
                if call is not None:
                    if kind == "result":
                        call._end(value=message[2])
                    else:
                        call._end(error=message[2])
        self._gone(connection, failure)

    def _gone(self, connection: Connection, failure: str) -> None:
        """The process ended (or was stopped): calls still open fail with failure."""
        with self._lock:
            if self._connection is connection:
                code = self._process.exitcode if self._process is not None else None
                if code not in (0, None):
                    failure = f"{failure} (exit code {code})"
                self._connection = None
            calls, self._calls = list(self._calls.values()), {}
        for call in calls:
            call._end(error=ProcessFailed(failure))

    def close(self, timeout: float = STOP_WAIT_S) -> None:
        """Stop the process: a call under way ends where it is (an import rolls back, an index
        write is abandoned and its papers stay queued for the next catch-up)."""
        with self._lock:
            process, connection = self._process, self._connection
            self._process = self._connection = None
            if connection is not None:
                with contextlib.suppress(OSError, ValueError):
                    connection.send(("stop",))
        if process is not None:
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join(timeout)
        reader, self._reader = self._reader, None
        if reader is not None and reader is not threading.current_thread():
            reader.join(timeout)  # it ends at the end of the pipe, once the process is gone
        if connection is not None:
            connection.close()
            self._gone(connection, "the library process was stopped")
