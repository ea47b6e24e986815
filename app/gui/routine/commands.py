"""The routine's undoable edits.

Keep/dismiss, add to a list, accept/reject suggestions, and smart lists (create, edit, delete),
as QUndoCommands on the window's undo stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.gui.commands import ChangeSink, ErrorSink, LibraryCommand, merge, plural
from storage.library import Library
from storage.smart import SmartList
from storage.triage import TriageState
from storage.views import Change

KEEP, DISMISS = "keep", "dismiss"
ACCEPT, REJECT = "accept", "reject"
Listener = Callable[[list[int], str, bool], None]  # (ids, verb, undone)


class TriageCommand(LibraryCommand):
    """Keep or dismiss papers of the Inbox; undo puts back each one's status and Inbox place.
    `listener(ids, verb, undone)` hears each run (the triage view counts and re-selects)."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        ids: Sequence[int],
        verb: str,
        listener: Listener | None = None,
    ) -> None:
        super().__init__(f"{verb.title()} {plural(len(ids), 'paper')}", library, sink, on_error)
        self.ids, self.verb, self.listener = list(ids), verb, listener
        self.touched = frozenset(self.ids)
        self.previous: tuple[TriageState, ...] = ()

    def apply(self) -> Change:
        change = (
            self.library.keep(self.ids) if self.verb == KEEP else self.library.dismiss(self.ids)
        )
        self.previous = change.previous
        return change

    def revert(self) -> Change:
        return self.library.undo_triage(self.previous)

    def redo(self) -> None:
        super().redo()
        if self.listener is not None and not self.isObsolete():
            self.listener(self.ids, self.verb, False)

    def undo(self) -> None:
        super().undo()
        if self.listener is not None and not self.isObsolete():
            self.listener(self.ids, self.verb, True)


class ListAddCommand(LibraryCommand):
    """Add papers to a reading list (made when it does not exist); undo takes out the papers
    it added (and the list it made)."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        name: str,
        ids: Sequence[int],
    ) -> None:
        super().__init__(f"Add {plural(len(ids), 'paper')} to “{name}”", library, sink, on_error)
        self.name, self.ids = name, list(dict.fromkeys(ids))
        self.touched = frozenset(self.ids)
        self.added: list[int] = []
        self.created = False

    def apply(self) -> Change:
        existing = {s.name.casefold(): s.name for s in self.library.lists()}
        made = None
        self.created = self.name.casefold() not in existing
        if self.created:
            made = self.library.create_list(self.name)
        else:
            self.name = existing[self.name.casefold()]
        before = set(self.library.paper_ids(list_name=self.name))
        self.added = [pid for pid in self.ids if pid not in before]
        return merge(made, self.library.add_to_list(self.name, self.ids), Change(self.touched))

    def revert(self) -> Change:
        if self.created:
            return merge(self.library.delete_list(self.name), Change(self.touched))
        removed = self.library.remove_from_list(self.name, self.added) if self.added else None
        return merge(removed, Change(self.touched))


class SuggestionCommand(LibraryCommand):
    """Accept suggestions (the tag is added, or the papers join the list) or reject them
    (remembered: never suggested for it again); undo takes either back."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        target: tuple[str, str],
        ids: Sequence[int],
        verb: str,
        listener: Listener | None = None,
    ) -> None:
        kind, name = target
        what = f"tag “{name}”" if kind == "tag" else f"list “{name}”"
        text = f"{verb.title()} {plural(len(ids), 'suggestion')} for {what}"
        super().__init__(text, library, sink, on_error)
        self.kind, self.name, self.ids, self.verb = kind, name, list(ids), verb
        self.touched = frozenset(self.ids)
        self.listener = listener

    def _target(self) -> dict[str, str]:
        return {"tag": self.name} if self.kind == "tag" else {"list_name": self.name}

    def apply(self) -> Change:
        if self.verb == ACCEPT:
            change = self.library.accept_suggestions(self.ids, **self._target())
            return merge(change, Change(self.touched))
        return self.library.reject_suggestions(self.ids, **self._target())

    def revert(self) -> Change:
        if self.verb == REJECT:
            return self.library.unreject_suggestions(self.ids, **self._target())
        if self.kind == "tag":
            return self.library.remove_tags(self.ids, [self.name])
        return merge(self.library.remove_from_list(self.name, self.ids), Change(self.touched))

    def redo(self) -> None:
        super().redo()
        if self.listener is not None and not self.isObsolete():
            self.listener(self.ids, self.verb, False)

    def undo(self) -> None:
        super().undo()
        if self.listener is not None and not self.isObsolete():
            self.listener(self.ids, self.verb, True)


class SmartListCommand(LibraryCommand):
    """Create, change (name, query, scope) or delete a smart list; undo restores it as it was.

    before: the list as it was (None: it is created); after: as it will be (None: deleted)."""

    def __init__(
        self,
        library: Library,
        sink: ChangeSink,
        on_error: ErrorSink,
        before: SmartList | None,
        after: tuple[str, str, str | None] | None,
    ) -> None:
        if before is None:
            assert after is not None
            text = f"Save smart list “{after[0]}”"
        elif after is None:
            text = f"Delete smart list “{before.name}”"
        elif after[0] != before.name and after[1:] == (before.query, before.scope):
            text = f"Rename smart list “{before.name}” to “{after[0]}”"
        else:
            text = f"Edit smart list “{before.name}”"
        super().__init__(text, library, sink, on_error)
        self.before, self.after = before, after
        self.saved: SmartList | None = before

    def apply(self) -> Change:
        before, after = self.before, self.after
        if after is None:
            assert before is not None
            change, self.saved = self.library.delete_smart_list(before.name)
            return change
        name, query, scope = after
        if before is None:
            return self.library.create_smart_list(name, query, scope)
        return self._change(before.name, name, query, scope)

    def revert(self) -> Change:
        before, after = self.before, self.after
        if before is None:
            assert after is not None
            return self.library.delete_smart_list(after[0])[0]
        if after is None:
            assert self.saved is not None
            return self.library.restore_smart_list(self.saved)
        return self._change(after[0], before.name, before.query, before.scope)

    def _change(self, old: str, name: str, query: str, scope: str | None) -> Change:
        renamed = self.library.rename_smart_list(old, name) if name != old else Change()
        edited = self.library.edit_smart_list(name, query=query, scope=scope)
        return Change(smart_lists=renamed.smart_lists | edited.smart_lists)
