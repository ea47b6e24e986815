"""DetailPane notes: autosave, exact round trips, delete, and a preview that loads nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from gui_support import click_link

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `.venv/bin/pytest` without an editable install
    sys.path.insert(0, str(REPO_ROOT))

from PySide6.QtCore import QByteArray, QObject, Qt, QUrl, Slot  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QDesktopServices,
    QImage,
    QPixmap,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser  # noqa: E402

from app.gui.detail import DetailPane  # noqa: E402
from app.gui.note_preview import SafeTextBrowser  # noqa: E402
from app.gui.notes_editor import DEBOUNCE_MS  # noqa: E402
from storage.library import Library  # noqa: E402
from storage.views import Change  # noqa: E402

pytestmark = pytest.mark.gui

BIBTEX = """
@article{first2022,
  title = {First Paper About Burrows},
  author = {Lovelace, Ada},
  year = {2022},
  abstract = {Burrows are long.}
}

@article{second2023,
  title = {Second Paper About Pouches},
  author = {Noether, Emmy},
  year = {2023},
  abstract = {Pouches are deep.}
}
"""

ROUND_TRIPS = {
    "unicode": "Größe, naïve café — “quotes” 世界 😀 ∑ᵢ xᵢ\u00a0nbsp",
    "code": "Before:\n\n```python\ndef f(x):\n\treturn x < 3 and '<b>'\n```\n\n    indented code\n",
    "table": "| name | n |\n|:-----|--:|\n| α | 1 |\n| β | 22 |\n",
    "lists and quote": "1. one\n2. two\n   - nested\n\n> quoted *text*\n\n---\ntrailing spaces  \n",
    "edges": "\n\n  leading blank lines and <script>alert(1)</script> kept as typed\t\n\n",
}


@pytest.fixture
def library(tmp_path: Path):
    source = tmp_path / "papers.bib"
    source.write_text(BIBTEX, encoding="utf-8")
    lib = Library(tmp_path / "lib")
    lib.import_file(source)
    yield lib
    lib.close()


@pytest.fixture
def ids(library: Library) -> tuple[int, int]:
    return library.resolve("first2022"), library.resolve("second2023")


@pytest.fixture
def pane(qtbot, library: Library) -> DetailPane:
    widget = DetailPane(library)
    qtbot.addWidget(widget)
    widget.resize(600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def bodies(library: Library, pid: int) -> list[str]:
    return [note.body for note in library.paper(pid).notes]


def click(qtbot, button) -> None:
    """Click once the layout has given the button a size (layouts settle on the event loop)."""
    qtbot.waitUntil(lambda: button.isVisible() and not button.rect().isEmpty(), timeout=2000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_add_note_writes_nothing_until_text_is_typed(qtbot, pane, library, ids) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    editor = pane.notes.add_note()
    assert editor is not None and editor.note_id is None
    qtbot.wait(DEBOUNCE_MS + 300)
    assert pane.flush()
    assert library.paper(pid).notes == ()
    qtbot.keyClicks(editor.body_edit, "Hi")
    qtbot.waitUntil(lambda: bodies(library, pid) == ["Hi"], timeout=3000)
    assert editor.note_id == library.paper(pid).notes[0].id


def test_typing_autosaves_once_after_the_debounce(qtbot, pane, library, ids, monkeypatch) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    calls: list[str] = []
    real_add, real_update = library.add_note, library.update_note
    monkeypatch.setattr(
        library, "add_note", lambda *a, **k: calls.append("add") or real_add(*a, **k)
    )
    monkeypatch.setattr(
        library, "update_note", lambda *a, **k: calls.append("update") or real_update(*a, **k)
    )
    changes: list[Change] = []
    pane.changed.connect(changes.append)
    editor = pane.notes.add_note()
    qtbot.keyClicks(editor.body_edit, "Wombats *dig*.")
    assert calls == []  # still inside the quiet period
    assert library.paper(pid).notes == ()
    qtbot.waitUntil(lambda: bodies(library, pid) == ["Wombats *dig*."], timeout=3000)
    assert calls == ["add"]
    note_id = editor.note_id
    assert changes == [Change(paper_ids=frozenset({pid}), note_ids=frozenset({note_id}))]
    qtbot.keyClicks(editor.body_edit, " More.")
    qtbot.waitUntil(lambda: bodies(library, pid) == ["Wombats *dig*. More."], timeout=3000)
    assert calls == ["add", "update"]


def test_switching_papers_saves_pending_text_first(qtbot, pane, library, ids) -> None:
    first, second = ids
    pane.show_paper(first)
    editor = pane.notes.add_note()
    qtbot.keyClicks(editor.body_edit, "typed just before switching")
    assert library.paper(first).notes == ()
    pane.show_paper(second)
    assert bodies(library, first) == ["typed just before switching"]
    assert pane.notes.editors == []
    pane.show_paper(first)
    card = next(iter(pane.notes.cards.values()))
    assert "typed just before switching" in card.view.toPlainText()


def test_flush_saves_an_edit_to_an_existing_note(qtbot, pane, library, ids) -> None:
    pid = ids[1]
    note_id = library.add_note(pid, "old text")
    pane.show_paper(pid)
    click(qtbot, pane.notes.cards[note_id].edit_button)
    editor = pane.notes.editors[0]
    assert editor.note_id == note_id and editor.body_edit.toPlainText() == "old text"
    editor.body_edit.moveCursor(editor.body_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.body_edit, " and new")
    assert bodies(library, pid) == ["old text"]
    assert pane.flush()
    assert bodies(library, pid) == ["old text and new"]


def test_focus_out_saves_immediately(qtbot, pane, library, ids) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    pane.activateWindow()
    editor = pane.notes.add_note()
    editor.body_edit.setFocus()
    qtbot.waitUntil(editor.body_edit.hasFocus, timeout=2000)
    qtbot.keyClicks(editor.body_edit, "leaving the field")
    editor.page_edit.setFocus()
    qtbot.waitUntil(editor.page_edit.hasFocus, timeout=2000)
    assert bodies(library, pid) == ["leaving the field"]  # no debounce wait needed


@pytest.mark.parametrize("text", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_note_text_round_trips_exactly(qtbot, pane, library, ids, text: str) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    pane.notes.add_note().body_edit.setPlainText(text)
    assert pane.flush()
    assert bodies(library, pid) == [text]
    pane.show_paper(ids[1])
    pane.show_paper(pid)
    note_id = library.paper(pid).notes[0].id
    editor = pane.notes.edit_note(note_id)
    assert editor.body_text() == text
    assert pane.flush()  # opening and closing changes nothing
    assert library.paper(pid).notes[0].body == text


def test_opening_a_note_never_rewrites_it(qtbot, pane, library, ids) -> None:
    pid = ids[0]
    note_id = library.add_note(pid, "windows\r\nline endings\r\n", quote="q\r\nq2")
    before = library.paper(pid).notes[0]
    pane.show_paper(pid)
    editor = pane.notes.edit_note(note_id)
    assert editor.body_edit.toPlainText() == "windows\nline endings\n"
    assert not editor.dirty
    assert pane.flush()
    pane.show_paper(ids[1])
    assert library.paper(pid).notes[0] == before


def test_quote_and_page_are_saved_and_shown(qtbot, pane, library, ids) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    editor = pane.notes.add_note()
    qtbot.keyClicks(editor.quote_edit, "Burrows are long.")
    qtbot.keyClicks(editor.page_edit, "12")
    qtbot.keyClicks(editor.body_edit, "So **true**.")
    click(qtbot, editor.done_button)
    (note,) = library.paper(pid).notes
    assert (note.body, note.quote, note.page) == ("So **true**.", "Burrows are long.", 12)
    assert pane.notes.editors == []
    view = pane.notes.cards[note.id].view
    html = view.toHtml()
    assert "Burrows are long." in html and "p. 12" in view.toPlainText()
    assert "font-weight:700" in html or "font-weight:600" in html  # **true** rendered bold


def test_live_preview_renders_markdown(qtbot, pane, ids) -> None:
    pane.show_paper(ids[0])
    editor = pane.notes.add_note()
    editor.body_edit.setPlainText("| a | b |\n|---|---|\n| 1 | 2 |\n\n- item")
    qtbot.waitUntil(lambda: "<table" in editor.preview.toHtml(), timeout=2000)
    assert "item" in editor.preview.toPlainText()
    assert "|---|" not in editor.preview.toPlainText()


def test_refresh_keeps_an_open_editor_and_its_text(qtbot, pane, library, ids) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    editor = pane.notes.add_note()
    qtbot.keyClicks(editor.body_edit, "half a thought")
    library.add_tags([pid], ["elsewhere"])
    pane.refresh()
    assert pane.notes.editors == [editor]
    assert editor.body_edit.toPlainText() == "half a thought"
    assert bodies(library, pid) == ["half a thought"]  # refresh flushed it
    assert "elsewhere" in [chip.tag for chip in pane.tags.chips]


def test_delete_asks_first(qtbot, pane, library, ids, monkeypatch) -> None:
    pid = ids[0]
    note_id = library.add_note(pid, "keep me?")
    pane.show_paper(pid)
    changes: list[Change] = []
    pane.changed.connect(changes.append)
    monkeypatch.setattr(pane.notes, "confirm_delete", lambda: False)
    click(qtbot, pane.notes.cards[note_id].delete_button)
    assert bodies(library, pid) == ["keep me?"] and changes == []
    monkeypatch.setattr(pane.notes, "confirm_delete", lambda: True)
    click(qtbot, pane.notes.cards[note_id].delete_button)
    assert library.paper(pid).notes == ()
    assert changes == [Change(paper_ids=frozenset({pid}), note_ids=frozenset({note_id}))]
    assert pane.notes.cards == {} and pane.notes.empty.isVisibleTo(pane)


def test_a_failed_save_keeps_the_text_and_says_so(qtbot, pane, library, ids, monkeypatch) -> None:
    pid = ids[0]
    pane.show_paper(pid)
    failures: list[str] = []
    pane.saveFailed.connect(failures.append)

    def refuse(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(library, "add_note", refuse)
    editor = pane.notes.add_note()
    editor.body_edit.setPlainText("precious words")
    assert not pane.flush()
    assert failures and "disk full" in failures[0]
    assert "Not saved" in editor.status.text()
    assert editor.body_edit.toPlainText() == "precious words" and editor.dirty
    monkeypatch.undo()
    assert pane.flush()
    assert bodies(library, pid) == ["precious words"]


def write_png(path: Path) -> Path:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    return path


def holds_the_secret(value: object) -> bool:
    """True if a resource answer carries the 8x8 test image (or its file's bytes)."""
    if value is None:
        return False
    if isinstance(value, (QImage, QPixmap)):
        return value.width() == 8
    if isinstance(value, (bytes, QByteArray)):
        return len(bytes(value)) > 0
    return True  # any other answer is suspect


def test_preview_never_loads_local_files(qtbot, pane, ids, tmp_path: Path) -> None:
    secret = write_png(tmp_path / "secret.png")
    url = QUrl.fromLocalFile(str(secret))
    image_kind = QTextDocument.ResourceType.ImageResource
    for src in (url.toString(), str(secret)):
        html = f'<p>x</p><img src="{src}"><link rel="stylesheet" href="{src}"><p>y</p>'

        control = QTextBrowser()  # a plain QTextBrowser reads the file: the test can fail
        qtbot.addWidget(control)
        control.setHtml(html)
        control.show()
        qtbot.waitExposed(control)
        assert holds_the_secret(control.document().resource(image_kind, QUrl(src)))

        view = SafeTextBrowser()
        qtbot.addWidget(view)
        view.setHtml(html)
        view.show()
        qtbot.waitExposed(view)
        view.grab()  # lay out and paint, as on screen
        assert QUrl(src) in view.blocked  # the override was asked, and refused
        assert not holds_the_secret(view.loadResource(image_kind.value, QUrl(src)))
        assert not holds_the_secret(view.document().resource(image_kind, QUrl(src)))

    pane.show_paper(ids[0])
    editor = pane.notes.add_note()
    editor.body_edit.setPlainText(
        f"![x]({secret}) ![y]({url.toString()}) ![z](https://e.org/p.png)"
    )
    qtbot.waitUntil(lambda: "[image: z]" in editor.preview.toPlainText(), timeout=2000)
    assert "<img" not in editor.preview.toHtml()


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_note_links_open_only_http_https_mailto(qtbot, pane, ids) -> None:
    catcher = UrlCatcher()
    schemes = ("https", "mailto", "javascript", "file")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        view = SafeTextBrowser()
        qtbot.addWidget(view)
        links = ("https://example.org/a", "mailto:a@example.org", "javascript:alert(1)",
                 "file:///etc/passwd")  # fmt: skip
        view.setHtml("".join(f'<p><a href="{link}">link</a></p>' for link in links))
        view.resize(400, 300)
        view.show()
        qtbot.waitExposed(view)
        for link in links:
            click_link(qtbot, view, link)
        assert catcher.urls == ["https://example.org/a", "mailto:a@example.org"]
        assert view.source().isEmpty()  # it never navigated itself
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
