"""Checksums of the index's live files, written at every commit and verified by `check`."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from storage.search.whoosh_compat import live_file_names

SIDECAR = "papershelf_checksums.json"


def live_files(folder: Path, indexname: str, generation: int, segment_ids: list[str]) -> list[str]:
    """The table of contents of this generation and every file of its segments."""
    return live_file_names(sorted(os.listdir(folder)), indexname, generation, segment_ids)


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "blake2b").hexdigest()[:32]


def _load(folder: Path) -> dict:
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else {}


def record(folder: Path, indexname: str, generation: int, segment_ids: list[str]) -> None:
    """Write the sidecar for this generation; files already recorded at the same size are not
    read again (segment files never change once written). Raises OSError."""
    before = _load(folder).get("files", {})
    files: dict[str, list] = {}
    for name in live_files(folder, indexname, generation, segment_ids):
        path = folder / name
        size = path.stat().st_size
        old = before.get(name)
        if not name.endswith(".toc") and isinstance(old, list) and old and old[0] == size:
            files[name] = old
        else:
            files[name] = [size, _digest(path)]
    text = json.dumps({"generation": generation, "files": files}, indent=0)
    part = folder / f".{SIDECAR}.part"
    part.write_text(text, encoding="utf-8")
    os.replace(part, folder / SIDECAR)


def forget(folder: Path) -> None:
    """Remove the sidecar (the index is being replaced)."""
    with contextlib.suppress(FileNotFoundError):
        (folder / SIDECAR).unlink()


def verify(folder: Path, indexname: str, generation: int, segment_ids: list[str]) -> list[str]:
    """Problems found comparing the index's live files with the sidecar; empty when all agree."""
    data = _load(folder)
    if not data:
        return ["index: no checksums recorded for the search index files"]
    if data.get("generation") != generation:
        return ["index: the search index files changed since their checksums were recorded"]
    recorded = data["files"]
    problems = []
    for name in live_files(folder, indexname, generation, segment_ids):
        if name not in recorded:
            problems.append(f"index: {name} has no recorded checksum")
    for name, entry in sorted(recorded.items()):
        path = folder / name
        try:
            size = path.stat().st_size
            same = [size, _digest(path)] == entry
        except OSError:
            problems.append(f"index: {name} is missing")
            continue
        if not same:
            problems.append(f"index: {name} is damaged (its checksum differs)")
    return problems
