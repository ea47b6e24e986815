"""The Inbox in the window: the sidebar count, the triage view walked by keys alone (100
papers, first to last), tags on number keys, lists, the code link, undo of each, list view."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import click_sidebar, settle, type_search, write_bibtex
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QLineEdit

from app.gui.routine.chooser import ListChooser
from app.gui.routine.sidebar_entries import short_count
from storage.library import Library

pytestmark = pytest.mark.gui
INBOX = ("inbox", None)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard focus is, as a user would."""
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def open_inbox(qtbot, window) -> None:
    """Ctrl+Shift+I: the Inbox, one paper at a time, with the keys."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_I, CTRL_SHIFT)
    card = window.routine.triage.card
    qtbot.waitUntil(lambda: card.isVisible() and card.hasFocus())
    qtbot.waitUntil(lambda: card.paper is not None or card.showing_done())


def progress(window) -> str:
    return window.routine.triage.card.progress.text()


def shown_title(window) -> str:
    paper = window.routine.triage.card.paper
    return paper.title if paper else ""


def back_in_card(qtbot, window) -> None:
    """After a dialog: the window active again and the keys with the card."""
    card = window.routine.triage.card
    qtbot.waitUntil(lambda: window.isActiveWindow() and card.hasFocus())


def wait_card(qtbot, window, position: str, title: str = "") -> None:
    """The card shows `position` ("2 of 12") and a paper whose title starts with `title`."""
    qtbot.waitUntil(lambda: progress(window) == position and shown_title(window).startswith(title))


@pytest.fixture
def hundred(make_library, tmp_path: Path) -> Library:
    """100 papers in the Inbox; 3 older papers kept and tagged (so 1–3 mean something)."""
    library = make_library(0)
    library.import_file(write_bibtex(tmp_path / "old.bib", 3, start=500))
    old = library.inbox_ids()
    library.keep(old)
    library.add_tags(old, ["retrieval"])
    library.add_tags(old[:2], ["to-read"])
    library.add_tags(old[:1], ["tokenization"])
    library.import_file(write_bibtex(tmp_path / "daily.bib", 100))
    return library


def test_the_sidebar_counts_the_inbox_live_and_all_papers_leave_out_dismissed(
    qtbot, make_window, library: Library, tmp_path: Path
) -> None:
    window = make_window(library)
    sidebar = window.sidebar
    assert sidebar.count_of(INBOX) == 12 and sidebar.item_for(INBOX).text(0) == "Inbox · 12 new"
    open_inbox(qtbot, window)
    assert sidebar.item_for(INBOX).text(0) == "Inbox"  # seen
    wait_card(qtbot, window, "1 of 12", "Study 00000")
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: sidebar.count_of(INBOX) == 11)
    wait_card(qtbot, window, "2 of 12", "Study 00001")
    press(qtbot, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: sidebar.count_of(INBOX) == 10)
    assert sidebar.count_of(("all", None)) == 11  # the dismissed paper is not counted
    assert sidebar.count_of(("status", "dismissed")) == 1
    assert library.paper(2).status == "dismissed" and library.paper(1).status == "unread"
    # a new import: counted at once, and "new" until the Inbox is looked at again
    window.importer.import_paths([write_bibtex(tmp_path / "more.bib", 5, start=100)])
    qtbot.waitUntil(lambda: sidebar.count_of(INBOX) == 15, timeout=60_000)  # a spawned process
    qtbot.waitUntil(lambda: window.importer.summary is not None, timeout=60_000)
    window.importer.summary.close()
    assert sidebar.item_for(INBOX).text(0) == "Inbox · 5 new"
    # the dismissed paper: in Dismissed, and found by status:dismissed, not in All papers
    click_sidebar(qtbot, sidebar, ("status", "dismissed"))
    qtbot.waitUntil(lambda: list(window.model.ids) == [2])
    click_sidebar(qtbot, sidebar, ("all", None))
    qtbot.waitUntil(lambda: window.model.rowCount() == 16)
    assert 2 not in window.model.ids
    type_search(qtbot, window, "status:dismissed")
    qtbot.waitUntil(lambda: list(window.model.ids) == [2])


def test_triage_of_100_papers_needs_no_mouse(qtbot, make_window, hundred: Library) -> None:
    window = make_window(hundred)
    open_inbox(qtbot, window)
    card = window.routine.triage.card
    assert progress(window) == "1 of 100"
    assert [label.text() for label in card.tag_labels] == [
        "1 retrieval",
        "2 to-read",
        "3 tokenization",
    ]
    kept, dismissed = [], []
    for number in range(100):
        wait_card(qtbot, window, f"{number + 1} of 100", f"Study {number:05d}")
        pid = window.table.current_id()
        if number % 10 == 0:
            press(qtbot, Qt.Key.Key_1)  # tag it "retrieval", then keep it with →
            qtbot.waitUntil(lambda p=pid: "retrieval" in hundred.paper(p).tags)
            press(qtbot, Qt.Key.Key_Right)
            kept.append(pid)
        elif number % 3 == 0:
            press(qtbot, Qt.Key.Key_K)
            kept.append(pid)
        elif number % 3 == 1:
            press(qtbot, Qt.Key.Key_D)
            dismissed.append(pid)
        else:
            press(qtbot, Qt.Key.Key_Delete)
            dismissed.append(pid)
        qtbot.waitUntil(lambda n=number: window.sidebar.count_of(INBOX) == 99 - n)
    qtbot.waitUntil(card.showing_done)
    assert hundred.inbox_count() == 0
    assert card.done.text().startswith(f"Inbox done: {len(kept)} kept, {len(dismissed)} dismissed")
    assert {hundred.paper(p).status for p in dismissed} == {"dismissed"}
    assert {hundred.paper(p).status for p in kept} == {"unread"}
    assert len(hundred.paper_ids(tag="retrieval")) == 3 + 10
    # Ctrl+Z takes back the last one: it is shown again, last of 100
    press(qtbot, Qt.Key.Key_Z, CTRL)
    wait_card(qtbot, window, "100 of 100", "Study 00099")
    assert hundred.inbox_ids() == [kept[-1]]  # number 99 was kept


def test_next_and_previous_move_without_deciding(qtbot, make_window, library) -> None:
    window = make_window(library)
    open_inbox(qtbot, window)
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: progress(window) == "2 of 12")
    press(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: progress(window) == "3 of 12")
    press(qtbot, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: progress(window) == "2 of 12")
    press(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: progress(window) == "1 of 12")
    press(qtbot, Qt.Key.Key_Up)  # at the top already
    wait_card(qtbot, window, "1 of 12")
    assert library.inbox_count() == 12
    legend = window.routine.triage.card.legend.text().replace("\u00a0", " ")
    assert "↓ or N next" in legend and "↑ or P previous" in legend


def test_each_action_is_undone_by_ctrl_z(qtbot, make_window, library: Library) -> None:
    library.create_list("Reading group")
    library.create_list("Later")
    library.add_tags([12], ["graphs"])
    window = make_window(library)
    open_inbox(qtbot, window)
    first = window.table.current_id()
    press(qtbot, Qt.Key.Key_1)  # "graphs": the only tag
    qtbot.waitUntil(lambda: "graphs" in library.paper(first).tags)
    label = window.routine.triage.card.tag_labels[0]
    qtbot.waitUntil(lambda: label.accessibleName() == "1 graphs (on)")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: "graphs" not in library.paper(first).tags)

    def choose_in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ListChooser)
        qtbot.keyClicks(dialog.field, "group")
        assert dialog.list.count() == 2  # "Reading group" and a new list of that name
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_in_dialog)
    press(qtbot, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: library.paper_ids(list_name="Reading group") == [first])
    back_in_card(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: library.paper_ids(list_name="Reading group") == [])

    def new_list() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ListChooser)
        qtbot.keyClicks(dialog.field, "Friday")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    QTimer.singleShot(0, new_list)
    press(qtbot, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: library.paper_ids(list_name="Friday") == [first])
    back_in_card(qtbot, window)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: "Friday" not in {s.name for s in library.lists()})

    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: library.inbox_count() == 11)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: library.inbox_count() == 12)
    wait_card(qtbot, window, "1 of 12", "Study 00000")
    settle(qtbot, window)
    assert window.table.current_id() == first
    press(qtbot, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: library.paper(first).status == "dismissed")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: library.paper(first).status == "unread")
    assert library.inbox_ids()[0] == first


def test_c_opens_the_code_link_after_one_key(
    qtbot, make_window, library: Library, monkeypatch
) -> None:
    library.update_paper(1, code_url="https://github.com/example/study")
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    window = make_window(library)
    open_inbox(qtbot, window)
    assert "github.com/example/study" in window.routine.triage.card.code.text()
    press(qtbot, Qt.Key.Key_C)
    assert opened == ["https://github.com/example/study"]
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: progress(window) == "2 of 12")
    press(qtbot, Qt.Key.Key_C)  # no code link: nothing opens, the status bar says so
    assert opened == ["https://github.com/example/study"]
    assert "no code link" in window.statusBar().currentMessage()


def test_the_inbox_as_a_list_takes_the_same_keys(qtbot, make_window, library) -> None:
    window = make_window(library)
    open_inbox(qtbot, window)
    press(qtbot, Qt.Key.Key_V)
    qtbot.waitUntil(lambda: window.table.isVisible() and window.table.hasFocus())
    assert window.model.rowCount() == 12
    window.table.select_ids([1, 2, 3], 1)
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: library.inbox_count() == 9)
    assert window.table.current_id() == 4  # on to the next one
    press(qtbot, Qt.Key.Key_Delete)  # dismisses here: never deletes from the library
    qtbot.waitUntil(lambda: library.paper(4).status == "dismissed")
    assert library.stats().papers == 12
    press(qtbot, Qt.Key.Key_V)  # back to one at a time, remembered
    qtbot.waitUntil(lambda: window.routine.triage.card.hasFocus())
    assert window.settings.value("triage/mode") == "card"
    # in All papers the letters are the table's again (K is no longer keep)
    click_sidebar(qtbot, window.sidebar, ("all", None))
    qtbot.waitUntil(lambda: window.model.rowCount() == 11)
    window.table.setFocus()
    window.table.select_row(0)
    before = library.inbox_count()
    press(qtbot, Qt.Key.Key_K)
    assert library.inbox_count() == before


def test_search_within_the_inbox(qtbot, make_window, library) -> None:
    window = make_window(library)
    open_inbox(qtbot, window)
    type_search(qtbot, window, "pruning")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    assert window.search.scope.scope == "in Inbox"
    assert isinstance(window.search.field, QLineEdit)


def test_s_puts_the_likeliest_papers_first(qtbot, make_window, make_library, tmp_path) -> None:
    from tests.routine_support import ids_of, write_corpus

    library = make_library(0, name="ranked")
    library.import_file(write_corpus(tmp_path))
    library.keep(library.inbox_ids())
    library.add_tags(ids_of("retrieval")[:3], ["retrieval"])
    daily = tmp_path / "daily.txt"
    daily.write_text(
        "Land cover from satellite images\nRemote sensing images of land cover, segmented.\n\n"
        "Dense retrieval of passages for questions\nA dual encoder retrieves passages for "
        "open-domain questions with dense retrieval.\n",
        encoding="utf-8",
    )
    satellite, dense = library.import_file(daily, "listing").new_ids
    window = make_window(library)
    open_inbox(qtbot, window)
    wait_card(qtbot, window, "1 of 2", "Land cover")
    press(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: list(window.model.ids) == [dense, satellite], timeout=10_000)
    wait_card(qtbot, window, "1 of 2", "Dense retrieval")
    assert "likeliest first" in window.routine.banner.state.text()
    assert window.routine.banner.buttons["sort"].isChecked()
    press(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: list(window.model.ids) == [satellite, dense])
    wait_card(qtbot, window, "1 of 2", "Land cover")


def test_names_from_the_library_stay_text(qtbot, make_window, library, monkeypatch) -> None:
    odd = "<b>bold</b> & <img src=x>"
    library.add_tags([12], [odd])
    library.create_list("<i>week</i> & more")
    window = make_window(library)
    open_inbox(qtbot, window)
    label = window.routine.triage.card.tag_labels[0]
    assert label.text() == f"1 {odd}" and label.textFormat() == Qt.TextFormat.PlainText
    seen: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ListChooser)
        seen.append(dialog.list.item(0).text())
        dialog.reject()

    QTimer.singleShot(0, look)
    press(qtbot, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == ["<i>week</i> & more"]
    library.create_smart_list("R&D <b>", "graphs")
    window.sidebar.refresh()
    click_sidebar(qtbot, window.sidebar, ("smart", "R&D <b>"))
    qtbot.waitUntil(lambda: window.routine.banner.isVisible())
    banner = window.routine.banner
    assert banner.title.text() == "Smart list “R&D <b>”"
    assert banner.title.textFormat() == Qt.TextFormat.PlainText


def test_reopened_on_the_inbox_the_keys_work_at_once(qtbot, make_window, library) -> None:
    old = make_window(library)
    open_inbox(qtbot, old)
    press(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: library.inbox_count() == 11)
    old.save_on_close = True
    old.close()
    window = make_window(library)
    qtbot.waitUntil(lambda: window.sidebar.current_key() == INBOX)
    card = window.routine.triage.card
    qtbot.waitUntil(lambda: card.isVisible() and card.paper is not None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    card.setFocus()
    qtbot.waitUntil(card.hasFocus)
    press(qtbot, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: library.inbox_count() == 10)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(12, "12"), (999, "999"), (1_000, "1k"), (9_933, "9.9k"), (9_960, "10k"), (19_933, "20k"),
     (999_999, "1M"), (1_250_000, "1.2M")],
)  # fmt: skip
def test_the_inbox_label_keeps_a_big_new_count_short(count: int, shown: str) -> None:
    assert short_count(count) == shown  # "Inbox · 9.9k new" fits the sidebar; the tooltip has all
