"""`papershelf sample [FOLDER]`: build the sample library afresh in a folder of its own.

The one the project ships; the window's Help › Try a sample library does the same."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sample",
        help="build the sample library (papers, notes, tags, a reading list, PDFs) afresh",
    )
    p.add_argument(
        "folder",
        nargs="?",
        metavar="FOLDER",
        help="where to build it (default: $PAPERSHELF_SAMPLE or sample/ in the data folder); "
        "an earlier sample there is replaced, any other non-empty folder is refused",
    )


def cmd_sample(library_folder: Path | None, args: argparse.Namespace) -> int:
    from app.sample import SampleError, build_sample
    from storage.library import Library, LibraryError, default_library_dir

    mine = library_folder if library_folder is not None else default_library_dir()
    target = Path(args.folder).expanduser() if args.folder else None
    try:
        folder = build_sample(target, protect=[mine])
        with Library(folder) as library:
            stats = library.stats()
    except (SampleError, LibraryError) as error:
        print(f"papershelf: {error}", file=sys.stderr)
        return 1
    print(
        f"built the sample library in {folder} ({stats.papers} papers, {stats.files} PDFs); "
        f"open it with: papershelf --library {folder}"
    )
    return 0
