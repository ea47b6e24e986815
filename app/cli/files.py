"""The file commands of the command line: `attach PAPER FILE.pdf…`, `detach`, `files`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.library import Library
    from storage.views import ImportReport


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attach", help="copy PDFs into the library and attach them to a paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("files", nargs="+", metavar="FILE.pdf")
    p = sub.add_parser("detach", help="remove a file from a paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("file_id", type=int, metavar="FILE_ID")
    p = sub.add_parser("files", help="the files attached to a paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--retry",
        type=int,
        metavar="FILE_ID",
        help="read that file's text again first (after its text failed or never came)",
    )


def pdf_failed(report: ImportReport) -> bool:
    """Whether a PDF import left a file out (its line is among the report's warnings)."""
    return bool(getattr(report, "failed", ()))


def cmd_attach(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    change = library.attach(pid, [Path(name) for name in args.files])
    for message in change.messages:
        print(message, file=sys.stderr)
    count = len(change.file_ids)
    print(f"{count} file{'s' if count != 1 else ''} attached to paper {pid}")
    return 1 if change.refused else 0


def cmd_detach(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    library.detach(pid, args.file_id)
    print(f"file {args.file_id} removed from paper {pid}")
    return 0


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if count < 1024 or unit == "MB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return f"{count} bytes"


def cmd_files(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    code = 0
    if args.retry is not None:
        change = library.retry_file(pid, args.retry)
        for message in change.messages:
            print(message, file=sys.stderr)
        code = 1 if change.refused else 0
    files = library.files(pid)
    if args.json:
        print(json.dumps([f.as_json() for f in files], ensure_ascii=False, indent=2))
        return code
    if not files:
        print(f"paper {pid}: no files")
    for view in files:
        print(f"{view.id:>6}  {view.name}  {view.pages} pages, {_size(view.bytes)}, {view.text}")
        if view.reason:
            print(f"        {view.reason}")
    return code
