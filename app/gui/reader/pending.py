"""Highlights as the readers show them while their writes wait on the window's write lane.

A highlight made, recoloured, commented on or deleted is shown so at once; its write runs on
the lane, in order with every other edit. Until the lane has written it, the readers show what
the library has with the queued edits laid over it, in the order they were made. A new
highlight is shown with a provisional (negative) id until the library gives it its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import count

from storage.library import EditError
from storage.views import NoteView

__all__ = ["HighlightRef", "PendingHighlights", "Shown", "Unstored"]

Shown = dict[int, NoteView]  # the highlights of one file as shown, by the id they are shown with
Overlay = Callable[["HighlightRef", Shown], None]  # lays one queued edit over what is shown


class Unstored(EditError):
    """An edit of a highlight whose own write was refused: nothing to edit (told once, for
    the highlight itself)."""


@dataclass(eq=False)
class HighlightRef:
    """One highlight as the window knows it: the id it is shown with before the library has
    it (provisional), and its stored id, set on the write lane once it is written."""

    provisional: int
    id: int | None = None

    def stored(self) -> int:
        """The stored id (on the lane: the highlight's own write ran before this edit)."""
        if self.id is None:
            raise Unstored("the highlight was not saved")
        return self.id

    def key(self, shown: Shown) -> int:
        """The id it is shown with: the stored one once it has one."""
        return self.id if self.id is not None and self.id in shown else self.provisional


def show_added(view: NoteView) -> Overlay:
    """The highlight (as `view`) shown, unless the library has it already."""

    def overlay(ref: HighlightRef, shown: Shown) -> None:
        if ref.key(shown) not in shown:
            key = ref.provisional if ref.id is None else ref.id
            shown[key] = replace(view, id=key)

    return overlay


def show_removed(ref: HighlightRef, shown: Shown) -> None:
    shown.pop(ref.key(shown), None)


def show_edited(color: str | None, comment: str | None) -> Overlay:
    """The highlight shown in this colour and/or with this comment (None: as it is)."""

    def overlay(ref: HighlightRef, shown: Shown) -> None:
        key = ref.key(shown)
        if key in shown:
            note = shown[key]
            shown[key] = replace(
                note,
                color=note.color if color is None else color,
                body=note.body if comment is None else comment,
            )

    return overlay


class PendingHighlights:
    """The edits of highlights queued on the lane and not yet written, in order; `changed`
    is called when one is written (or refused), so the readers draw again."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self.changed = changed
        self._queued: dict[int, tuple[HighlightRef, Overlay]] = {}  # token -> edit, in order
        self._tokens = count(1)
        self._provisional = count(-1, -1)
        self._refs: dict[int, HighlightRef] = {}  # provisional and landed ids of new ones

    def new_ref(self) -> HighlightRef:
        """A highlight about to be made: its provisional id."""
        ref = HighlightRef(next(self._provisional))
        self._refs[ref.provisional] = ref
        return ref

    def ref(self, key: int) -> HighlightRef:
        """The highlight shown with this id (provisional or stored)."""
        found = self._refs.get(key)
        return found if found is not None else HighlightRef(key, key)

    def known(self, ref: HighlightRef) -> None:
        """A new highlight was written: its stored id now names it too."""
        if ref.id is not None:
            self._refs[ref.id] = ref

    def same(self, first: int, second: int) -> bool:
        """Whether two shown ids name one highlight (the provisional and the stored one)."""
        a, b = self.ref(first), self.ref(second)
        return a is b or (a.id is not None and a.id == b.id)

    def queue(self, ref: HighlightRef, overlay: Overlay) -> int:
        """An edit queued on the lane: shown from now on; its token for `landed`."""
        token = next(self._tokens)
        self._queued[token] = (ref, overlay)
        return token

    def landed(self, token: int) -> None:
        """The edit was written (the library shows it now) or refused (never shown again)."""
        if self._queued.pop(token, None) is not None:
            self.changed()

    @property
    def busy(self) -> bool:
        return bool(self._queued)

    def shown(self, stored: Iterable[NoteView], file_id: int) -> tuple[Shown, set[int]]:
        """The file's highlights as shown (the stored ones with the queued edits over them)
        and the ids of those with edits still to be written (drawn as pending)."""
        shown: Shown = {note.id: note for note in stored}
        touched: list[HighlightRef] = []
        for ref, overlay in self._queued.values():
            overlay(ref, shown)
            touched.append(ref)
        mine = {key: note for key, note in shown.items() if note.file_id == file_id}
        return mine, {ref.key(mine) for ref in touched} & mine.keys()
