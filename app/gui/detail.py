"""The detail pane: one paper's metadata, links, tags, status, rating and autosaving notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from urllib.parse import quote

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.details_editing import DetailsEditing
from app.gui.files import FilesSection, page_label
from app.gui.lane import Step, WriteLane
from app.gui.merges import MergedButton
from app.gui.note_preview import open_external, set_alert, set_muted, web_link_ok
from app.gui.notes_panel import NotesPanel
from app.gui.routine.related_pane import RelatedSection
from app.gui.status_rating import RatingControl, StatusControl
from app.gui.tag_editor import FlowLayout, TagEditor
from app.gui.textbox import TextBox
from storage.render import escape_text, sanitize_snippet
from storage.views import Change, PaperDetail

SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)
ABSTRACT_LIMIT = 10_000  # characters shown before "Show all" (a QLabel lays out all it holds)
FIELD_LIMIT = 2_000  # title, authors and venue beyond this are cut (imports can hold megabytes)


def paper_links(paper: PaperDetail) -> list[tuple[str, str, str]]:
    """(label, shown text, http(s) URL) for the paper's DOI, arXiv id, URL and code URL."""
    links: list[tuple[str, str, str]] = []
    if paper.doi:
        doi_url = "https://doi.org/" + quote(paper.doi, safe="/:;()._-")
        links.append(("DOI", middle_elided(paper.doi), doi_url))
    if paper.arxiv_id:
        arxiv = quote(paper.arxiv_id, safe="/._-")
        links.append(("arXiv", middle_elided(paper.arxiv_id), f"https://arxiv.org/abs/{arxiv}"))
    for label, url in (("URL", paper.url), ("Code", paper.code_url)):
        if url and web_link_ok(url):
            links.append((label, short_url(url), url.strip()))
    return links


def short_url(url: str, limit: int = 48) -> str:
    """A URL for display: no scheme, no trailing slash, elided in the middle when long."""
    return middle_elided(url.strip().split("://", 1)[-1].rstrip("/"), limit)


def middle_elided(text: str, limit: int = 48) -> str:
    """text with its middle replaced by an ellipsis when longer than limit characters."""
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]}"


