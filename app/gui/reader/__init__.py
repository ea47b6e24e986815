"""The PDF reader in the window: a tab per open PDF beside the paper table's tab.

`install(window)` -> ReaderController (opens papers' PDFs: `open_paper`, `open_reference`);
`Reader` is one open PDF (toolbar, outline, pages, find bar) built on `storage.pdfpages`."""

from app.gui.reader.controller import ReaderController, install
from app.gui.reader.reader import Reader
from app.gui.reader.tabs import ReaderTabs

__all__ = ["Reader", "ReaderController", "ReaderTabs", "install"]
