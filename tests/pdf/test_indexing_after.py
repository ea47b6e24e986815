"""A long import catches the index up beside its writes after 1 s, then 2, 4, 8 s, and once more
at the end; papers written while such a catch-up runs stay queued for the next one."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select

import storage.files.ops as ops_module
from storage import editing
from storage.files.ops import FileOps
from storage.library import Library
from storage.models import QUEUE


class AtOnce:
    """Stands in for threading.Thread: runs its target when started."""

    def __init__(self, target, args=(), name=None, daemon=None) -> None:
        self.target, self.args = target, args

    def start(self) -> None:
        self.target(*self.args)

    def is_alive(self) -> bool:
        return False

    def join(self) -> None:
        pass


def test_catch_ups_come_ever_less_often(tmp_path: Path, monkeypatch) -> None:
    now = [0.0]
    monkeypatch.setattr(ops_module.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(ops_module.threading, "Thread", AtOnce)
    caught: list[tuple[float, bool, str]] = []
    ops = FileOps(
        tmp_path,
        read=lambda w: None,
        write=lambda *a: None,
        catch_up=lambda spread=False: caught.append((now[0], spread, "at the end")),
        catch_up_apart=lambda spread=False: caught.append((now[0], spread, "beside")),
    )
    with ops.indexing_after() as tick:
        for second in range(20):  # one file recorded every second
            now[0] += 1.0
            tick(spread=second >= 10)  # the PDFs are all read after 10 s
    # after 1 s, then 2 s later, 4 s later, 8 s later; and once at the end, on every core
    assert caught == [
        (1.0, False, "beside"),
        (3.0, False, "beside"),
        (7.0, False, "beside"),
        (15.0, True, "beside"),
        (20.0, True, "at the end"),
    ]


def test_a_catch_up_beside_writes_leaves_what_they_touch_queued(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        library.import_file(Path(__file__).parents[1] / "fixtures" / "lib_papers.bib")
        library._write(lambda conn: None, lambda _r: [1, 2], False)  # both queued
        started, release = threading.Event(), threading.Event()
        real = library.index.replace

        def slow_replace(*args, **kwargs):
            started.set()
            release.wait(10)
            return real(*args, **kwargs)

        library.index.replace = slow_replace  # type: ignore[method-assign]
        worker = threading.Thread(target=library._catch_up_apart)
        worker.start()
        assert started.wait(10)
        library._write(  # another write meanwhile: paper 1 gains a tag (indexed later)
            lambda conn: editing.tag_papers(conn, [1], ["heron"]), lambda _r: [1], False
        )
        release.set()
        worker.join(10)
        library.index.replace = real  # type: ignore[method-assign]
        queued = library._read(lambda conn: list(conn.execute(select(QUEUE.c.paper_id)).scalars()))
        assert queued == [1]  # paper 2 is done; paper 1 changed meanwhile: still queued
        library._catch_up_index()
        assert [hit.id for hit in library.search("tag:heron").hits] == [1]
