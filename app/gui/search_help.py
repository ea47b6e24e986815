"""The paper area when a search finds nothing.

Why, "did you mean" links, and the papers with most of the words (a click shows one in the
detail pane)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.gui.note_preview import set_muted
from app.gui.plain import rich_escape, tooltip
from storage.render import sanitize_snippet
from storage.searchhelp import SearchHelp

if TYPE_CHECKING:
    from app.gui.hosts import SearchHelpHost

TIPS = (
    "Check the spelling, use fewer words, or try a prefix (token*) or a fuzzy word (tokenizaton~)."
)
PAPER_ID = Qt.ItemDataRole.UserRole


def any_of(words: tuple[str, ...]) -> str:
    """The words joined by OR (a part with spaces in parentheses)."""
    return " OR ".join(f"({w})" if " " in w and not w.startswith('"') else w for w in words)


class NoResultsPage(QWidget):
    """Explains an empty search (storage.searchhelp.SearchHelp) and offers a way on."""

    queryChosen = Signal(str)  # noqa: N815 (Qt naming): a correction, or any of the words
    paperChosen = Signal(int)  # noqa: N815 (Qt naming): a paper to show in the detail pane

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("no_results_page")
        self.setAccessibleName("No search results")
        self.help: SearchHelp | None = None
        self.heading = QLabel(self)
        self.heading.setObjectName("no_results_heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.suggestions = QLabel(self)
        self.suggestions.setObjectName("did_you_mean")
        self.suggestions.setAccessibleName("Did you mean")
        self.suggestions.setTextFormat(Qt.TextFormat.RichText)
        self.suggestions.setWordWrap(True)
        self.suggestions.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.suggestions.linkActivated.connect(self._on_link)
        self.closest_heading = QLabel(self)
        self.closest_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.closest_heading.setWordWrap(True)
        self.closest = QListWidget(self)
        self.closest.setObjectName("closest_papers")
        self.closest.setAccessibleName("Papers with most of the words")
        self.closest.setWordWrap(True)
        self.closest.setAlternatingRowColors(True)
        self.closest.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.closest.itemActivated.connect(self._on_item)
        self.closest.itemClicked.connect(self._on_item)
        self.any_button = QPushButton("Show papers with any of the words", self)
        self.any_button.setObjectName("search_any_word")
        self.any_button.clicked.connect(self._on_any)
        self.tips = QLabel(TIPS, self)
        self.tips.setTextFormat(Qt.TextFormat.PlainText)
        self.tips.setWordWrap(True)
        set_muted(self.tips)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.suggestions)
        layout.addSpacing(6)
        layout.addWidget(self.closest_heading)
        layout.addWidget(self.closest, 1)
        layout.addWidget(self.any_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(0)
        layout.addWidget(self.tips)

    def show_help(self, help_: SearchHelp, titles: dict[int, str]) -> None:
        """Fill the page for help_; titles: the titles of its papers."""
        self.help = help_
        self.heading.setText(help_.headline())
        self._show_corrections(help_)
        self.closest.clear()
        others = help_.partial_total - help_.best_total
        if help_.partial:
            have = "papers have" if help_.best_total != 1 else "paper has"
            head = (
                f"Closest: {help_.best_total:,} {have} {help_.best} "
                f"of the {len(help_.words)} words"
            )
            if others:
                head += f" ({others:,} more {'have' if others != 1 else 'has'} fewer)"
            self.closest_heading.setText(head + ". Click one to see it.")
            self._fill(help_, titles)
        has_closest = bool(help_.partial)
        self.closest_heading.setVisible(has_closest)
        self.closest.setVisible(has_closest)
        self.any_button.setVisible(has_closest and len(help_.words) > 1)

    def _show_corrections(self, help_: SearchHelp) -> None:
        color = self.palette().color(QPalette.ColorRole.Link).name()
        links = [
            f'<a href="{index}" style="color: {color}">{rich_escape(c.query)}</a>'
            f" ({c.total:,} paper{'s' if c.total != 1 else ''})"
            for index, c in enumerate(help_.corrections)
        ]
        self.suggestions.setText("Did you mean: " + " · ".join(links) if links else "")
        self.suggestions.setVisible(bool(links))

    def _fill(self, help_: SearchHelp, titles: dict[int, str]) -> None:
        """The papers, under a line naming the words they lack: those with more words first,
        and among those lacking as many, each group of missing words in one run."""
        first_seen: dict[tuple[str, ...], int] = {}
        for number, hit in enumerate(help_.partial):
            first_seen.setdefault(hit.missing, number)
        hits = sorted(help_.partial, key=lambda h: (len(h.missing), first_seen[h.missing]))
        group: tuple[str, ...] | None = None
        for hit in hits:
            if hit.missing != group:
                group = hit.missing
                self.closest.addItem(self._group_item(group))
            self.closest.addItem(self._item(hit.id, titles.get(hit.id, ""), hit.snippet))

    def _group_item(self, missing: tuple[str, ...]) -> QListWidgetItem:
        item = QListWidgetItem("Without " + ", ".join(f"“{word}”" for word in missing))
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: not selectable
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        return item

    def _item(self, pid: int, title: str, snippet: str) -> QListWidgetItem:
        item = QListWidgetItem("    " + title)
        item.setData(PAPER_ID, pid)
        plain = sanitize_snippet(snippet or "").replace("<b>", "").replace("</b>", "")
        item.setToolTip(tooltip(plain))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        return item

    def _on_link(self, link: str) -> None:
        if self.help is not None and link.isdigit() and int(link) < len(self.help.corrections):
            self.queryChosen.emit(self.help.corrections[int(link)].query)

    def _on_item(self, item: QListWidgetItem) -> None:
        pid = item.data(PAPER_ID)
        if isinstance(pid, int):
            self.paperChosen.emit(pid)

    def _on_any(self) -> None:
        if self.help is not None:
            self.queryChosen.emit(any_of(self.help.words))


class SearchHelpController:
    """Puts the page in the window's paper area and shows it while a search finds nothing."""

    def __init__(self, window: SearchHelpHost) -> None:
        self.window = window
        self.page = NoResultsPage(window.area)
        window.area.addWidget(self.page)
        self.help: tuple[object, SearchHelp] | None = None  # (the search's PaperFilter, help)
        window.searcher.helped.connect(self._on_help)
        window.model.modelReset.connect(self.sync)
        window.model.rowsInserted.connect(self.sync)
        self.page.queryChosen.connect(self.search_for)
        self.page.paperChosen.connect(self.show_paper)
        self.shown: int | None = None  # the closest paper in the detail pane
        # After the window has handled an edit made in the detail pane (connected later than
        # its own handler): its empty table must not take that paper away.
        window.detail.changed.connect(self._keep_shown)
        window.undo_stack.indexChanged.connect(self._keep_shown)  # Edit details, undo, redo

    def _on_help(self, request: object, help_: SearchHelp) -> None:
        """The help arrives after the (empty) table: show it if that is still on show."""
        self.help = (getattr(request, "filter", None), help_)
        self.sync()

    def sync(self, *_args: object) -> None:
        """Show the page when the table is empty for a search we have help for."""
        area, model = self.window.area, self.window.model
        if (
            model.rowCount()
            or not model.filter.query
            or not self.help
            or self.help[0] != model.filter
        ):
            if area.currentWidget() is self.page:
                area.setCurrentWidget(area.main)  # the table, or the triage view
            self.shown = None
            return
        if area.showing_empty:  # the library itself is empty
            return
        assert self.help is not None
        help_ = self.help[1]
        ids = [hit.id for hit in help_.partial]
        rows = self.window.library.rows(ids) if ids else {}
        self.page.show_help(help_, {pid: row.title for pid, row in rows.items()})
        area.setCurrentWidget(self.page)

    def show_paper(self, pid: int) -> None:
        self.shown = pid
        self.window.detail.show_paper(pid)

    def keeps(self, pid: int | None) -> bool:
        """Whether the detail pane's paper is the closest paper chosen on the page on show
        (the empty table behind it must not take it away, e.g. once an edit of it lands)."""
        area = self.window.area
        showing = shiboken6.isValid(area) and area.currentWidget() is self.page
        return showing and pid is not None and pid == self.shown

    def _keep_shown(self, _change: object) -> None:
        if not shiboken6.isValid(self.window.area):  # the undo stack outlived the window
            return
        showing = self.window.area.currentWidget() is self.page
        if showing and self.shown is not None and self.window.detail.current_paper_id is None:
            self.window.detail.show_paper(self.shown)

    def search_for(self, query: str) -> None:
        """Put query in the search field and search for it now."""
        self.window.search.field.setText(query)
        self.window.search.flush()


def install(window: SearchHelpHost) -> SearchHelpController:
    return SearchHelpController(window)
