"""Where the app's resources live: the source tree, an installed wheel, a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def resources_dir() -> Path:
    """app/resources: beside this module, or under sys._MEIPASS inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "app" / "resources"
    return Path(__file__).resolve().parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file under app/resources (it may not exist; callers check)."""
    return resources_dir().joinpath(*parts)


def icon_files() -> list[Path]:
    """The application icon's PNG renders that are present, smallest first."""
    files = (resource_path("icons", f"papershelf-{size}.png") for size in ICON_SIZES)
    return [path for path in files if path.is_file()]


def app_icon() -> QIcon:
    """The application icon with every rendered size (a null icon when none is found)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon
