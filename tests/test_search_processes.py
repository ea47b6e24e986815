"""The index across processes: killed rebuilds leave no workers, dead holders' locks are taken
over, and readers and writers never need a lock another process holds (issues 10 and 17)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from storage.library import Library
from storage.search import bulk
from storage.search.bulk import default_procs
from storage.search.upkeep import CATCHING_UP, STALE_AFTER_WRITE

REPO = Path(__file__).resolve().parent.parent
PAPERS = 3000


def _children(pid: int) -> list[int]:
    """Processes whose parent is pid (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _python(code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


def _end(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()
    if child.stdout is not None:
        child.stdout.close()


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of a few thousand papers (enough for the index's worker processes)."""
    folder = tmp_path_factory.mktemp("big") / "lib"
    source = folder.parent / "many.ris"
    source.write_text(
        "".join(
            f"TY  - JOUR\nTI  - Study {n} of quokka habitat number {n}\nAU  - Author{n}, Ann\n"
            f"PY  - {1990 + n % 30}\nDO  - 10.1234/q.{n}\nER  - \n\n"
            for n in range(PAPERS)
        ),
        encoding="utf-8",
    )
    with Library(folder) as library:
        report = library.import_file(source)
        assert len(report.new_ids) == PAPERS
    return folder


@pytest.mark.skipif(default_procs() < 2, reason="worker processes need Linux fork and 2 cores")
def test_killed_rebuild_leaves_no_worker_and_search_works(big_library: Path) -> None:
    """Issue 10: SIGKILL mid-rebuild left the forked workers holding the lock for ~21 s."""
    child = _python(
        f"""
        import time
        from storage import reading
        from storage.library import Library
        library = Library({str(big_library)!r})
        def slow_docs():
            with library.engine.connect() as conn:
                for doc in reading.index_docs(conn, reading.all_ids(conn)):
                    time.sleep(0.002)  # long enough to be killed in the middle
                    yield doc
        print("rebuilding", flush=True)
        library.index.rebuild(slow_docs(), procs=2)
        print("finished", flush=True)
        """
    )
    workers: list[int] = []
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "rebuilding"
        deadline = time.monotonic() + 20
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(child.pid)  # the rebuild forks its workers after one batch
            time.sleep(0.01)
        assert workers, "the rebuild started no worker process"
        time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        time.sleep(1.0)  # grace for the kernel to deliver their death signal
        assert [pid for pid in workers if _alive(pid)] == []
        with Library(big_library) as library:  # the lock the dead workers held is free
            assert library.search("quokka", limit=5).total == PAPERS
            assert not library.index_catching_up
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        _end(child)


def test_lock_of_a_dead_holder_is_taken_over_from_its_orphans(tmp_path: Path) -> None:
    """An orphaned worker (forked while the lock was held, parent killed) holds the flock;
    the next writer kills it and takes the lock instead of failing as busy."""
    folder = tmp_path / "lib"
    with Library(folder):
        pass
    child = _python(
        f"""
        import multiprocessing, os, signal, time
        from whoosh.filedb.filestore import FileStorage
        from storage.search import LOCK_NAME
        from storage.search.lock import WriteLock
        from pathlib import Path
        folder = Path({str(folder / "index")!r})
        lock = WriteLock(FileStorage(str(folder)), LOCK_NAME, folder)
        lock.acquire(1.0)
        worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
        worker.start()  # inherits the locked file, like Whoosh's workers
        lock.add_workers([worker.pid])
        print(worker.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    assert child.stdout is not None
    orphan = int(child.stdout.readline())
    _end(child)
    try:
        assert _alive(orphan)
        with Library(folder) as library:
            library.index.lock_timeout = 1.0
            report = library.check(rebuild=True)  # a write that needs the lock
            assert report.repaired and report.ok
        assert not _alive(orphan)
    finally:
        if _alive(orphan):
            os.kill(orphan, signal.SIGKILL)


@pytest.fixture
def held_lock(tmp_path: Path):
    """Another (live) process holding the index lock of a small library, until released."""

    def hold(folder: Path) -> subprocess.Popen:
        child = _python(
            f"""
            import time
            from pathlib import Path
            from whoosh.filedb.filestore import FileStorage
            from storage.search import LOCK_NAME
            from storage.search.lock import WriteLock
            folder = Path({str(folder / "index")!r})
            folder.mkdir(parents=True, exist_ok=True)
            lock = WriteLock(FileStorage(str(folder)), LOCK_NAME, folder)
            lock.acquire(5.0)
            print("locked", flush=True)
            time.sleep(60)
            """
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        children.append(child)
        return child

    children: list[subprocess.Popen] = []
    yield hold
    for child in children:
        _end(child)


def _small_library(folder: Path, fixtures: Path) -> None:
    with Library(folder) as library:
        for name in ("lib_papers.bib", "lib_papers.ris", "lib_papers.csl.json"):
            library.import_file(fixtures / name)


def test_open_while_another_process_indexes_does_not_wait(
    tmp_path: Path, fixtures_dir: Path, held_lock
) -> None:
    """Issue 17: an open that wanted a rebuild waited 10 s for the lock, then a traceback."""
    folder = tmp_path / "lib"
    _small_library(folder, fixtures_dir)
    for name in (folder / "index").iterdir():
        if name.suffix in (".toc", ".seg"):
            name.unlink()  # the index must be rebuilt at open ...
    holder = held_lock(folder)  # ... but another process is writing it
    with Library(folder) as library:  # opened without waiting to rebuild:
        assert library.index_catching_up and CATCHING_UP in library.notices
        assert library.search("electra").total == 0  # what the index has: nothing yet
    holder.kill()
    holder.wait()
    with Library(folder) as library:  # the next opener catches up
        assert library.search("title:electra").total == 1
        assert not library.index_catching_up


def test_writer_commits_and_leaves_the_index_to_catch_up(
    tmp_path: Path, fixtures_dir: Path, held_lock
) -> None:
    folder = tmp_path / "lib"
    _small_library(folder, fixtures_dir)
    holder = held_lock(folder)
    with Library(folder) as library:
        pid = library.resolve("clark2020electra")
        assert library.search("title:electra").total == 1  # an in-step index is searched
        library.add_tags([pid], ["wombat"])
        library.add_note(pid, "numbat sightings")
        assert "wombat" in library.paper(pid).tags  # the database write went through
        assert STALE_AFTER_WRITE in library.notices and library.index_catching_up
        assert library.search("tag:wombat").total == 0
    holder.kill()
    holder.wait()
    with Library(folder) as library:
        assert [h.id for h in library.search("tag:wombat numbat").hits] == [pid]
        assert library.check().ok


def test_cli_search_while_locked_prints_one_note(
    tmp_path: Path, fixtures_dir: Path, held_lock
) -> None:
    folder = tmp_path / "lib"
    _small_library(folder, fixtures_dir)
    with Library(folder) as library:
        library.index.update([], delete_ids=[library.resolve("clark2020electra")])  # stale
        with library.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO index_queue (paper_id) SELECT id FROM paper "
                "WHERE citation_key='clark2020electra'"
            )
    held_lock(folder)
    run = subprocess.run(
        [sys.executable, "-m", "app", "--library", str(folder), "search", "dense"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == f"note: {CATCHING_UP}"
    assert "Traceback" not in run.stderr and run.stdout.strip()


def test_one_index_worker_a_core_up_to_four(monkeypatch: pytest.MonkeyPatch) -> None:
    if default_procs() < 2:
        pytest.skip("worker processes need Linux fork")
    for cores, procs in ((1, 1), (2, 2), (3, 3), (8, 4), (64, 4)):
        monkeypatch.setattr(bulk, "usable_cores", lambda cores=cores: cores)
        assert default_procs() == procs
