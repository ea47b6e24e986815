"""Undoable edits (tags, status, rating, delete, tag rename/delete) as QUndoCommands on Library."""

from __future__ import annotations

import sys
import traceback
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QUndoCommand

from app.gui.lane import LaneUndoStack, Step, WriteLane
from storage.library import EditError, Library, LibraryError
from storage.search import SearchIndexError
from storage.views import Change

ChangeSink = Callable[[Change], None]
ErrorSink = Callable[[str], None]


def merge(*changes: Change | None) -> Change:
    """One Change covering all of these."""
    found = [c for c in changes if c is not None]
    return Change(
        paper_ids=frozenset().union(*(c.paper_ids for c in found)),
        tags=frozenset().union(*(c.tags for c in found)),
        lists=frozenset().union(*(c.lists for c in found)),
        note_ids=frozenset().union(*(c.note_ids for c in found)),
        smart_lists=frozenset().union(*(c.smart_lists for c in found)),
    )


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class LibraryCommand(QUndoCommand):
    """Runs an edit, hands its Change to the window, and turns errors into a message.

    On the window's undo stack (app.gui.lane.LaneUndoStack) redo and undo queue the work on
    the write lane and return at once: the Change reaches `sink` when the database has it
    (the lane tells the window again once the search index has it). Without a lane (a
    command run alone) they run here."""

    lane: WriteLane | None = None
    stack: LaneUndoStack | None = None  # the stack that gave it the lane
    then: Callable[[], None] | None = None  # on the GUI thread, once its first run is shown

    def __init__(self, text: str, library: Library, sink: ChangeSink, on_error: ErrorSink) -> None:
        super().__init__(text)
        self.library = library
        self.sink = sink
        self.on_error = on_error
        self.touched: frozenset[int] = frozenset()  # papers to re-read if a step fails midway

    def apply(self) -> Change:
        raise NotImplementedError

    def revert(self) -> Change:
        raise NotImplementedError

    def redo(self) -> None:
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, step: Callable[[], Change]) -> None:
        if self.isObsolete():  # failed before: the stack drops it, nothing to undo or redo
            return
        if self.lane is not None:
            self.lane.run(Step(self.text(), step, self._done, self._failed))
            return
        try:
            change = step()
        except Exception as error:  # noqa: BLE001 (said in one line; a bug also printed)
            self._failed(error)
        else:
            self._done(change)

    def _done(self, change: Change) -> None:
        self.sink(change)
        then, self.then = self.then, None
        if then is not None:
            then()

    def _message(self, error: BaseException) -> str | None:
        """What to tell of a failure (None: nothing, it was told already)."""
        if isinstance(error, (LibraryError, EditError, SearchIndexError)):  # one line
            return str(error)
        traceback.print_exception(error, file=sys.stderr)  # a bug or a broken index: say so
        return f"{self.text()} failed: {str(error) or type(error).__name__}"

    def _failed(self, error: BaseException) -> None:
        message = self._message(error)
        self.setObsolete(True)  # the stack drops a command that cannot run
        self.then = None
        if self.stack is not None:  # it failed on the lane, after the push: dropped there
            self.stack.drop(self)
        if message is not None:
            self.on_error(message)
        self.sink(Change(paper_ids=self.touched))  # the database may have changed before it failed


def _folded(tags: Sequence[str]) -> set[str]:
    return {tag.casefold() for tag in tags}


class TagCommand(LibraryCommand):
    """Add and/or remove tags on many papers; undo restores each paper's own tags."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        ids: Sequence[int],
        add: Sequence[str],
        remove: Sequence[str],
        before: Mapping[int, Sequence[str]],
    ) -> None:
        verb = "Tag" if add and not remove else "Untag" if remove and not add else "Retag"
        super().__init__(f"{verb} {plural(len(ids), 'paper')}", library, sink, on_error)
        self.ids, self.add, self.remove = list(ids), list(add), list(remove)
        self.touched = frozenset(self.ids)
        self.before = {pid: _folded(before.get(pid, ())) for pid in self.ids}

    def apply(self) -> Change:
        added = self.library.add_tags(self.ids, self.add) if self.add else None
        removed = self.library.remove_tags(self.ids, self.remove) if self.remove else None
        return merge(added, removed)

    def revert(self) -> Change:
        changes: list[Change] = []
        for tag in self.remove:
            had = [pid for pid in self.ids if tag.casefold() in self.before[pid]]
            if had:
                changes.append(self.library.add_tags(had, [tag]))
        for tag in self.add:
            lacked = [pid for pid in self.ids if tag.casefold() not in self.before[pid]]
            if lacked:
                changes.append(self.library.remove_tags(lacked, [tag]))
        return merge(*changes)


class FieldCommand(LibraryCommand):
    """Set status or rating on many papers; undo puts back each paper's previous value."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        field: str,
        ids: Sequence[int],
        value: str | int,
        before: Mapping[int, str | int],
    ) -> None:
        shown = f"as {value}" if field == "status" else f"{value}★" if value else "unrated"
        verb = "Mark" if field == "status" else "Rate"
        super().__init__(f"{verb} {plural(len(ids), 'paper')} {shown}", library, sink, on_error)
        self.field, self.ids, self.value = field, list(ids), value
        self.touched = frozenset(self.ids)
        self.before = {pid: before[pid] for pid in self.ids if pid in before}

    def _set(self, ids: Sequence[int], value: str | int) -> Change:
        if self.field == "status":
            return self.library.set_status(ids, str(value))
        return self.library.set_rating(ids, int(value))

    def apply(self) -> Change:
        return self._set(self.ids, self.value)

    def revert(self) -> Change:
        groups: dict[str | int, list[int]] = defaultdict(list)
        for pid, old in self.before.items():
            groups[old].append(pid)
        return merge(*(self._set(ids, old) for old, ids in groups.items()))


