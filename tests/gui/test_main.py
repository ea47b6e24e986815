"""Starting the app: --screenshot writes a full-size PNG, a bad library fails cleanly, themes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gui_support import write_bibtex
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from app.gui.main import run_gui
from app.gui.theme import THEME_ENV, ThemeFollower, is_dark
from storage.library import Library

pytestmark = pytest.mark.gui
REPO_ROOT = Path(__file__).resolve().parents[2]


def library_folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "lib"
    with Library(folder) as library:
        if count:
            library.import_file(write_bibtex(tmp_path / "papers.bib", count))
    return folder


def distinct_colours(image: QImage) -> int:
    step = 7
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_screenshot_mode_saves_the_filled_window(qapp, tmp_path: Path, settings, capsys) -> None:
    out = tmp_path / "shots" / "window.png"
    assert run_gui(library_folder(tmp_path, 20), screenshot=out, settings=settings) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    assert distinct_colours(image) > 20  # text, selection, panes: not a blank frame
    assert "saved" in capsys.readouterr().out
    assert settings.value("window/geometry") is None  # screenshots leave the settings alone


def test_screenshot_of_an_empty_library(qapp, tmp_path: Path, settings) -> None:
    out = tmp_path / "empty.png"
    assert run_gui(library_folder(tmp_path, 0), screenshot=out, settings=settings) == 0
    assert QImage(str(out)).width() >= 1200


def test_screenshot_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cli.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(
            [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
    }
    folder = library_folder(tmp_path, 5)
    result = subprocess.run(
        [sys.executable, "-m", "app", "--library", str(folder), "--screenshot", str(out)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() >= 1200 and image.height() >= 800


def test_an_unusable_library_exits_1_with_a_message(qapp, tmp_path: Path, capsys) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("hello", encoding="utf-8")
    assert run_gui(not_a_folder, screenshot=tmp_path / "x.png") == 1
    assert "papershelf:" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_the_dark_scheme_gets_the_dark_palette(qapp, monkeypatch) -> None:
    app = QApplication.instance()
    original = QPalette(app.palette())
    monkeypatch.setenv(THEME_ENV, "dark")
    follower = ThemeFollower(app)
    try:
        assert is_dark(app.palette())
        assert app.style().name().lower() == "fusion"
        monkeypatch.setenv(THEME_ENV, "light")
        follower.apply()
        assert not is_dark(app.palette())
    finally:
        app.setPalette(original)
