"""The routine's views of the paper table.

Which ids the Inbox, a smart list and a tag's or list's suggestions show, in which order. Plain
Library reads: safe on the search worker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from storage.library import EditError, Library, NotFound

if TYPE_CHECKING:
    from app.gui.paper_filter import PaperFilter

SCORE = "score"  # the sort key of a computed order (suggestions, the Inbox likeliest first)
INBOX_ORDER = "inbox"  # the Inbox's own order: newest import first, then as the file lists them


def in_order(ranked: Sequence[int], present: Iterable[int]) -> list[int]:
    """The present ids in ranked order; those not ranked (arrived since) go first."""
    place = {pid: i for i, pid in enumerate(ranked)}
    present = list(present)
    fresh = [pid for pid in present if pid not in place]
    known = sorted((pid for pid in present if pid in place), key=place.__getitem__)
    return fresh + known


def next_after(shown: Sequence[int], ids: Sequence[int]) -> int | None:
    """The paper to show once ids leave the view: the first one after them, else before."""
    gone = set(ids)
    rows = [i for i, pid in enumerate(shown) if pid in gone]
    if not rows:
        return None
    after = [pid for pid in shown[rows[-1] + 1 :] if pid not in gone]
    before = [pid for pid in shown[: rows[0]] if pid not in gone]
    return after[0] if after else (before[-1] if before else None)


def _matching(library: Library, query: str) -> set[int] | None:
    return set(library.paper_ids(query=query, include_dismissed=True)) if query else None


def _column_order(library: Library, ids: list[int], sort: str, descending: bool) -> list[int]:
    """ids in a table column's order."""
    wanted = set(ids)
    everything = library.paper_ids(sort=sort, descending=descending, include_dismissed=True)
    return [pid for pid in everything if pid in wanted]


def inbox_ids(library: Library, flt: PaperFilter, sort: str, descending: bool) -> list[int]:
    query = flt.query or None
    if sort == SCORE and flt.ranked is not None:
        return in_order(flt.ranked, library.paper_ids(inbox=True, query=query, sort=INBOX_ORDER))
    if sort == SCORE:  # not ranked yet: the Inbox's own order meanwhile
        sort = INBOX_ORDER
    return library.paper_ids(inbox=True, query=query, sort=sort, descending=descending)


def smart_ids(library: Library, flt: PaperFilter, sort: str, descending: bool) -> list[int]:
    """A smart list's papers (in its scope), narrowed by the search field's query."""
    assert flt.smart is not None
    try:
        saved = library.smart_list(flt.smart)
    except NotFound:  # deleted meanwhile (the sidebar moves on)
        return []
    ids = library.paper_ids(
        query=saved.query,
        sort=sort,
        descending=descending,
        **saved.scope_filter,  # type: ignore[arg-type]
    )
    narrowed = _matching(library, flt.query)
    return ids if narrowed is None else [pid for pid in ids if pid in narrowed]


def suggestion_ids(library: Library, flt: PaperFilter, sort: str, descending: bool) -> list[int]:
    """The suggestions computed for a tag or list, less those accepted or rejected since."""
    assert flt.suggest is not None
    kind, name = flt.suggest
    try:
        if kind == "tag":
            members = set(library.paper_ids(tag=name))
            rejected = library.rejected_suggestions(tag=name)
        else:
            members = set(library.paper_ids(list_name=name))
            rejected = library.rejected_suggestions(list_name=name)
    except (NotFound, EditError, ValueError):  # the tag or list went away: nothing to show
        return []
    ids = [pid for pid in flt.ranked or () if pid not in members and pid not in rejected]
    narrowed = _matching(library, flt.query)
    if narrowed is not None:
        ids = [pid for pid in ids if pid in narrowed]
    if sort not in (SCORE, "relevance"):
        ids = _column_order(library, ids, sort, descending)
    return ids


def view_ids(library: Library, flt: PaperFilter, sort: str, descending: bool) -> list[int]:
    """The ids a routine view shows (PaperTableModel.query_ids for flt.routine)."""
    if flt.inbox:
        return inbox_ids(library, flt, sort, descending)
    if flt.smart is not None:
        return smart_ids(library, flt, sort, descending)
    return suggestion_ids(library, flt, sort, descending)
