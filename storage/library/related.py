"""Library methods for related papers and suggestions per tag or reading list (storage.related)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage import editing, reading
from storage import related as suggestions
from storage.database import LibraryError
from storage.library.core import NotFound, changed_papers, no_papers
from storage.library.papers import PapersMixin
from storage.related import RelatedHit, Suggestion
from storage.related.sync import forget
from storage.views import Change

if TYPE_CHECKING:  # numpy loads only when related papers are first asked for
    from storage.related.engine import Engine

__all__ = ["RelatedMixin"]

CancelFn = Callable[[], bool]
T = TypeVar("T")
_ENGINE_LOCK = threading.Lock()


class RelatedMixin(PapersMixin):
    """Related papers (cosine of TF-IDF vectors) and suggestions for a tag or list (a linear
    model over them), with rejections remembered. The first call in a process reads the
    cached rows under cache/ and brings them up to date: call from a worker thread."""

    def _related_engine(self) -> Engine:
        engine = self.__dict__.get("_engine")
        if engine is None:
            with _ENGINE_LOCK:
                engine = self.__dict__.get("_engine")
                if engine is None:
                    from storage.related.engine import Engine

                    engine = Engine(self.folder / "cache", self.db_path)
                    self.__dict__["_engine"] = engine
        return engine

    def close(self) -> None:
        """Save what the related-papers cache lacks (and that it is in step, when it is),
        then close the library."""
        engine = self.__dict__.get("_engine")
        if engine is not None:
            with contextlib.suppress(DBAPIError, LibraryError):
                self._read(engine.settle)
            engine.close()
        super().close()

    def _write(
        self,
        work: Callable[[Connection], T],
        papers: Callable[[T], Iterable[int]],
        catch_up: bool = True,
    ) -> T:
        """LibraryCore._write, and the papers it touched are read again for the TF-IDF rows
        (without comparing every paper's stamp: the engine knows this commit was its own)."""
        engine = self.__dict__.get("_engine")
        if engine is None:  # the cache's in-step note no longer holds (see related.sync)
            forget(self.folder / "cache")
            try:
                return super()._write(work, papers, catch_up)
            finally:
                forget(self.folder / "cache")
        touched: list[int] = []

        def noted(result: T) -> Iterable[int]:
            ids = list(papers(result))
            touched.extend(ids)
            return ids

        with self._lock:  # the write lane: no other write of this process in between
            engine.store.before_write()
            result = super()._write(work, noted, catch_up)
            engine.store.after_write(touched)
        return result

    def warm_related(self, cancel: CancelFn | None = None) -> None:
        """Bring the TF-IDF rows and matrix up to date now (e.g. in the background after an
        import), so that the next related() or recommend() answers at once."""
        engine = self._related_engine()
        self._read(lambda conn: engine.matrix(conn, cancel))

    def related(
        self, pid: int, limit: int = 10, cancel: CancelFn | None = None
    ) -> list[RelatedHit]:
        """The papers most like pid by title, abstract, notes and tags, best first
        (dismissed papers left out). Raises NotFound for an unknown paper."""
        from storage.related.engine import titles

        engine = self._related_engine()

        def work(conn: Connection) -> list[RelatedHit]:
            found = engine.related(conn, pid, limit, cancel)
            named = titles(conn, [p for p, _ in found] or [pid])
            if not found and pid not in named:
                raise NotFound(f"no paper with id {pid}")
            return [RelatedHit(p, named[p], s) for p, s in found if p in named]

        return self._read(work)

    def _target(self, tag: str | None, list_name: str | None) -> tuple[str, str]:
        if (tag is None) == (list_name is None):
            raise ValueError("give a tag or a reading list, not both or neither")
        kind, name = ("tag", tag) if tag is not None else ("list", list_name)
        assert name is not None
        return kind, self._read(lambda conn: suggestions.target_name(conn, kind, name))

    def recommend(
        self,
        *,
        tag: str | None = None,
        list_name: str | None = None,
        limit: int = 20,
        cancel: CancelFn | None = None,
        model: str = "centroid",
    ) -> list[Suggestion]:
        """Papers that do not carry the tag (or are not in the list) ranked by how much they
        resemble those that do, each with its top explaining words; rejected and dismissed
        papers left out. Raises EditError for an unknown tag or list."""
        kind, name = self._target(tag, list_name)
        engine = self._related_engine()

        def work(conn: Connection) -> list[tuple[int, float, tuple[str, ...]]]:
            positives = (
                reading.filtered_ids(conn, tag=name)
                if kind == "tag"
                else reading.filtered_ids(conn, list_name=name)
            )
            excluded = suggestions.rejected(conn, kind, name)
            return engine.suggest(conn, positives, excluded, limit, cancel, model)

        found = self._read(work)
        rows = self.rows([p for p, _, _ in found])
        return [Suggestion(p, rows[p].title, s, why) for p, s, why in found if p in rows]

    def interest_scores(self, ids: Sequence[int]) -> dict[int, float]:
        """How much each paper resembles what you engaged with (tagged, listed, annotated,
        rated, reading or read); {} when there is nothing yet. Inbox(sort="score") uses it."""
        engine = self._related_engine()
        return self._read(lambda conn: engine.interest(conn, ids))

    def accept_suggestions(
        self, ids: Sequence[int], *, tag: str | None = None, list_name: str | None = None
    ) -> Change:
        """Accept: the papers get the tag, or are appended to the list."""
        kind, name = self._target(tag, list_name)
        if kind == "tag":
            return self._write(lambda c: editing.tag_papers(c, ids, [name]), changed_papers)
        return self._write(lambda c: editing.add_to_list(c, name, ids, None), no_papers)

    def reject_suggestions(
        self, ids: Sequence[int], *, tag: str | None = None, list_name: str | None = None
    ) -> Change:
        """Reject: the papers are never suggested for that tag or list again."""
        kind, name = self._target(tag, list_name)
        added = self._write(lambda c: suggestions.reject(c, kind, name, ids), lambda _: ())
        return _target_change(kind, name, added)

    def unreject_suggestions(
        self, ids: Sequence[int], *, tag: str | None = None, list_name: str | None = None
    ) -> Change:
        """Undo of reject_suggestions: the papers may be suggested again."""
        kind, name = self._target(tag, list_name)
        gone = self._write(lambda c: suggestions.unreject(c, kind, name, ids), lambda _: ())
        return _target_change(kind, name, gone)

    def rejected_suggestions(
        self, *, tag: str | None = None, list_name: str | None = None
    ) -> set[int]:
        """The papers turned down for a tag or list."""
        kind, name = self._target(tag, list_name)
        return self._read(lambda conn: suggestions.rejected(conn, kind, name))


def _target_change(kind: str, name: str, ids: Sequence[int]) -> Change:
    if not ids:
        return Change()
    target = {"tags": frozenset({name})} if kind == "tag" else {"lists": frozenset({name})}
    return Change(paper_ids=frozenset(ids), **target)  # type: ignore[arg-type]
