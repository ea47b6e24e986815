"""The note preview (QTextBrowser) against hostile payloads: nothing loads, nothing is followed.

The HTML a note renders to is audited in tests/test_html_payloads.py; here the widgets: the
preview in the detail pane and in the editor never asks for a resource when showing a
rendered payload, and even raw, unsanitised HTML gets no image, style sheet or file from it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from html_payloads import ICON, PAYLOADS, safe_href  # noqa: E402

from app.gui.note_preview import AutoHeightBrowser, SafeTextBrowser, open_external  # noqa: E402
from storage.library import Library  # noqa: E402
from storage.render import render_note  # noqa: E402


@pytest.fixture
def system_browser(qtbot):
    from PySide6.QtCore import QObject, Slot

    class Handler(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.urls.append(url.toString())

    handler = Handler()
    schemes = ("http", "https", "mailto", "javascript", "vbscript", "data", "file")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, handler, "open")
    yield handler
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)


def anchors(document: QTextDocument) -> list[str]:
    """Every link target in a laid-out document."""
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid() and fragment.charFormat().isAnchor():
                found.append(fragment.charFormat().anchorHref())
            iterator += 1
        block = block.next()
    return found


def images(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                found.append(fragment.charFormat().toImageFormat().name())
            iterator += 1
        block = block.next()
    return found


def test_the_preview_is_closed_by_construction(qtbot) -> None:
    view = AutoHeightBrowser()
    qtbot.addWidget(view)
    assert not view.openLinks() and not view.openExternalLinks()
    assert view.searchPaths() == []
    assert type(view.document()).__name__ == "ClosedDocument"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_rendered_payload_asks_for_nothing_and_links_nowhere_unsafe(qtbot, payload) -> None:
    view = AutoHeightBrowser()
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    view.setHtml(render_note(payload, quote=payload, page=payload[:30]))
    view.document().adjustSize()
    view.repaint()
    assert view.blocked == []  # nothing even requested: the sanitiser left no resource
    assert images(view.document()) == []
    hrefs = anchors(view.document())  # "" is a link nh3 disarmed: clicking it opens nothing
    assert all(href == "" or safe_href(href) for href in hrefs), hrefs


def test_raw_html_still_loads_no_resource(qtbot) -> None:
    """Defence in depth: even unsanitised HTML gets nothing from disk or network."""
    view = SafeTextBrowser()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    raw = (
        f'<img src="{ICON.as_uri()}" width=300><img src="{ICON}">'
        '<img src="https://evil.example/track.png">'
        '<link rel="stylesheet" href="https://evil.example/x.css">'
        f'<p style="background-image: url({ICON.as_uri()})">styled</p>'
        '<table background="https://evil.example/bg.png"><tr><td>x</td></tr></table>'
    )
    view.setHtml(raw)
    view.document().adjustSize()
    view.repaint()
    qtbot.wait(20)
    asked = {url.toString() for url in view.blocked}
    assert ICON.as_uri() in asked and "https://evil.example/track.png" in asked
    for name in (ICON.as_uri(), str(ICON)):
        image = view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert not isinstance(image, QImage) or image.width() <= 1, name


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        f"file://{ICON}",
        "https:no-host",
        "relative/path.html",
    ],
)
def test_unsafe_links_are_never_opened(url: str, system_browser) -> None:
    assert open_external(url) is False
    assert system_browser.urls == []


def test_notes_in_the_detail_pane_show_payloads_inertly(qtbot, tmp_path: Path) -> None:
    from app.gui.detail import DetailPane

    source = tmp_path / "one.bib"
    source.write_text("@article{one, title = {One}, year = {2020}}\n", encoding="utf-8")
    library = Library(tmp_path / "lib")
    try:
        library.import_file(source)
        pid = library.resolve("one")
        for payload in PAYLOADS:
            library.add_note(pid, payload, quote=payload)
        pane = DetailPane(library)
        qtbot.addWidget(pane)
        pane.resize(500, 900)
        pane.show()
        pane.show_paper(pid)
        qtbot.wait(20)
        views = [card.view for card in pane.notes.cards.values()]
        assert len(views) == len(PAYLOADS)
        for view in views:
            assert view.blocked == []
            assert images(view.document()) == []
            assert all(h == "" or safe_href(h) for h in anchors(view.document()))
        pane.close()
    finally:
        library.close()
