"""A search that finds nothing shows why in the paper area: "did you mean" (clickable), the
papers with most of the words (click one to see it), and "any of the words"."""

from __future__ import annotations

from gui_support import settle
from PySide6.QtCore import Qt

from app.gui.search_help import NoResultsPage


def search(qtbot, window, text: str) -> None:
    window.search.field.clear()
    qtbot.keyClicks(window.search.field, text)
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)


def page_of(window) -> NoResultsPage:
    return window.search_help.page


def test_a_typo_offers_a_correction_and_the_link_runs_it(qtbot, window) -> None:
    search(qtbot, window, "atention small")
    page = page_of(window)
    qtbot.waitUntil(lambda: window.area.currentWidget() is page, timeout=5000)
    assert page.heading.text() == "No paper has all 2 words (atention, small)."
    assert page.suggestions.isVisible()
    assert ">atention small<" not in page.suggestions.text()
    assert ">attention small</a> (3 papers)" in page.suggestions.text()
    page.suggestions.setFocus()
    qtbot.keyClick(page.suggestions, Qt.Key.Key_Tab)  # to the link, as a keyboard user would
    qtbot.keyClick(page.suggestions, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    assert window.search.field.text() == "attention small"
    assert window.area.currentWidget() is window.table


def test_papers_with_most_of_the_words_show_in_the_detail_pane(qtbot, window, library) -> None:
    search(qtbot, window, "attention pruning")
    page = page_of(window)
    qtbot.waitUntil(lambda: window.area.currentWidget() is page, timeout=5000)
    assert window.model.rowCount() == 0
    assert page.closest.isVisible()
    assert page.closest_heading.text().startswith("Closest: 6 papers have 1 of the 2 words")
    labels = [page.closest.item(row).text() for row in range(page.closest.count())]
    assert labels[0] in ("Without “pruning”", "Without “attention”")
    titles = [label.strip() for label in labels if label.startswith("    ")]
    assert len(titles) == 6
    row = next(row for row in range(page.closest.count()) if "Study 00002" in labels[row])
    item = page.closest.item(row)
    page.closest.scrollToItem(item)
    rect = page.closest.visualItemRect(item)
    qtbot.mouseClick(page.closest.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.current_paper_id == 3  # "Study 00002 of pruning…"
    assert window.detail.title.text() == library.paper(3).title


def test_any_of_the_words_searches_them_with_or(qtbot, window) -> None:
    search(qtbot, window, "attention pruning")
    page = page_of(window)
    qtbot.waitUntil(lambda: window.area.currentWidget() is page, timeout=5000)
    qtbot.mouseClick(page.any_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=5000)
    assert window.search.field.text() == "attention OR pruning"
    assert window.area.currentWidget() is window.table


def test_the_page_goes_when_the_search_finds_papers_or_is_cleared(qtbot, window) -> None:
    search(qtbot, window, "zzyzx")
    page = page_of(window)
    qtbot.waitUntil(lambda: window.area.currentWidget() is page, timeout=5000)
    assert page.heading.text() == "No paper has “zzyzx”."
    assert not page.suggestions.isVisible() and not page.closest.isVisible()
    qtbot.keyClick(window.search.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search.field, Qt.Key.Key_Backspace)  # the search cleared
    qtbot.waitUntil(lambda: window.model.rowCount() == 12, timeout=5000)
    assert window.area.currentWidget() is window.table


def test_a_narrowed_search_explains_itself_within_the_scope(qtbot, window) -> None:
    window.sidebar.select(("status", "read"))  # no paper is read
    search(qtbot, window, "attention")
    page = page_of(window)
    qtbot.waitUntil(lambda: window.area.currentWidget() is page, timeout=5000)
    assert page.heading.text() == "No paper has “attention”."


def test_a_closest_paper_stays_in_the_detail_pane_while_it_is_edited(qtbot, window, library):
    search(qtbot, window, "attention pruning")
    page = page_of(window)
    qtbot.waitUntil(lambda: window.area.currentWidget() is page, timeout=5000)
    item = next(
        page.closest.item(row)
        for row in range(page.closest.count())
        if "Study 00002" in page.closest.item(row).text()
    )
    page.closest.scrollToItem(item)
    rect = page.closest.visualItemRect(item)
    qtbot.mouseClick(page.closest.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.current_paper_id == 3
    qtbot.mouseClick(window.detail.rating.stars[3], Qt.MouseButton.LeftButton)  # 4 stars
    settle(qtbot, window)  # written on the write lane
    assert library.paper(3).rating == 4
    assert window.detail.current_paper_id == 3  # not swept away by the empty table
    assert window.area.currentWidget() is page
    qtbot.mouseClick(window.detail.editing.button, Qt.MouseButton.LeftButton)
    window.detail.editor.lines["venue"].setFocus()
    qtbot.keyClicks(window.detail.editor.lines["venue"], " (edited)")
    qtbot.keyClick(window.detail.editor.lines["venue"], Qt.Key.Key_Return)
    settle(qtbot, window)
    assert library.paper(3).venue.endswith(" (edited)")
    assert window.detail.current_paper_id == 3


def test_a_malformed_query_is_named_under_the_search_field(qtbot, window) -> None:
    search(qtbot, window, "(attention OR pruning")
    qtbot.waitUntil(lambda: bool(window.search.error_text), timeout=5000)
    assert "A “(” is never closed: add a “)” (or remove the “(”)." in window.search.error_text
    assert window.search.message.isVisible()
    assert window.model.rowCount() == 12  # the last good results stay
    assert window.area.currentWidget() is window.table
