"""One file of named numpy arrays, written atomically and opened memory-mapped.

Opening costs no reading, and only the pages a query touches come into memory (shared with the
page cache)."""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import struct
from collections.abc import Mapping
from pathlib import Path

import numpy as np

MAGIC = b"PSHELFARR1\n"
ALIGN = 64  # every array starts on a 64-byte boundary (what numpy and the CPU like)
_LENGTH = struct.Struct("<Q")


class ArrayFileError(ValueError):
    """The file is not one of ours, is from another version, or is cut short."""


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def save_arrays(path: Path, arrays: Mapping[str, np.ndarray], meta: Mapping[str, object]) -> None:
    """Write the arrays and a small JSON meta beside path, then rename over it (0600).
    Raises OSError; a half-written file is removed."""
    header: dict[str, object] = {"meta": dict(meta), "arrays": {}}
    layout: dict[str, list[object]] = {}
    offset = 0
    prepared = {}
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.hasobject:
            raise TypeError(f"{name}: object arrays cannot be mapped")
        prepared[name] = array
        layout[name] = [array.dtype.str, list(array.shape), offset]
        offset = _aligned(offset + array.nbytes)
    header["arrays"] = layout
    text = json.dumps(header).encode()
    start = _aligned(len(MAGIC) + _LENGTH.size + len(text))
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(MAGIC + _LENGTH.pack(len(text)) + text)
            out.write(b"\0" * (start - out.tell()))
            for name, array in prepared.items():
                position = start + int(layout[name][2])  # type: ignore[call-overload]
                out.write(b"\0" * (position - out.tell()))
                out.write(array.tobytes() if array.nbytes < 1 << 20 else array.data.cast("B"))
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def load_arrays(path: Path) -> tuple[dict[str, object], dict[str, np.ndarray]]:
    """(meta, read-only arrays mapped from the file). Raises OSError or ArrayFileError."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < len(MAGIC) + _LENGTH.size:
            raise ArrayFileError(f"{path.name}: too short")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[: len(MAGIC)] != MAGIC:
        raise ArrayFileError(f"{path.name}: not an array file")
    (length,) = _LENGTH.unpack_from(mapped, len(MAGIC))
    begin = len(MAGIC) + _LENGTH.size
    try:
        header = json.loads(bytes(mapped[begin : begin + length]))
        start = _aligned(begin + length)
        arrays = {}
        for name, (dtype, shape, offset) in header["arrays"].items():
            kind = np.dtype(dtype)
            count = int(np.prod(shape, dtype=np.int64))
            position = start + int(offset)
            if position + count * kind.itemsize > size:
                raise ArrayFileError(f"{path.name}: cut short")
            array = np.frombuffer(mapped, kind, count, position).reshape(shape)
            arrays[name] = array
        return dict(header["meta"]), arrays
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ArrayFileError):
            raise
        raise ArrayFileError(f"{path.name}: unreadable header ({error})") from None


def mapping_of(array: np.ndarray) -> mmap.mmap | None:
    """The mapped file an array of load_arrays lives in (None for an array in memory)."""
    base: object = array
    while isinstance(base, np.ndarray | memoryview):
        base = base.base if isinstance(base, np.ndarray) else base.obj
    return base if isinstance(base, mmap.mmap) else None


def release_pages(array: np.ndarray) -> None:
    """Unmap the pages of the file an array lives in from this process: they stay in the
    page cache and the next access maps them again (~1 ms a query). Without this, every
    query leaves its pages mapped, in large folios (up to 2 MB each on recent kernels), and
    a few queries show most of the file in the process's resident memory."""
    mapping = mapping_of(array)
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if mapping is not None and advice is not None:
        with contextlib.suppress(OSError, ValueError):
            mapping.madvise(advice)
