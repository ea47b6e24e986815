"""Tag chips for one paper plus a line edit that completes over the library's tags.

A paper can carry thousands of tags (one BibTeX `keywords` field is enough), so at most
CHIP_LIMIT chips are made; a "+N more" button opens the whole set as a list (app.gui.tag_list).
The flow layout lays its items out in one pass and remembers the height for the last width.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCompleter,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from app.gui.lane import Step, WriteLane
from app.gui.note_preview import set_alert
from app.gui.plain import mnemonic_safe, tooltip
from app.gui.tag_list import TagListDialog
from storage.views import Change

CHIP_LIMIT = 50  # chips shown before the rest fold into "+N more"
CHIP_TEXT_WIDTH = 200  # pixels of a tag's name on its chip; longer names are elided


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new lines like words (Qt's flow example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._height_for: tuple[int, int] | None = None  # (width, height) last computed
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:  # noqa: N802 (Qt naming)
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def insert_widgets(self, index: int, widgets: list[QWidget]) -> None:
        """Insert several widgets at index with one invalidation (linear, not per widget)."""
        for widget in widgets:
            self.addChildWidget(widget)
        self._items[index:index] = [QWidgetItem(widget) for widget in widgets]
        self.invalidate()

    def remove_widgets(self, widgets: list[QWidget]) -> None:
        """Take widgets out in one pass (QLayout.removeWidget rescans every item each time)."""
        gone = {id(widget) for widget in widgets}
        self._items = [item for item in self._items if id(item.widget()) not in gone]
        self.invalidate()

    def invalidate(self) -> None:
        self._height_for = None
        super().invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        if self._height_for is None or self._height_for[0] != width:
            self._height_for = (width, self._arrange(QRect(0, 0, width, 0), move=False))
        return self._height_for[1]

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + self._gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class TagChip(QToolButton):
    """One tag; clicking it (or Space on it) removes the tag from the paper."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag = name
        shown = self.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, CHIP_TEXT_WIDTH)
        self.setText(f"{mnemonic_safe(shown)}  ✕")  # a long tag never widens the pane
        self.setToolTip(tooltip(f"Remove the tag “{name}”"))
        self.setAccessibleName(f"Remove tag {name}")
        self.setAutoRaise(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class TagEditor(QWidget):
    """The paper's tags as chips, and a field to add more (comma-separated, with completion)."""

    changed = Signal(object)  # storage.views.Change of each add or remove

    def __init__(self, library: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.lane: WriteLane | None = None  # the window's: edits are written there
        self._paper_id: int | None = None
        self._tags: tuple[str, ...] = ()
        self.chips: list[TagChip] = []
        self.more = QToolButton()
        self.more.setAutoRaise(True)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.setToolTip("Show all of this paper's tags as a list")
        self.more.setAccessibleName("Show all tags")
        self.more.clicked.connect(self.show_all_tags)
        self.more.hide()
        self.tag_list: TagListDialog | None = None
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText("Add tags…")
        self.line_edit.setAccessibleName("Add tags")
        self.line_edit.setToolTip("Type a tag and press Enter; separate several with commas")
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 10)
        self.line_edit.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._names = QStringListModel(self)
        self.completer = QCompleter(self._names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.line_edit.setCompleter(self.completer)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages name the tags
        self.error.setWordWrap(True)
        self.error.hide()
        set_alert(self.error, True)

        self._flow_host = QWidget()
        self._flow = FlowLayout(self._flow_host)
        self._flow.addWidget(self.more)
        self._flow.addWidget(self.line_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._flow_host)
        layout.addWidget(self.error)

        self._stale_completions = True
        self._completing = False
        self.line_edit.installEventFilter(self)
        self.line_edit.textEdited.connect(self._ensure_completions)
        self.line_edit.returnPressed.connect(self._commit_typed)
        self.completer.activated.connect(self._commit_completion)

    @property
    def tags(self) -> tuple[str, ...]:
        return self._tags

    def set_paper(self, paper_id: int | None, tags: tuple[str, ...]) -> None:
        """Show paper_id's tags (the field keeps what is typed when the paper stays the same)."""
        if paper_id != self._paper_id:
            self.line_edit.clear()
            self.error.hide()
            self._stale_completions = True
        self._paper_id = paper_id
        if tuple(tags) != self._tags or len(self.chips) != min(len(tags), CHIP_LIMIT):
            self._tags = tuple(tags)
            self._rebuild_chips()
            if self.tag_list is not None:
                self.tag_list.set_tags(self._tags)
        self.setEnabled(paper_id is not None)

    def refresh_completions(self) -> None:
        """Reload the completer's tag names, the most used first."""
        counts = sorted(self._library.tag_counts(), key=lambda t: (-t.count, t.name.casefold()))
        self._names.setStringList([t.name for t in counts])
        self._stale_completions = False

    def _ensure_completions(self, *_: object) -> None:
        if self._stale_completions:
            self.refresh_completions()

    def add_tags(self, text: str) -> Change | None:
        """Add the comma-separated tags in text to the paper; returns the Change, if any."""
        names = [part.strip() for part in text.split(",") if part.strip()]
        if self._paper_id is None or not names:
            return None
        return self._apply(lambda: self._library.add_tags([self._paper_id], names), text)

    def remove_tag(self, name: str) -> Change | None:
        return self.remove_tags([name])

    def remove_tags(self, names: list[str]) -> Change | None:
        if self._paper_id is None or not names:
            return None
        return self._apply(lambda: self._library.remove_tags([self._paper_id], names))

    def show_all_tags(self) -> TagListDialog:
        """The paper's whole tag set as a filterable list, where tags can be removed too."""
        if self.tag_list is None:
            self.tag_list = TagListDialog(self)
            self.tag_list.removeRequested.connect(self.remove_tags)
            self.tag_list.finished.connect(lambda _result: setattr(self, "tag_list", None))
        self.tag_list.set_tags(self._tags)
        self.tag_list.show()
        self.tag_list.raise_()
        return self.tag_list

    # --- internals -----------------------------------------------------------------------

    def _apply(self, edit: Callable[[], Change], typed: str = "") -> Change | None:
        """Make the edit here, or (with a write lane) queue it there and return an empty
        Change at once: its chips and `changed` follow once written; if it is refused, its
        error shows and the text typed comes back to the field."""
        pid = self._paper_id
        if self.lane is not None:

            def refused(error: BaseException) -> None:
                self._refused(error)
                if typed and not self.line_edit.text():
                    self.line_edit.setText(typed)

            self.lane.run(Step("Tag 1 paper", lambda: self._edited_tags(edit, pid),
                               lambda done: self._applied(pid, *done), refused))  # fmt: skip
            return Change()
        try:
            change, tags = self._edited_tags(edit, pid)
        except Exception as error:  # a bad tag or a vanished paper: say so, keep the text
            self._refused(error)
            return None
        self._applied(pid, change, tags)
        return change

    def _edited_tags(self, edit: Callable[[], Change], pid: int | None) -> tuple[Change, tuple]:
        change = edit()
        return change, self._library.paper(pid).tags

    def _applied(self, pid: int | None, change: Change, tags: tuple[str, ...]) -> None:
        self.error.hide()
        self._stale_completions = True
        if pid == self._paper_id:
            self.set_paper(pid, tags)
        if change:
            self.changed.emit(change)

    def _refused(self, error: BaseException) -> None:
        self.error.setText(f"Tags not changed: {error}")
        self.error.show()

    def _commit_typed(self) -> None:
        text = self.line_edit.text()
        popup = self.completer.popup()
        if self._completing or (popup.isVisible() and popup.currentIndex().isValid()):
            return  # Enter on a popup entry: activated() adds it (before or after this)
        if text.strip() and self.add_tags(text) is not None:
            self.line_edit.clear()

    def _commit_completion(self, text: str) -> None:
        """A completion chosen from the popup (Enter or click) is added at once. Enter then
        also reaches the line edit as returnPressed, which must not add it a second time."""
        self._completing = True
        QTimer.singleShot(0, self._completion_done)
        if self.add_tags(text) is not None:
            self.line_edit.clear()

    def _completion_done(self) -> None:
        self._completing = False
        if self.line_edit.text() in self._tags:
            self.line_edit.clear()  # QLineEdit set the completion after we cleared it

    def _rebuild_chips(self) -> None:
        had_focus = next((c.tag for c in self.chips if c.hasFocus()), None)
        self._flow.remove_widgets(list(self.chips))
        for chip in self.chips:
            chip.hide()
            chip.deleteLater()
        self.chips = []
        for name in self._tags[:CHIP_LIMIT]:
            chip = TagChip(name)
            chip.clicked.connect(lambda _=False, n=name: self.remove_tag(n))
            self.chips.append(chip)
        self._flow.insert_widgets(0, self.chips)
        hidden = len(self._tags) - len(self.chips)
        self.more.setText(f"+{hidden:,} more")
        self.more.setAccessibleName(f"Show all {len(self._tags):,} tags")
        self.more.setVisible(hidden > 0)
        if had_focus is not None:
            self.line_edit.setFocus()
        self._flow_host.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.line_edit and event.type() == QEvent.Type.FocusIn:
            self._ensure_completions()
        return super().eventFilter(watched, event)
