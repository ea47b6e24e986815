"""app.gui.row_moves: the rows to remove and insert, worked out off the GUI thread."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.gui.row_moves import RowMoves, plan_moves


def applied(moves: RowMoves) -> list[int]:
    """What the table shows after the moves, applied as PaperTableModel.apply_moves does."""
    if moves.reset:
        return list(moves.new)
    ids = list(moves.old)
    for first, last in reversed(moves.removes):
        del ids[first : last + 1]
    for row, inserted in moves.inserts:
        ids[row:row] = inserted
    return ids


def test_new_papers_at_the_top_are_one_insert() -> None:
    old = list(range(100, 0, -1))
    new = [105, 104, 103, 102, 101, *old]
    moves = plan_moves(old, new)
    assert moves.removes == [] and moves.inserts == [(0, [105, 104, 103, 102, 101])]
    assert not moves.reset and moves.row_of[1] == 104


def test_a_changed_paper_that_moved_is_taken_out_and_put_back() -> None:
    moves = plan_moves([1, 2, 3, 4], [1, 3, 4, 2], changed=[2])
    assert not moves.reset
    assert moves.removes == [(1, 1)] and moves.inserts == [(3, [2])]
    assert applied(moves) == [1, 3, 4, 2]


def test_an_order_change_among_unchanged_papers_is_a_reset() -> None:
    assert plan_moves([1, 2, 3, 4], [1, 3, 2, 4]).reset


def test_too_many_runs_are_a_reset() -> None:
    old = list(range(0, 1000, 2))
    new = list(range(1000))  # an insert between every two rows: 500 runs
    assert plan_moves(old, new, max_moves=200).reset
    assert not plan_moves(old, new, max_moves=600).reset


def test_the_same_ids_move_nothing() -> None:
    moves = plan_moves([3, 1, 2], [3, 1, 2])
    assert moves.same and moves.kept == {1, 2, 3}


@given(
    st.lists(st.integers(0, 60), unique=True, max_size=40),
    st.lists(st.integers(0, 60), unique=True, max_size=40),
    st.lists(st.integers(0, 60), max_size=10),
)
def test_applying_the_moves_gives_the_new_ids(old: list[int], new: list[int], changed) -> None:
    moves = plan_moves(old, new, changed)
    assert applied(moves) == new
    assert moves.row_of == {pid: row for row, pid in enumerate(new)}
    assert len(moves.removes) + len(moves.inserts) <= 200
