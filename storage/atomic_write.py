"""Writing a file safely: a temporary file beside it, fsynced, renamed over it only when whole."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO

from storage.database import LibraryError

__all__ = ["AtomicFile", "WriteError", "check_destination"]


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


class AtomicFile:
    """A temporary file beside the target that replaces it only on a clean, complete exit."""

    def __init__(self, target: Path, error: type[WriteError] = WriteError) -> None:
        self.target, self.error = target, error
        self.temp: Path | None = None
        self.file: BinaryIO | None = None

    def __enter__(self) -> AtomicFile:
        stem = self.target.name[:180]
        for _ in range(100):
            temp = self.target.with_name(f".{stem}.{secrets.token_hex(4)}.part")
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


def _write_error(kind: type[WriteError], target: Path, error: OSError) -> WriteError:
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        reason = "permission denied"
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
