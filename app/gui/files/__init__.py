"""Files of papers in the window: the detail pane's Files section, attaching, drops on rows."""

from app.gui.files.attach import AttachController, AttachOutcome
from app.gui.files.drops import RowDrops, install
from app.gui.files.section import FileRow, FilesSection, file_size, page_label

__all__ = [
    "AttachController",
    "AttachOutcome",
    "FileRow",
    "FilesSection",
    "RowDrops",
    "file_size",
    "install",
    "page_label",
]
