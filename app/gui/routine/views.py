"""The routine's views of the paper table.

Which ids the Inbox, a smart list and a tag's or list's suggestions show, in which order. Plain
Library reads: safe on the search worker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from storage.library import EditError, Library, NotFound
from storage.search import Matches

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


def _matching(library: Library, query: str) -> Matches | None:
    return library.paper_matches(query=query, include_dismissed=True) if query else None


def _narrowed(ids: list[int], narrowed: Matches | None) -> Matches:
    """ids less those the search field's query does not match, with its matched words."""
    if narrowed is None:
        return Matches("", ids)
    wanted = set(narrowed.ids)
    return narrowed.narrowed([pid for pid in ids if pid in wanted])


def _column_order(library: Library, ids: list[int], sort: str, descending: bool) -> list[int]:
    """ids in a table column's order."""
    wanted = set(ids)
    everything = library.paper_ids(sort=sort, descending=descending, include_dismissed=True)
    return [pid for pid in everything if pid in wanted]


def inbox_matches(library: Library, flt: PaperFilter, sort: str, descending: bool) -> Matches:
    query = flt.query or None
    if sort == SCORE and flt.ranked is not None:
        found = library.paper_matches(inbox=True, query=query, sort=INBOX_ORDER)
        return found.narrowed(in_order(flt.ranked, found.ids))
    if sort == SCORE:  # not ranked yet: the Inbox's own order meanwhile
        sort = INBOX_ORDER
    return library.paper_matches(inbox=True, query=query, sort=sort, descending=descending)


def smart_matches(library: Library, flt: PaperFilter, sort: str, descending: bool) -> Matches:
    """A smart list's papers (in its scope), narrowed by the search field's query."""
    assert flt.smart is not None
    try:
        saved = library.smart_list(flt.smart)
    except NotFound:  # deleted meanwhile (the sidebar moves on)
        return Matches("", [])
    ids = library.paper_ids(
        query=saved.query,
        sort=sort,
        descending=descending,
        **saved.scope_filter,  # type: ignore[arg-type]
    )
    return _narrowed(ids, _matching(library, flt.query))


def suggestion_matches(library: Library, flt: PaperFilter, sort: str, descending: bool) -> Matches:
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
        return Matches("", [])
    ids = [pid for pid in flt.ranked or () if pid not in members and pid not in rejected]
    found = _narrowed(ids, _matching(library, flt.query))
    if sort not in (SCORE, "relevance"):
        found = found.narrowed(_column_order(library, found.ids, sort, descending))
    return found


def view_matches(library: Library, flt: PaperFilter, sort: str, descending: bool) -> Matches:
    """The ids a routine view shows, with what the search field's query matched
    (PaperTableModel.query_matches for flt.routine)."""
    if flt.inbox:
        return inbox_matches(library, flt, sort, descending)
    if flt.smart is not None:
        return smart_matches(library, flt, sort, descending)
    return suggestion_matches(library, flt, sort, descending)
