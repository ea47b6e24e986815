"""The paper table model: the ids of a filter, with rows fetched lazily in pages and cached."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.gui.paper_filter import PaperFilter
from app.gui.plain import tooltip
from app.gui.routine.views import view_matches
from app.gui.row_moves import RowMoves, plan_moves, runs
from storage.library import Library
from storage.search import Matches
from storage.views import Change, PaperRow

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200  # ids per Library.rows() call
CACHE_SIZE = 6000  # rows kept; a screen shows ~40, so scrolling back is free
IDS_MIME = "application/x-papershelf-paper-ids"  # hook for dragging rows onto a reading list
STATUS_TEXT = {"unread": "Unread", "reading": "Reading", "read": "Read"}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: str | None  # the Library.paper_ids sort key; None: not sortable


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", "title"),
    Column("authors", "Authors", "authors"),
    Column("year", "Year", "year"),
    Column("tags", "Tags", None),
    Column("status", "Status", "status"),
    Column("progress", "Progress", None),  # the page the reader was left at: "p. 12/30"
    Column("rating", "Rating", "rating"),
    Column("added", "Added", "added"),
    Column("list_note", "List note", None),  # shown only while a reading list is
)
LIST_NOTE = len(COLUMNS) - 1
COLUMN_KEYS = tuple(column.key for column in COLUMNS)


def stars(rating: int) -> str:
    return "★" * rating


def cell_text(row: PaperRow, key: str) -> str:
    if key in ("list_note", "progress"):
        return ""
    if key == "title":
        return row.title
    if key == "authors":
        return row.authors
    if key == "year":
        return str(row.year) if row.year else ""
    if key == "tags":
        return ", ".join(row.tags)
    if key == "status":
        return STATUS_TEXT.get(row.status, row.status)
    if key == "rating":
        return stars(row.rating)
    added = row.added_at if row.added_at.tzinfo else row.added_at.replace(tzinfo=UTC)
    return added.astimezone().strftime("%Y-%m-%d")


def progress_text(page: int, pages: int) -> str:
    """ "p. 12/30": the page the reader was left at, of how many (just "p. 12" when unknown)."""
    return f"p. {page:,}/{pages:,}" if pages else f"p. {page:,}"


class PaperTableModel(QAbstractTableModel):
    """Holds only ids; rows come from Library.rows() a page at a time when the view asks."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        library: Library,
        page_size: int = PAGE_SIZE,
        cache_size: int = CACHE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        # Writes an entry note (list, paper, note) off the GUI thread: the window's lists.
        self.write_entry_note: Callable[[str, int, str | None], None] | None = None
        self.page_size = page_size
        self.cache_size = max(cache_size, page_size)
        self.filter = PaperFilter()
        self.sort_key = "added"
        self.descending = True
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = {}
        self._cache: OrderedDict[int, PaperRow | None] = OrderedDict()
        self._list_notes: dict[int, str] = {}  # entry notes of the list shown, if one is
        self.why: dict[tuple[str, str], dict[int, str]] = {}  # suggestions' words, by target
        self._progress: dict[int, tuple[int, int]] = {}  # paper -> (page, pages) of its reading
        self.fetches = 0  # Library.rows() calls, for tests and measurements

    # --- loading -----------------------------------------------------------------------

    def query_matches(self, flt: PaperFilter, sort: str, descending: bool) -> Matches:
        """The filter's ids and what its query matched (their snippets: Library.snippet)."""
        if flt.routine:
            return view_matches(self.library, flt, sort, descending)
        return self.library.paper_matches(
            status=flt.status,
            tag=flt.tag,
            list_name=flt.list_name,
            query=flt.query or None,
            sort=sort,
            descending=descending,
        )

    def load(self, flt: PaperFilter, sort: str, descending: bool) -> None:
        """Show a new filter, query or sort (a full reset). A bad query raises, changing nothing."""
        self.load_ids(flt, sort, descending, self.query_matches(flt, sort, descending).ids)

    def load_ids(
        self,
        flt: PaperFilter,
        sort: str,
        descending: bool,
        ids: list[int],
        row_of: dict[int, int] | None = None,
    ) -> None:
        """Show ids already computed for this filter and sort (e.g. on a search worker;
        row_of: each id's row, if mapped there too)."""
        self.filter, self.sort_key, self.descending = flt, sort, descending
        self.beginResetModel()
        self._load_list_notes()
        self._ids = ids
        self._row_of = row_of
        self._cache.clear()
        self.endResetModel()

    def _load_list_notes(self) -> None:
        self._list_notes = {}
        if self.filter.suggest is not None:  # the column says why each was suggested
            self._list_notes = dict(self.why.get(self.filter.suggest, {}))
            return
        name = self.filter.list_name
        if name and any(s.name == name for s in self.library.lists()):
            entries = self.library.list_detail(name).entries
            self._list_notes = {e.paper_id: e.note for e in entries if e.note}

    def list_note(self, pid: int) -> str:
        return self._list_notes.get(pid, "")

    def refresh_list_notes(self) -> None:
        """Re-read the entry notes of the list shown and repaint that column."""
        self._load_list_notes()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, LIST_NOTE), self.index(len(self._ids) - 1, LIST_NOTE)
            )

    # --- targeted updates --------------------------------------------------------------

    def refresh_ids(self, ids: Iterable[int]) -> None:
        """Re-fetch the rows of these papers and repaint just them."""
        wanted = [pid for pid in dict.fromkeys(ids) if pid in self.row_map()]
        cached = [pid for pid in wanted if pid in self._cache]
        fresh = self._fetch(cached) if cached else {}
        for pid in cached:
            self._cache[pid] = fresh.get(pid)
        last = len(COLUMNS) - 1
        for first, end in runs(self.row_map()[pid] for pid in wanted):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def forget(self, ids: Iterable[int]) -> None:
        """Drop these papers' cached rows and repaint those shown (read again when painted)."""
        ids = list(ids)
        for pid in ids:
            self._cache.pop(pid, None)
        self._repaint(ids)

    def apply_change(self, change: Change) -> None:
        """Bring the ids up to date after a mutation with row inserts/removes, not a reset,
        reading them here (the window reads them on its search worker: live.follow)."""
        self.forget(change.paper_ids)
        if self.filter.list_name and change.lists:
            self._load_list_notes()
        new = self.query_matches(self.filter, self.sort_key, self.descending).ids
        self.apply_moves(plan_moves(self._ids, new, change.paper_ids), change.paper_ids)

    def reconcile(self, moves: RowMoves, fresh: dict[int, PaperRow]) -> set[int] | None:
        """After changes (made elsewhere, or by the window's own edits): show moves.new, the
        filter's ids read again on the worker, and `fresh`, the rows on screen read again.
        Other cached rows are dropped (read again when shown). Returns the papers whose shown
        rows changed, or None when the table changed since moves were worked out."""
        if self._ids != moves.old:
            return None
        changed = {pid for pid, row in fresh.items() if self._cache.get(pid) != row}
        self._cache.clear()
        self._cache.update(fresh)
        if self.filter.list_name:
            notes = self._list_notes
            self._load_list_notes()
            changed |= {
                p
                for p in notes.keys() | self._list_notes.keys()
                if notes.get(p) != self._list_notes.get(p)
            }
        self.apply_moves(moves, changed)
        return changed

    def apply_moves(self, moves: RowMoves, changed: Iterable[int] = ()) -> bool:
        """Rows removed and inserted (or a reset) as worked out from moves.old, the ids shown
        then; the changed papers' rows repainted. False, doing nothing, when the ids shown are
        no longer moves.old. Costs the GUI thread a comparison of the ids (C) and one step per
        run of rows (at most row_moves.MAX_MOVES), nothing per row."""
        if self._ids != moves.old:
            return False
        if moves.reset:
            self._reset_to(moves.new)
        else:
            for first, last in reversed(moves.removes):
                self.beginRemoveRows(QModelIndex(), first, last)
                del self._ids[first : last + 1]
                self._row_of = None
                self.endRemoveRows()
            for row, ids in moves.inserts:
                self.beginInsertRows(QModelIndex(), row, row + len(ids) - 1)
                self._ids[row:row] = ids
                self._row_of = None
                self.endInsertRows()
            self._row_of = moves.row_of  # worked out on the worker: no O(n) map built here
            self._repaint(pid for pid in changed if pid in moves.kept)
        self._row_of = moves.row_of
        return True

    def _repaint(self, ids: Iterable[int]) -> None:
        last = len(COLUMNS) - 1
        row_of = self.row_map()
        for first, end in runs(row_of[pid] for pid in set(ids) if pid in row_of):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def _reset_to(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self.endResetModel()

    # --- lookups -------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(self._ids)

    def snapshot(self) -> list[int]:
        """A copy of the ids shown, for a worker to work out the next moves from."""
        return list(self._ids)

    def row_map(self) -> dict[int, int]:
        if self._row_of is None:
            self._row_of = {pid: row for row, pid in enumerate(self._ids)}
        return self._row_of

    def row_of(self, pid: int) -> int | None:
        return self.row_map().get(pid)

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def paper_row(self, row: int) -> PaperRow | None:
        if not 0 <= row < len(self._ids):
            return None
        pid = self._ids[row]
        if pid in self._cache:
            self._cache.move_to_end(pid)
            return self._cache[pid]
        start = row - row % self.page_size
        page = [p for p in self._ids[start : start + self.page_size] if p not in self._cache]
        found = self._fetch(page)
        for p in page:
            self._cache[p] = found.get(p)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return found.get(pid)

    def rows_for(self, ids: Sequence[int]) -> dict[int, PaperRow]:
        """Rows of these papers, from the cache where possible (for undo snapshots)."""
        have = {pid: self._cache[pid] for pid in ids if self._cache.get(pid) is not None}
        missing = [pid for pid in ids if pid not in have]
        if missing:
            have.update(self._fetch(missing))
        return {pid: row for pid, row in have.items() if row is not None}

    def sample_rows(self, ids: Sequence[int]) -> list[PaperRow]:
        """Rows of these papers (cached ones as they are, the rest in one read), for sizing."""
        have = [self._cache[pid] for pid in ids if self._cache.get(pid) is not None]
        missing = [pid for pid in ids if self._cache.get(pid) is None]
        fetched = self._fetch(missing) if missing else {}
        return [*(row for row in have if row is not None), *fetched.values()]

    def _fetch(self, ids: Sequence[int]) -> dict[int, PaperRow]:
        self.fetches += 1
        rows = self.library.rows(ids)
        positions = self.library.reading_positions(ids)
        for pid in ids:
            found = positions.get(pid)
            if found is None:
                self._progress.pop(pid, None)
            else:
                self._progress[pid] = (found.page, found.pages)
        return rows

    def progress(self, pid: int) -> tuple[int, int] | None:
        """(page, pages) where the reader left the paper, when it was read in the window."""
        return self._progress.get(pid)

    # --- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if section == LIST_NOTE and self.filter.suggest is not None:
                return "Why suggested"
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            sortable = COLUMNS[section].sort is not None
            return f"Sort by {COLUMNS[section].title.lower()}" if sortable else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == self.IdRole:
            return self._ids[index.row()]
        if index.column() == LIST_NOTE and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            note = self._list_notes.get(self._ids[index.row()], "") or None
            return tooltip(note) if note and role == Qt.ItemDataRole.ToolTipRole else note
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.TextAlignmentRole,
            self.RowRole,
        ):
            return None
        row = self.paper_row(index.row())
        if row is None:
            return None
        if role == self.RowRole:
            return row
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in ("year", "rating"):
                return Qt.AlignmentFlag.AlignCenter
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.AccessibleTextRole and key == "rating":
            return f"{row.rating} of 5 stars" if row.rating else "not rated"
        if key == "progress":
            return self._progress_data(row.id, role)
        text = cell_text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(text) if key in ("title", "authors", "tags") and text else None
        return text

    def _progress_data(self, pid: int, role: int) -> str | None:
        found = self._progress.get(pid)
        if found is None:
            return None
        page, pages = found
        if role == Qt.ItemDataRole.ToolTipRole:
            share = f" ({100 * page // pages} %)" if pages else ""
            return f"Left at page {page:,}" + (f" of {pages:,}{share}" if pages else "")
        return progress_text(page, pages)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == LIST_NOTE and self.filter.list_name:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Inline edit of a list entry's note: shown at once, saved by write_entry_note (on
        the window's write lane) or else here with Library.set_list_entry_note."""
        name = self.filter.list_name
        if not index.isValid() or index.column() != LIST_NOTE or not name:
            return False
        if role != Qt.ItemDataRole.EditRole:
            return False
        pid = self._ids[index.row()]
        note = str(value or "").strip()
        if note == self._list_notes.get(pid, ""):
            return False
        if self.write_entry_note is not None:  # shown at once, written on the lane
            self.write_entry_note(name, pid, note or None)
        else:
            self.library.set_list_entry_note(name, pid, note or None)
        if note:
            self._list_notes[pid] = note
        else:
            self._list_notes.pop(pid, None)
        self.dataChanged.emit(index, index)
        return True

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = dict.fromkeys(self._ids[i.row()] for i in indexes if i.isValid())
        mime = QMimeData()
        mime.setData(IDS_MIME, ",".join(map(str, ids)).encode())
        return mime
