"""The reader's highlights are written on the window's write lane (issue 15): while another
process holds the library's write lock a new highlight is drawn at once (pending, with a
provisional id), its comment can be typed, recolours, deletes and undos are shown at once; the
window keeps turning, and everything lands in order once the lock frees. A refused highlight
is taken back and told, its comment kept on the clipboard."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from gui_support import settle, turning
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from reader_support import point_of, reader_library, wait_ready
from test_reader_highlights import PHRASE, select
from test_write_lane_edits_gui import PENDING

from storage.highlights.store import HighlightError
from storage.library import Library

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def short_busy_wait(monkeypatch) -> None:
    """SQLite's busy timeout short: a write waiting on the held lock is retried by the lane."""
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def library(make_library, tmp_path: Path) -> Library:
    return reader_library(make_library, tmp_path)


def open_at_phrase(qtbot, window):
    reader = window.reader.open_paper(1, page=2)
    wait_ready(qtbot, reader)
    settle(qtbot, window)  # opening marks the paper as reading, on the lane
    select(qtbot, reader, 2, PHRASE)
    return reader


def only_mark(reader):
    (mark,) = reader.canvas.highlights[2]
    return mark


def test_a_highlight_made_while_another_process_writes_is_drawn_at_once_and_lands(
    qtbot, make_window, library, writer_holding_the_lock, ticks, tmp_path
) -> None:
    """H, a comment typed and a colour chosen in its panel, Escape: all while the lock is
    held. The highlight is drawn at once (pending, a provisional id), nothing is stored, the
    window answers; after release one highlight with that comment and colour, drawn with its
    stored id, and there after a restart."""
    window = make_window(library)
    reader = open_at_phrase(qtbot, window)
    held = writer_holding_the_lock(library.folder)
    qtbot.keyClick(reader.canvas, Qt.Key.Key_H)
    mark = only_mark(reader)  # drawn at once, before anything is written
    assert mark.pending and mark.note_id is not None and mark.note_id < 0
    popup = window.reader.highlighter.popup(reader)
    assert popup.isVisible() and popup.comment.hasFocus()
    assert popup.title.text() == "Highlight · saving…"
    qtbot.keyClicks(popup.comment, "Typed while it waits.")
    qtbot.mouseClick(popup.swatches["green"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: only_mark(reader).color.green() > only_mark(reader).color.red())
    qtbot.keyClick(popup.comment, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: PENDING in window.statusBar().currentMessage(), timeout=5000)
    assert "Highlight “hyperparameter" in window.statusBar().currentMessage()
    turning(qtbot, ticks)
    assert library.highlights(paper_id=1) == []  # the lock is held: nothing written
    assert only_mark(reader).pending and window.actions["undo"].isEnabled()
    held.release()
    settle(qtbot, window, timeout=30_000)
    (note,) = library.highlights(paper_id=1)
    assert (note.quote, note.color, note.body) == (PHRASE, "green", "Typed while it waits.")
    mark = only_mark(reader)
    assert mark.note_id == note.id and not mark.pending
    assert window.detail.notes.cards[note.id].isVisible()
    qtbot.mouseClick(reader.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(reader.canvas, 2, mark.rects[0]))  # fmt: skip
    assert popup.isVisible() and popup.comment.toPlainText() == "Typed while it waits."
    qtbot.keyClick(popup.comment, Qt.Key.Key_Escape)
    window.close()
    library.close()
    again = Library(tmp_path / "lib")
    window = make_window(again)
    reader = window.reader.open_paper(1, page=2)
    wait_ready(qtbot, reader)
    assert only_mark(reader).note_id == note.id
    again.close()


def test_recolour_delete_and_undo_while_another_process_writes_land_in_order(
    qtbot, make_window, library, writer_holding_the_lock, ticks
) -> None:
    """A stored highlight recoloured (key 3 with its panel open), deleted, the delete undone
    and redone and undone again, all under the held lock: each shown at once; after release
    the highlight is stored blue with its id, and undo goes on from there."""
    window = make_window(library)
    reader = open_at_phrase(qtbot, window)
    qtbot.keyClick(reader.canvas, Qt.Key.Key_H)
    popup = window.reader.highlighter.popup(reader)
    qtbot.keyClick(popup.comment, Qt.Key.Key_Escape)
    settle(qtbot, window)
    (note,) = library.highlights(paper_id=1)
    canvas = reader.canvas
    held = writer_holding_the_lock(library.folder)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(canvas, 2, only_mark(reader).rects[0]))  # fmt: skip
    assert popup.isVisible()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_3)  # blue, with the panel open
    assert only_mark(reader).pending and popup.swatches["blue"].isChecked()
    qtbot.mouseClick(popup.delete_button, Qt.MouseButton.LeftButton)
    assert canvas.highlights == {} and not popup.isVisible()  # gone at once
    qtbot.keyClick(canvas, Qt.Key.Key_Z, CTRL)  # the delete undone: back, blue, pending
    mark = only_mark(reader)
    assert mark.note_id == note.id and mark.pending and mark.color.blue() > mark.color.red()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert canvas.highlights == {}
    qtbot.keyClick(canvas, Qt.Key.Key_Z, CTRL)
    assert window.actions["undo"].text().startswith("&Undo Recolour highlight")
    turning(qtbot, ticks)
    (stored,) = library.highlights(paper_id=1)
    assert stored.color == "yellow"  # nothing written while the lock is held
    held.release()
    settle(qtbot, window, timeout=30_000)
    (stored,) = library.highlights(paper_id=1)
    assert (stored.id, stored.color) == (note.id, "blue")
    assert not only_mark(reader).pending
    qtbot.keyClick(canvas, Qt.Key.Key_Z, CTRL)  # the recolour
    settle(qtbot, window)
    assert library.highlights(paper_id=1)[0].color == "yellow"
    assert window.statusBar().currentMessage() == ""  # nothing refused, nothing told


@pytest.mark.parametrize("closed", [True, False], ids=["comment-queued", "panel-open"])
def test_a_refused_highlight_is_taken_back_and_its_comment_kept(
    qtbot, make_window, library, dialogs, monkeypatch, closed: bool
) -> None:
    """The library refuses the new highlight after its comment was typed (and handed over by
    Escape, or still in the open panel): the provisional highlight is no longer drawn, one
    "Highlight not saved" box says why, nothing is on the undo stack, the panel is closed and
    the comment is on the clipboard."""
    window = make_window(library)
    reader = open_at_phrase(qtbot, window)
    refuse = threading.Event()

    def add_highlight(*_args, **_kwargs):
        refuse.wait(10)
        raise HighlightError("paper.pdf has 5 pages, not 9")

    monkeypatch.setattr(library, "add_highlight", add_highlight)
    qtbot.keyClick(reader.canvas, Qt.Key.Key_H)
    popup = window.reader.highlighter.popup(reader)
    assert only_mark(reader).pending
    qtbot.keyClicks(popup.comment, "Worth keeping.")
    if closed:
        qtbot.keyClick(popup.comment, Qt.Key.Key_Escape)
    refuse.set()
    settle(qtbot, window)
    assert reader.canvas.highlights == {} and library.highlights(paper_id=1) == []
    told = "Highlight not saved: paper.pdf has 5 pages, not 9"
    if not closed:
        told += "\n\nIts comment was copied to the clipboard."
    assert dialogs.titles() == [told] and not popup.isVisible()
    assert window.actions["undo"].text() == "&Undo Mark 1 paper as reading"  # no highlight
    assert QGuiApplication.clipboard().text() == "Worth keeping."
