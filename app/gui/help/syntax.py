"""Help › Search syntax: the README's table of queries, each example a button that runs it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.tag_editor import FlowLayout

# (examples, what they find): the README's "Search syntax" table, row by row (a test keeps the
# two the same).
SYNTAX: tuple[tuple[tuple[str, ...], str], ...] = (
    (("mamba remote sensing",), "papers with all three words (AND is the default)"),
    (("bert OR electra", "retrieval NOT dense"), "either word; excluding a word"),
    (('"dense passage retrieval"',), "the exact phrase"),
    (
        ("title:electra", "author:karpukhin", "abstract:pruning", "venue:iclr"),
        "one field",
    ),
    (
        ("tag:to-read", "note:ablation", "status:read"),
        "tags, your notes, read status (`status:dismissed`: the papers triage dismissed, which "
        "searches naming no status leave out)",
    ),
    (('text:"gradient estimator"',), "the text of the attached PDFs only"),
    (("year:2020", "year:[2019 TO 2021]"), "a year or a range"),
    (("token*",), "a prefix"),
    (("tokenizaton~",), "fuzzy: one edit away (`~2` for two)"),
    (("text:tokenizaton~", "text:token*"), "fuzzy or prefix in the PDF text"),
)
INTRO = (
    "Words must all match (stemmed: “pruned” finds “pruning”). Titles weigh more than "
    "abstracts, and abstracts more than the text of attached PDFs. Click an example to run it."
)
OUTRO = (
    "Every field is searched when none is named, except that an unfielded fuzzy, prefix or "
    "wildcard word (tokenizaton~, token*, tok?n) leaves the PDF text out: name it "
    "(text:tokenizaton~) to search it too. The search looks in the sidebar's choice "
    "(All papers, a status, a list or a tag); Ctrl+Shift+F widens it to the whole library."
)


class SearchSyntaxDialog(QDialog):
    """The query language with runnable examples; exampleChosen(query) when one is clicked."""

    exampleChosen = Signal(str)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_syntax")
        self.setWindowTitle("Search syntax")
        self.examples: dict[str, QToolButton] = {}
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        table = QWidget()
        grid = QGridLayout(table)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        for column, title in enumerate(("Query", "Finds")):
            heading = QLabel(title)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            grid.addWidget(heading, 0, column)
        for row, (examples, finds) in enumerate(SYNTAX, start=1):
            cell = QWidget()
            flow = FlowLayout(cell, spacing=4)
            for query in examples:
                button = QToolButton()
                button.setText(query.replace("&", "&&"))
                button.setFont(mono)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setAccessibleName(f"Search for {query}")
                button.setToolTip(f"Search for {query}")
                button.clicked.connect(lambda _c=False, q=query: self.exampleChosen.emit(q))
                flow.addWidget(button)
                self.examples[query] = button
            grid.addWidget(cell, row, 0)
            label = QLabel(finds.replace("`", ""))
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            grid.addWidget(label, row, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        scroll = QScrollArea()
        scroll.setWidget(table)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for text in (INTRO,):
            layout.addWidget(self._paragraph(text))
        layout.addWidget(scroll, 1)
        layout.addWidget(self._paragraph(OUTRO))
        layout.addWidget(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)
        self.resize(760, 560)

    @staticmethod
    def _paragraph(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label
