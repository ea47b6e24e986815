"""The bench table's rows for the daily routine in the window (tests.bench.gui_routine's
figures, one column per library size)."""

from __future__ import annotations

from collections.abc import Callable

Add = Callable[..., None]
Fmt = Callable[..., str]


def routine_rows(add: Add, fmt: Fmt) -> None:
    """Add the related-papers pane and refit rows to the table being built."""
    add(
        "related pane: key p50 pane on / off",
        lambda r: (
            fmt(r["gui_related"]["arrowing_on"]["key_p50_ms"], " ms")
            + " / "
            + fmt(r["gui_related"]["arrowing_off"]["key_p50_ms"], " ms")
            + " ("
            + fmt(r["gui_related"]["key_p50_on_vs_off"], "×", 2)
            + ")"
        ),
    )
    add(
        "  GUI stall arrowing (30 keys/s) on / off",
        lambda r: (
            fmt(r["gui_related"]["arrowing_on"]["max_gap_ms"], " ms")
            + " / "
            + fmt(r["gui_related"]["arrowing_off"]["max_gap_ms"], " ms")
        ),
        "≤100 ms",
    )
    add(
        "  GUI stall browsing (answer per paper) on / off",
        lambda r: (
            fmt(r["gui_related"]["browsing_on"]["max_gap_ms"], " ms")
            + " / "
            + fmt(r["gui_related"]["browsing_off"]["max_gap_ms"], " ms")
        ),
        "≤100 ms",
    )
    add(
        "  shown after the last key / worker p50",
        lambda r: (
            fmt(r["gui_related"]["answer_after_last_key_ms"], " ms", 0)
            + " / "
            + fmt(r["gui_related"]["browsing_on"]["worker_p50_ms"], " ms")
        ),
    )
    add(
        "refit a tag's suggestions: first (builds rows) / stall",
        lambda r: (
            fmt(r["gui_refit"]["first_fit"]["seconds"], " s", 2)
            + " / "
            + fmt(r["gui_refit"]["first_fit"]["max_gap_ms"], " ms")
        ),
        "stall ≤100 ms",
    )
    add(
        "  refit again (F5) / stall",
        lambda r: (
            fmt(r["gui_refit"]["refit"]["seconds_p50"] * 1000, " ms", 0)
            + " / "
            + fmt(r["gui_refit"]["refit"]["max_gap_ms"], " ms")
        ),
        "stall ≤100 ms",
    )
