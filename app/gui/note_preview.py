"""Rendered-note views that never load a resource and open only http(s)/mailto links."""

from __future__ import annotations

import threading

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from storage.render import LINK_SCHEMES, warm_up

# Extra room under the last line so descenders and the frame never clip.
HEIGHT_SLACK = 4
WEB_SCHEMES = frozenset({"http", "https"})


_warming: list[threading.Thread] = []  # the one warm-up of this process


def warm_renderer() -> threading.Thread:
    """Warm the Markdown renderer up on a side thread, once per process (a notes panel starts
    it when made): the first note shown then renders without importing Markdown's extensions
    on the GUI thread, inside a search result's landing."""
    if not _warming:
        thread = threading.Thread(target=warm_up, name="papershelf-warm-markdown", daemon=True)
        _warming.append(thread)
        thread.start()
    return _warming[0]


def open_external(url: QUrl | str, schemes: frozenset[str] = LINK_SCHEMES) -> bool:
    """Open url in the system browser or mail client when its scheme is allowed; True if opened."""
    url = QUrl(url) if isinstance(url, str) else url
    if not url.isValid() or url.isRelative() or url.scheme().lower() not in schemes:
        return False
    if url.scheme().lower() != "mailto" and not url.host():
        return False
    return bool(QDesktopServices.openUrl(url))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def set_muted(widget: QWidget) -> None:
    """Secondary text (times, hints) in the palette's placeholder colour, light or dark."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def set_alert(widget: QWidget, on: bool) -> None:
    """Warning text in a red readable on the current palette; off restores the muted colour."""
    if not on:
        widget.setPalette(QPalette())
        set_muted(widget)
        return
    palette = widget.palette()
    red = QColor("#ff8a80") if is_dark(palette) else QColor("#b00020")
    palette.setColor(QPalette.ColorRole.WindowText, red)
    widget.setPalette(palette)
    widget.setForegroundRole(QPalette.ColorRole.WindowText)


def note_css(palette: QPalette) -> str:
    """Rich-text styling for rendered notes from the palette's roles (light or dark alike)."""
    role = QPalette.ColorRole
    line = palette.color(role.Mid).name()
    shade = palette.color(role.AlternateBase)
    if shade == palette.color(role.Base):
        shade = shade.darker(106) if not is_dark(palette) else shade.lighter(130)
    muted = palette.color(role.PlaceholderText).name()
    return f"""
        h1 {{ font-size: x-large; }} h2 {{ font-size: large; }}
        h3, h4, h5, h6 {{ font-size: medium; }}
        table {{ border-collapse: collapse; margin-top: 8px; margin-bottom: 8px; }}
        th, td {{ border: 1px solid {line}; padding: 3px 8px; }}
        th {{ background-color: {shade.name()}; }}
        pre {{ background-color: {shade.name()}; white-space: pre-wrap;
               margin-top: 8px; margin-bottom: 8px; }}
        code {{ background-color: {shade.name()}; }}
        blockquote {{ color: {muted}; margin-left: 14px; margin-right: 0px; font-style: italic; }}
        cite {{ font-style: normal; }}
    """


def web_link_ok(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host (paper links: DOI, arXiv, URL, code)."""
    if not url:
        return False
    parsed = QUrl(url.strip())
    return parsed.isValid() and parsed.scheme().lower() in WEB_SCHEMES and bool(parsed.host())


def empty_resource(kind: int) -> QImage | QByteArray:
    """A harmless stand-in for a refused resource.

    It must not be an invalid QVariant (None): for those Qt falls back to reading the file
    itself (QTextDocument.loadResource for any resource, and the image handler loads an
    <img src> path directly when it gets no image). A blank 1x1 image, or empty bytes,
    is an answer, so nothing else is tried."""
    if int(kind) == QTextDocument.ResourceType.ImageResource.value:
        blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        blank.fill(Qt.GlobalColor.transparent)
        return blank
    return QByteArray()


class ClosedDocument(QTextDocument):
    """A document that gets every resource from its view's loadResource and nowhere else
    (the base QTextDocument.loadResource, which reads local files, is never called)."""

    def loadResource(self, kind: int, name: QUrl) -> QImage | QByteArray:  # noqa: N802
        view = self.parent()
        if isinstance(view, SafeTextBrowser):
            return view.loadResource(kind, name)
        return empty_resource(kind)


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser for rendered notes: every resource request (images, style sheets, local
    or remote) gets nothing; links are never followed inside it, only handed to the system for
    http, https and mailto."""

    blockedResource = Signal(QUrl)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[QUrl] = []
        self.setDocument(ClosedDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.setUndoRedoEnabled(False)
        self.anchorClicked.connect(self._open_link)
        self.document().setDocumentMargin(6)
        self._html = ""
        self.document().setDefaultStyleSheet(note_css(self.palette()))

    def setHtml(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Show sanitised HTML (from storage.render), styled from the current palette."""
        self._html = text
        super().setHtml(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.document().setDefaultStyleSheet(note_css(self.palette()))
            super().setHtml(self._html)

    def loadResource(self, kind: int, name: QUrl) -> QImage | QByteArray:  # noqa: N802
        """Refuse every resource: notes never read local files or reach the network."""
        self.blocked.append(QUrl(name))
        self.blockedResource.emit(QUrl(name))
        return empty_resource(kind)

    def _open_link(self, url: QUrl) -> None:
        open_external(url)


class AutoHeightBrowser(SafeTextBrowser):
    """A SafeTextBrowser as tall as its content, for stacking inside a scroll area."""

    def __init__(self, parent: QWidget | None = None, minimum_lines: int = 1) -> None:
        super().__init__(parent)
        self._minimum_lines = minimum_lines
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _fit(self, *_: object) -> None:
        content = int(self.document().size().height() + 0.99)
        minimum = self.fontMetrics().lineSpacing() * self._minimum_lines
        margins = self.contentsMargins()
        height = max(content, minimum) + margins.top() + margins.bottom() + HEIGHT_SLACK
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(super().sizeHint().width(), self.height())
