"""Library methods that check the library, export papers and undo import merges."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from storage import merges as merging
from storage import reading
from storage.files import check_files
from storage.importing import CancelFn, ProgressFn
from storage.library.core import LibraryCore, changed_papers
from storage.records import ListRecord
from storage.views import Change, CheckReport, MergeView

if TYPE_CHECKING:  # loaded when used: `papershelf search` has no need of them (~60 ms)
    from storage.exporting import ExportReport, ExportSelection
    from storage.library import Library  # export hands the whole facade to storage.exporting

__all__ = ["HealthMixin"]


class HealthMixin(LibraryCore):
    """The integrity check and repair, export and its reading lists, and import merges."""

    # --- merges (storage.merges) --------------------------------------------------------

    def merges(self, pid: int) -> list[MergeView]:
        """The import merges recorded on a paper, oldest first (split ones included)."""
        return self._read(lambda conn: merging.list_merges(conn, pid))

    def split(self, pid: int, merge_id: int) -> Change:
        """Undo one merge: its record becomes a paper again and the survivor loses what the
        merge filled; later imports do not merge the two again. Raises merges.SplitError."""
        return self._write(lambda c: merging.split_merge(c, pid, merge_id), changed_papers)

    # --- health --------------------------------------------------------------------------

    def check(self, repair: bool = False, rebuild: bool = False) -> CheckReport:
        """SQLite integrity plus index consistency (file checksums, a content fingerprint per
        paper) and the attached files (stored copies missing or altered, text failed);
        repair re-indexes what differs and re-extracts failed text, rebuild rebuilds the
        index in any case."""

        def rest() -> tuple[list[str], list[str]]:
            problems, repaired = self._upkeep.check(repair=repair, rebuild=rebuild)
            file_problems, file_repaired = check_files(self._files, repair)
            return [*problems, *file_problems], [*repaired, *file_repaired]

        return self.safety.check(self.engine, rest)

    # --- export --------------------------------------------------------------------------

    def list_records(
        self, ids: Sequence[int], names: Sequence[str] | None = None, *, keep_empty: bool = False
    ) -> list[ListRecord]:
        """Reading lists (all, or those named) as ListRecords whose entries are positions in
        ids, for the JSON writer; papers outside ids are left out, and so are lists left empty
        unless keep_empty."""
        return self._read(lambda conn: reading.list_records(conn, ids, names, keep_empty))

    def export(
        self,
        selection: ExportSelection,
        fmt: str,
        path: Path | str,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> ExportReport:
        """Write the selected papers to path in fmt, atomically (see storage.exporting.export).
        Raises NotFound, search.QueryError, ExportError or ExportCancelled; never Qt-bound."""
        from storage.exporting import export as export_papers

        library = cast("Library", self)  # HealthMixin is only ever a part of the Library facade
        return export_papers(
            library, selection=selection, fmt=fmt, path=path, progress=progress, cancel=cancel
        )
