"""Running one command: opening the library, dispatching, and errors mapped to exit codes."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import editing as cli_editing
from app.cli import files as cli_files
from app.cli import health, lists, papers
from app.cli import highlights as cli_highlights
from app.cli import merges as cli_merges
from app.cli import routine as cli_routine
from app.cli import sample as cli_sample
from app.cli import smart as cli_smart
from app.cli.common import UsageError
from app.cli.parser import build_parser

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library


def _database_error(library: Library, error: BaseException) -> str:
    """One line for a sqlite3 error that reached the command line (export, index reads)."""
    return str(library.safety.problem(error))


COMMANDS: dict[str, Callable[[Library, argparse.Namespace], int]] = {
    "import": papers.cmd_import,
    "search": papers.cmd_search,
    "show": papers.cmd_show,
    "tag": papers.cmd_tag,
    "status": papers.cmd_status,
    "note": papers.cmd_note,
    "edit": cli_editing.cmd_edit,
    "rate": cli_editing.cmd_rate,
    "list": lists.cmd_list,
    "lists": lists.cmd_lists,
    "export": lists.cmd_export,
    "stats": health.cmd_stats,
    "check": health.cmd_check,
    "merges": cli_merges.cmd_merges,
    "split": cli_merges.cmd_split,
    "attach": cli_files.cmd_attach,
    "detach": cli_files.cmd_detach,
    "files": cli_files.cmd_files,
    "highlight": cli_highlights.cmd_highlight,
    "highlights": cli_highlights.cmd_highlights,
    "export-pdf": cli_highlights.cmd_export_pdf,
    "inbox": cli_routine.cmd_inbox,
    "keep": cli_routine.cmd_keep,
    "dismiss": cli_routine.cmd_dismiss,
    "related": cli_routine.cmd_related,
    "recommend": cli_routine.cmd_recommend,
    "smart": cli_smart.cmd_smart,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    folder = Path(args.library).expanduser() if args.library else None
    if args.command is None:
        from app.gui.main import run_gui

        return run_gui(folder, screenshot=Path(args.screenshot) if args.screenshot else None)

    if args.command == "open":
        if args.page is not None and args.page < 1:
            parser.print_usage(sys.stderr)
            print("papershelf: --page counts from 1", file=sys.stderr)
            return 2
        from app.gui.main import run_gui

        shot = Path(args.open_screenshot) if args.open_screenshot else None
        return run_gui(folder, screenshot=shot, open_paper=(args.paper, args.page))

    if args.command == "restore":
        return health.cmd_restore(folder, args)
    if args.command == "sample":  # builds a library of its own; --library is left alone
        return cli_sample.cmd_sample(folder, args)

    from sqlalchemy.exc import DBAPIError

    from storage.library import EditError, Library, LibraryError
    from storage.search import QueryError, SearchIndexError

    try:
        library = Library(folder)
    except LibraryError as error:
        print(f"papershelf: {error}", file=sys.stderr)
        return 1
    try:
        return COMMANDS[args.command](library, args)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"papershelf: {error}", file=sys.stderr)
        return 2
    except QueryError as error:
        print(f"papershelf: cannot search for {args.query!r}: {error}", file=sys.stderr)
        return 2
    except (LibraryError, EditError) as error:
        print(f"papershelf: {error}", file=sys.stderr)
        return 1
    except (DBAPIError, sqlite3.DatabaseError) as error:  # damaged, full or read-only database
        print(f"papershelf: {_database_error(library, error)}", file=sys.stderr)
        return 1
    except SearchIndexError as error:  # the database is as the command left it
        print(f"papershelf: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("papershelf: interrupted; nothing half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
        return 0
    finally:
        for notice in library.notices:
            print(f"note: {notice}", file=sys.stderr)
        library.close()
