"""Reading status as segmented buttons and a 0–5 star rating, each writing through Library."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

STATUSES = ("unread", "reading", "read")
STATUS_LABELS = {"unread": "Unread", "reading": "Reading", "read": "Read"}
MAX_RATING = 5
STAR_ON, STAR_OFF = "★", "☆"


class StatusControl(QWidget):
    """Three exclusive buttons: Unread, Reading, Read. Emits statusChosen on a user click."""

    statusChosen = Signal(str)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reading status")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for status in STATUSES:
            button = QToolButton()
            button.setText(STATUS_LABELS[status])
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setAccessibleName(f"Status: {STATUS_LABELS[status]}")
            button.setToolTip(f"Mark as {STATUS_LABELS[status].lower()}")
            self.group.addButton(button)
            self.buttons[status] = button
            layout.addWidget(button)
            button.clicked.connect(lambda _=False, s=status: self.statusChosen.emit(s))
        self.group.buttonToggled.connect(self._embolden)

    def _embolden(self, button: QToolButton, checked: bool) -> None:
        """The chosen status in bold, so it reads clearly in any style and palette."""
        font = button.font()
        font.setBold(checked)
        button.setFont(font)

    @property
    def status(self) -> str | None:
        return next((s for s, b in self.buttons.items() if b.isChecked()), None)

    def set_status(self, status: str) -> None:
        """Show status without emitting statusChosen."""
        button = self.buttons.get(status)
        if button is not None and not button.isChecked():
            button.setChecked(True)


class RatingControl(QWidget):
    """Five star buttons: clicking star n rates n; clicking the current rating clears it to 0."""

    ratingChosen = Signal(int)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rating")
        self._rating = 0
        self.stars: list[QToolButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for value in range(1, MAX_RATING + 1):
            star = QToolButton()
            star.setAutoRaise(True)
            font = star.font()
            font.setPointSizeF(font.pointSizeF() * 1.35)
            star.setFont(font)
            star.setAccessibleName(f"Rate {value} star{'s' if value > 1 else ''}")
            star.setToolTip(f"{value} of {MAX_RATING} (click again to clear)")
            star.clicked.connect(lambda _=False, v=value: self._clicked(v))
            layout.addWidget(star)
            self.stars.append(star)
        self.set_rating(0)

    @property
    def rating(self) -> int:
        return self._rating

    def set_rating(self, rating: int) -> None:
        """Show rating without emitting ratingChosen."""
        self._rating = max(0, min(MAX_RATING, int(rating)))
        for value, star in enumerate(self.stars, start=1):
            star.setText(STAR_ON if value <= self._rating else STAR_OFF)
            star.setAccessibleDescription("selected" if value == self._rating else "")
        self.setToolTip(f"Rated {self._rating} of {MAX_RATING}")

    def _clicked(self, value: int) -> None:
        self.ratingChosen.emit(0 if value == self._rating else value)
