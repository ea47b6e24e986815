"""DetailPane: paper metadata, links, tags, status, rating, snippet and the empty state."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from gui_support import click_link
from sqlalchemy import update

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `.venv/bin/pytest` without an editable install
    sys.path.insert(0, str(REPO_ROOT))

from PySide6.QtCore import QObject, Qt, QUrl, Slot  # noqa: E402
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QTextOption  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QToolButton,
)

from app.gui.detail import DetailPane, short_url  # noqa: E402
from storage.library import Library  # noqa: E402
from storage.models import PAPER  # noqa: E402
from storage.views import Change  # noqa: E402

pytestmark = pytest.mark.gui

BIBTEX = r"""
@article{lovelace2021wombat,
  title = {Wombat Attention: Sparse Routing for Long Documents},
  author = {Lovelace, Ada and Noether, Emmy and {The Burrow Consortium}},
  journal = {Journal of Marsupial Learning},
  year = {2021},
  doi = {10.5555/wombat.2021},
  eprint = {2101.00001},
  archivePrefix = {arXiv},
  url = {https://example.org/wombat},
  keywords = {attention, sparse},
  abstract = {We route tokens through burrows, at a cost of $O(n \log n)$. Größe ✓.}
}

@inproceedings{curie2020quokka,
  title = {Quokka: Smiling at Small Batches},
  author = {Curie, Marie},
  booktitle = {Proceedings of Happy Learning},
  year = {2020},
  keywords = {attention},
  abstract = {Small batches, big smiles.}
}
"""


@pytest.fixture
def library(tmp_path: Path):
    source = tmp_path / "papers.bib"
    source.write_text(BIBTEX, encoding="utf-8")
    lib = Library(tmp_path / "lib")
    lib.import_file(source)
    yield lib
    lib.close()


@pytest.fixture
def ids(library: Library) -> dict[str, int]:
    found = {key: library.resolve(key) for key in ("lovelace2021wombat", "curie2020quokka")}
    library.update_paper(found["lovelace2021wombat"], code_url="https://github.com/ex/wombat")
    return found


@pytest.fixture
def pane(qtbot, library: Library) -> DetailPane:
    widget = DetailPane(library)
    qtbot.addWidget(widget)
    widget.resize(600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


class UrlCatcher(QObject):
    """Stands in for the system browser: QDesktopServices hands it the URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def browser():
    catcher = UrlCatcher()
    schemes = ("http", "https", "mailto", "javascript", "file")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)


def test_no_paper_is_a_calm_empty_state(pane: DetailPane) -> None:
    pane.show_paper(None)
    assert pane.current_paper_id is None
    assert pane.stack.currentWidget() is pane.empty
    assert "Select a paper" in pane.empty.text()
    assert not pane.notes.add_button.isEnabled()


def test_show_paper_fills_title_authors_venue_abstract(pane: DetailPane, ids) -> None:
    pane.show_paper(ids["lovelace2021wombat"])
    assert pane.current_paper_id == ids["lovelace2021wombat"]
    assert pane.stack.currentWidget() is pane.scroll_area
    assert pane.title.text() == "Wombat Attention: Sparse Routing for Long Documents"
    assert pane.authors.text() == "Ada Lovelace, Emmy Noether, The Burrow Consortium"
    assert "Journal of Marsupial Learning" in pane.venue.text() and "2021" in pane.venue.text()
    assert pane.abstract.text().startswith("We route tokens through burrows")
    assert "Größe ✓" in pane.abstract.text()
    assert pane.title.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    anywhere = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere  # long words too
    assert pane.title.wordWrapMode() == anywhere and pane.abstract.wordWrapMode() == anywhere


def test_links_point_at_doi_arxiv_url_and_code(pane: DetailPane, ids) -> None:
    pane.show_paper(ids["lovelace2021wombat"])
    html = pane.links.text()
    assert 'href="https://doi.org/10.5555/wombat.2021"' in html
    assert 'href="https://arxiv.org/abs/2101.00001"' in html
    assert 'href="https://example.org/wombat"' in html
    assert 'href="https://github.com/ex/wombat"' in html
    assert pane.links.isVisibleTo(pane)
    pane.show_paper(ids["curie2020quokka"])
    assert not pane.links.isVisibleTo(pane)


