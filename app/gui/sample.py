"""Help › Try a sample library: build it fresh off the GUI thread and open it in a new window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, Signal

from app.gui.plain import tell
from app.gui.tasks import Task, TaskRunner
from app.sample import build_sample
from storage.library import Library, LibraryError

if TYPE_CHECKING:
    from PySide6.QtCore import QSize, SignalInstance
    from PySide6.QtWidgets import QStatusBar, QWidget

SETTINGS_FILE = "window.ini"  # the sample window's own settings, inside the sample folder


class SampleHost(Protocol):
    """The window as SampleController opens the sample library in another of its kind; `window()`
    is QWidget.window(), the window itself: the controller's parent and its message box's."""

    library: Library
    runner: TaskRunner
    sample: SampleController
    closed: SignalInstance

    def __init__(self, library: Library, settings: QSettings) -> None: ...

    def window(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def size(self) -> QSize: ...

    def resize(self, size: QSize, /) -> None: ...

    def setAttribute(self, attribute: Qt.WidgetAttribute, on: bool = True, /) -> None: ...  # noqa: N802

    def setWindowTitle(self, title: str, /) -> None: ...  # noqa: N802 (Qt's name)

    def show(self) -> None: ...

    def close(self) -> bool: ...


class SampleController(QObject):
    """Builds the sample (app.sample.build_sample: a folder of its own, never the user's
    library) with the window's task runner and opens it in a new window titled as the sample.
    Offering it again closes that window and builds the sample afresh."""

    opened = Signal(object)  # the sample's window (a SampleHost)

    def __init__(self, window: SampleHost, origin: SampleController | None = None) -> None:
        super().__init__(window.window())
        self.window = window
        self.origin = origin  # set in a sample window: offers go to the window that made it
        self.sample_window: SampleHost | None = None
        self.sample_library: Library | None = None

    def offer(self) -> Task | None:
        """Build the sample afresh and open it; None when it cannot start now."""
        if self.origin is not None and shiboken6.isValid(self.origin.window):
            return self.origin.offer()
        if self.window.runner.busy:
            self.window.statusBar().showMessage(
                "Wait for the running task to finish first.", 10_000
            )
            return None
        self.close_sample()
        protect = [self.window.library.folder]
        task = self.window.runner.submit(
            "Preparing the sample library",
            lambda task: build_sample(protect=protect, progress=task.advance),
        )
        task.succeeded.connect(self._open)
        task.failed.connect(self._failed)
        self.window.statusBar().showMessage("Preparing the sample library…")
        return task

    def close_sample(self) -> None:
        """Close the sample's window and its library (before the folder is built again)."""
        window, library = self.sample_window, self.sample_library
        self.sample_window = self.sample_library = None
        if window is not None and shiboken6.isValid(window):
            window.close()
        if library is not None:
            library.close()

    def _open(self, folder: object) -> None:
        try:
            library = Library(folder)  # type: ignore[arg-type]
        except LibraryError as error:
            self._failed(error)
            return
        settings = QSettings(str(library.folder / SETTINGS_FILE), QSettings.Format.IniFormat)
        window = type(self.window)(library, settings)  # another window of the same kind
        window.sample.origin = self  # its Help › Try a sample library comes back here
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.setWindowTitle(f"Sample library (rebuilt each time it is offered) — {folder}")
        window.resize(self.window.size())
        window.closed.connect(lambda: self._closed(window))
        self.sample_window, self.sample_library = window, library
        window.show()
        self.window.statusBar().showMessage(
            "The sample library is open in its own window; your library is as it was.", 10_000
        )
        self.opened.emit(window)

    def _closed(self, window: SampleHost) -> None:
        """The user closed the sample's window: its library closes too."""
        if window is self.sample_window:
            library, self.sample_window, self.sample_library = self.sample_library, None, None
            if library is not None:
                library.close()

    def _failed(self, error: BaseException) -> None:
        self.window.statusBar().clearMessage()
        tell(self.window.window(), "The sample library could not be made", str(error))
