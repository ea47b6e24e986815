"""A long import catches the index up after 1 s, then after 2, 4, 8 s: few segments to search."""

from __future__ import annotations

from pathlib import Path

import storage.files.ops as ops_module
from storage.files.ops import FileOps


def test_catch_ups_come_ever_less_often(tmp_path: Path, monkeypatch) -> None:
    now = [0.0]
    monkeypatch.setattr(ops_module.time, "monotonic", lambda: now[0])
    caught: list[tuple[float, bool]] = []
    ops = FileOps(tmp_path, read=lambda w: None, write=lambda *a: None,
                  catch_up=lambda spread=False: caught.append((now[0], spread)))
    with ops.indexing_after() as tick:
        for _second in range(20):  # one file recorded every second
            now[0] += 1.0
            tick()
    # after 1 s, then 2 s later, 4 s later, 8 s later; and once at the end, on every core
    assert caught == [(1.0, False), (3.0, False), (7.0, False), (15.0, False), (20.0, True)]
