"""Read-only text for narrow panes.

Wraps between words, or anywhere a word is too long for the line, and is as tall as its text (a
QLabel cannot break a long word and widens its pane)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QPalette, QTextOption
from PySide6.QtWidgets import QSizePolicy, QTextBrowser, QWidget

from app.gui.note_preview import AutoHeightBrowser


class TextBox(AutoHeightBrowser):
    """A label-like box: `setText`/`text` as QLabel's, plain text by default or rich text
    (links emit linkActivated and are never followed here); selectable, no frame, no
    background, no scroll bars; its width never depends on its text."""

    linkActivated = Signal(str)  # noqa: N815 (Qt naming, as QLabel's)

    def __init__(self, text: str = "", rich: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rich = rich
        self._text = ""
        self._muted = False
        self._restyling = False
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.document().setDocumentMargin(0)
        self.setViewportMargins(0, 0, 0, 0)
        self._apply_palette()
        self.setText(text)

    # --- QLabel's face -------------------------------------------------------------------

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name)
        if text == self._text and self.document().characterCount() > 1:
            return
        self._text = text
        if self._rich:
            self.setHtml(text)
        else:
            self.setPlainText(text)

    def text(self) -> str:
        """What was set: the plain text, or the HTML of a rich box."""
        return self._text

    def textFormat(self) -> Qt.TextFormat:  # noqa: N802 (QLabel's name)
        return Qt.TextFormat.RichText if self._rich else Qt.TextFormat.PlainText

    def selectedText(self) -> str:  # noqa: N802 (QLabel's name)
        return self.textCursor().selectedText()

    def set_muted(self, muted: bool = True) -> None:
        """Secondary text in the palette's placeholder colour (light or dark)."""
        self._muted = muted
        self._apply_palette()

    # --- internals -----------------------------------------------------------------------

    def _apply_palette(self) -> None:
        """Text in the label colours (WindowText, or PlaceholderText when muted)."""
        palette = self.palette()
        role = QPalette.ColorRole
        wanted = palette.color(role.PlaceholderText if self._muted else role.WindowText)
        if palette.color(role.Text) != wanted:
            palette.setColor(role.Text, wanted)
            self._restyling = True
            try:
                self.setPalette(palette)
            finally:
                self._restyling = False

    def _open_link(self, url: QUrl) -> None:
        self.linkActivated.emit(url.toString())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        palette_change = event.type() == QEvent.Type.PaletteChange
        if palette_change and not self._rich:
            QTextBrowser.changeEvent(self, event)  # plain text: no HTML to restyle
        else:
            super().changeEvent(event)
        if palette_change and not self._restyling:
            self._apply_palette()
