"""Attaching, detaching and listing a paper's files; the Library's thin methods call these."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage.files.prepare import FileProblem, Prepared, discard, failed_note, prepare
from storage.files.readahead import ReadAhead, read_ahead
from storage.files.rows import (
    PENDING,
    drop_file,
    file_views,
    find_file,
    insert_file,
    page_texts,
    referenced,
    remove_file,
    replace_text,
)
from storage.models import PAPER
from storage.pdf import FAILED, MISSING, OK, FileStore, FileStoreError, PdfText, PdfWorker
from storage.views import Change, FileChange, FileView

__all__ = ["FileOps", "Read", "Write"]

log = logging.getLogger(__name__)

Read = Callable[[Callable[[Connection], Any]], Any]
# The Library's write lane: (work, papers touched[, catch the index up at once]) -> result.
Write = Callable[..., Any]


def paper_exists(conn: Connection, pid: int) -> bool:
    return conn.execute(select(PAPER.c.id).where(PAPER.c.id == pid)).first() is not None


class FileOps:
    """The files of one library folder, written through the Library's one write lane."""

    def __init__(
        self,
        folder: Path,
        read: Read,
        write: Write,
        catch_up: Callable[..., None] = lambda **_: None,
        catch_up_apart: Callable[..., None] = lambda **_: None,
        worker: Callable[[], PdfWorker] = PdfWorker,
    ) -> None:
        self.store = FileStore(folder)
        self.read, self.write, self.new_worker = read, write, worker
        # The index, after writes made with catch_up=False; spread=True: nothing else runs,
        # the indexing may take every core (else it leaves one to the PDF readers). The
        # second runs beside further writes (on a thread of its own).
        self.catch_up, self.catch_up_apart = catch_up, catch_up_apart

    # --- reading ----------------------------------------------------------------------------

    def files(self, pid: int | None) -> list[FileView]:
        return self.read(lambda c: file_views(c, None if pid is None else [pid], self.store.root))

    def file(self, file_id: int) -> FileView | None:
        return self.read(lambda c: find_file(c, file_id, self.store.root))

    def used(self, sha256: str) -> bool:
        return bool(self.read(lambda c: referenced(c, sha256)))

    # --- writing ----------------------------------------------------------------------------

    def prepare(self, path: Path, worker: PdfWorker) -> Prepared:
        """Stored and read, not yet recorded; FileProblem when it is no PDF."""
        return prepare(
            path, self.store, worker, lambda sha: self.read(lambda c: page_texts(c, sha))
        )

    def read_ahead(self, paths: Sequence[Path], readers: int | None = None) -> ReadAhead:
        """Each path prepared, in order, while worker processes read the following ones
        (readahead.read_ahead), so extraction overlaps the recording and the indexing.
        Closing the iterator early (a cancel) removes the copies read ahead and not recorded."""
        return read_ahead(
            paths,
            self.prepare,
            lambda prepared: discard(self.store, prepared.sha256, self.used),
            self.new_worker,
            readers,
        )

    def record(
        self, prepared: Prepared, pid: int | Callable[[Connection], int]
    ) -> tuple[int, int | None]:
        """One transaction: attach the prepared file to pid (or to the paper made by pid(conn));
        (paper id, file id or None when already attached). The stored copy goes again when the
        transaction fails and no row references it. The index catches up later: catch_up()."""

        def work(conn: Connection) -> tuple[int, int | None]:
            paper = pid(conn) if callable(pid) else pid
            if not paper_exists(conn, paper):
                raise FileProblem(f"no paper with id {paper}")
            file_id = insert_file(
                conn, paper, prepared.sha256, prepared.name, prepared.size, prepared.text
            )
            return paper, file_id

        try:
            paper, file_id = self.write(
                work, lambda result: [result[0]] if result[1] else [], False
            )
        except BaseException:
            discard(self.store, prepared.sha256, self.used)
            raise
        return paper, file_id

    @contextlib.contextmanager
    def indexing_after(self, every: float = 1.0) -> Iterator[Callable[..., None]]:
        """Around many record() calls: yields a tick() that starts a catch-up of the index
        beside the recording (catch_up_apart, on a thread) after `every` seconds, then after
        twice as long each time (never two at once); at the end, once that one is done, a
        last catch-up on every core, whatever happened. tick(spread=True): nothing else is
        running (the PDFs are read). Each catch-up leaves a segment that every search walks."""
        last = time.monotonic()
        running: threading.Thread | None = None

        def tick(spread: bool | Callable[[], bool] = False) -> None:
            nonlocal last, every, running
            if running is not None and running.is_alive():
                return
            if time.monotonic() - last >= every:
                running = threading.Thread(
                    target=self._apart, args=(spread,), name="papershelf-index", daemon=True
                )
                running.start()
                last = time.monotonic()
                every *= 2

        try:
            yield tick
        finally:
            if running is not None:
                running.join()
            self.catch_up(spread=True)

    def _apart(self, spread: bool | Callable[[], bool]) -> None:
        try:
            self.catch_up_apart(spread=spread)
        except Exception as error:  # the papers stay queued: the last catch-up takes them
            log.warning("index catch-up beside the import failed: %s", error)

    def attach(self, pid: int, paths: Sequence[Path]) -> FileChange:
        """Copy each PDF into the library and attach it to the paper, each file in its own
        transaction; a file that is no PDF is refused (named in messages)."""
        if not self.read(lambda c: paper_exists(c, pid)):
            raise FileProblem(f"no paper with id {pid}")
        file_ids: list[int] = []
        messages: list[str] = []
        refused = 0
        with self.new_worker() as worker, self.indexing_after():
            for path in paths:
                try:
                    prepared = self.prepare(Path(path), worker)
                except FileProblem as error:
                    messages.append(str(error))
                    refused += 1
                    continue
                _paper, file_id = self.record(prepared, pid)
                if file_id is None:
                    messages.append(f"{prepared.label}: already attached to paper {pid}")
                    continue
                file_ids.append(file_id)
                if note := failed_note(prepared):
                    messages.append(note)
        return FileChange(
            paper_ids=frozenset([pid]) if file_ids else frozenset(),
            file_ids=tuple(file_ids),
            messages=tuple(messages),
            refused=refused,
        )

    def retry(self, pid: int, file_id: int) -> FileChange:
        """Read a file's stored copy again (in a worker) and store what it says now: for a
        file whose text failed or never came. FileProblem for a file that is not the paper's
        or whose stored copy is missing or altered (attach it again)."""
        view = self.file(file_id)
        if view is None or view.paper_id != pid:
            raise FileProblem(f"paper {pid} has no file {file_id}")
        try:
            state = self.store.verify(view.sha256)
        except FileStoreError as error:
            raise FileProblem(str(error)) from None
        if state != OK:
            how = "is missing" if state == MISSING else "was altered"
            raise FileProblem(
                f"{view.name}: the library's copy {view.path} {how}; attach the file again"
            )
        with self.new_worker() as worker:
            text, _identity = worker.read(view.path, name=view.name)
        self.write(lambda c: replace_text(c, file_id, text), lambda _result: [pid])
        failed = text.status == FAILED
        note = f"{text.reason}; its text is still not searchable" if failed else text.reason
        return FileChange(
            paper_ids=frozenset([pid]),
            file_ids=(file_id,),
            messages=(note,) if note else (),
            refused=int(failed),
        )

    def detach(self, pid: int, file_id: int) -> Change:
        """Remove the file from the paper; its stored copy goes when no other paper has it."""
        sha = self.write(lambda c: remove_file(c, pid, file_id), lambda sha: [pid] if sha else [])
        if sha is None:
            raise FileProblem(f"paper {pid} has no file {file_id}")
        discard(self.store, sha, self.used)
        return Change(paper_ids=frozenset([pid]))

    def settle(self, paper_ids: Iterable[int]) -> list[str]:
        """Re-link the pending files of these papers (from a JSON backup or an undo): read the
        text of those whose bytes are in files/, drop the rows of the others (one line each)."""
        wanted = set(paper_ids)
        pending = [v for v in self.files(None) if v.text == PENDING and v.paper_id in wanted]
        messages: list[str] = []
        if not pending:
            return messages
        with self.new_worker() as worker:
            for view in pending:
                if not view.path.is_file():
                    self.write(
                        lambda c, v=view: drop_file(c, v.id), lambda _r, v=view: [v.paper_id]
                    )
                    messages.append(
                        f"{view.name}: not in {self.store.root} (sha256 {view.sha256[:12]}…); "
                        f"not re-linked to paper {view.paper_id}"
                    )
                    continue
                found = self.read(functools.partial(page_texts, sha256=view.sha256))
                if found is not None:
                    text = PdfText(view.name, found[0], found[2], found[1])
                else:
                    text, _identity = worker.read(view.path, name=view.name)
                self.write(
                    lambda c, v=view, t=text: replace_text(c, v.id, t),
                    lambda _r, v=view: [v.paper_id],
                )
        return messages

    def file_path(self, file_id: int) -> Path:
        found = self.file(file_id)
        if found is None:
            raise FileProblem(f"no file with id {file_id}")
        return found.path
