"""The middle of the window as tabs: the paper table first, then each PDF open for reading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QWidget

from app.gui.plain import mnemonic_safe, tooltip
from app.gui.reader.reader import Reader
from storage.pdfpages import PdfPages

__all__ = ["ReaderTabs"]

TITLE_LIMIT = 32


def tab_title(title: str) -> str:
    title = " ".join(title.split()) or "Untitled"
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1].rstrip() + "…"


class ReaderTabs(QTabWidget):
    """The library's tab cannot be closed; a reader's tab closes with its button or Ctrl+W,
    which stops its PDF process."""

    readerClosing = Signal(object)  # noqa: N815 (Qt naming): the Reader about to go

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader_tabs")
        self.setAccessibleName("Papers and open PDFs")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.tabCloseRequested.connect(self.close_tab)
        self.tabBar().setVisible(False)
        close = QShortcut(self)
        keys = [QKeySequence("Ctrl+W"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)]
        close.setKeys(list(dict.fromkeys(key.toString() for key in keys)))
        close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.activated.connect(lambda: self.close_tab(self.currentIndex()))

    def set_library_page(self, page: QWidget) -> None:
        """The paper table's side of the window, as the first tab (it has no close button)."""
        self.insertTab(0, page, "Papers")
        bar = self.tabBar()
        bar.setTabButton(0, bar.ButtonPosition.RightSide, None)  # type: ignore[arg-type]
        bar.setTabButton(0, bar.ButtonPosition.LeftSide, None)  # type: ignore[arg-type]
        self.setCurrentIndex(0)

    @property
    def readers(self) -> list[Reader]:
        found = [self.widget(i) for i in range(self.count())]
        return [widget for widget in found if isinstance(widget, Reader)]

    def current_reader(self) -> Reader | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, Reader) else None

    def reader_for(self, paper_id: int, file_id: int) -> Reader | None:
        return next(
            (r for r in self.readers if (r.paper_id, r.file_id) == (paper_id, file_id)), None
        )

    def open_reader(
        self,
        paper_id: int,
        file_id: int,
        path: Path,
        name: str,
        title: str,
        settings: QSettings,
        page: int,
        pages: Callable[[], PdfPages] = PdfPages,
    ) -> Reader:
        """A new reader tab for this file, made current."""
        reader = Reader(paper_id, file_id, path, name, settings, page, pages)
        index = self.addTab(reader, mnemonic_safe(tab_title(title)))
        self.setTabToolTip(index, tooltip(f"{title}\n{name}"))
        self.tabBar().setVisible(True)
        self.setCurrentIndex(index)
        return reader

    def close_tab(self, index: int) -> None:
        widget = self.widget(index)
        if not isinstance(widget, Reader):
            return
        self.readerClosing.emit(widget)
        self.removeTab(index)
        widget.close_file()
        widget.deleteLater()
        self.tabBar().setVisible(self.count() > 1)

    def close_all(self) -> None:
        for reader in self.readers:
            self.close_tab(self.indexOf(reader))
