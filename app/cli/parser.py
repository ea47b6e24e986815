"""The command line's argument parser: every command, its arguments and their choices."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version

from app.cli import editing as cli_editing
from app.cli import files as cli_files
from app.cli import highlights as cli_highlights
from app.cli import merges as cli_merges
from app.cli import routine as cli_routine
from app.cli import sample as cli_sample
from app.cli import smart as cli_smart

IMPORT_FORMATS = ("auto", "listing", "bibtex", "ris", "csl-json", "json", "ids", "pdf")
EXPORT_FORMATS = ("markdown", "html", "bibtex", "ris", "csl-json", "csv", "json")


def app_version() -> str:
    try:
        return version("papershelf")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papershelf", description="An offline reading list for research papers."
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="library folder (default: $PAPERSHELF_LIBRARY or the data folder)",
    )
    parser.add_argument("--version", action="version", version=f"papershelf {app_version()}")
    parser.add_argument(
        "--screenshot", metavar="FILE.png", help="open the window, render it, save a PNG and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import papers from files (PDFs and folders of PDFs too)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", default="auto", choices=IMPORT_FORMATS)
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--list", dest="list_name", metavar="NAME")
    p.add_argument("--verbose", action="store_true", help="list every merge on stdout")

    p = sub.add_parser("search", help="full-text search")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="show one paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tag", help="add or remove tags")
    p.add_argument("papers", nargs="+", metavar="PAPER")
    p.add_argument("--add", action="append", default=[], metavar="T")
    p.add_argument("--remove", action="append", default=[], metavar="T")

    p = sub.add_parser("status", help="set the read status")
    p.add_argument("args", nargs="+", metavar="PAPER… unread|reading|read|dismissed")

    p = sub.add_parser("note", help="add a Markdown note to a paper")
    p.add_argument("paper", metavar="PAPER")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="MARKDOWN")
    source.add_argument("--file", metavar="PATH")
    p.add_argument("--quote", metavar="TEXT")
    p.add_argument("--page", metavar="PAGE")

    p = sub.add_parser("list", help="reading lists: create, add, remove, show")
    actions = "{create,add,remove,show}"  # named in usage, help and the missing-action error
    lsub = p.add_subparsers(dest="list_command", metavar=actions, required=True, title="actions")
    q = lsub.add_parser("create", help="a new, empty reading list")
    q.add_argument("name")
    q.add_argument("--description", metavar="TEXT")
    q = lsub.add_parser("add", help="add papers to the end of a list")
    q.add_argument("name")
    q.add_argument("papers", nargs="+", metavar="PAPER")
    q.add_argument("--note", metavar="TEXT")
    q = lsub.add_parser("remove", help="take papers off a list")
    q.add_argument("name")
    q.add_argument("papers", nargs="+", metavar="PAPER")
    q = lsub.add_parser("show", help="a list's papers in order")
    q.add_argument("name")
    q.add_argument("--json", action="store_true")

    p = sub.add_parser("lists", help="all reading lists")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export papers")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true")
    which.add_argument("--list", dest="list_name", metavar="NAME")
    which.add_argument("--tag", metavar="T")
    which.add_argument("--query", metavar="Q")
    which.add_argument("--smart", metavar="NAME", help="a smart list's papers, best match first")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="file to write (replaced only when complete); '-' for standard output; "
        "devices and pipes are written straight through; a symlink's target is replaced",
    )

    p = sub.add_parser("stats", help="counts of papers, tags, notes, lists")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="database integrity and index consistency")
    p.add_argument("--repair", action="store_true")
    p.add_argument("--rebuild", action="store_true", help="rebuild the search index in any case")
    cli_editing.add_parsers(sub)
    cli_merges.add_parsers(sub)
    cli_files.add_parsers(sub)
    cli_highlights.add_parsers(sub)
    cli_routine.add_parsers(sub)
    cli_smart.add_parsers(sub)

    p = sub.add_parser("open", help="read a paper's PDF in the window (at a page)")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--page", type=int, metavar="N", help="the page to open at (1 is the first)")
    p.add_argument(
        "--screenshot",
        dest="open_screenshot",
        metavar="FILE.png",
        help="render the reader at that page, save a PNG and exit",
    )

    p = sub.add_parser("restore", help="put back a backup of the database (the newest by default)")
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="a file in the library's backups/")
    cli_sample.add_parser(sub)
    return parser
