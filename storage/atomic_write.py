"""Writing a file safely: a temporary file beside it, fsynced, renamed over it only when whole.

Where a destination is not a plain file, nothing is renamed over it: devices (`/dev/null`) and
pipes (a FIFO, `/dev/stdout`, `-` for standard output) are written straight through; a symlink
keeps its link and the file it points to is replaced. Temporary files are named
`.NAME.PID-RANDOM.part`; ones left by a writer that was killed are removed by the next write
into the same folder (see remove_stale_parts).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storage.database import LibraryError

__all__ = [
    "STALE_AFTER",
    "STDOUT",
    "AtomicFile",
    "Destination",
    "WriteError",
    "check_destination",
    "remove_stale_parts",
    "resolve_destination",
]

STDOUT = "-"  # the path that means standard output
STALE_AFTER = 3600.0  # seconds: a temporary file this old is stale even if its pid is alive
_PART = re.compile(r"^\.(?P<stem>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.part$")
_OLD_PART = re.compile(r"^\.(?P<stem>.+)\.[0-9a-f]{8}\.part$")  # before the pid was in it
# Names of files this process already has open (stdout, stderr, fd N): written in place.
_THROUGH = re.compile(r"^/(?:dev/(?:stdout|stderr|stdin|fd/\d+)|proc/(?:self|\d+)/fd/\d+)$")


class WriteError(LibraryError):
    """A file could not be written (message names the path); nothing was changed there."""


def check_destination(path: Path | str, error: type[WriteError] = WriteError) -> Path:
    """The absolute file to write (a symlink's target), or `error` saying why it cannot be."""
    target = Path(os.path.abspath(Path(path).expanduser()))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise error(f"{target}: is a folder; choose a file name inside it")
    folder = target.parent
    if not folder.exists():
        raise error(f"{target}: cannot write there, the folder {folder} does not exist")
    if not folder.is_dir():
        raise error(f"{target}: cannot write there, {folder} is not a folder")
    if target.exists() and not os.access(target, os.W_OK):
        raise error(f"{target}: the file is read-only; nothing was written")
    return target


@dataclass(frozen=True)
class Destination:
    """Where a write goes: `file` (replaced atomically), `stream` (a device or pipe, written
    straight through) or `stdout`; `link` is the symlink that was named, if one was."""

    path: Path
    kind: str  # "file" | "stream" | "stdout"
    link: Path | None = None

    @property
    def atomic(self) -> bool:
        return self.kind == "file"

    def describe(self) -> str:
        """The destination for a message: the file, and the link it was reached through."""
        if self.kind == "stdout":
            return "standard output"
        if self.link is not None and self.link != self.path:
            return f"{self.path} (through the link {self.link}, which is kept)"
        return str(self.path)

    @contextlib.contextmanager
    def open(self, error: type[WriteError] = WriteError) -> Iterator[AtomicFile | StreamFile]:
        """A writer with write(bytes): atomic for files, straight through otherwise."""
        if self.kind == "file":
            with AtomicFile(self.path, error) as out:
                yield out
            return
        with StreamFile(self.path, error, stdout=self.kind == "stdout") as out:
            yield out


def resolve_destination(path: Path | str, error: type[WriteError] = WriteError) -> Destination:
    """What writing to path means (see the module docstring), or `error` saying why it cannot.
    Only the string "-" means standard output; Path("-") is a file named "-"."""
    if isinstance(path, str) and path == STDOUT:
        return Destination(Path(STDOUT), "stdout")
    named = Path(os.path.abspath(Path(path).expanduser()))
    link = named if named.is_symlink() else None
    try:
        mode = os.stat(named).st_mode  # follows links
    except (FileNotFoundError, NotADirectoryError):  # check_destination says which
        mode = None
    except OSError as problem:
        raise _write_error(error, named, problem) from None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return Destination(named, "stream", link)
    if mode is not None and stat.S_ISBLK(mode):
        raise error(f"{named}: is a block device (a disk); nothing was written")
    if mode is not None and stat.S_ISSOCK(mode):
        raise error(f"{named}: is a socket; nothing was written")
    if mode is not None and _THROUGH.match(named.as_posix()):
        return Destination(named, "stream", link)  # e.g. /dev/stdout redirected to a file
    real = Path(os.path.realpath(named)) if link is not None else named
    return Destination(check_destination(real, error), "file", link)


class StreamFile:
    """Writes straight into a device, a pipe or standard output; never creates or renames."""

    def __init__(self, target: Path, error: type[WriteError], *, stdout: bool = False) -> None:
        self.target, self.error, self.stdout = target, error, stdout
        self.file: BinaryIO | None = None

    def __enter__(self) -> StreamFile:
        if self.stdout:
            sys.stdout.flush()
            self.file = sys.stdout.buffer
            return self
        try:
            mode = os.stat(self.target).st_mode
            flags = os.O_WRONLY | (os.O_TRUNC if stat.S_ISREG(mode) else 0)
            self.file = os.fdopen(os.open(self.target, flags), "wb")
        except OSError as problem:
            raise _write_error(self.error, self.target, problem, changed=False) from None
        return self

    def write(self, data: bytes) -> None:
        assert self.file is not None
        try:
            self.file.write(data)
        except BrokenPipeError:
            raise
        except OSError as problem:
            raise _write_error(self.error, self.target, problem, changed=True) from None

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, _tb: object) -> None:
        assert self.file is not None
        try:
            if self.stdout:
                self.file.flush()
            else:
                self.file.close()
        except BrokenPipeError:
            if exc_type is None:
                raise
        except OSError as problem:
            if exc_type is None:
                raise _write_error(self.error, self.target, problem, changed=True) from None


