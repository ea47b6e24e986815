"""The detail pane is never wider than its viewport: long lines wrap or scroll in their own box."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))
from make_pdf import make_pdf, text_pages  # noqa: E402
from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea, QTextEdit, QWidget  # noqa: E402

from storage.library import Library  # noqa: E402

pytestmark = pytest.mark.gui

LONG_WORD = "Transformer" * 30  # a title, tag and venue with no place to break
LONG_URL = "https://example.org/" + "very-long-path-segment/" * 12 + "end"
CODE_LINE = "result = compute(" + ", ".join(f"argument_{i}" for i in range(40)) + ")"
NOTE = f"""Why it matters, with a quote:

> {LONG_WORD} is hard to read.

```python
{CODE_LINE}
```

See {LONG_URL} and `{CODE_LINE}`.

| {" | ".join(f"column {i}" for i in range(12))} |
|{"---|" * 12}
| {" | ".join(LONG_WORD[:40] for _ in range(12))} |
"""


@pytest.fixture
def crowded(tmp_path: Path) -> Iterator[tuple[Library, int, int]]:
    """A paper with every long thing that once widened the pane, and a note edited later."""
    library = Library(tmp_path / "lib")
    bib = tmp_path / "one.bib"
    bib.write_text(
        "@article{crowded2020,\n title = {Short},\n author = {Lovelace, Ada},\n"
        " year = {2020},\n abstract = {We find it. Code: " + LONG_URL + " and more words.}\n}\n",
        encoding="utf-8",
    )
    library.import_file(bib)
    pid = library.resolve("crowded2020")
    library.update_paper(
        pid,
        title=LONG_WORD,
        venue=LONG_WORD,
        doi="10.5555/" + "x" * 120,
        url=LONG_URL,
        code_url=LONG_URL + "/code",
    )
    library.add_tags([pid], [LONG_WORD.lower()[:120], "short"])
    pdf = tmp_path / (LONG_WORD[:150] + ".pdf")
    pdf.write_bytes(make_pdf(text_pages("A page of text about transformers.")))
    library.attach(pid, [pdf])
    note_id = library.add_note(pid, NOTE)
    db = sqlite3.connect(library.db_path)  # written yesterday, so its header says "· edited …"
    db.execute("UPDATE note SET created_at = '2023-01-02 03:04:05.000000'")
    db.commit()
    db.close()
    yield library, pid, note_id
    library.close()


def overflowing(root: QWidget, width: int) -> list[str]:
    """Visible widgets under root that reach past `width` or are squeezed below their minimum
    width (which clips them); widgets inside a scrolling box scroll there and are skipped."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        parent, scrolled = widget.parentWidget(), False
        while parent is not None and parent is not root:
            if isinstance(parent, QAbstractScrollArea):
                scrolled = True
            parent = parent.parentWidget()
        if scrolled:
            continue
        right = widget.mapTo(root, QPoint(widget.width(), 0)).x()
        squeezed = widget.minimumSizeHint().width() > widget.width()
        if right > width or squeezed:
            name = widget.accessibleName() or widget.objectName() or type(widget).__name__
            found.append(f"{name}: right {right} > {width}, min {widget.minimumSizeHint().width()}")
        if isinstance(widget, QTextEdit) and not widget.horizontalScrollBar().isVisible():
            ideal = widget.document().idealWidth()
            if ideal > widget.viewport().width() + 1:
                name = widget.accessibleName()
                found.append(f"{name}: text {ideal:.0f} wide in {widget.width()}")
    return found


def assert_fits(qtbot, window) -> None:
    pane = window.detail
    body, viewport = pane.scroll_area.widget(), pane.scroll_area.viewport()

    def fits() -> None:
        assert body.width() <= viewport.width()
        found = overflowing(body, viewport.width())
        assert not found, "\n".join(found)

    try:
        qtbot.waitUntil(fits, timeout=3000)
    except qtbot.TimeoutError:
        fits()  # says what reaches past the viewport
    stars = pane.rating.findChildren(QWidget)
    assert stars and all(s.mapTo(body, QPoint(s.width(), 0)).x() <= viewport.width() for s in stars)


@pytest.mark.parametrize("detail_width", [340, 300])
def test_the_detail_pane_never_grows_wider_than_its_viewport(
    qtbot, crowded, make_window, settings: QSettings, detail_width: int
) -> None:
    library, pid, note_id = crowded
    window = make_window(library)
    window.save_on_close = True
    window.splitter.setSizes([180, 1400 - 180 - detail_width, detail_width])
    window.table.select_ids([pid], pid)
    qtbot.waitUntil(lambda: window.detail.current_paper_id == pid)
    assert_fits(qtbot, window)

    card = window.detail.notes.cards[note_id]
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    editor = window.detail.notes.editors[0]
    qtbot.keyClicks(editor.body_edit, " " + CODE_LINE)
    assert_fits(qtbot, window)
    qtbot.mouseClick(editor.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: note_id in window.detail.notes.cards)
    assert "edited" in window.detail.notes.cards[note_id].times.text()
    assert_fits(qtbot, window)
    card = window.detail.notes.cards[note_id]
    for button in (card.edit_button, card.delete_button):
        assert button.isVisible()

    window.close()  # a restart on the same settings: the pane still fits
    again = make_window(library)
    again.table.select_ids([pid], pid)
    qtbot.waitUntil(lambda: again.detail.current_paper_id == pid)
    assert again.detail.width() <= detail_width + 2
    assert_fits(qtbot, again)
