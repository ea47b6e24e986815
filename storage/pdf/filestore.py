"""Content-addressed copies of files in a library folder: `files/ab/<sha256>.pdf`, each once."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
from pathlib import Path

from storage.errors import LibraryError

__all__ = ["ALTERED", "MISSING", "OK", "FileStore", "FileStoreError", "sha256_of"]

OK, MISSING, ALTERED = "ok", "missing", "altered"
_CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FOLDER_MODE, _FILE_MODE = 0o700, 0o600


class FileStoreError(LibraryError):
    """A file could not be stored or read (message names it); the store is unchanged."""


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def sha256_of(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class FileStore:
    """Files kept under `<library>/files/`, named by the SHA-256 of their bytes.

    The user's original is only read. The same bytes are stored once; a stored file is written
    to a temporary name, fsynced and renamed, so it is either whole or absent. Folders are 0700
    and files 0600. The caller keeps the original name for display.
    """

    def __init__(self, library_folder: Path | str, suffix: str = ".pdf") -> None:
        self.root = Path(library_folder) / "files"
        self.suffix = suffix

    def path(self, sha256: str) -> Path:
        """Where the file with this hash is (or would be) stored."""
        if not _SHA256.match(sha256):
            raise FileStoreError(f"{sha256!r}: not a SHA-256 hash (64 lower-case hex digits)")
        return self.root / sha256[:2] / f"{sha256}{self.suffix}"

    def _folder(self, folder: Path) -> None:
        for part in (self.root, folder):
            try:
                part.mkdir(mode=_FOLDER_MODE, exist_ok=True)
                if stat.S_IMODE(part.stat().st_mode) != _FOLDER_MODE:
                    part.chmod(_FOLDER_MODE)
            except OSError as error:
                raise FileStoreError(
                    f"{part}: cannot create the folder ({_reason(error)})"
                ) from None

    def add(self, source: Path | str) -> tuple[str, Path, int]:
        """Store a copy of `source`: (sha256, stored path, bytes). Stored bytes are not copied
        again; a stored copy of the wrong size is replaced."""
        source = Path(source)
        try:
            info = source.stat()
            if not stat.S_ISREG(info.st_mode):
                raise FileStoreError(f"{source}: not a regular file")
            sha256, size = sha256_of(source)
        except OSError as error:
            raise FileStoreError(f"{source}: cannot read the file ({_reason(error)})") from None
        target = self.path(sha256)
        with contextlib.suppress(OSError):
            if target.stat().st_size == size:
                return sha256, target, size
        return self._copy(source, target)

    def _copy(self, source: Path, target: Path) -> tuple[str, Path, int]:
        self._folder(target.parent)
        temp = target.with_name(f".{target.stem[:16]}.{secrets.token_hex(4)}.part")
        digest, size = hashlib.sha256(), 0
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         _FILE_MODE)  # fmt: skip
        except OSError as error:
            raise FileStoreError(
                f"{target}: cannot write in the store ({_reason(error)})"
            ) from None
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, _FILE_MODE)
            # The copy's own hash names it: a source that changed since it was hashed is stored
            # as what was actually copied.
            final = self.path(digest.hexdigest())
            if final != target:
                self._folder(final.parent)
            os.replace(temp, final)
        except OSError as error:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise FileStoreError(
                f"{source}: could not be copied into the store ({_reason(error)})"
            ) from None
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        _fsync_folder(final.parent)
        return digest.hexdigest(), final, size

    def verify(self, sha256: str) -> str:
        """OK when the stored bytes still hash to `sha256`, MISSING or ALTERED otherwise."""
        target = self.path(sha256)
        try:
            actual, _size = sha256_of(target)
        except FileNotFoundError:
            return MISSING
        except OSError as error:
            raise FileStoreError(
                f"{target}: cannot read the stored file ({_reason(error)})"
            ) from None
        return OK if actual == sha256 else ALTERED

    def remove(self, sha256: str) -> bool:
        """Delete the stored file (and its folder when empty); False when it was not there."""
        target = self.path(sha256)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        except OSError as error:
            raise FileStoreError(
                f"{target}: cannot remove the stored file ({_reason(error)})"
            ) from None
        with contextlib.suppress(OSError):
            target.parent.rmdir()  # only succeeds when empty
        _fsync_folder(target.parent if target.parent.exists() else self.root)
        return True
