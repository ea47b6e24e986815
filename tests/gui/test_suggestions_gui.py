"""Suggested for a tag or list: under it in the sidebar, fitted in the background (cancel,
F5 refits), shown with the words that say why; A accepts, R or Delete rejects, both undoable."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gui_support import click_sidebar, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui.paper_model import LIST_NOTE
from storage.library import Library
from tests.routine_support import ids_of, write_corpus

pytestmark = pytest.mark.gui
SUGGEST = ("suggest-tag", "retrieval")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def tagged(make_library, tmp_path: Path) -> Library:
    """The four-topic corpus, kept; two of the five retrieval papers tagged "retrieval"."""
    library = make_library(0)
    library.import_file(write_corpus(tmp_path))
    library.keep(library.inbox_ids())
    library.add_tags(ids_of("retrieval")[:2], ["retrieval"])
    return library


def open_suggestions(qtbot, window, key=SUGGEST) -> None:
    kind = "tag" if key[0] == "suggest-tag" else "list"
    click_sidebar(qtbot, window.sidebar, (kind, key[1]))
    qtbot.waitUntil(lambda: window.sidebar.item_for(key) is not None)
    click_sidebar(qtbot, window.sidebar, key)
    qtbot.waitUntil(lambda: bool(window.model.filter.ranked), timeout=10_000)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def focus_table(qtbot, window) -> None:
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)


def test_suggested_for_a_tag_shows_the_rest_of_its_topic_with_why(
    qtbot, make_window, tagged: Library
) -> None:
    window = make_window(tagged)
    assert window.sidebar.item_for(SUGGEST) is None  # only under the tag chosen
    open_suggestions(qtbot, window)
    rest = set(ids_of("retrieval")[2:])
    top = list(window.model.ids)[:3]
    assert set(top) == rest
    assert window.model.headerData(LIST_NOTE, Qt.Orientation.Horizontal) == "Why suggested"
    assert not window.table.horizontalHeader().isSectionHidden(LIST_NOTE)
    why = window.model.index(0, LIST_NOTE).data()
    assert why and any(word in why for word in ("passage", "retriev", "dense"))
    assert window.routine.banner.title.text() == "Suggested for “retrieval”"
    assert window.sidebar.count_of(SUGGEST) == window.model.rowCount()
    assert not set(ids_of("retrieval")[:2]) & set(window.model.ids)  # the tag's own


def test_a_and_r_accept_and_reject_and_undo_takes_them_back(
    qtbot, make_window, tagged: Library
) -> None:
    window = make_window(tagged)
    open_suggestions(qtbot, window)
    focus_table(qtbot, window)
    first, second, third = list(window.model.ids)[:3]
    window.table.select_ids([first], first)
    press(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: "retrieval" in tagged.paper(first).tags)
    settle(qtbot, window)
    assert first not in window.model.ids and window.table.current_id() == second
    press(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: tagged.rejected_suggestions(tag="retrieval") == {second})
    settle(qtbot, window)
    assert second not in window.model.ids and window.table.current_id() == third
    press(qtbot, Qt.Key.Key_Delete)  # rejects here; never deletes the paper
    qtbot.waitUntil(lambda: third in tagged.rejected_suggestions(tag="retrieval"))
    assert tagged.stats().papers == 16
    assert "2 decided since" not in window.routine.banner.state.text()
    assert "3 decided since: F5 refits" in window.routine.banner.state.text()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: tagged.rejected_suggestions(tag="retrieval") == set())
    settle(qtbot, window)
    assert window.table.current_id() == second
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: "retrieval" not in tagged.paper(first).tags)
    qtbot.waitUntil(lambda: first in window.model.ids)
    # a rejection is remembered: a refit (F5) never suggests the paper again
    window.table.select_ids([second], second)
    press(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: tagged.rejected_suggestions(tag="retrieval") == {second})
    fits = window.routine.suggestions.fits[("tag", "retrieval")]
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.routine.suggestions.fits[("tag", "retrieval")] is not fits)
    assert second not in window.routine.suggestions.fits[("tag", "retrieval")].ids


def test_fitting_runs_in_the_background_and_can_be_cancelled(
    qtbot, make_window, tagged: Library, monkeypatch
) -> None:
    real = tagged.recommend
    stopped: list[bool] = []

    def slow(**kwargs):
        cancel = kwargs.get("cancel")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if cancel and cancel():
                stopped.append(True)
                from storage.related import Cancelled

                raise Cancelled()
            time.sleep(0.01)
        return real(**kwargs)

    monkeypatch.setattr(tagged, "recommend", slow)
    window = make_window(tagged)
    click_sidebar(qtbot, window.sidebar, ("tag", "retrieval"))
    click_sidebar(qtbot, window.sidebar, SUGGEST)
    banner = window.routine.banner
    qtbot.waitUntil(lambda: "cancel" in banner.buttons)
    assert "Fitting in the background" in banner.state.text()
    assert not window.runner.busy  # the write lane stays free: edits go on meanwhile
    qtbot.mouseClick(banner.buttons["cancel"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stopped == [True], timeout=5000)
    qtbot.waitUntil(lambda: "refit" in banner.buttons)
    assert banner.state.text() == "Fitting cancelled."
    monkeypatch.setattr(tagged, "recommend", real)
    qtbot.mouseClick(banner.buttons["refit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)


def test_leaving_the_suggestions_cancels_a_fit(
    qtbot, make_window, tagged: Library, monkeypatch
) -> None:
    stopped: list[bool] = []

    def slow(**kwargs):
        cancel = kwargs["cancel"]
        while not cancel():
            time.sleep(0.01)
        stopped.append(True)
        return []

    monkeypatch.setattr(tagged, "recommend", slow)
    window = make_window(tagged)
    click_sidebar(qtbot, window.sidebar, ("tag", "retrieval"))
    click_sidebar(qtbot, window.sidebar, SUGGEST)
    qtbot.waitUntil(lambda: window.routine.suggestions.fitting is not None)
    click_sidebar(qtbot, window.sidebar, ("all", None))
    qtbot.waitUntil(lambda: stopped == [True], timeout=5000)
    assert window.sidebar.item_for(SUGGEST) is None and not window.routine.banner.isVisible()


def test_suggested_for_a_reading_list_appends_on_accept(
    qtbot, make_window, tagged: Library
) -> None:
    experts = ids_of("experts")
    tagged.create_list("Routing")
    tagged.add_to_list("Routing", experts[:2])
    window = make_window(tagged)
    open_suggestions(qtbot, window, ("suggest-list", "Routing"))
    first = window.model.ids[0]
    assert first in experts
    focus_table(qtbot, window)
    window.table.select_ids([first], first)
    press(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(
        lambda: tagged.paper_ids(list_name="Routing", sort="position") == [*experts[:2], first]
    )
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: set(tagged.paper_ids(list_name="Routing")) == set(experts[:2]))


def test_a_window_closed_on_suggestions_reopens_on_their_tag(
    qtbot, make_window, tagged: Library
) -> None:
    window = make_window(tagged)
    open_suggestions(qtbot, window)
    window.save_on_close = True
    window.close()
    again = make_window(tagged)
    qtbot.waitUntil(lambda: not again.search_pending, timeout=5000)
    assert again.sidebar.current_key() == ("tag", "retrieval")
    assert sorted(again.model.ids) == sorted(ids_of("retrieval")[:2])
