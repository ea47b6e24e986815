"""The detail pane's "Edit details…".

The button, a double click on the title, and the form (app.gui.metadata_editor) standing in for
the title, authors, venue and links while open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QToolButton, QWidget

from app.gui.metadata_editor import MetadataEditor

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QScrollArea

    from storage.views import PaperDetail


class EditedPane(Protocol):
    """What DetailsEditing uses of the detail pane (app.gui.detail.DetailPane has it): the
    header lines the form stands in for, the scroll area, the paper shown, and `changed`
    (emits the Change of a save made without an undo stack)."""

    changed: SignalInstance

    @property
    def title(self) -> QWidget: ...

    @property
    def authors(self) -> QWidget: ...

    @property
    def venue(self) -> QWidget: ...

    @property
    def links(self) -> QWidget: ...

    @property
    def scroll_area(self) -> QScrollArea: ...

    @property
    def paper(self) -> PaperDetail | None: ...

    def refresh(self) -> None: ...


class DetailsEditing(QObject):
    """Opens and closes the metadata editor in a detail pane."""

    def __init__(self, pane: EditedPane, library: object) -> None:
        super().__init__(pane.title)  # lives as long as the title it watches
        self.pane = pane
        self.button = QToolButton()
        self.button.setText("Edit details…")
        self.button.setAccessibleName("Edit details")
        self.button.setToolTip(
            "Edit the title, authors, year, venue, ids, citation key and type "
            "(or double-click the title)"
        )
        self.button.clicked.connect(self.open)
        self.editor = MetadataEditor(library)
        self.editor.hide()
        self.editor.closed.connect(self._closed)
        self.editor.changed.connect(self._changed)
        pane.title.installEventFilter(self)

    @property
    def is_open(self) -> bool:
        return not self.editor.isHidden()

    def _header(self) -> tuple[QWidget, ...]:
        pane = self.pane
        return (pane.title, pane.authors, pane.venue, pane.links, self.button)

    def open(self) -> None:
        """The form for the paper shown, in place of its title, authors, venue and links."""
        paper = self.pane.paper
        if paper is None or self.is_open:
            return
        for widget in self._header():
            widget.hide()
        self.editor.show()
        self.editor.open_for(paper.id)
        self.pane.scroll_area.ensureWidgetVisible(self.editor.title)

    def shown(self) -> None:
        """After the pane showed a paper: keep the lines hidden while the form is open."""
        if self.is_open:
            for widget in self._header():
                widget.hide()

    def close(self) -> None:
        if self.is_open:
            self.editor.close_editor()

    def flush(self) -> bool:
        """Save valid pending edits (before another paper is shown or the window closes)."""
        return self.editor.flush() if self.is_open else True

    def _closed(self) -> None:
        self.editor.hide()
        self.pane.title.show()
        self.button.show()
        self.pane.refresh()  # the lines again, as saved

    def _changed(self, change: object) -> None:
        """A save without an undo stack (a pane on its own): show and pass it on."""
        self.pane.refresh()
        self.pane.changed.emit(change)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.pane.title and event.type() == QEvent.Type.MouseButtonDblClick:
            self.open()
            return True
        return super().eventFilter(watched, event)
