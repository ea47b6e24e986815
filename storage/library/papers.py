"""Library methods that read and edit papers, tags, notes and reading lists."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from storage import editing, reading
from storage.editing import DeletedPapers
from storage.files import paper_pages
from storage.library.core import LibraryCore, NotFound, changed_papers, no_papers
from storage.metadata.keys import key_is_generated
from storage.records import PaperRecord
from storage.search import Matches, SearchResult, Snippet
from storage.searchhelp import SearchHelp, explain
from storage.views import (
    Change,
    ListDetail,
    ListSummary,
    PaperDetail,
    PaperRow,
    Stats,
    TagCount,
)

__all__ = ["PapersMixin"]


class PapersMixin(LibraryCore):
    """Papers, tags, notes and reading lists: looked up, searched, counted and edited."""

    # --- reading -------------------------------------------------------------------------

    def resolve(self, ref: str | int) -> int:
        """A paper id from a numeric id or a citation key (case-insensitive)."""

        found = self._read(lambda conn: reading.resolve_ref(conn, ref))
        if found is None:
            raise NotFound(f"no paper with id or citation key {str(ref)!r}")
        return found

    def paper(self, pid: int) -> PaperDetail:
        detail = self._read(lambda conn: reading.paper_detail(conn, pid))
        if detail is None:
            raise NotFound(f"no paper with id {pid}")
        return dataclasses.replace(detail, files=tuple(self._files.files(pid)))

    def rows(self, ids: Sequence[int]) -> dict[int, PaperRow]:
        return self._read(lambda conn: reading.paper_rows(conn, ids))

    def records(self, ids: Sequence[int]) -> list[PaperRecord]:
        return self._read(lambda conn: reading.paper_records(conn, ids))

    def paper_ids(
        self,
        *,
        status: str | None = None,
        tag: str | None = None,
        list_name: str | None = None,
        query: str | None = None,
        sort: str = "added",
        descending: bool = True,
        include_dismissed: bool | None = None,
        inbox: bool = False,
    ) -> list[int]:
        """Ids for a sidebar filter and an optional query. sort="relevance" keeps search order.

        Dismissed papers (triage) are left out of All papers (no status, tag or list given)
        unless include_dismissed; a status, tag or list shows what it holds. A query leaves
        them out unless it names a status (`status:dismissed`). inbox: only the papers waiting
        in the Inbox (never dismissed ones); sort="inbox" gives the Inbox's own order."""
        return self.paper_matches(
            status=status,
            tag=tag,
            list_name=list_name,
            query=query,
            sort=sort,
            descending=descending,
            include_dismissed=include_dismissed,
            inbox=inbox,
        ).ids

    def paper_matches(
        self,
        *,
        status: str | None = None,
        tag: str | None = None,
        list_name: str | None = None,
        query: str | None = None,
        sort: str = "added",
        descending: bool = True,
        include_dismissed: bool | None = None,
        inbox: bool = False,
    ) -> Matches:
        """paper_ids' ids (Matches.ids) with what the query matched, from one evaluation of
        it: snippet(matches, pid) then cuts any of them a snippet without searching again."""
        hide = (
            not (status or tag or list_name)
            if include_dismissed is None
            else (not include_dismissed)
        )

        def listed(order: str) -> list[int]:
            return self._read(
                lambda conn: reading.filtered_ids(
                    conn,
                    status=status,
                    tag=tag,
                    list_name=list_name,
                    sort=order,
                    descending=descending,
                    hide_dismissed=hide,
                    inbox=inbox,
                )
            )

        if not query or not query.strip():
            return Matches("", listed(sort))
        filtered = bool(status or tag or list_name or inbox)
        return self._upkeep.read(lambda: self._upkeep.matching(query, listed, sort, filtered))

    def snippet(self, matches: Matches, pid: int) -> Snippet | None:
        """The search snippet of paper pid, one of matches (paper_matches'), cut from its text
        with the words its query matched: no second search. None if pid is not one of them
        or is gone."""
        if not matches.query or pid not in matches.ids:
            return None
        texts = self._read(
            lambda conn: reading.search_texts(conn, [pid], pages=self._pages_of)
        ).get(pid)
        return None if texts is None else self.index.snippet(matches, texts)

    def search(
        self, query: str, limit: int = 20, restrict_ids: Sequence[int] | None = None
    ) -> SearchResult:
        """Ranked hits with highlighted snippets. Raises search.QueryError for a bad query."""
        return self._upkeep.read(
            lambda: self.index.search(
                query,
                limit,
                restrict_ids=restrict_ids,
                texts=lambda ids: self._read(
                    lambda conn: reading.search_texts(conn, ids, pages=self._pages_of)
                ),
            )
        )

    def warm_search(self, pause: Callable[[], None] | None = None) -> None:
        """Read what a first fuzzy search would otherwise read (SearchIndex.warm_up, pause()
        between its steps); any thread. Never repairs anything: a search does that."""
        self.index.warm_up(pause)

    def search_help(
        self, query: str, limit: int = 20, restrict_ids: Sequence[int] | None = None
    ) -> SearchHelp:
        """For a query that found nothing: the words no paper has, "did you mean" corrections
        and up to limit papers with most of the words (storage.searchhelp)."""
        return self._upkeep.read(
            lambda: explain(
                self.index,
                query,
                limit=limit,
                restrict_ids=restrict_ids,
                texts=lambda ids: self._read(
                    lambda conn: reading.search_texts(conn, ids, pages=self._pages_of)
                ),
            )
        )

    def _pages_of(self, pid: int) -> list[tuple[int, int, str]]:
        """A paper's file pages (file id, page, text), read only for a hit whose snippet must
        come from them."""
        return self._read(lambda conn: paper_pages(conn, pid))

    def stats(self) -> Stats:
        return self._read(reading.stats)

    def tag_counts(self) -> list[TagCount]:
        return self._read(reading.tag_counts)

    def status_counts(self) -> dict[str, int]:
        return self._read(reading.status_counts)

    def lists(self) -> list[ListSummary]:
        return self._read(reading.list_summaries)

    def list_detail(self, name: str) -> ListDetail:
        detail = self._read(lambda conn: reading.list_detail(conn, name))
        if detail is None:
            raise NotFound(f"no reading list named {name!r}")
        return detail

    # --- editing -------------------------------------------------------------------------

    def add_tags(self, ids: Sequence[int], tags: Iterable[str]) -> Change:
        return self._write(lambda c: editing.tag_papers(c, ids, tags), changed_papers)

    def remove_tags(self, ids: Sequence[int], tags: Iterable[str]) -> Change:
        return self._write(lambda c: editing.untag_papers(c, ids, tags), changed_papers)

    def set_status(self, ids: Sequence[int], status: str) -> Change:
        return self._write(lambda c: editing.set_column(c, ids, "status", status), changed_papers)

    def set_rating(self, ids: Sequence[int], rating: int) -> Change:
        return self._write(lambda c: editing.set_column(c, ids, "rating", rating), changed_papers)

    def update_paper(self, pid: int, key_generated: bool | None = None, **values: object) -> Change:
        """Edit metadata (storage.metadata.FIELDS, checked there; EditError for a bad value).
        key_generated: a citation key given is marked as made up rather than the user's
        (for an undo that puts back a generated key)."""
        return self._write(
            lambda c: editing.update_fields(c, pid, values, key_generated), changed_papers
        )

    def key_generated(self, pid: int) -> bool:
        """Whether the paper's citation key was made up by Papershelf (a merge may remake it)."""
        return self._read(lambda conn: key_is_generated(conn, pid))

    def rename_tag(self, old: str, new: str) -> Change:
        return self._write(lambda c: editing.rename_tag(c, old, new), changed_papers)

    def delete_tag(self, name: str) -> Change:
        return self._write(lambda c: editing.delete_tag(c, name), changed_papers)

    def delete_papers(self, ids: Sequence[int]) -> tuple[Change, DeletedPapers]:
        """Delete papers; returns the change and a snapshot that restore_papers puts back."""

        return self._write(
            lambda c: editing.delete_with_snapshot(c, ids), lambda result: result[0].paper_ids
        )

    def restore_papers(self, snapshot: DeletedPapers) -> Change:
        change = self._write(lambda c: editing.restore_papers(c, snapshot), changed_papers)
        if any(record.files for _pid, record, *_places in snapshot):  # their text is read again
            self._files.settle(change.paper_ids)
        return change

    def add_note(
        self, pid: int, body: str, quote: str | None = None, page: int | str | None = None
    ) -> int:
        """A note on the paper; page: a number ("12", "p. 12") or text ("iv", "12–13")."""
        return self._write(lambda c: editing.add_note(c, pid, body, quote, page), lambda _: [pid])

    def update_note(self, note_id: int, **values: object) -> int:
        """Change a note's body, quote or page; returns the paper id."""
        allowed = {k: v for k, v in values.items() if k in ("body", "quote", "page")}
        return self._write(lambda c: editing.update_note(c, note_id, allowed), lambda pid: [pid])

    def delete_note(self, note_id: int) -> int:
        return self._write(lambda c: editing.delete_note(c, note_id), lambda pid: [pid])

    def create_list(self, name: str, description: str | None = None) -> Change:
        return self._write(lambda c: editing.create_list(c, name, description), changed_papers)

    def add_to_list(self, name: str, ids: Sequence[int], note: str | None = None) -> Change:
        return self._write(lambda c: editing.add_to_list(c, name, ids, note), no_papers)

    def remove_from_list(self, name: str, ids: Sequence[int]) -> Change:
        return self._write(lambda c: editing.remove_from_list(c, name, ids), no_papers)

    def reorder_list(self, name: str, ordered_ids: Sequence[int]) -> Change:
        return self._write(lambda c: editing.reorder_list(c, name, ordered_ids), no_papers)

    def set_list_entry_note(self, name: str, pid: int, note: str | None) -> Change:
        return self._write(lambda c: editing.set_entry_note(c, name, pid, note), no_papers)

    def edit_list(
        self, name: str, *, new_name: str | None = None, description: str | None = None
    ) -> Change:
        return self._write(lambda c: editing.edit_list(c, name, new_name, description), no_papers)

    def delete_list(self, name: str) -> Change:
        return self._write(lambda c: editing.delete_list(c, name), no_papers)
