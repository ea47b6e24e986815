"""PDFs dropped on a paper row attach to it; the window's own drop handler imports the rest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QDragMoveEvent, QDropEvent

from app.gui.files.attach import AttachController

if TYPE_CHECKING:
    from app.gui.window import MainWindow


def dropped_paths(event: QDropEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class RowDrops(QObject):
    """An event filter on the window: a drop with PDFs over a paper row attaches them to it."""

    def __init__(self, window: MainWindow, attacher: AttachController) -> None:
        super().__init__(window)
        self.window = window
        self.attacher = attacher
        window.installEventFilter(self)

    def row_at(self, window_pos: QPoint) -> int:
        """The table row under a point in window coordinates, or -1."""
        table = self.window.table
        viewport = table.viewport()
        point = viewport.mapFrom(self.window, window_pos)
        if not viewport.isVisible() or not viewport.rect().contains(point):
            return -1
        return table.rowAt(point.y())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if watched is not self.window or kind not in (QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, (QDragMoveEvent, QDropEvent))
        row = self.row_at(event.position().toPoint())
        if row < 0:
            return False
        pdfs = [p for p in dropped_paths(event) if p.suffix.lower() == ".pdf" and p.is_file()]
        if not pdfs:
            return False  # folders and listing files import, wherever they are dropped
        event.acceptProposedAction()
        model = self.window.table.paper_model()
        if kind == QEvent.Type.DragMove:
            paper = model.paper_row(row)
            title = paper.title[:80] if paper else "this paper"
            self.window.statusBar().showMessage(f"Drop to attach to “{title}”", 2_000)
        else:
            self.attacher.attach(model.id_at(row), pdfs)
        return True


def install(window: MainWindow) -> AttachController:
    """Connect the Files section, row drops and attaching to a MainWindow; returns the attacher."""
    attacher = AttachController(window.library, window.runner, window)
    files = window.detail.files
    files.attachRequested.connect(attacher.attach)
    files.failed.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    attacher.attached.connect(window.apply_change)
    attacher.message.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    window.row_drops = RowDrops(window, attacher)
    return attacher
