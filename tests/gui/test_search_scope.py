"""The search bar says where it searches, and offers the whole library when that finds nothing."""

from __future__ import annotations

import pytest
from gui_support import click_sidebar, type_search
from PySide6.QtCore import Qt

from storage.library import Library

pytestmark = pytest.mark.gui


def key(library: Library, i: int) -> int:
    return library.resolve(f"gen{i}")


@pytest.fixture
def tagged(library: Library) -> Library:
    """Papers 1 and 5 (about graphs) carry the tag "retrieval"; 0 and 4 are in a list."""
    library.add_tags([key(library, 1), key(library, 5)], ["retrieval"])
    library.create_list("Reading group")
    library.add_to_list("Reading group", [key(library, 0), key(library, 4)])
    library.set_status([key(library, 2)], "read")
    return library


def test_the_scope_is_shown_for_each_sidebar_entry(qtbot, make_window, tagged) -> None:
    window = make_window(tagged)
    scope = window.search.scope
    assert not scope.isVisible()  # All papers: the search covers the whole library
    expected = {
        ("tag", "retrieval"): "in tag: retrieval",
        ("list", "Reading group"): "in list: Reading group",
        ("status", "unread"): "in Unread",
        ("status", "read"): "in Read",
    }
    for entry, text in expected.items():
        click_sidebar(qtbot, window.sidebar, entry)
        qtbot.waitUntil(lambda e=entry: window.sidebar.current_key() == e)
        assert scope.isVisible() and scope.text().startswith(text)
        assert text.removeprefix("in ") in window.search.field.placeholderText()
    click_sidebar(qtbot, window.sidebar, ("all", None))
    assert not scope.isVisible()
    assert "Search titles" in window.search.field.placeholderText()


def test_a_scoped_search_that_finds_nothing_offers_the_whole_library(
    qtbot, make_window, tagged
) -> None:
    window = make_window(tagged)
    click_sidebar(qtbot, window.sidebar, ("tag", "retrieval"))
    type_search(qtbot, window, "graphs")
    assert window.model.rowCount() == 2
    offer = window.search.offer
    assert not offer.isVisible()  # it found something in the tag

    type_search(qtbot, window, "pruning")  # papers 2, 6, 10: none tagged
    assert window.model.rowCount() == 0
    assert window.search.count.text() == "0 papers match"
    assert offer.isVisible()
    assert "retrieval" in offer.label.text()
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.search_pending and window.model.rowCount() == 3)
    assert window.sidebar.current_key() == ("all", None)
    assert window.search.text() == "pruning"  # the query stays
    assert not offer.isVisible() and not window.search.scope.isVisible()
    assert window.search.count.text() == "3 papers match"


def test_the_whole_library_is_one_key_away(qtbot, make_window, tagged) -> None:
    window = make_window(tagged)
    click_sidebar(qtbot, window.sidebar, ("list", "Reading group"))
    type_search(qtbot, window, "diffusion")  # papers 3, 7, 11: none in the list
    assert window.model.rowCount() == 0 and window.search.offer.isVisible()
    assert "Ctrl+Shift+F" in window.search.offer.button.text()
    qtbot.keyClick(
        window.search.field,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: not window.search_pending and window.model.rowCount() == 3)
    assert window.sidebar.current_key() == ("all", None)
    assert window.search.field.hasFocus()  # typing goes on where it was


def test_the_scope_chip_clears_the_scope(qtbot, make_window, tagged, library) -> None:
    window = make_window(tagged)
    click_sidebar(qtbot, window.sidebar, ("status", "read"))
    type_search(qtbot, window, "pruning")
    assert window.model.ids == (key(library, 2),)
    qtbot.mouseClick(window.search.scope, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.search_pending and window.model.rowCount() == 3)
    assert window.sidebar.current_key() == ("all", None)
