"""`check` for files: stored copies missing or altered, text that failed or never came, strays."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import select

from storage.files.ops import FileOps
from storage.files.rows import PENDING, replace_text
from storage.models import PAPER_FILE
from storage.pdf import ALTERED, FAILED, MISSING, FileStoreError
from storage.views import FileView

__all__ = ["check_files", "reextract"]

STRAY_AGE = 3600.0  # seconds: a younger copy may belong to an attach still under way


def _label(view: FileView) -> str:
    return f"file: {view.id} {view.name!r} of paper {view.paper_id}"


def _old(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > STRAY_AGE
    except OSError:
        return False


def _strays(ops: FileOps) -> list[Path]:
    """Stored copies no row references (left by deleted papers or an interrupted attach)."""
    root = ops.store.root
    if not root.is_dir():
        return []
    used = set(ops.read(lambda c: list(c.execute(select(PAPER_FILE.c.sha256)).scalars())))
    strays = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if name.endswith(".part"):
                continue
            path = Path(folder) / name
            if len(path.stem) == 64 and path.stem not in used and _old(path):
                strays.append(path)
    return sorted(strays)


def reextract(ops: FileOps, views: list[FileView]) -> list[tuple[FileView, str]]:
    """Read the stored copies again (in a worker) and store the new text; (file, status)."""
    done = []
    with ops.new_worker() as worker:
        for view in views:
            text, _identity = worker.read(view.path, name=view.name)
            ops.write(
                lambda c, t=text, v=view: replace_text(c, v.id, t),
                lambda _result, v=view: [v.paper_id],
            )
            done.append((view, text.status))
    return done


def check_files(ops: FileOps, repair: bool) -> tuple[list[str], list[str]]:
    """Problems with the library's files and, with repair, what was fixed: failed or pending
    text is extracted again, stored copies no paper uses are removed. A missing or altered
    copy cannot be repaired here (attach the file again)."""
    problems: list[str] = []
    repaired: list[str] = []
    retry: list[FileView] = []
    for view in ops.files(None):
        try:
            state = ops.store.verify(view.sha256)
        except FileStoreError as error:
            problems.append(f"{_label(view)}: {error}")
            continue
        if state == MISSING:
            problems.append(f"{_label(view)}: the stored copy {view.path} is missing")
        elif state == ALTERED:
            problems.append(f"{_label(view)}: the stored copy {view.path} was altered")
        elif view.text in (FAILED, PENDING):
            retry.append(view)
    if repair and retry:
        for view, status in reextract(ops, retry):
            if status == FAILED:
                problems.append(f"{_label(view)}: text still cannot be read ({view.reason})")
            else:
                repaired.append(f"{_label(view)}: text extracted again ({status})")
    else:
        for view in retry:
            why = view.reason or "text not extracted yet"
            problems.append(f"{_label(view)}: {view.text}: {why} (check --repair retries)")
    strays = _strays(ops)
    if strays and repair:
        for path in strays:
            ops.store.remove(path.stem)
        repaired.append(f"file: removed {len(strays)} stored copies no paper uses")
    elif strays:
        problems.append(f"file: {len(strays)} stored copies in files/ belong to no paper")
    return problems, repaired
