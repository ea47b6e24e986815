"""The detail pane's "Related papers".

A short list of titles, each with a score bar and its percentage; a click (or Enter on a focused
row) asks for that paper."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.gui.plain import tooltip

ROWS = 6  # related papers shown
BAR_WIDTH = 44  # pixels of the score bar
GAP = 8


class RelatedRow(QWidget):
    """One related paper: a bar as long as its score (against the best one) with the score
    in per cent, then the title, elided to the pane's width (the tooltip has all of it)."""

    clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paper_id = 0
        self.title = ""
        self.score = 0.0
        self.fraction = 0.0
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)  # the pane keeps its height: no relayout per paper
        self.setSizePolicy(policy)
        self.setFixedHeight(self.fontMetrics().height() + 8)

    def clear(self) -> None:
        """Nothing shown (the row keeps its place: hiding it would lay out the pane again)."""
        if self.title or self.paper_id:
            self.paper_id, self.title, self.score, self.fraction = 0, "", 0.0, 0.0
            self.setToolTip("")
            self.setAccessibleName("")
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.setCursor(Qt.CursorShape.ArrowCursor)
            self.update()

    @property
    def shown(self) -> bool:
        return bool(self.paper_id)

    def set_paper(self, pid: int, title: str, score: float, best: float) -> None:
        self.paper_id, self.title, self.score = pid, " ".join(title.split()), score
        self.fraction = max(0.0, min(1.0, score / best)) if best > 0 else 0.0
        percent = self.percent
        self.setToolTip(tooltip(f"{self.title}\n\nSimilarity {percent} (click to show it)"))
        self.setAccessibleName(f"{self.title}, similarity {percent}")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.update()

    @property
    def percent(self) -> str:
        return f"{round(self.score * 100):d}%"

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, self.height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if not self.shown:
            return
        painter = QPainter(self)
        palette = self.palette()
        height = self.height()
        track = QRectF(0, height / 2 - 3, BAR_WIDTH, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(track, 3, 3)
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(QRectF(0, track.top(), BAR_WIDTH * self.fraction, 6), 3, 3)
        metrics = self.fontMetrics()
        x = BAR_WIDTH + GAP
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        percent_width = metrics.horizontalAdvance("100%")
        painter.drawText(
            int(x), 0, percent_width, height,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), self.percent,
        )  # fmt: skip
        x += percent_width + GAP
        width = max(0, self.width() - int(x))
        color = QPalette.ColorRole.Link
        painter.setPen(palette.color(color))
        font = QFont(self.font())
        font.setUnderline(self.hasFocus() or self.underMouse())
        painter.setFont(font)
        text = metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            int(x), 0, width, height,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text,
        )  # fmt: skip

    def enterEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        self.update()
        super().enterEvent(event)  # type: ignore[arg-type]

    def leaveEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        self.update()
        super().leaveEvent(event)  # type: ignore[arg-type]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if (
            self.shown
            and event.button() == Qt.MouseButton.LeftButton
            and self.rect().contains(event.position().toPoint())
        ):
            self.clicked.emit(self.paper_id)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self.shown and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.paper_id)
            return
        super().keyPressEvent(event)


class MutedLine(QWidget):
    """One line of muted text, elided to its width; changing it repaints the line only (a
    QLabel would ask the whole detail pane to lay out again)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 4)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setToolTip(tooltip(text))
            self.setAccessibleName(text)
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, self.height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if not self._text:
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        text = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.rect(), int(flags), text)


class RelatedSection(QWidget):
    """'Related papers', then up to ROWS rows, or a line saying they are being found or that
    there are none. paperClicked(id) when one is chosen."""

    paperClicked = Signal(int)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("related_papers")
        self.setAccessibleName("Related papers")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.heading = QLabel("Related papers")
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.message = MutedLine()
        self.rows = [RelatedRow(self) for _ in range(ROWS)]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.heading)
        head.addWidget(self.message, 1)  # "Finding related papers…" beside the heading
        layout.addLayout(head)
        for row in self.rows:
            row.clicked.connect(self.paperClicked)
            layout.addWidget(row)
        self.hits: list[tuple[int, str, float]] = []
        self.for_paper: int | None = None

    def _say(self, text: str) -> None:
        """One line under the heading (its room is kept, so the pane never moves)."""
        self.message.set_text(text)

    def show_waiting(self, pid: int | None) -> None:
        """The paper changed: its related papers are on their way."""
        self.for_paper, self.hits = pid, []
        for row in self.rows:
            row.clear()
        self._say("Finding related papers…" if pid is not None else "")

    def show_hits(self, pid: int, hits: Sequence[tuple[int, str, float]]) -> None:
        self.for_paper, self.hits = pid, list(hits)[:ROWS]
        best = max((score for _, _, score in self.hits), default=0.0)
        for number, row in enumerate(self.rows):
            if number < len(self.hits):
                row.set_paper(*self.hits[number], best)
            else:
                row.clear()
        self._say(
            "" if self.hits else "No related papers yet: none shares enough words with this one."
        )

    def show_problem(self, pid: int, text: str) -> None:
        self.show_waiting(pid)
        self._say(text)

    def titles(self) -> list[str]:
        return [title for _, title, _ in self.hits]