def test_links_open_in_the_browser_only_for_http(qtbot, pane: DetailPane, ids, browser) -> None:
    pane.show_paper(ids["lovelace2021wombat"])
    click_link(qtbot, pane.links, "https://doi.org/10.5555/wombat.2021")
    assert browser.urls == ["https://doi.org/10.5555/wombat.2021"]
    click_link(qtbot, pane.links, "https://github.com/ex/wombat")
    assert browser.urls[-1] == "https://github.com/ex/wombat"
    del browser.urls[-1]
    assert not pane.open_link("javascript:alert(1)")
    assert not pane.open_link("file:///etc/passwd")
    assert not pane.open_link("mailto:someone@example.org")
    assert browser.urls == ["https://doi.org/10.5555/wombat.2021"]


def test_unsafe_stored_urls_are_not_linked(pane: DetailPane, library, ids) -> None:
    pid = ids["curie2020quokka"]
    # update_paper refuses such URLs now; a file or an older library may still hold them
    with library.engine.begin() as conn:
        conn.execute(
            update(PAPER)
            .where(PAPER.c.id == pid)
            .values(url="javascript:alert(1)", code_url="file:///home/u/code")
        )
    pane.show_paper(pid)
    assert "javascript" not in pane.links.text() and "file:" not in pane.links.text()


def test_adding_tags_in_the_field_writes_through(qtbot, pane: DetailPane, library, ids) -> None:
    pid = ids["curie2020quokka"]
    pane.show_paper(pid)
    changes: list[Change] = []
    pane.changed.connect(changes.append)
    qtbot.keyClicks(pane.tags.line_edit, "to read, ")
    pane.tags.line_edit.insert("Größe")  # QTest types ASCII only
    qtbot.keyClick(pane.tags.line_edit, Qt.Key.Key_Return)
    assert set(library.paper(pid).tags) == {"attention", "to read", "Größe"}
    assert changes and pid in changes[-1].paper_ids
    assert {"to read", "Größe"} <= changes[-1].tags
    assert sorted(chip.tag for chip in pane.tags.chips) == sorted(library.paper(pid).tags)
    assert pane.tags.line_edit.text() == ""


def test_removing_a_tag_chip_writes_through(qtbot, pane: DetailPane, library, ids) -> None:
    pid = ids["lovelace2021wombat"]
    pane.show_paper(pid)
    changes: list[Change] = []
    pane.changed.connect(changes.append)
    chip = next(chip for chip in pane.tags.chips if chip.tag == "sparse")
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert library.paper(pid).tags == ("attention",)
    assert [c.tag for c in pane.tags.chips] == ["attention"]
    assert changes == [Change(paper_ids=frozenset({pid}), tags=frozenset({"sparse"}))]


def test_tag_completer_offers_library_tags_most_used_first(pane: DetailPane, ids) -> None:
    pane.show_paper(ids["curie2020quokka"])
    pane.tags.refresh_completions()
    names = pane.tags.completer.model().stringList()
    assert names == ["attention", "sparse"]


def test_choosing_from_the_completion_popup_adds_once(
    qtbot, pane: DetailPane, library, ids, monkeypatch
) -> None:
    pid = ids["curie2020quokka"]
    pane.show_paper(pid)
    calls: list[list[str]] = []
    real_add = library.add_tags
    monkeypatch.setattr(
        library, "add_tags", lambda p, tags: calls.append(list(tags)) or real_add(p, tags)
    )
    field = pane.tags.line_edit
    pane.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    qtbot.keyClicks(field, "spa")
    popup = pane.tags.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: field.text() == "", timeout=2000)
    assert calls == [["sparse"]]
    assert "sparse" in library.paper(pid).tags
    qtbot.keyClicks(field, "sp")  # suggestions showing, none chosen: Enter adds what was typed
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert calls == [["sparse"], ["sp"]]


def test_status_buttons_write_through(qtbot, pane: DetailPane, library, ids) -> None:
    pid = ids["lovelace2021wombat"]
    pane.show_paper(pid)
    assert pane.status.status == "unread"
    changes: list[Change] = []
    pane.changed.connect(changes.append)
    qtbot.mouseClick(pane.status.buttons["reading"], Qt.MouseButton.LeftButton)
    assert library.paper(pid).status == "reading"
    assert changes == [Change(paper_ids=frozenset({pid}))]
    library.set_status([pid], "read")  # elsewhere, e.g. the table's context menu
    pane.refresh()
    assert pane.status.status == "read"
    assert pane.status.buttons["read"].isChecked()
    assert pane.status.buttons["read"].font().bold()
    assert not pane.status.buttons["reading"].font().bold()


