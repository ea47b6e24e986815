"""The daily routine in the window.

The Inbox and its triage view, pasting to import, related papers in the detail pane, suggestions
per tag or list, smart lists in the sidebar.

`install(window)` builds it once the window's parts exist (imported lazily: the sidebar and
the table model use modules of this package, so its face imports nothing at load time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.gui.routine.controller import Routine
    from app.gui.routine.host import RoutineHost

__all__ = ["install"]


def install(window: RoutineHost) -> Routine:
    from app.gui.routine.controller import Routine

    return Routine(window)
