"""Hooks over the private methods of Whoosh's MpWriter and its worker processes."""

from __future__ import annotations

import pickle

from whoosh.multiproc import MpWriter, SubWriterTask

from storage.search.whoosh_compat.state import _fast


def workers_allowed() -> bool:
    """Whether writes may use MpWriter's worker processes (HookedMpWriter's hooks are private)."""
    return _fast("workers")


class HookedTask(SubWriterTask):
    """MpWriter's worker process; each item of a job file goes to add_item(writer, code,
    item) after before_file() (subclasses fill both in)."""

    def before_file(self) -> None:
        """Called in the worker before each job file."""

    def add_item(self, writer, code: int, item) -> None:
        writer.add_document(**item)

    def _process_file(self, filename, doc_count) -> None:
        self.before_file()
        writer = self.writer
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as handle:
            for _ in range(doc_count):
                code, item = pickle.load(handle)
                self.add_item(writer, code, item)
        storage.delete_file(filename)


class HookedMpWriter(MpWriter):
    """Whoosh's MpWriter with hooks: before_batch() as each batch goes out, make_task() and
    task_started() for a new worker, before_commit() ahead of the table of contents;
    add_item(code, item) queues anything its HookedTask knows how to add."""

    def before_batch(self) -> None:
        """Called before each batch of documents is handed to the workers."""

    def before_commit(self) -> None:
        """Called before the new table of contents is written (raise to commit nothing)."""

    def make_task(self, storage, indexname, jobqueue, resultqueue, subargs, multisegment):
        return HookedTask(storage, indexname, jobqueue, resultqueue, subargs, multisegment)

    def task_started(self, task) -> None:
        """Called once a new worker process runs."""

    def add_item(self, code: int, item) -> None:
        self.docbuffer.append((code, item))
        if not self._grouping and len(self.docbuffer) >= self.batchsize:
            self._enqueue()
        self._added_sub = True

    def _enqueue(self) -> None:
        self.before_batch()
        super()._enqueue()

    def _new_task(self):
        task = self.make_task(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        self.task_started(task)
        return task

    def _commit_toc(self, segments) -> None:
        self.before_commit()
        super()._commit_toc(segments)