def elided(text: str, limit: int) -> str:
    """text cut to limit characters (at a space where one is near) with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit - 200, limit)
    return text[: cut if cut > 0 else limit].rstrip() + " …"


def _label(text: str = "", *, wrap: bool = True, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(SELECTABLE)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _scaled(label: QLabel, factor: float, bold: bool = False) -> None:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    label.setFont(font)


class DetailPane(QWidget):
    """Shows one paper (or a calm empty state) and writes every edit through storage.Library.

    `changed` carries the storage.views.Change of each edit made here, so the window refreshes
    just those rows and the sidebar counts. Notes autosave ~0.8 s after typing stops, on focus
    loss, before another paper is shown, and on flush() (call it before the window closes).
    """

    changed = Signal(object)
    saveFailed = Signal(str)  # noqa: N815 (Qt naming): a message for the status bar

    def __init__(self, library: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.lane: WriteLane | None = None  # the window's (use_lane): status and rating go there
        self._paper: PaperDetail | None = None
        self.setAccessibleName("Paper details")

        self.empty = QLabel("Select a paper to see its details and notes.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No paper selected")
        set_muted(self.empty)

        # Text boxes, not labels: a word too long for the line (a title or URL without
        # spaces) wraps inside them instead of widening the pane past its viewport.
        self.title = TextBox()
        self.title.setAccessibleName("Title")
        _scaled(self.title, 1.45, bold=True)
        self.authors = TextBox()
        self.authors.setAccessibleName("Authors")
        self.venue = TextBox()
        self.venue.setAccessibleName("Venue and year")
        self.venue.set_muted()
        self.links = TextBox(rich=True)
        self.links.setAccessibleName("Links")
        self.links.linkActivated.connect(self.open_link)
        self.editing = DetailsEditing(self, library)  # "Edit details…" and its form
        self.editor = self.editing.editor

        self.status = StatusControl()
        self.rating = RatingControl()
        controls = QWidget()  # status and stars side by side, stacked when the pane is narrow
        controls_flow = FlowLayout(controls, spacing=16)
        controls_flow.addWidget(self.status)
        controls_flow.addWidget(self.rating)
        self.tags = TagEditor(library)
        self.merged = MergedButton(library)  # "Merged from N entries…": list, split off

        self.snippet = QLabel()
        self.snippet.setObjectName("searchSnippet")
        self.snippet.setTextFormat(Qt.TextFormat.RichText)
        self.snippet.setWordWrap(True)
        self.snippet.setTextInteractionFlags(SELECTABLE)
        self.snippet.setAccessibleName("Search match")
        self.snippet.setMargin(8)
        self.snippet.setAutoFillBackground(True)
        self.snippet.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.snippet.hide()
        self.abstract_heading = self._heading("Abstract")
        self.abstract = TextBox()
        self.abstract.setAccessibleName("Abstract")
        self.abstract_all = QPlainTextEdit()  # lays out lazily: a megabyte shows at once
        self.abstract_all.setReadOnly(True)
        self.abstract_all.setAccessibleName("Whole abstract")
        self.abstract_all.setMinimumHeight(self.fontMetrics().lineSpacing() * 24)
        self.abstract_all.hide()
        self.abstract_toggle = QToolButton()
        self.abstract_toggle.setAutoRaise(True)
        self.abstract_toggle.setCheckable(True)
        self.abstract_toggle.setAccessibleName("Show the whole abstract")
        self.abstract_toggle.toggled.connect(self._show_whole_abstract)
        self.abstract_toggle.hide()
        self.error = _label(selectable=False)
        set_alert(self.error, True)
        self.error.hide()
        self.notes = NotesPanel(library)
        self.files = FilesSection(library)  # its attaching is connected by app.gui.files.install
        self.related = RelatedSection()  # filled by app.gui.routine.related

        body = QWidget()
        body.setBackgroundRole(QPalette.ColorRole.Window)
        # Never wider than the viewport, whatever a child asks for: the scroll area sizes an
        # Ignored-width widget to its viewport, and the layout does not raise its minimum.
        body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(body)
        column.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        column.setContentsMargins(18, 16, 18, 18)
        column.setSpacing(6)
        column.addWidget(self.title)
        column.addWidget(self.authors)
        column.addWidget(self.venue)
        column.addWidget(self.links)
        column.addWidget(self.editing.button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.editor)
        column.addSpacing(8)
        column.addWidget(controls)
        column.addWidget(self.tags)
        column.addWidget(self.merged, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.error)
        column.addSpacing(8)
        column.addWidget(self.files)  # above the abstract: a long abstract would hide it
        column.addSpacing(4)
        column.addWidget(self.snippet)
        column.addWidget(self.abstract_heading)
        column.addWidget(self.abstract)
        column.addWidget(self.abstract_all)
        column.addWidget(self.abstract_toggle)
        column.addSpacing(10)
        column.addWidget(self.related)
        column.addSpacing(12)
        column.addWidget(self._rule())
        column.addSpacing(4)
        column.addWidget(self.notes)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.scroll_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.status.statusChosen.connect(self._set_status)
        self.rating.ratingChosen.connect(self._set_rating)
        self.tags.changed.connect(self._edited)
        self.merged.changed.connect(lambda change: (self.refresh(), self.changed.emit(change)))
        self.files.changed.connect(lambda change: (self.refresh(), self.changed.emit(change)))
        self.notes.changed.connect(self._notes_saved)
        self.notes.saveFailed.connect(self.saveFailed)
        self._show(None)

    # --- public --------------------------------------------------------------------------

    @property
    def current_paper_id(self) -> int | None:
        return self._paper.id if self._paper else None

    @property
    def paper(self) -> PaperDetail | None:
        """The PaperDetail on show (as last read from the library)."""
        return self._paper

    def show_paper(self, paper_id: int | None) -> None:
        """Show paper_id, or the empty state for None. Pending note edits are saved first."""
        if paper_id == self.current_paper_id and paper_id is not None:
            self.refresh()
            return
        self.notes.flush()
        self.editing.flush()  # valid edits are saved; the form closes
        self.show_snippet("")
        self._show(self._read(paper_id))
        self.scroll_area.verticalScrollBar().setValue(0)

    def refresh(self) -> None:
        """Re-read the paper on show (after edits elsewhere, e.g. undo); open editors stay."""
        self.notes.flush()
        self._show(self._read(self.current_paper_id))

    def flush(self) -> bool:
        """Save pending note and detail edits now (the window calls this before closing)."""
        return self.editing.flush() & self.notes.flush()

    def show_snippet(self, html: str, page: int | None = None, file_id: int | None = None) -> None:
        """A highlighted search match above the abstract (only <b> and text kept); '' hides it.

        page: the page of an attached file the match is on, shown as "p. 7" before it ("p. 7
        of NAME" when the paper has more than one file; file_id says which).
        """
        clean = sanitize_snippet(html or "").strip()
        if clean and page is not None:
            color = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
            where = escape_text(page_label(page)).replace(" ", "&nbsp;")
            if name := self.files.name_of(file_id):  # the paper has more than one file
                where += f" of {escape_text(name)}"
            clean = f'<span style="color: {color}; font-weight: 600">{where}</span> · {clean}'
        self.snippet.setText(clean)
        self.snippet.setVisible(bool(clean) and self._paper is not None)

    def open_link(self, url: str) -> bool:
        """Open an http(s) link in the system browser; anything else is refused."""
        return web_link_ok(url) and open_external(url, frozenset({"http", "https"}))

    # --- internals -----------------------------------------------------------------------

    def _read(self, paper_id: int | None) -> PaperDetail | None:
        if paper_id is None:
            return None
        try:
            return self._library.paper(paper_id)
        except Exception:  # deleted meanwhile (NotFound) or unreadable: show nothing
            return None

    def _show(self, paper: PaperDetail | None) -> None:
        self._paper = paper
        self.error.hide()
        if paper is None:
            self.editing.close()
            self.stack.setCurrentWidget(self.empty)
            self.snippet.hide()
            self.notes.set_notes(None, ())
            self.tags.set_paper(None, ())
            self.merged.set_paper(None)
            self.files.set_paper(None, "", ())
            return
        self.title.setText(elided(paper.title, FIELD_LIMIT))
        self.authors.setText(elided(", ".join(paper.authors[:500]), FIELD_LIMIT))
        self.authors.setVisible(bool(paper.authors))
        where = " · ".join(str(part) for part in (paper.venue, paper.year) if part)
        self.venue.setText(elided(where, FIELD_LIMIT))
        self.venue.setVisible(bool(where))
        self._show_links(paper)
        self.status.set_status(paper.status)
        self.rating.set_rating(paper.rating)
        self.tags.set_paper(paper.id, paper.tags)
        self.merged.set_paper(paper.id)
        self._show_abstract(paper.abstract or "")
        self.notes.set_notes(paper.id, paper.notes)
        self.files.set_paper(paper.id, paper.title, paper.files)
        self.editing.shown()
        self.stack.setCurrentWidget(self.scroll_area)

    def _show_abstract(self, abstract: str) -> None:
        """The abstract up to ABSTRACT_LIMIT characters; a toggle shows all of a longer one."""
        has_abstract = bool(abstract.strip())
        long = len(abstract) > ABSTRACT_LIMIT
        self.abstract_toggle.blockSignals(True)
        self.abstract_toggle.setChecked(False)
        self.abstract_toggle.blockSignals(False)
        self.abstract_all.hide()
        self.abstract_all.clear()
        self.abstract.setText(elided(abstract, ABSTRACT_LIMIT))
        self.abstract.setVisible(has_abstract)
        self.abstract_heading.setVisible(has_abstract)
        self.abstract_toggle.setText(f"Show all {len(abstract):,} characters")
        self.abstract_toggle.setVisible(long)

    def _show_whole_abstract(self, whole: bool) -> None:
        if self._paper is None:
            return
        if whole:
            self.abstract_all.setPlainText(self._paper.abstract or "")
        else:
            self.abstract_all.clear()
        self.abstract_all.setVisible(whole)
        self.abstract.setVisible(not whole)
        self.abstract_toggle.setText(
            "Show less" if whole else f"Show all {len(self._paper.abstract or ''):,} characters"
        )

    def _show_links(self, paper: PaperDetail) -> None:
        links = paper_links(paper)
        color = self.palette().color(QPalette.ColorRole.Link).name()
        self.links.setText(
            " &nbsp;· ".join(
                f'{label}&nbsp;<a href="{escape_text(url)}" style="color: {color}">'
                f"{escape_text(text)}</a>"
                for label, text, url in links
            )
        )
        self.links.setVisible(bool(links))

    def _edited(self, change: Change) -> None:
        self.changed.emit(change)

    def _notes_saved(self, change: Change) -> None:
        """A note was saved here: the paper on show holds it too (so that a look for changes
        made elsewhere does not take this one for one), then the window hears of it."""
        fresh = self._read(self.current_paper_id)
        if fresh is not None and self._paper is not None:
            self._paper = dataclasses.replace(self._paper, notes=fresh.notes)
        self.changed.emit(change)

    def use_lane(self, lane: WriteLane) -> None:
        """Write the pane's status, rating, tag, note and details edits, a file removed and
        a merge split off on the window's write lane."""
        self.lane = lane
        self.editor.lane = lane
        self.files.lane = lane  # Remove file
        self.merged.lane = lane  # Split off
        self.tags.lane = lane
        self.notes.use_lane(lane)

    def _write(self, edit: Callable[[], Change], name: str = "Change 1 paper") -> None:
        """Make an edit of the paper shown: on the window's write lane when there is one (the
        pane follows once it is written), else here."""
        if self._paper is None:
            return
        if self.lane is not None:
            self.lane.run(Step(name, edit, self._written, self._not_written))
            return
        try:
            change = edit()
        except Exception as error:  # e.g. the paper was deleted elsewhere
            self._not_written(error)
            return
        self._written(change)

    def _written(self, change: Change) -> None:
        self.refresh()
        if change:
            self.changed.emit(change)

    def _not_written(self, error: BaseException) -> None:
        self.refresh()
        self.error.setText(f"Not changed: {error}")
        self.error.setVisible(self._paper is not None)

    def _set_status(self, status: str) -> None:
        pid = self._paper.id if self._paper is not None else None
        self._write(lambda: self._library.set_status([pid], status), "Set the status")

    def _set_rating(self, rating: int) -> None:
        pid = self._paper.id if self._paper is not None else None
        self._write(lambda: self._library.set_rating([pid], rating), "Set the rating")

    def _heading(self, text: str) -> QLabel:
        label = _label(text, selectable=False)
        _scaled(label, 1.0, bold=True)
        return label

    def _rule(self) -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setForegroundRole(QPalette.ColorRole.Mid)
        return line

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Light/dark switch: rich text took its link colour when set, so set it again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            set_alert(self.error, True)
            if self._paper is not None:
                self._show_links(self._paper)

    def hideEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        self.notes.flush()
        super().hideEvent(event)
