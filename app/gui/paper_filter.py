"""What the paper table shows.

The sidebar's entry and the search field's query, as one value (the table model computes its
ids; the search worker and the live updates compare them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperFilter:
    """What the sidebar and the search field ask for."""

    status: str | None = None
    tag: str | None = None
    list_name: str | None = None
    query: str = ""
    inbox: bool = False  # the papers waiting in the Inbox
    smart: str | None = None  # a smart list's papers
    suggest: tuple[str, str] | None = None  # ("tag" | "list", name): its suggestions
    ranked: tuple[int, ...] | None = None  # an order computed off the GUI thread (scores)

    @property
    def routine(self) -> bool:
        """A view of the daily routine (app.gui.routine.views computes its ids)."""
        return self.inbox or self.smart is not None or self.suggest is not None
