"""The detail pane's "Edit details" form.

Title, authors, year, venue, ids, links, citation key, entry type and abstract, checked by
storage.metadata's rules (each message next to its field) and saved through Library.update_paper
as one undoable command, written on the window's write lane (never on the GUI thread)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.authors_table import AuthorsTable
from app.gui.commands import MetadataCommand
from app.gui.lane import Step, WriteLane
from app.gui.note_preview import set_alert, set_muted
from storage.metadata import EditError, InvalidValue, clean_values
from storage.records import AuthorRecord, PaperRecord
from storage.views import Change

# (field, label) of the one-line fields, in the form's order after title and authors.
LINE_FIELDS = (
    ("year", "Year"),
    ("venue", "Venue (journal, conference)"),
    ("doi", "DOI"),
    ("arxiv_id", "arXiv id"),
    ("url", "URL"),
    ("code_url", "Code URL"),
    ("citation_key", "Citation key"),
)
PLACEHOLDERS = {
    "year": "2017",
    "doi": "10.1234/suffix",
    "arxiv_id": "1706.03762",
    "url": "https://…",
    "code_url": "https://github.com/…",
    "citation_key": "empty: a generated one (familyYEARword)",
}
ENTRY_TYPES = (
    "article", "inproceedings", "book", "incollection", "inbook", "proceedings", "phdthesis",
    "mastersthesis", "techreport", "report", "manual", "misc", "unpublished", "online",
    "software", "dataset", "patent",
)  # fmt: skip


def _author_key(authors: list[AuthorRecord]) -> list[tuple[str, str, str]]:
    return [(a.family or "", a.given or "", a.literal or "") for a in authors]


class MetadataEditor(QWidget):
    """A form for one paper. `closed` when it is saved or cancelled; `changed` carries the
    Change of a save. Set `push` (e.g. QUndoStack.push) and `sink`/`report` to make saves
    undoable, and `lane` to write them there; without them a save is applied directly."""

    closed = Signal()
    changed = Signal(object)

    def __init__(self, library: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadata_editor")
        self.setAccessibleName("Edit details")
        self.library = library
        self.push: Callable[[QUndoCommand], None] | None = None
        self.sink: Callable[[Change], None] | None = None
        self.report: Callable[[str], None] = lambda _message: None
        self.lane: WriteLane | None = None
        self._saving: MetadataCommand | None = None  # written on the lane, not back yet
        self.pid: int | None = None
        self.original: dict[str, object] = {}
        self.messages: dict[str, QLabel] = {}

        self.title = QLineEdit(self)
        self.authors = AuthorsTable(self)
        self.lines: dict[str, QLineEdit] = {}
        self.entry_type = QComboBox(self)
        self.entry_type.setEditable(True)
        self.entry_type.addItems(ENTRY_TYPES)
        self.entry_type.setAccessibleName("Entry type")
        self.entry_type.lineEdit().setAccessibleName("Entry type")
        self.abstract = QPlainTextEdit(self)
        self.abstract.setAccessibleName("Abstract")
        self.abstract.setTabChangesFocus(True)
        self.abstract.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.error = QLabel(self)  # a problem no field is to blame for
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        set_alert(self.error, True)
        self.error.hide()

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above: narrow pane
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(4)
        self._row(form, "title", "&Title", self.title)
        self._row(form, "authors", "&Authors (in order)", self.authors)
        for field, label in LINE_FIELDS:
            edit = QLineEdit(self)
            edit.setPlaceholderText(PLACEHOLDERS.get(field, ""))
            self.lines[field] = edit
            self._row(form, field, label, edit)
        self._row(form, "entry_type", "Entry &type", self.entry_type)
        self._row(form, "abstract", "A&bstract", self.abstract)
        hint = QLabel(
            "Authors: double-click or F2 to type a name; tick Whole name for a name that has "
            "no family/given split. Type: a BibTeX, CSL or RIS type. Enter saves, Esc cancels.",
            self,
        )
        hint.setWordWrap(True)
        set_muted(hint)

        self.save_button = QPushButton("Save", self)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save the details")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel editing")
        self.cancel_button.clicked.connect(self.cancel)
        heading = QLabel("Edit details", self)
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        buttons = QHBoxLayout()  # at the top: seen without scrolling past a long abstract
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(heading)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(buttons)
        column.addWidget(self.error)
        column.addLayout(form)
        column.addWidget(hint)

        for edit in (self.title, *self.lines.values()):
            edit.returnPressed.connect(self.save)
        self.entry_type.lineEdit().returnPressed.connect(self.save)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save = QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _row(self, form: QFormLayout, field: str, label: str, widget: QWidget) -> None:
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", ""))
        form.addRow(caption, widget)
        message = QLabel(self)
        message.setObjectName(f"{field}_message")
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        set_alert(message, True)
        message.hide()
        form.addRow(message)
        self.messages[field] = message

    # --- showing -------------------------------------------------------------------------

    def open_for(self, pid: int) -> None:
        """Fill the form from what the library holds for paper pid and focus the title."""
        (record,) = self.library.records([pid])
        self.pid = pid
        self.original = self._values_of(record)
        self.title.setText(record.title)
        self.authors.set_authors(list(record.authors))
        for field, edit in self.lines.items():
            value = self.original[field]
            edit.setText("" if value is None else str(value))
        kind = record.entry_type or ""
        if kind and self.entry_type.findText(kind) < 0:
            self.entry_type.addItem(kind)
        self.entry_type.setCurrentText(kind)
        self.abstract.setPlainText(record.abstract or "")
        self._clear_messages()
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        self.title.selectAll()

    @staticmethod
    def _values_of(record: PaperRecord) -> dict[str, object]:
        return {
            "title": record.title,
            "authors": list(record.authors),
            "year": record.year,
            "venue": record.venue,
            "doi": record.doi,
            "arxiv_id": record.arxiv_id,
            "url": record.url,
            "code_url": record.code_url,
            "citation_key": record.citation_key,
            "entry_type": record.entry_type,
            "abstract": record.abstract,
        }

    def values(self) -> dict[str, object]:
        """The form's values (text as typed; authors as AuthorRecords)."""
        found: dict[str, object] = {"title": self.title.text(), "authors": self.authors.authors()}
        for field, edit in self.lines.items():
            found[field] = edit.text().strip()
        found["entry_type"] = self.entry_type.currentText().strip()
        found["abstract"] = self.abstract.toPlainText()
        return found

    def edits(self) -> dict[str, object]:
        """Only the fields whose value differs from what the paper had."""
        changed: dict[str, object] = {}
        for field, value in self.values().items():
            before = self.original.get(field)
            if field == "authors":
                assert isinstance(value, list)
                if _author_key(value) != _author_key(before or []):  # type: ignore[arg-type]
                    changed[field] = value
            elif field == "abstract":
                if str(value).strip() != (before or "").strip():  # type: ignore[union-attr]
                    changed[field] = value
            elif " ".join(str(value).split()) != ("" if before is None else str(before)):
                changed[field] = value
        return changed

    @property
    def dirty(self) -> bool:
        return self.pid is not None and bool(self.edits())

    # --- saving --------------------------------------------------------------------------

    def save(self, later: bool = False) -> bool:
        """Check every changed field (messages next to the fields), then save them as one
        undoable edit. Returns whether the form is done (saved, or given to the write lane
        and closed, or nothing to save).

        later: close the form at once, e.g. while the window is switching to another paper
        (the edit goes to the undo stack, and so to the window, once written)."""
        if self.pid is None:
            return True
        if self._saving is not None:  # the form waits for the lane (greyed out)
            return False
        self._clear_messages()
        edits = self.edits()
        if not edits:
            self.close_editor()
            return True
        problems = {}
        for field, value in edits.items():
            try:
                clean_values({field: value})
            except InvalidValue as error:
                problems[field] = str(error)
        if problems:
            self._show_problems(problems)
            return False
        old = {field: self.original[field] for field in edits}
        generated = "citation_key" in edits and bool(self.library.key_generated(self.pid))
        command = MetadataCommand(
            self.library,
            self.sink or self.changed.emit,
            self.report,
            self.pid,
            edits,
            old,
            generated,
            str(self.original.get("title") or ""),
        )
        if self.lane is not None:
            return self._save_on_lane(command, later)
        try:
            change = command.apply_first()
        except EditError as error:  # e.g. a citation key another paper has
            field = "citation_key" if "citation key" in str(error) else None
            self._show_problems({field: str(error)} if field else {"": str(error)})
            return False
        if self.push is not None and later:
            push = self.push
            QTimer.singleShot(0, self, lambda: push(command))  # dropped if the form is gone
        elif self.push is not None:
            self.push(command)  # its first redo hands the Change to the window
        else:
            self.changed.emit(change)
        self.close_editor()
        return True

    def _save_on_lane(self, command: MetadataCommand, close: bool) -> bool:
        """Write the edit on the lane. The form waits, greyed out, until it is written (then
        it closes and the edit goes on the undo stack) or refused (the message next to its
        field); with `close` it closes now and a refusal is told in the status bar."""
        assert self.lane is not None
        title = str(self.original.get("title") or "")
        self._saving = command
        done = lambda _change: self._saved(command)  # noqa: E731
        failed = lambda error: self._not_saved(command, title, error)  # noqa: E731
        self.lane.run(Step(command.text(), command.apply_first, done, failed))
        if close:
            self.close_editor()
            return True
        self._waiting(True)
        return False

    def _waiting(self, on: bool) -> None:
        self.setEnabled(not on)
        self.save_button.setText("Saving…" if on else "Save")

    def _saved(self, command: MetadataCommand) -> None:
        """The edit written (GUI thread): on the undo stack (its first redo tells the
        window), and the form closed if it still waits for it."""
        command.indexed_by_lane = True
        if self.push is not None:
            self.push(command)
        elif command.first is not None:
            self.changed.emit(command.first)
        if self._saving is command:
            self.close_editor()

    def _not_saved(self, command: MetadataCommand, title: str, error: BaseException) -> None:
        message = str(error) or type(error).__name__
        if self._saving is not command:  # the form closed meanwhile
            self.report(f"Edits to “{title}” were not saved: {message}")
            return
        self._saving = None
        self._waiting(False)
        field = "citation_key" if "citation key" in message else None  # one another has
        self._show_problems({field: message} if field else {"": message})

    def _show_problems(self, problems: dict[str, str]) -> None:
        first: QWidget | None = None
        for field, text in problems.items():
            label = self.messages.get(field, self.error)
            label.setText(text)
            label.show()
            widget = self._widget_of(field)
            if first is None and widget is not None:
                first = widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _widget_of(self, field: str) -> QWidget | None:
        if field == "title":
            return self.title
        if field == "authors":
            return self.authors.table
        if field == "entry_type":
            return self.entry_type
        if field == "abstract":
            return self.abstract
        return self.lines.get(field)

    def _clear_messages(self) -> None:
        for label in (*self.messages.values(), self.error):
            label.clear()
            label.hide()

    def flush(self) -> bool:
        """Save pending edits before another paper is shown; False when they break a rule
        (they are dropped, and `report` says so)."""
        if self.pid is None or not self.isVisible():
            return True
        if self._saving is not None:  # given to the lane: a refusal is told when it is back
            self.close_editor()
            return True
        title = str(self.original.get("title") or "")
        if not self.save(later=True):
            problem = next((m.text() for m in self.messages.values() if m.text()), "")
            self.report(f"Edits to “{title}” were not saved: {problem or self.error.text()}")
            self.close_editor()
            return False
        return True

    def cancel(self) -> None:
        self.close_editor()

    def close_editor(self) -> None:
        if self._saving is not None:
            self._saving = None
            self._waiting(False)
        self.pid = None
        self.original = {}
        self._clear_messages()
        self.closed.emit()
