"""Packaging: the icon renders, the desktop metadata and, once built, the dist/papershelf bundle."""

from __future__ import annotations

import importlib.util
import json
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.resources_path import ICON_SIZES, app_icon, icon_files, resources_dir
from tests.pdf.make_pdf import make_pdf, text_pages

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.papershelf.Papershelf"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
BUNDLE = ROOT / "dist" / "papershelf" / "papershelf"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR header (standard library only)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert head[12:16] == b"IHDR", f"{path} has no IHDR chunk first"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def desktop_entry() -> dict[str, str]:
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


# --- the icon ---


def test_icon_renders_exist_at_every_size() -> None:
    assert (ROOT / "resources" / "papershelf.svg").is_file()
    files = icon_files()
    assert [f.name for f in files] == [f"papershelf-{size}.png" for size in ICON_SIZES]
    for size, path in zip(ICON_SIZES, files, strict=True):
        assert path.parent == resources_dir() / "icons"
        assert png_size(path) == (size, size)


def test_renders_match_the_svg_source(qapp: object, tmp_path: Path) -> None:
    """After editing resources/papershelf.svg, run `python packaging/render_icons.py` again."""
    from PySide6.QtGui import QImage

    spec = importlib.util.spec_from_file_location("render_icons", PACKAGING / "render_icons.py")
    assert spec is not None and spec.loader is not None
    render_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_icons)
    for fresh in render_icons.render(render_icons.SOURCE, tmp_path, (16, 64)):
        committed = resources_dir() / "icons" / fresh.name
        a = QImage(str(fresh)).convertToFormat(QImage.Format.Format_RGBA8888)
        b = QImage(str(committed)).convertToFormat(QImage.Format.Format_RGBA8888)
        assert a.size() == b.size()
        # a little slack for antialiasing differences between Qt versions
        worst = max(abs(x - y) for x, y in zip(a.constBits(), b.constBits(), strict=True))
        assert worst <= 24, f"{committed.name} is out of date with resources/papershelf.svg"


def test_app_icon_offers_every_size(qapp: object) -> None:
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert sizes == {(size, size) for size in ICON_SIZES}


# --- desktop entry and AppStream metainfo ---


def test_desktop_entry_and_metainfo_agree() -> None:
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "papershelf"
    assert entry["Categories"] == "Office;Education;Science;"
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == "papershelf"
    assert component.find("content_rating") is not None
    newest = component.find("releases/release")
    assert newest is not None
    assert newest.get("version") == project_version(), "add a <release> for the new version"


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("desktop-file-validate", [], DESKTOP),
        ("appstreamcli", ["validate", "--no-net"], METAINFO),
    ],
)
def test_metadata_validates(tool: str, args: list[str], path: Path) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (make package installs it)")
    result = subprocess.run([tool, *args, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the built bundle (make package); skipped when there is none ---

needs_bundle = pytest.mark.skipif(
    not BUNDLE.is_file(), reason="no dist/papershelf bundle (make package builds it)"
)


def run_bundle(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The bundle in a clean environment: no venv, no PYTHONPATH, offscreen Qt, an empty HOME."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(BUNDLE), *args], env=env, cwd=home, capture_output=True, text=True, timeout=120
    )


@needs_bundle
def test_bundle_version(tmp_path: Path) -> None:
    result = run_bundle(tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"papershelf {project_version()}"


@needs_bundle
def test_bundle_screenshot(tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    result = run_bundle(tmp_path, "--library", str(tmp_path / "lib"), "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    width, height = png_size(out)
    assert width >= 1200 and height >= 800, (width, height)


@needs_bundle
def test_bundle_reads_a_pdf_in_its_spawned_worker(tmp_path: Path) -> None:
    """PDFium (libpdfium.so) is bundled, and the spawned worker process starts as a worker.

    Without multiprocessing.freeze_support() in packaging/launcher.py the worker, started as the
    bundle's executable again, runs the command line instead ("invalid choice: 'tracker_fd=…'")
    and the PDF is not imported.
    """
    pdf = tmp_path / "airships.pdf"
    pdf.write_bytes(make_pdf(text_pages(["Zeppelin aerodynamics"], ["of rigid airships"])))
    library = str(tmp_path / "lib")
    result = run_bundle(tmp_path, "--library", library, "import", str(pdf))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for word, page in (("zeppelins", 1), ("airship", 2)):
        found = run_bundle(tmp_path, "--library", library, "search", word, "--json")
        assert found.returncode == 0, found.stderr
        hits = json.loads(found.stdout)["hits"]
        assert [(hit["id"], hit["page"]) for hit in hits] == [(1, page)], found.stdout
    files = run_bundle(tmp_path, "--library", library, "files", "1", "--json")
    assert files.returncode == 0, files.stderr
    assert [(f["name"], f["pages"], f["text"]) for f in json.loads(files.stdout)] == [
        ("airships.pdf", 2, "indexed")
    ]