class AtomicFile:
    """A temporary file beside the target that replaces it only on a clean, complete exit."""

    def __init__(self, target: Path, error: type[WriteError] = WriteError) -> None:
        self.target, self.error = target, error
        self.temp: Path | None = None
        self.file: BinaryIO | None = None

    def __enter__(self) -> AtomicFile:
        stem = self.target.name[:160]
        remove_stale_parts(self.target.parent, stem)
        for _ in range(100):
            temp = self.target.with_name(f".{stem}.{os.getpid()}-{secrets.token_hex(4)}.part")
            try:  # O_EXCL: never clobber anything; mode 0o666 lets the umask decide, as for cp
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                fd = os.open(temp, flags, 0o666)
            except FileExistsError:
                continue
            except OSError as error:
                raise _write_error(self.error, self.target, error) from None
            self.temp, self.file = temp, os.fdopen(fd, "wb")
            return self
        raise self.error(f"{self.target}: could not create a temporary file beside it")

    def write(self, data: bytes) -> None:
        assert self.file is not None
        self.file.write(data)

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, _tb: object) -> None:
        assert self.file is not None and self.temp is not None
        try:
            if exc_type is None:
                self._commit()
                return
        except OSError as error:
            self._discard()
            raise _write_error(self.error, self.target, error) from None
        self._discard()
        if isinstance(exc, OSError):
            raise _write_error(self.error, self.target, exc) from None

    def _commit(self) -> None:
        assert self.file is not None and self.temp is not None
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        with contextlib.suppress(FileNotFoundError):  # an existing file keeps its permissions
            os.chmod(self.temp, stat.S_IMODE(os.stat(self.target).st_mode))
        os.replace(self.temp, self.target)
        self.temp = None
        _sync_folder(self.target.parent)

    def _discard(self) -> None:
        if self.file is not None and not self.file.closed:
            with contextlib.suppress(OSError):
                self.file.close()
        if self.temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temp)
            self.temp = None


def remove_stale_parts(
    folder: Path, stem: str | None = None, now: float | None = None
) -> list[Path]:
    """Remove our temporary files in folder whose writer is gone: its pid no longer runs, or
    the file is older than STALE_AFTER (pids are reused). Names from before the pid was in
    them (`.NAME.RANDOM.part`) are removed only for the file being written (stem) and only
    when older than STALE_AFTER. Returns what was removed; anything that cannot be checked
    or removed is left alone."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".part")):
            continue
        match = _PART.match(entry.name)
        old = None if match else _OLD_PART.match(entry.name)
        if match is None and (old is None or old.group("stem") != stem):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            pid = int(match.group("pid")) if match else None
            if now - info.st_mtime < STALE_AFTER and (pid is None or _running(pid)):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    """True unless pid certainly does not run (on Windows only the file's age decides)."""
    if os.name != "posix" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def _write_error(
    kind: type[WriteError], target: Path, error: OSError, *, changed: bool = False
) -> WriteError:
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        reason = "permission denied"
    if changed:
        return kind(f"{target}: could not be written ({reason}); part of it may have gone out")
    return kind(f"{target}: could not be written ({reason}); nothing was changed there")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
