"""PDFs dropped on a paper row or its details attach to it; the window imports the rest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
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
    """The window's drops over a paper row or the detail pane: PDFs attach to that paper."""

    def __init__(self, window: MainWindow, attacher: AttachController) -> None:
        super().__init__(window)
        self.window = window
        self.attacher = attacher

    def row_at(self, window_pos: QPoint) -> int:
        """The table row under a point in window coordinates, or -1."""
        table = self.window.table
        viewport = table.viewport()
        point = viewport.mapFrom(self.window, window_pos)
        if not viewport.isVisible() or not viewport.rect().contains(point):
            return -1
        return table.rowAt(point.y())

    def _target(self, event: QDragMoveEvent | QDropEvent) -> tuple[int | None, str, list[Path]]:
        """(paper id, its title, the PDFs) for a drop on a paper row or on the detail pane."""
        pos = event.position().toPoint()
        pid, title = None, ""
        row = self.row_at(pos)
        if row >= 0:
            model = self.window.table.paper_model()
            pid = model.id_at(row)
            paper = model.paper_row(row)
            title = paper.title if paper else ""
        else:
            detail = self.window.detail
            if detail.paper is not None and detail.rect().contains(
                detail.mapFrom(self.window, pos)
            ):
                pid, title = detail.paper.id, detail.paper.title
        if pid is None:
            return None, "", []
        pdfs = [p for p in dropped_paths(event) if p.suffix.lower() == ".pdf" and p.is_file()]
        return (pid, title, pdfs) if pdfs else (None, "", [])  # folders and listings import

    def drag_move(self, event: QDragMoveEvent) -> bool:
        """Over a paper with PDFs: say which paper they would attach to; True when it is so."""
        pid, title, _pdfs = self._target(event)
        if pid is None:
            return False
        event.acceptProposedAction()
        shown = title if len(title) <= 80 else title[:79] + "…"
        self.window.statusBar().showMessage(f"Drop to attach to “{shown}”", 2_000)
        return True

    def drop(self, event: QDropEvent) -> bool:
        """Attach the dropped PDFs to the paper under the drop; False when it is not on one."""
        pid, _title, pdfs = self._target(event)
        if pid is None:
            return False
        event.acceptProposedAction()
        self.attacher.attach(pid, pdfs)
        return True


def install(window: MainWindow) -> AttachController:
    """Connect the Files section, row drops and attaching to a MainWindow; returns the attacher."""
    attacher = AttachController(window.library, window.runner, window)
    files = window.detail.files
    files.attachRequested.connect(attacher.attach)
    files.retryRequested.connect(attacher.retry)
    files.failed.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    attacher.attached.connect(window.apply_change)
    attacher.message.connect(lambda text: window.statusBar().showMessage(text, 10_000))
    window.row_drops = RowDrops(window, attacher)
    return attacher
