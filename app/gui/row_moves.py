"""How the table's rows go from one list of ids to the next, worked out off the GUI thread.

Rows removed, rows inserted, or a reset: the GUI thread only applies it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.library import Library
    from storage.views import PaperRow, ReadingPosition

MAX_MOVES = 200  # more runs of rows removed and inserted than this: a reset is cheaper
FIRST_ROWS = 80  # rows read with a search's ids on the worker: a screenful and some


def runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted row numbers grouped into (first, last) runs of consecutive rows."""
    found: list[tuple[int, int]] = []
    for row in sorted(rows):
        if found and found[-1][1] == row - 1:
            found[-1] = (found[-1][0], row)
        else:
            found.append((row, row))
    return found


@dataclass
class RowMoves:
    """From `old` to `new` ids: `removes` (first, last) runs of old rows, to take out last
    first; then `inserts` (row, ids) in new order; or `reset` when rows kept changed their
    order or there are too many runs. `kept`: papers in both, `row_of`: each new id's row."""

    old: Sequence[int]
    new: list[int]
    removes: list[tuple[int, int]] = field(default_factory=list)
    inserts: list[tuple[int, list[int]]] = field(default_factory=list)
    reset: bool = False
    kept: set[int] = field(default_factory=set)
    row_of: dict[int, int] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not self.reset and not self.removes and not self.inserts


@dataclass
class RowsRead:
    """Papers' table rows and reading positions (the Progress column), as read together."""

    rows: dict[int, PaperRow]
    positions: dict[int, ReadingPosition]
    ids: list[int] = field(default_factory=list)  # the papers asked for (some may be gone)


def read_rows(library: Library, ids: list[int]) -> RowsRead:
    """The rows of these papers, on whatever thread asks."""
    return RowsRead(library.rows(ids), library.reading_positions(ids), ids)


@dataclass
class Loaded:
    """A search's ids with each one's row, mapped on the worker (the GUI thread would spend
    ~5 ms of a 50k-row result on the map when the table first looks a row up), and the first
    rows' data read there too (the table's first paint asks no SQL of the GUI thread)."""

    ids: list[int]
    row_of: dict[int, int]
    first: RowsRead | None = None

    @classmethod
    def of(cls, ids: list[int], library: Library | None = None) -> Loaded:
        first = read_rows(library, ids[:FIRST_ROWS]) if library is not None else None
        return cls(ids, {pid: row for row, pid in enumerate(ids)}, first)


def plan_moves(
    old: Sequence[int], new: list[int], changed: Iterable[int] = (), max_moves: int = MAX_MOVES
) -> RowMoves:
    """The moves that turn old into new. Papers in `changed` may have moved (their sort key
    changed): they are taken out and put back in if that keeps the others' order."""
    moves = RowMoves(old, new, row_of={pid: row for row, pid in enumerate(new)})
    if list(old) == new:
        moves.kept = set(new)
        return moves
    keep = set(old) & moves.row_of.keys()
    if not _same_order(old, new, keep):
        keep -= set(changed)
        if not _same_order(old, new, keep):
            moves.reset = True
            return moves
    moves.kept = keep
    moves.removes = runs(row for row, pid in enumerate(old) if pid not in keep)
    row = 0
    while row < len(new):
        if new[row] in keep:
            row += 1
            continue
        end = row
        while end + 1 < len(new) and new[end + 1] not in keep:
            end += 1
        moves.inserts.append((row, new[row : end + 1]))
        row = end + 1
    if len(moves.removes) + len(moves.inserts) > max_moves:
        moves.removes, moves.inserts, moves.reset = [], [], True
    return moves


def _same_order(old: Sequence[int], new: Sequence[int], keep: set[int]) -> bool:
    return [p for p in old if p in keep] == [p for p in new if p in keep]
