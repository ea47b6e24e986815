"""Library methods of the daily routine's bookkeeping.

The Inbox (keep, dismiss, undo) and smart lists (saved searches with live counts)."""

from __future__ import annotations

from collections.abc import Sequence

from storage import smart, triage
from storage.library.core import NotFound, no_papers
from storage.library.related import RelatedMixin
from storage.search import QueryError
from storage.smart import SmartList, SmartListCount
from storage.triage import DISMISSED, Inbox, InboxBatch, TriageChange, TriageState
from storage.views import Change

__all__ = ["TriageMixin"]


class TriageMixin(RelatedMixin):
    """The Inbox of newly imported papers and the smart lists; inbox(sort="score") asks
    RelatedMixin.interest_scores."""

    # --- the Inbox (storage.triage) -------------------------------------------------------

    def inbox_count(self) -> int:
        """How many papers wait in the Inbox (one cheap count, for the sidebar)."""
        return self._read(triage.inbox_count)

    def inbox_ids(self) -> list[int]:
        """The waiting papers' ids, newest import first, then in the order it read them."""
        return self._read(triage.inbox_ids)

    def inbox_batches(self) -> list[InboxBatch]:
        """The imports whose papers still wait in the Inbox, newest first, each with how many
        wait (the window's "12 new from daily.txt")."""
        return self._read(triage.inbox_batches)

    def inbox(self, limit: int | None = None, sort: str = "import") -> Inbox:
        """The Inbox: newest import first (sort="import") or likeliest first (sort="score":
        the recommender's score against the papers you kept, tagged, listed or read)."""
        if sort not in ("import", "score"):
            raise ValueError(f"unknown inbox order {sort!r}: import or score")
        papers = self._read(
            lambda conn: triage.inbox_papers(conn, None if sort == "score" else limit)
        )
        total = len(papers) if sort == "score" or limit is None else self.inbox_count()
        if sort == "score" and papers:
            scores = self.interest_scores([p.id for p in papers])
            if scores:
                ranked = sorted(papers, key=lambda p: -scores.get(p.id, 0.0))
                papers = [
                    triage.InboxPaper(p.id, p.title, p.batch_id, p.added_at, scores.get(p.id, 0.0))
                    for p in ranked
                ]
            papers = papers[:limit] if limit is not None else papers
        return Inbox(total=total, papers=tuple(papers))

    def keep(self, ids: Sequence[int]) -> TriageChange:
        """Papers leave the Inbox for the library (a dismissed paper comes back as unread);
        .previous is what undo_triage takes."""
        return self._write(
            lambda c: triage.keep(c, ids),
            lambda change: [s.paper_id for s in change.previous if s.status == DISMISSED],
        )

    def dismiss(self, ids: Sequence[int]) -> TriageChange:
        """Papers leave the Inbox as `dismissed`: hidden from All papers and from searches
        that do not name a status, never back in the Inbox; .previous is for undo_triage."""
        return self._write(
            lambda c: triage.dismiss(c, ids),
            lambda change: [s.paper_id for s in change.previous if s.status != DISMISSED],
        )

    def undo_triage(self, previous: Sequence[TriageState]) -> Change:
        """Put papers back as they were before keep or dismiss (status and Inbox place)."""
        return self._write(lambda c: triage.restore(c, previous), lambda change: change.paper_ids)

    # --- smart lists (storage.smart) ------------------------------------------------------

    def smart_lists(self) -> list[SmartList]:
        """Every smart list, by name."""
        return self._read(smart.all_smart_lists)

    def smart_list(self, name: str) -> SmartList:
        found = self._read(lambda conn: smart.find(conn, name))
        if found is None:
            raise NotFound(f"no smart list named {name.strip()!r}")
        return found

    def _scope_ids(self, saved: SmartList) -> set[int] | None:
        """The papers a smart list's scope holds (None: the whole library)."""
        scope = saved.scope_filter
        return set(self.paper_ids(**scope)) if scope else None  # type: ignore[arg-type]

    def smart_count(self, name: str) -> int:
        """A smart list's live count: the search total within its scope (no snippets)."""
        return self._count(self.smart_list(name))

    def _count(self, saved: SmartList) -> int:
        scope = self._scope_ids(saved)
        if scope is not None and not scope:
            return 0
        return self._upkeep.read(
            lambda: self.index.search(saved.query, 0, restrict_ids=scope)
        ).total

    def smart_counts(self) -> list[SmartListCount]:
        """Every smart list with its live count (one search total each)."""
        return [
            SmartListCount(s.name, s.query, s.scope, self._count(s)) for s in self.smart_lists()
        ]

    def smart_ids(self, name: str, sort: str = "relevance") -> list[int]:
        """Every paper of a smart list: best match first, or in a table column's order."""
        saved = self.smart_list(name)
        return self.paper_ids(query=saved.query, sort=sort, **saved.scope_filter)  # type: ignore[arg-type]

    def check_query(self, query: str) -> None:
        """Raises search.QueryError (its message is for the user) when query cannot be read."""
        if not query.strip():
            raise QueryError("a smart list needs a search query")
        self._upkeep.read(lambda: self.index.search(query, 0))

    def create_smart_list(self, name: str, query: str, scope: str | None = None) -> Change:
        """Save a search. Raises QueryError for a query that cannot be read, EditError for a
        name in use or a bad scope (`status:read`, `tag:NAME`, `list:NAME`)."""
        self.check_query(query)
        return self._write(lambda c: smart.create(c, name, query, scope), no_papers)

    def rename_smart_list(self, old: str, new: str) -> Change:
        return self._write(lambda c: smart.rename(c, old, new), no_papers)

    def edit_smart_list(
        self, name: str, *, query: str | None = None, scope: str | None | object = smart.KEEP
    ) -> Change:
        """Change the query and/or the scope (None: all papers; leave it out to keep it)."""
        if query is not None:
            self.check_query(query)
        return self._write(lambda c: smart.edit(c, name, query, scope), no_papers)

    def delete_smart_list(self, name: str) -> tuple[Change, SmartList]:
        """Delete a smart list; returns the change and the list, which restore_smart_list
        puts back (undo)."""
        return self._write(lambda c: smart.remove(c, name), lambda _result: ())

    def restore_smart_list(self, saved: SmartList) -> Change:
        return self._write(lambda c: smart.put_back(c, saved), no_papers)
