"""Reading PDFs ahead of their recording: several readers, in order, bounded, cancellable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from storage.files import readahead
from storage.files.prepare import FileProblem, Prepared
from storage.pdf import INDEXED, PdfIdentity, PdfText


class FakeWorker:
    """Stands in for a PdfWorker: a context manager that says which reader it is."""

    made: list[FakeWorker] = []

    def __init__(self) -> None:
        self.closed = False
        FakeWorker.made.append(self)

    def __enter__(self) -> FakeWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.closed = True


def prepared(path: Path, chars: int = 10) -> Prepared:
    text = PdfText(str(path), INDEXED, ["x" * chars], 1)
    return Prepared(path, path.name, path.stem.ljust(64, "0"), 1, text, PdfIdentity())


@pytest.fixture(autouse=True)
def _fresh() -> None:
    FakeWorker.made = []


def test_results_come_in_order_while_two_readers_work_at_once() -> None:
    paths = [Path(f"{n}.pdf") for n in range(12)]
    busy: set[int] = set()
    most = [0]
    lock = threading.Lock()

    def prepare(path: Path, worker: FakeWorker) -> Prepared:
        with lock:
            busy.add(id(worker))
            most[0] = max(most[0], len(busy))
        time.sleep(0.02 if int(path.stem) % 2 else 0.05)  # later files may finish first
        with lock:
            busy.discard(id(worker))
        if path.stem == "5":
            raise FileProblem(f"{path}: not a PDF (no %PDF- header)")
        return prepared(path)

    out = list(readahead.read_ahead(paths, prepare, lambda _p: None, FakeWorker, readers=2))
    assert [path for path, _ in out] == paths
    assert isinstance(out[5][1], FileProblem) and str(out[5][1]).startswith("5.pdf: not a PDF")
    assert all(isinstance(result, Prepared) for n, (_, result) in enumerate(out) if n != 5)
    assert most[0] == 2 and len(FakeWorker.made) == 2
    assert all(worker.closed for worker in FakeWorker.made)


def test_one_file_needs_one_reader() -> None:
    assert readahead.reader_count(1) == 1
    assert 1 <= readahead.reader_count(500) <= 2


def test_reading_ahead_stops_at_the_text_it_may_hold(monkeypatch) -> None:
    monkeypatch.setattr(readahead, "MAX_BUFFERED_CHARS", 250)
    started: list[str] = []

    def prepare(path: Path, _worker: FakeWorker) -> Prepared:
        started.append(path.stem)
        return prepared(path, chars=100)

    paths = [Path(f"{n}.pdf") for n in range(40)]
    reader = readahead.read_ahead(paths, prepare, lambda _p: None, FakeWorker, readers=1)
    next(reader)
    time.sleep(0.2)  # the reader would go on to all 40 if nothing held it back
    assert len(started) == 4  # 300 characters wait after the one taken: it stops there
    assert len(list(reader)) == 39 and len(started) == 40


def test_reading_ahead_stops_at_a_number_of_files(monkeypatch) -> None:
    monkeypatch.setattr(readahead, "MAX_AHEAD", 3)
    started: list[str] = []

    def prepare(path: Path, _worker: FakeWorker) -> Prepared:
        started.append(path.stem)
        return prepared(path)

    paths = [Path(f"{n}.pdf") for n in range(10)]
    reader = readahead.read_ahead(paths, prepare, lambda _p: None, FakeWorker, readers=2)
    assert next(reader)[0] == paths[0]
    time.sleep(0.2)
    assert len(started) == 4  # three ahead of the one taken
    assert [path for path, _ in reader] == paths[1:]


def test_an_unexpected_error_comes_at_its_files_turn() -> None:
    def prepare(path: Path, _worker: FakeWorker) -> Prepared:
        if path.stem == "2":
            raise RuntimeError("a bug")
        return prepared(path)

    paths = [Path(f"{n}.pdf") for n in range(5)]
    reader = readahead.read_ahead(paths, prepare, lambda _p: None, FakeWorker, readers=2)
    assert [next(reader)[0], next(reader)[0]] == paths[:2]
    with pytest.raises(RuntimeError, match="a bug"):
        next(reader)


def test_closing_early_cancels_what_has_not_started_and_discards_the_rest() -> None:
    gate = threading.Event()
    started: list[str] = []
    discarded: list[str] = []

    def prepare(path: Path, _worker: FakeWorker) -> Prepared:
        started.append(path.stem)
        if path.stem != "0":
            gate.wait(5)
        return prepared(path)

    paths = [Path(f"{n}.pdf") for n in range(30)]
    reader = readahead.read_ahead(
        paths, prepare, lambda p: discarded.append(p.path.stem), FakeWorker, readers=2
    )
    path, _result = next(reader)
    assert path == paths[0]
    threading.Timer(0.1, gate.set).start()
    reader.close()  # a cancel: the reads running finish and their copies go
    assert sorted(discarded) == sorted(started[1:]) == ["1", "2"]  # nothing else began
    assert all(worker.closed for worker in FakeWorker.made)


def test_reading_says_whether_the_readers_are_still_at_work() -> None:
    gate = threading.Event()

    def prepare(path: Path, _worker: FakeWorker) -> Prepared:
        if path.stem == "3":
            gate.wait(5)
        return prepared(path)

    paths = [Path(f"{n}.pdf") for n in range(4)]
    reader = readahead.read_ahead(paths, prepare, lambda _p: None, FakeWorker, readers=2)
    next(reader)
    assert reader.reading  # file 3 waits
    gate.set()
    rest = list(reader)
    assert len(rest) == 3 and not reader.reading
