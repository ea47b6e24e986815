"""GUI fixtures: settings in a temp folder, dialogs that never block, small real libraries."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `.venv/bin/pytest` without an editable install
    sys.path.insert(0, str(REPO_ROOT))

from gui_support import DialogSpy, write_bibtex  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QInputDialog, QMessageBox  # noqa: E402

from storage.library import Library  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    """No test reads or writes the real user's settings."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogSpy:
    spy = DialogSpy()
    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(spy.static(kind)))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: spy.exec(box))
    monkeypatch.setattr(QInputDialog, "exec", lambda box: spy.input(box))
    return spy


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "papershelf.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_library(tmp_path: Path) -> Iterator:
    """make_library(count) -> a Library in tmp_path with `count` generated papers."""
    opened: list[Library] = []

    def make(count: int, name: str = "lib") -> Library:
        library = Library(tmp_path / name)
        if count:
            library.import_file(write_bibtex(tmp_path / f"{name}.bib", count))
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()


@pytest.fixture
def library(make_library) -> Library:
    """Twelve papers: ids 1..12, paper i+1 is about TOPICS[i % 4]."""
    return make_library(12)


@pytest.fixture
def make_window(qtbot, settings: QSettings, dialogs: DialogSpy, make_library):
    """make_window(library) -> a shown MainWindow; closed before its library is."""
    from app.gui.window import MainWindow

    made: list[MainWindow] = []

    def make(library: Library) -> MainWindow:
        window = MainWindow(library, settings)
        window.save_on_close = False
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


@pytest.fixture
def window(make_window, library: Library):
    return make_window(library)


@pytest.fixture
def held_lock():
    """hold(folder): another live process holding the library's index lock until the test ends
    (as in tests/test_search_processes.py)."""
    children: list[subprocess.Popen] = []

    def hold(folder: Path) -> subprocess.Popen:
        code = f"""
            import time
            from pathlib import Path
            from whoosh.filedb.filestore import FileStorage
            from storage.search import LOCK_NAME
            from storage.search.lock import WriteLock
            folder = Path({str(folder / "index")!r})
            folder.mkdir(parents=True, exist_ok=True)
            lock = WriteLock(FileStorage(str(folder)), LOCK_NAME, folder)
            lock.acquire(5.0)
            print("locked", flush=True)
            time.sleep(60)
            """
        child = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        return child

    yield hold
    for child in children:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()


@pytest.fixture
def writer_holding_the_lock(tmp_path: Path):
    """hold(folder): another process that holds the library database's write lock (as a
    command-line import does while it stores a file) until release() is called."""
    children: list[subprocess.Popen] = []

    class Held:
        def __init__(self, child: subprocess.Popen) -> None:
            self.child = child

        def release(self) -> None:
            assert self.child.stdin is not None
            self.child.stdin.write("go\n")
            self.child.stdin.flush()
            assert self.child.wait(10) == 0

    def hold(folder: Path) -> Held:
        code = f"""
            import sqlite3, sys
            db = sqlite3.connect({str(folder / "library.db")!r}, isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.readline()
            db.execute("COMMIT")
            """
        child = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        return Held(child)

    yield hold
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def ticks(qtbot) -> Iterator[list[int]]:
    """A list that grows while the GUI thread's event loop turns (gui_support.turning)."""
    seen: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: seen.append(1))
    timer.start()
    yield seen
    timer.stop()
