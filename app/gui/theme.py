"""Light and dark looks: follow the system colour scheme, with a Fusion dark palette for dark."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# PAPERSHELF_THEME=dark|light overrides the system scheme (handy for screenshots and tests).
THEME_ENV = "PAPERSHELF_THEME"

ERROR_LIGHT = "#b3261e"
ERROR_DARK = "#ff8a80"


def dark_palette() -> QPalette:
    """A calm dark palette for the Fusion style."""
    base, window, text = QColor("#1e1f22"), QColor("#2b2d31"), QColor("#e6e6e6")
    highlight, link = QColor("#3d6fb6"), QColor("#8ab4f8")
    disabled = QColor("#7a7d84")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#25272b"),
        QPalette.ColorRole.ToolTipBase: window,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: highlight,
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: link,
        QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
        QPalette.ColorRole.Light: QColor("#3a3d42"),
        QPalette.ColorRole.Midlight: QColor("#33363b"),
        QPalette.ColorRole.Mid: QColor("#26282c"),
        QPalette.ColorRole.Dark: QColor("#191a1d"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#44474d"))
    return palette


def wants_dark() -> bool:
    forced = os.environ.get(THEME_ENV, "").strip().lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> str:
    """A red that reads well on the current background."""
    return ERROR_DARK if is_dark(palette) else ERROR_LIGHT


class ThemeFollower:
    """Applies the dark palette when the scheme is dark and the native look otherwise."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.native_style = app.style().name()
        self.native_palette = QPalette(app.palette())
        self.apply()
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: self.apply())

    def apply(self) -> None:
        if wants_dark():
            self.app.setStyle("Fusion")
            self.app.setPalette(dark_palette())
        else:
            if self.app.style().name().lower() != self.native_style.lower():
                self.app.setStyle(self.native_style)
            self.app.setPalette(self.native_palette)
