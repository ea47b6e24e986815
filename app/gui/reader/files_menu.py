"""The reader's More menu: export a copy of the PDF with its highlights, or open it elsewhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from app.gui.plain import tell
from app.gui.reader.reader import Reader

if TYPE_CHECKING:
    from app.gui.window import MainWindow

__all__ = ["annotated_name", "export_annotated", "files_menu"]


def annotated_name(name: str) -> str:
    """The file name offered for the annotated copy: `paper.pdf` -> `paper (annotated).pdf`."""
    stem = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE).strip() or "paper"
    return f"{stem} (annotated).pdf"


def files_menu(window: MainWindow, reader: Reader) -> None:
    """Fill the reader's More menu."""
    menu = reader.more_menu
    if hasattr(window.library, "export_annotated_pdf"):
        action = menu.addAction("Export annotated PDF…")
        action.setToolTip("A copy of the PDF with the highlights as PDF annotations")
        action.triggered.connect(lambda: export_annotated(window, reader))
        menu.addSeparator()
    menu.addAction("Open with system viewer", lambda: _open(window, reader.path))
    menu.addAction("Show in folder", lambda: _open(window, reader.path.parent))


def _open(window: MainWindow, path: Path) -> None:
    if not path.exists():
        window.statusBar().showMessage(f"{path} is missing.", 10_000)
    elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        window.statusBar().showMessage(f"No application opened {path.name}.", 10_000)


def export_annotated(window: MainWindow, reader: Reader, target: Path | None = None) -> None:
    """Ask where (unless given), then write the copy off the GUI thread; the stored file is
    never changed."""
    if target is None:
        start = Path.home() / annotated_name(reader.name)
        chosen, _filter = QFileDialog.getSaveFileName(
            window, "Export annotated PDF", str(start), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        target = Path(chosen)
    library = window.library
    task = window.runner.submit(
        "Export annotated PDF",
        lambda _task: library.export_annotated_pdf(reader.paper_id, target, file_id=reader.file_id),
    )

    def done(result: object) -> None:
        count = getattr(result, "count", 0)
        window.statusBar().showMessage(
            f"Wrote {target} with {count} highlight{'' if count == 1 else 's'}.", 10_000
        )

    task.succeeded.connect(done)
    task.failed.connect(
        lambda error: tell(window, "Annotated PDF not written", f"{target}: {error}")
    )
