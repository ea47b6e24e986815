"""The triage view.

One Inbox paper at a time (title, authors, abstract, code link, tags, where it came from, "12 of
42") with the keys that decide it shown beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.detail import short_url
from app.gui.note_preview import set_muted
from app.gui.plain import mnemonic_safe
from app.gui.tag_editor import FlowLayout
from app.gui.textbox import TextBox

# The keys, as the legend shows them (the actions take theirs from the same table).
KEYS = (
    ("keep", "K or →", "keep"),
    ("dismiss", "D or Del", "dismiss"),
    ("tags", "1–9", "tag"),
    ("list", "L", "add to list"),
    ("code", "C", "open code"),
    ("next", "↓ or N", "next"),
    ("previous", "↑ or P", "previous"),
    ("view", "V", "list view"),
    ("sort", "S", "likeliest first"),
    ("undo", "Ctrl+Z", "undo"),
)


@dataclass(frozen=True)
class CardPaper:
    """What the card shows of one paper."""

    id: int
    title: str
    authors: str
    where: str  # venue · year
    abstract: str
    code_url: str | None
    tags: tuple[str, ...]
    origin: str  # "from daily.txt, Mar 20 09:14"


def legend_text() -> str:
    """The keys on one line, wrapped only between entries (no-break spaces within one)."""
    return "   ·   ".join(f"{keys} {what}".replace(" ", "\u00a0") for _name, keys, what in KEYS)


def _scaled(widget: QWidget, factor: float, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)


def _muted_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_muted(label)
    return label


class TriageCard(QWidget):
    """Shows one paper; buttons (for the mouse) emit the same commands the keys do."""

    command = Signal(str)  # "keep", "dismiss", "list", "code", "view"
    tagKey = Signal(int)  # noqa: N815 (Qt naming): the number key pressed, 1..9

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triage_view")
        self.setAccessibleName("Triage")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.paper: CardPaper | None = None
        self.tag_keys: list[str] = []

        self.progress = QLabel()
        self.progress.setObjectName("triage_progress")
        self.progress.setAccessibleName("Progress")
        _scaled(self.progress, 1.15, bold=True)
        self.origin = _muted_label()
        self.origin.setAccessibleName("Where it came from")
        self.title = TextBox()
        self.title.setAccessibleName("Title")
        _scaled(self.title, 1.6, bold=True)
        self.authors = TextBox()
        self.authors.setAccessibleName("Authors")
        self.where = _muted_label()
        self.code = QLabel()
        self.code.setTextFormat(Qt.TextFormat.PlainText)
        self.code.setAccessibleName("Code link")
        self.tags = QLabel()
        self.tags.setTextFormat(Qt.TextFormat.PlainText)
        self.tags.setWordWrap(True)
        self.tags.setAccessibleName("Tags")
        self.abstract = TextBox()
        self.abstract.setAccessibleName("Abstract")
        self.abstract.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.tag_row = QWidget()
        self.tag_flow = FlowLayout(self.tag_row, spacing=6)
        self.tag_labels: list[QLabel] = []
        self.legend = _muted_label(legend_text())
        self.legend.setObjectName("triage_keys")
        self.legend.setAccessibleName("Keys")
        self.buttons = self._buttons()

        body = QWidget()
        body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(body)
        column.setContentsMargins(28, 18, 28, 18)
        column.setSpacing(8)
        column.addWidget(self.title)
        column.addWidget(self.authors)
        column.addWidget(self.where)
        column.addWidget(self.code)
        column.addWidget(self.tags)
        column.addSpacing(6)
        column.addWidget(self.abstract)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.done = QLabel()
        self.done.setObjectName("triage_done")
        self.done.setTextFormat(Qt.TextFormat.PlainText)
        self.done.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done.setWordWrap(True)
        _scaled(self.done, 1.2)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.scroll)
        self.pages.addWidget(self.done)

        head = QHBoxLayout()
        head.setContentsMargins(28, 12, 28, 0)
        head.addWidget(self.progress)
        head.addSpacing(12)
        head.addWidget(self.origin, 1)
        foot = QVBoxLayout()
        foot.setContentsMargins(28, 6, 28, 12)
        foot.setSpacing(6)
        foot.addWidget(self.tag_row)
        foot.addWidget(self.buttons)
        foot.addWidget(self.legend)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setForegroundRole(QPalette.ColorRole.Mid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.pages, 1)
        layout.addWidget(rule)
        layout.addLayout(foot)

    def _buttons(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button: dict[str, QPushButton] = {}
        for name, text in (
            ("keep", "Keep (K)"),
            ("dismiss", "Dismiss (D)"),
            ("list", "Add to list… (L)"),
            ("code", "Open code (C)"),
            ("view", "List view (V)"),
        ):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the card
            button.setAccessibleName(text.split(" (")[0])
            button.clicked.connect(lambda _c=False, n=name: self.command.emit(n))
            layout.addWidget(button)
            self.button[name] = button
        layout.addStretch(1)
        return row

    # --- what is shown -------------------------------------------------------------------

    def set_tag_keys(self, tags: Sequence[str]) -> None:
        """The tags bound to 1..9 (most used first), shown as "1 retrieval"."""
        self.tag_keys = list(tags)[:9]
        for label in self.tag_labels:
            self.tag_flow.removeWidget(label)
            label.deleteLater()
        self.tag_labels = []
        if not self.tag_keys:
            label = _muted_label("No tags yet: Ctrl+T tags a paper; your most used tags get 1–9")
            self.tag_labels.append(label)
            self.tag_flow.addWidget(label)
            return
        for number, tag in enumerate(self.tag_keys, start=1):
            label = QLabel(f"{number} {tag}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setObjectName(f"tag_key_{number}")
            label.setMargin(3)
            label.setAutoFillBackground(True)
            self.tag_labels.append(label)
            self.tag_flow.addWidget(label)
        self._mark_tags()

    def _mark_tags(self) -> None:
        have = {t.casefold() for t in self.paper.tags} if self.paper else set()
        for tag, label in zip(self.tag_keys, self.tag_labels, strict=False):
            on = tag.casefold() in have
            label.setBackgroundRole(
                QPalette.ColorRole.Highlight if on else QPalette.ColorRole.AlternateBase
            )
            label.setForegroundRole(
                QPalette.ColorRole.HighlightedText if on else QPalette.ColorRole.WindowText
            )
            label.setAccessibleName(f"{label.text()}{' (on)' if on else ''}")

    def show_paper(self, paper: CardPaper, position: int, total: int) -> None:
        self.paper = paper
        self.progress.setText(f"{position:,} of {total:,}")
        self.origin.setText(paper.origin)
        self.title.setText(paper.title)
        self.authors.setText(paper.authors)
        self.authors.setVisible(bool(paper.authors))
        self.where.setText(paper.where)
        self.where.setVisible(bool(paper.where))
        code = f"Code: {short_url(paper.code_url)}   (C opens it)" if paper.code_url else ""
        self.code.setText(code)
        self.code.setVisible(bool(code))
        self.tags.setText("Tags: " + ", ".join(paper.tags) if paper.tags else "No tags")
        self.abstract.setText(paper.abstract or "(no abstract)")
        self.button["code"].setEnabled(bool(paper.code_url))
        for name in ("keep", "dismiss", "list"):
            self.button[name].setEnabled(True)
        self._mark_tags()
        self.pages.setCurrentWidget(self.scroll)
        self.scroll.verticalScrollBar().setValue(0)

    def show_done(self, kept: int, dismissed: int, total: int) -> None:
        self.paper = None
        self.progress.setText(f"{total:,} of {total:,}" if total else "Inbox empty")
        self.origin.setText("")
        if total:
            text = (
                f"Inbox done: {kept:,} kept, {dismissed:,} dismissed.\n\n"
                "Ctrl+Z takes back the last decision."
            )
        else:
            text = "Nothing waits in the Inbox.\n\nThe papers your next import brings in land here."
        self.done.setText(text)
        for button in self.button.values():
            button.setEnabled(button is self.button["view"])
        self._mark_tags()
        self.pages.setCurrentWidget(self.done)

    def showing_done(self) -> bool:
        return self.pages.currentWidget() is self.done

    def set_view_text(self, text: str) -> None:
        self.button["view"].setText(mnemonic_safe(text))