def test_rating_stars_write_through_and_toggle_off(qtbot, pane: DetailPane, library, ids) -> None:
    pid = ids["lovelace2021wombat"]
    pane.show_paper(pid)
    changes: list[Change] = []
    pane.changed.connect(changes.append)
    qtbot.mouseClick(pane.rating.stars[3], Qt.MouseButton.LeftButton)
    assert library.paper(pid).rating == 4
    assert pane.rating.rating == 4
    assert [s.text() for s in pane.rating.stars] == ["★", "★", "★", "★", "☆"]
    qtbot.mouseClick(pane.rating.stars[3], Qt.MouseButton.LeftButton)
    assert library.paper(pid).rating == 0
    assert len(changes) == 2


def test_snippet_is_shown_sanitised_and_hidden(pane: DetailPane, ids) -> None:
    pane.show_paper(ids["lovelace2021wombat"])
    assert not pane.snippet.isVisibleTo(pane)
    pane.show_snippet('we <b>route</b> tokens <img src="file:///etc/x.png"><script>x()</script>')
    assert pane.snippet.isVisibleTo(pane)
    assert pane.snippet.text() == "we <b>route</b> tokens"
    pane.show_snippet("")
    assert not pane.snippet.isVisibleTo(pane)
    pane.show_snippet("<b>burrows</b>")
    pane.show_paper(ids["curie2020quokka"])  # a new paper starts without the old match
    assert not pane.snippet.isVisibleTo(pane)


def test_refresh_rereads_and_deleted_paper_empties(pane: DetailPane, library, ids) -> None:
    pid = ids["lovelace2021wombat"]
    pane.show_paper(pid)
    library.update_paper(pid, title="Wombat Attention, Revised")
    pane.refresh()
    assert pane.title.text() == "Wombat Attention, Revised"
    library.delete_papers([pid])
    pane.refresh()
    assert pane.current_paper_id is None
    assert pane.stack.currentWidget() is pane.empty


def test_every_control_has_an_accessible_name(pane: DetailPane, ids) -> None:
    pane.show_paper(ids["lovelace2021wombat"])
    pane.notes.add_note()
    controls = [
        w
        for kind in (QAbstractButton, QLineEdit, QPlainTextEdit, QTextBrowser)
        for w in pane.findChildren(kind)
        if not isinstance(w.parent(), QLineEdit)  # the line edit's own clear button
    ]
    assert len(controls) > 12
    unnamed = [f"{type(w).__name__} {getattr(w, 'text', str)()!r}" for w in controls]
    unnamed = [u for u, w in zip(unnamed, controls, strict=True) if not w.accessibleName()]
    assert unnamed == []


def test_notes_follow_a_dark_palette(pane: DetailPane, library, ids) -> None:
    pid = ids["lovelace2021wombat"]
    library.add_note(pid, "| a | b |\n|---|---|\n| 1 | 2 |")
    pane.show_paper(pid)
    card = next(iter(pane.notes.cards.values()))
    dark = QPalette(pane.palette())
    for role, color in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#17181a"),
        (QPalette.ColorRole.Mid, "#5f6368"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Link, "#8ab4f8"),
    ):
        dark.setColor(role, QColor(color))
    pane.setPalette(dark)
    assert "#5f6368" in card.view.document().defaultStyleSheet()
    assert "#8ab4f8" in pane.links.text()  # links re-coloured for the dark background
    assert "<table" in card.view.toHtml()
    assert not pane.grab().isNull()


def test_short_url_elides_long_addresses() -> None:
    assert short_url("https://github.com/ex/wombat/") == "github.com/ex/wombat"
    long = "https://example.org/" + "a" * 100
    shown = short_url(long)
    assert len(shown) <= 48 and "…" in shown and shown.startswith("example.org/")


def test_star_buttons_are_tool_buttons_with_names(pane: DetailPane) -> None:
    names = [star.accessibleName() for star in pane.rating.stars]
    assert names == ["Rate 1 star", "Rate 2 stars", "Rate 3 stars", "Rate 4 stars", "Rate 5 stars"]
    assert all(isinstance(star, QToolButton) for star in pane.rating.stars)
