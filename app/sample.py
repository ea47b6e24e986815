"""The sample library the project ships: built fresh in a folder of its own, never the user's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from platformdirs import user_data_dir

from app.resources_path import resource_path
from storage.library import Library, LibraryError

SAMPLE_ENV = "PAPERSHELF_SAMPLE"  # overrides where the sample is built (tests, screenshots)
MARKER = "SAMPLE-LIBRARY.txt"
MARKER_TEXT = (
    "This folder holds Papershelf's sample library. Papershelf deletes and rebuilds it each time\n"
    "you choose Help > Try a sample library, so keep nothing of your own here.\n"
)


class SampleError(LibraryError):
    """The sample cannot be built there (the message says why)."""


def sample_source() -> Path:
    """The sample's papers (Papershelf's JSON backup format) and PDFs, in the package data."""
    return resource_path("sample")


def sample_dir() -> Path:
    """$PAPERSHELF_SAMPLE, else `sample/` in the platform data folder."""
    return Path(
        os.environ.get(SAMPLE_ENV) or Path(user_data_dir("papershelf", appauthor=False)) / "sample"
    )


def is_sample(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def build_sample(
    folder: Path | None = None,
    protect: Sequence[Path] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Build the sample library afresh in folder (sample_dir() when None) and return it.

    A folder that exists is replaced only when it is an earlier sample (it has the marker
    file) or empty; any other folder, or one that holds a path in `protect` (the user's
    library), is refused with SampleError and left as it is."""
    folder = Path(folder) if folder is not None else sample_dir()
    for kept in protect:
        if _inside(Path(kept), folder):
            raise SampleError(f"{folder}: holds the library {kept}; the sample is not built there")
    if folder.exists():
        if not folder.is_dir():
            raise SampleError(f"{folder}: is a file, not a folder for the sample library")
        if not is_sample(folder) and any(folder.iterdir()):
            raise SampleError(
                f"{folder}: the folder is not empty and holds no sample library; it is left alone"
            )
        shutil.rmtree(folder)
    source = sample_source()
    pdfs = sorted(source.glob("*.pdf"))
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    with Library(folder) as library:
        library.import_file(source / "library.json")
        for done, pdf in enumerate(pdfs, start=1):
            library.attach(library.resolve(pdf.stem), [pdf])  # named after its paper's key
            if progress is not None:
                progress(done, len(pdfs))
    return folder
