"""Commands on the library's health: stats, check, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import print_json

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library


def cmd_stats(library: Library, args: argparse.Namespace) -> int:
    stats = library.stats()
    if args.json:
        print_json(stats.as_json())
    else:
        for key, value in stats.as_json().items():
            print(f"{key:>7}: {value}")
    return 0


def cmd_check(library: Library, args: argparse.Namespace) -> int:
    report = library.check(repair=args.repair, rebuild=args.rebuild)
    for problem in report.problems:
        print(f"problem: {problem}")
    for fix in report.repaired:
        print(f"repaired: {fix}")
    if not report.problems:
        print("ok: database intact, search index in step")
    return 0 if report.ok else 1


def cmd_restore(folder: Path | None, args: argparse.Namespace) -> int:
    """Runs without opening the library (it may be refused); the index catches up after."""
    from storage.library import Library, LibraryError, default_library_dir
    from storage.safety import restore_backup

    try:
        report = restore_backup(folder or default_library_dir(), args.backup)
        print(report.summary())
        with Library(folder) as library:
            print(f"search index in step ({library.index.doc_count()} papers)")
    except LibraryError as error:
        print(f"papershelf: {error}", file=sys.stderr)
        return 1
    return 0