class DeleteCommand(LibraryCommand):
    """Delete papers; undo restores them with their ids, notes, tags and list places."""

    def __init__(
        self, library: Library, sink: ChangeSink, on_error: ErrorSink, ids: Sequence[int]
    ) -> None:
        super().__init__(f"Delete {plural(len(ids), 'paper')}", library, sink, on_error)
        self.ids = list(ids)
        self.touched = frozenset(self.ids)
        self.snapshot: list = []

    def apply(self) -> Change:
        change, self.snapshot = self.library.delete_papers(self.ids)
        return change

    def revert(self) -> Change:
        return self.library.restore_papers(self.snapshot)


class RenameTagCommand(LibraryCommand):
    """Rename a tag (merging onto an existing one); undo splits them again."""

    def __init__(
        self, library: Library, sink: ChangeSink, on_error: ErrorSink, old: str, new: str
    ) -> None:
        super().__init__(f"Rename tag “{old}” to “{new}”", library, sink, on_error)
        self.old, self.new = old, new
        self.old_ids: list[int] = []
        self.target_ids: set[int] = set()
        self.merged = False
        self.stored_name = new
        self._read = False

    def apply(self) -> Change:
        if not self._read:  # on the lane, in order after the edits before it
            self._read = True
            self.old_ids = self.library.paper_ids(tag=self.old)
            self.target_ids = set(self.library.paper_ids(tag=self.new))
            self.touched = frozenset(self.old_ids) | frozenset(self.target_ids)
            self.merged = bool(self.target_ids) and self.old != self.new
        change = self.library.rename_tag(self.old, self.new)
        self.stored_name = next(iter(change.tags - {self.old}), self.new)
        return change

    def revert(self) -> Change:
        if not self.merged:
            return self.library.rename_tag(self.stored_name, self.old)
        restored = self.library.add_tags(self.old_ids, [self.old])
        only_old = [pid for pid in self.old_ids if pid not in self.target_ids]
        if not only_old:
            return restored
        return merge(restored, self.library.remove_tags(only_old, [self.stored_name]))


class DeleteTagCommand(LibraryCommand):
    """Delete a tag from every paper; undo tags those papers again."""

    def __init__(self, library: Library, sink: ChangeSink, on_error: ErrorSink, name: str) -> None:
        super().__init__(f"Delete tag “{name}”", library, sink, on_error)
        self.name = name
        self.ids: list[int] | None = None  # read when it first runs, on the lane

    def apply(self) -> Change:
        if self.ids is None:
            self.ids = self.library.paper_ids(tag=self.name)
            self.touched = frozenset(self.ids)
        return self.library.delete_tag(self.name)

    def revert(self) -> Change:
        return self.library.add_tags(self.ids, [self.name]) if self.ids else Change()


class MetadataCommand(LibraryCommand):
    """Edit one paper's metadata (title, authors, ids, key, type…); undo puts back the values
    it had, a generated citation key as generated. The editor applies it first (to show any
    rule it breaks next to the field), so the stack's first redo only reports the change."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        pid: int,
        new: Mapping[str, object],
        old: Mapping[str, object],
        key_was_generated: bool,
        title: str,
    ) -> None:
        shown = title if len(title) <= 40 else title[:39] + "…"
        super().__init__(f"Edit “{shown}”", library, sink, on_error)
        self.pid, self.new, self.old = pid, dict(new), dict(old)
        self.key_was_generated = key_was_generated
        self.touched = frozenset({pid})
        self.first: Change | None = None
        self.indexed_by_lane = False  # applied first on the write lane: it indexes it

    def apply_first(self) -> Change:
        """Make the edit (on the write lane, or here for a pane alone: the editor shows what
        a field breaks); raises EditError (its message names the field) when it cannot. The
        search index is brought up to it on the lane."""
        with self.library.index_later():
            self.first = self.apply()
        return self.first

    def redo(self) -> None:
        if self.first is not None:  # applied by the editor: tell the window, index it
            first, self.first = self.first, None
            self.sink(first)
            if self.indexed_by_lane:  # the lane catches the index up after every step
                return
            if self.lane is not None:
                self.lane.catch_up(first)
            else:
                self.library.catch_up_index()
            return
        super().redo()

    def apply(self) -> Change:
        return self.library.update_paper(self.pid, **self.new)

    def revert(self) -> Change:
        generated = self.key_was_generated if "citation_key" in self.old else None
        return self.library.update_paper(self.pid, key_generated=generated, **self.old)
