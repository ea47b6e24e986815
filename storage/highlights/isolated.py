"""One call in a process of its own, with a time limit and a memory cap.

PDFium writing a copy of a hostile or damaged PDF can hang or crash that process, never the
caller."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

__all__ = ["IsolatedError", "run_isolated"]

T = TypeVar("T")
DEFAULT_TIMEOUT = 120.0  # seconds
DEFAULT_MEMORY_MB = 2048  # address space (POSIX): a big PDF held twice (read and written)


class IsolatedError(Exception):
    """The call hung, crashed its process, ran out of memory or raised (message says which)."""


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


def _run(connection: Connection, memory_mb: int, function: Callable[..., Any], args: tuple) -> None:
    _limit_memory(memory_mb)
    try:
        answer: tuple[str, Any] = ("ok", function(*args))
    except MemoryError:
        answer = ("failed", f"needs more than {memory_mb} MB of memory")
    except Exception as error:  # the caller words it; the message is the function's own
        answer = ("failed", str(error) or type(error).__name__)
    with contextlib.suppress(OSError, ValueError):
        connection.send(answer)
    connection.close()


def run_isolated(
    function: Callable[..., T],
    *args: Any,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> T:
    """function(*args) in a new process (spawned: safe beside Qt's threads); its result, or
    IsolatedError. function and args must pickle (a module-level function, plain values)."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=_run, args=(child, memory_mb, function, args), daemon=True, name="papershelf-pdf"
    )
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise IsolatedError(f"took longer than {timeout:g} s; stopped")
        try:
            status, value = parent.recv()
        except (EOFError, OSError):
            process.join(5)
            raise IsolatedError(f"made PDFium crash (exit code {process.exitcode})") from None
    finally:
        parent.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        process.close()
    if status != "ok":
        raise IsolatedError(value)
    return value
