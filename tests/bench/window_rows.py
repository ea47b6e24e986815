"""The bench table's window rows of issue 15 (tests.bench.gui_probe's figures, one column per
library size): the longest GUI-thread stall while importing and while searching, each with
the idle window's own longest gap in the same run (the machine's noise) as the baseline, and
an import's time to rows and time to searchable."""

from __future__ import annotations

from collections.abc import Callable

Add = Callable[..., None]
Fmt = Callable[..., str]
STALL_TARGET = "≤50 ms"


def _ms(seconds: float) -> float:
    return seconds * 1000


def _against(stall_s: float, baseline_s: float, fmt: Fmt) -> str:
    """ "120 ms (4.0× idle)": a stall and its ratio to the idle window's longest gap."""
    ratio = stall_s / baseline_s if baseline_s > 0 else None
    return fmt(_ms(stall_s), " ms", 0) + " (" + fmt(ratio, "× idle", 1) + ")"


def window_rows(add: Add, fmt: Fmt) -> None:
    """Add issue 15's window rows to the table being built."""
    add(
        "GUI stall while importing (max)",
        lambda r: _against(
            r["gui_import"]["whole_import"]["max_s"], r["gui_import"]["idle"]["max_s"], fmt
        ),
        STALL_TARGET,
    )
    add(
        "  storing / taking the rows / indexing",
        lambda r: (
            " / ".join(
                fmt(_ms(r["gui_import"][phase]["max_s"]), "", 0)
                for phase in ("storing", "taking_rows", "indexing")
            )
            + " ms"
        ),
    )
    add(
        "  idle window / idle, every core busy",
        lambda r: (
            fmt(_ms(r["gui_import"]["idle"]["max_s"]), "", 0)
            + " / "
            + fmt(_ms(r["gui_import"]["idle_cores_busy"]["max_s"]), " ms", 0)
        ),
    )
    add(
        "  stalls over 50 ms while importing",
        lambda r: (
            f"{r['gui_import']['whole_import']['over_50ms']}"
            f" of {r['gui_import']['whole_import']['ticks']} ticks"
        ),
    )
    add(
        "GUI stall while searching (max)",
        lambda r: _against(
            r["window"]["search_max_gap_s"], r["window"]["related"]["idle"]["max_gap_s"], fmt
        ),
        STALL_TARGET,
    )
    add(
        "  the same, typed after 3 s idle",
        lambda r: _against(
            r["window"]["search_max_gap_after_idle_s"],
            r["window"]["related"]["idle"]["max_gap_s"],
            fmt,
        ),
        STALL_TARGET,
    )
    add(
        "import in the window: time to rows",
        lambda r: (
            fmt(r["gui_import"]["time_to_rows_s"], " s")
            + f" ({r['gui_import']['new_rows']:,} papers into {r['gui_import']['papers_before']:,})"
        ),
    )
    add(
        "  time to searchable",
        lambda r: (
            fmt(r["gui_import"]["time_to_searchable_s"], " s")
            + " (rows at "
            + fmt(
                100 * r["gui_import"]["time_to_rows_s"] / r["gui_import"]["time_to_searchable_s"],
                " %",
                0,
            )
            + " of it)"
        ),
    )
