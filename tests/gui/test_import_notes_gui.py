"""The window's import summary counts notes apart from skips and lists both, one per line."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import settle

pytestmark = pytest.mark.gui

RIS = (
    "TY  - JOUR\nAU  - Quokka, Ann\nPY  - 2019\nER  - \n\n"  # placeholder title: a note
    "TY  - JOUR\nER  - \n\n"  # nothing to name it: skipped
    "TY  - JOUR\nTI  - Wombat burrows\nAU  - Numbat, Bo\nER  - \n"
)


def test_summary_box_shows_notes_and_skips(qtbot, window, tmp_path: Path) -> None:
    source = tmp_path / "mixed.ris"
    source.write_text(RIS, encoding="utf-8")
    with qtbot.waitSignal(window.importer.finished, timeout=30_000) as blocker:
        window.importer.import_paths([source])
    outcome = blocker.args[0]
    assert outcome.summary_lines() == [
        "mixed.ris: 2 new, 0 merged, 0 already present, 1 skipped, 1 note"
    ]
    box = window.importer.summary
    assert box is not None and box.isVisible()
    assert "2 new, 0 merged, 0 already present, 1 skipped, 1 note" in box.text()
    details = box.detailedText().splitlines()
    skipped, noted = details.index("Skipped:"), details.index("Notes:")
    assert details[skipped + 1] == (
        f"{source}:6: RIS record without a title or anything else to name it skipped"
    )
    assert details[noted + 1].startswith(f"{source}:1: note: RIS record without a title")
    assert "Notes:" in box.informativeText() and "Skipped:" in box.informativeText()
    settle(qtbot, window)
    assert window.model.rowCount() == 14
