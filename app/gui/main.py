"""Start the desktop app: QApplication, the library, the main window, and --screenshot mode."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui.plain import tell
from app.gui.theme import ThemeFollower
from app.resources_path import app_icon

if TYPE_CHECKING:
    from storage.library import Library

APP_NAME = "Papershelf"
SCREENSHOT_SIZE = (1400, 900)
READY_TIMEOUT_S = 20.0
GIL_SWITCH_INTERVAL_S = 0.0005


def application() -> QApplication:
    """The one QApplication, named so QSettings lands in Papershelf's own place."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    # While the worker thread runs Python (an import parsing a big file), each call Qt makes
    # into Python on this thread waits for the worker to hand over the GIL: up to the switch
    # interval, 5 ms by default. A repaint makes hundreds of such calls: the import progress
    # dialog appearing over 100k papers froze the window for 1.7 s; at 0.5 ms, 0.2 s.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("io.github.papershelf.Papershelf")
    app.setWindowIcon(app_icon())  # app/resources/icons, also inside the bundle
    return app


def _headless() -> bool:
    return QGuiApplication.platformName() in ("offscreen", "minimal")


def _fail(message: str, show_dialog: bool) -> int:
    print(f"papershelf: {message}", file=sys.stderr)
    if show_dialog and not _headless():
        tell(None, "Papershelf cannot open the library", message, QMessageBox.Icon.Critical)
    return 1


def open_library(folder: Path | None, ask: bool) -> Library:
    """The library in folder. One refused because its database is lost offers (when ask) to
    restore the newest backup first; raises LibraryError when it cannot be opened."""
    from storage.library import Library, default_library_dir
    from storage.safety import DatabaseLost, restore_backup

    try:
        return Library(folder)
    except DatabaseLost as error:
        backup = error.backup
        if not ask or backup is None or not _restore_chosen(str(error)):
            raise
    restore_backup(folder if folder is not None else default_library_dir(), str(backup))
    return Library(folder)


def _restore_chosen(message: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, "Papershelf cannot open the library", message)
    restore = box.addButton("Restore newest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def window_ready(window: object) -> bool:
    """The table is filled, the first paper is selected and the detail pane shows it."""
    from app.gui.window import MainWindow

    assert isinstance(window, MainWindow)
    if window.search_pending:
        return False
    if window.area.showing_empty:
        return True
    if window.model.rowCount() == 0:
        return window.sidebar.total == 0 or window.search.error_text != ""
    if not window.reader.ready():
        return False
    reading = window.reader.current_paper()  # a reader tab shows its paper's details
    current = reading if reading is not None else window.table.current_id()
    return current is not None and window.detail.current_paper_id == current


def save_screenshot(window: object, path: Path) -> int:
    """Wait (events running) until the window is ready, then grab it to a PNG; 0 when saved."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not window_ready(window) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(5):  # let layouts, fonts and the first paint settle
        app.processEvents()
        time.sleep(0.02)
    pixmap = window.grab()  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(path), "PNG"):
        print(f"papershelf: {path}: cannot write the screenshot", file=sys.stderr)
        return 1
    print(f"saved {path} ({pixmap.width()}×{pixmap.height()})")
    return 0


def run_gui(
    folder: Path | None,
    screenshot: Path | None = None,
    settings: QSettings | None = None,
    open_paper: tuple[str, int | None] | None = None,
) -> int:
    """Open the window on the library in `folder` (the default one when None); with
    open_paper (PAPER, page or None), that paper's PDF in the reader."""
    app = application()
    _theme = ThemeFollower(app)  # keeps following the system scheme while the app runs
    from app.gui.window import MainWindow
    from storage.library import LibraryError

    try:
        library = open_library(folder, ask=screenshot is None and not _headless())
    except LibraryError as error:
        return _fail(str(error), show_dialog=screenshot is None)
    try:
        window = MainWindow(library, settings if settings is not None else QSettings())
        gc.freeze()  # start-up objects leave the collector's view: shorter pauses later
        if open_paper is not None:
            problem = window.reader.open_reference(*open_paper, strict=screenshot is not None)
            if problem is not None:
                window.save_on_close = False
                window.close()
                return _fail(problem, show_dialog=False)
        if screenshot is not None:
            window.save_on_close = False
            window.resize(*SCREENSHOT_SIZE)
            window.show()
            code = save_screenshot(window, screenshot)
            problem = window.reader.problem() if open_paper is not None else None
            window.close()
            return _fail(problem, show_dialog=False) if code == 0 and problem else code
        window.show()
        QTimer.singleShot(0, window.table.setFocus)
        return app.exec()
    finally:
        library.close()
