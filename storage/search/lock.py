"""The index write lock: who holds it (pids in the lock file); taking it over from the dead."""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from pathlib import Path

from storage.search.errors import IndexBusyError, write_error

# The lock is Whoosh's own (an flock on this file, so old and new code exclude each other).
# Its holder writes "pid:start" of itself and of every worker process it forks into the
# file: a worker inherits the locked file descriptor, so an orphaned worker keeps the lock.
POLL = 0.05


def process_start(pid: int) -> str | None:
    """A token that tells this process apart from a later one with the same pid; None when
    no process has that pid (Linux: the start time in clock ticks; elsewhere "")."""
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, someone else's
    stat = Path(f"/proc/{pid}/stat")
    if not sys.platform.startswith("linux"):
        return ""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] == "Z":  # a zombie holds no files any more
        return None
    return fields[19]


def alive(entry: tuple[int, str]) -> bool:
    pid, start = entry
    now = process_start(pid)
    return now is not None and (now == start or not now or not start)


def me() -> tuple[int, str]:
    return os.getpid(), process_start(os.getpid()) or ""


def read_holders(path: Path) -> list[tuple[int, str]]:
    """The holder first, then its workers, as written in the lock file (may be stale)."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    holders = []
    for item in text.split():
        pid, _, start = item.partition(":")
        if pid.isdigit():
            holders.append((int(pid), start))
    return holders


class WriteLock:
    """The index's write lock, held by this process; records its holders in the file."""

    def __init__(self, storage, name: str, folder: Path) -> None:
        self._lock = storage.lock(name)
        self.path = folder / name
        self.folder = folder
        self._entries: list[tuple[int, str]] = []

    def acquire(self, timeout: float) -> None:
        """Take the lock within timeout seconds (0: one try), taking it over from processes
        left behind by a dead holder. Raises IndexBusyError or IndexWriteError."""
        deadline = time.monotonic() + max(0.0, timeout)
        took_over = False
        while True:
            try:
                if self._lock.acquire(blocking=False):
                    break
            except OSError as error:
                raise write_error(self.folder, error) from None
            if not took_over and self._take_over():
                took_over = True
                continue
            if time.monotonic() >= deadline:
                raise IndexBusyError(
                    "the search index is busy: another Papershelf window or command is "
                    "updating it; try again in a moment"
                )
            time.sleep(POLL)
        self._entries = [me()]
        self._record()

    def _take_over(self) -> bool:
        """Kill the workers of a dead holder that still hold the lock; whether any were."""
        holders = read_holders(self.path)
        if not holders or alive(holders[0]):
            return False
        killed = False
        for pid, start in holders[1:]:
            if pid != os.getpid() and process_start(pid) is not None and alive((pid, start)):
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed = True
                except OSError:
                    continue
        if killed:
            time.sleep(0.2)  # the kernel releases their flock as they exit
        return killed

    def add_workers(self, pids: list[int]) -> None:
        """Record worker processes forked while holding the lock."""
        known = {pid for pid, _ in self._entries}
        self._entries += [(pid, process_start(pid) or "") for pid in pids if pid not in known]
        self._record()

    def _record(self) -> None:
        fd = self._lock.fd
        text = " ".join(f"{pid}:{start}" for pid, start in self._entries).encode("ascii")
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, text + b"\n", 0)
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            # Not recorded: a dead holder's workers then cannot be told apart, but the
            # PR_SET_PDEATHSIG guard still ends them with their parent.

    def release(self) -> None:
        if getattr(self._lock, "locked", False):
            self._lock.release()
