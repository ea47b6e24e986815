"""Reading many PDFs ahead of their recording: a few worker processes, results in order."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from storage.files.prepare import FileProblem, Prepared
from storage.pdf import PdfWorker

__all__ = ["MAX_AHEAD", "MAX_BUFFERED_CHARS", "ReadAhead", "read_ahead", "reader_count"]

# Files read ahead of the one being recorded: enough for the readers to keep going while
# the index catches up (a few seconds), few enough that a cancel has little to throw away.
MAX_AHEAD = 512
# Text read and waiting to be recorded, in characters: a folder of 2,000-page files does not
# pile up gigabytes (a reader starts no new file while this much waits).
MAX_BUFFERED_CHARS = 48_000_000

Prepare = Callable[[Path, PdfWorker], Prepared]
Discard = Callable[[Prepared], None]
Outcome = Prepared | FileProblem


def reader_count(files: int) -> int:
    """Worker processes for reading `files` PDFs: one per core, at most 2, at most one a file.

    Each is a process of its own with a time limit and a memory cap (storage.pdf.worker);
    PDFium itself is not thread-safe, so parallel reading needs processes anyway.
    """
    return max(1, min(2, os.cpu_count() or 1, files))


def _chars(result: object) -> int:
    if not isinstance(result, Prepared):
        return 0
    return sum(len(page) for page in result.text.pages)


class _Shelf:
    """What the readers have read and the caller has not taken yet, under one condition."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = paths
        self.cond = threading.Condition()
        self.started = 0  # files handed to a reader
        self.taken = 0  # files handed to the caller
        self.ready: dict[int, Outcome | BaseException] = {}
        self.chars = 0  # of text in `ready`
        self.read = 0  # files the readers are done with
        self.stopped = False

    def claim(self) -> int | None:
        """The next file for a reader, once there is room ahead; None when all are out."""
        with self.cond:
            while (
                not self.stopped
                and self.started < len(self.paths)
                and (self.started - self.taken >= MAX_AHEAD or self.chars > MAX_BUFFERED_CHARS)
            ):
                self.cond.wait()
            if self.stopped or self.started >= len(self.paths):
                return None
            self.started += 1
            return self.started - 1

    def put(self, number: int, result: Outcome | BaseException) -> None:
        with self.cond:
            self.ready[number] = result
            self.chars += _chars(result)
            self.read += 1
            self.cond.notify_all()

    def take(self, number: int) -> Outcome | BaseException:
        with self.cond:
            while number not in self.ready:
                self.cond.wait()
            result = self.ready.pop(number)
            self.chars -= _chars(result)
            self.taken = number + 1
            self.cond.notify_all()
            return result

    def stop(self) -> list[Outcome | BaseException]:
        """No more files; what was read and never taken."""
        with self.cond:
            self.stopped = True
            self.cond.notify_all()
            return list(self.ready.values())


class ReadAhead:
    """Each path prepared (stored and read), in order, while `readers` worker processes (one
    thread drives each) read the following ones, so reading overlaps the caller's recording
    and indexing. Iterate it for (path, Prepared or FileProblem); close() early (a cancel)
    lets the reads under way finish, starts no other, and hands every copy read and never
    taken to discard(). An unexpected error of prepare() is raised at its file's turn."""

    def __init__(
        self,
        paths: Sequence[Path],
        prepare: Prepare,
        discard: Discard,
        new_worker: Callable[[], PdfWorker],
        readers: int | None = None,
    ) -> None:
        self._shelf = _Shelf(paths)
        self._prepare, self._discard, self._new_worker = prepare, discard, new_worker
        self._count = min(readers or reader_count(len(paths)), len(paths))
        self._results = self._run()

    def __iter__(self) -> ReadAhead:
        return self

    def __next__(self) -> tuple[Path, Outcome]:
        return next(self._results)

    def close(self) -> None:
        self._results.close()

    @property
    def reading(self) -> bool:
        """Whether the readers are still at work (some file is not read yet): the caller
        may then leave them a core."""
        shelf = self._shelf
        with shelf.cond:
            return not shelf.stopped and shelf.read < len(shelf.paths)

    def _reader(self) -> None:
        shelf, paths = self._shelf, self._shelf.paths
        with self._new_worker() as worker:  # its process starts with its first file
            while (number := shelf.claim()) is not None:
                try:
                    result: Outcome | BaseException = self._prepare(paths[number], worker)
                except FileProblem as error:
                    result = error
                except BaseException as error:  # handed to the caller at that file's turn
                    result = error
                shelf.put(number, result)

    def _run(self) -> Generator[tuple[Path, Outcome], None, None]:
        shelf = self._shelf
        threads = [
            threading.Thread(target=self._reader, name=f"papershelf-pdf-{n}", daemon=True)
            for n in range(self._count)
        ]
        for thread in threads:
            thread.start()
        try:
            for number, path in enumerate(shelf.paths):
                result = shelf.take(number)
                if isinstance(result, BaseException) and not isinstance(result, FileProblem):
                    raise result
                yield path, result
        finally:
            shelf.stop()
            for thread in threads:
                thread.join()
            for result in shelf.stop():
                if isinstance(result, Prepared):
                    self._discard(result)


def read_ahead(
    paths: Sequence[Path],
    prepare: Prepare,
    discard: Discard,
    new_worker: Callable[[], PdfWorker],
    readers: int | None = None,
) -> ReadAhead:
    """ReadAhead(paths, prepare, discard, new_worker, readers)."""
    return ReadAhead(paths, prepare, discard, new_worker, readers)
