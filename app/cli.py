"""The `papershelf` command line; with no command it opens the desktop window."""

from __future__ import annotations

import argparse
import html
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from app import cli_files, cli_merges

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library

STATUSES = ("unread", "reading", "read")
IMPORT_FORMATS = ("auto", "listing", "bibtex", "ris", "csl-json", "json", "pdf")
EXPORT_FORMATS = ("markdown", "html", "bibtex", "ris", "csl-json", "csv", "json")


def app_version() -> str:
    try:
        return version("papershelf")
    except PackageNotFoundError:
        return "0+unknown"


class UsageError(Exception):
    """Bad arguments found after parsing (exit code 2)."""


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
    p.add_argument("args", nargs="+", metavar="PAPER… unread|reading|read")

    p = sub.add_parser("note", help="add a Markdown note to a paper")
    p.add_argument("paper", metavar="PAPER")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="MARKDOWN")
    source.add_argument("--file", metavar="PATH")
    p.add_argument("--quote", metavar="TEXT")
    p.add_argument("--page", metavar="PAGE")

    p = sub.add_parser("list", help="reading lists: create, add, remove, show")
    lsub = p.add_subparsers(dest="list_command", metavar="ACTION", required=True)
    q = lsub.add_parser("create")
    q.add_argument("name")
    q.add_argument("--description", metavar="TEXT")
    q = lsub.add_parser("add")
    q.add_argument("name")
    q.add_argument("papers", nargs="+", metavar="PAPER")
    q.add_argument("--note", metavar="TEXT")
    q = lsub.add_parser("remove")
    q.add_argument("name")
    q.add_argument("papers", nargs="+", metavar="PAPER")
    q = lsub.add_parser("show")
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
    cli_merges.add_parsers(sub)
    cli_files.add_parsers(sub)

    p = sub.add_parser("restore", help="put back a backup of the database (the newest by default)")
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="a file in the library's backups/")
    return parser


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _plain(snippet: str) -> str:
    """A highlighted HTML snippet as terminal text (matches in bold on a terminal)."""
    bold, reset = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    text = re.sub(r"<b[^>]*>", bold, snippet).replace("</b>", reset)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _papers(library: Library, refs: Sequence[str]) -> list[int]:
    return [library.resolve(ref) for ref in refs]


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    from storage.library import ImportFailed

    failed = False
    for path in args.paths:
        try:
            report = library.import_file(path, args.format, tags=args.tag, list_name=args.list_name)
        except ImportFailed as error:
            print(f"papershelf: {error}", file=sys.stderr)
            failed = True
            continue
        for warning in report.warnings:
            print(warning, file=sys.stderr)
        failed = cli_files.print_pdf_report(report) or failed
        if args.verbose:
            cli_merges.print_merges(report)
        print(report.summary())
    return 1 if failed else 0


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    result = library.search(args.query, limit=args.limit)
    titles = {pid: row.title for pid, row in library.rows([h.id for h in result.hits]).items()}
    if args.json:
        _print_json(
            {
                "query": result.query,
                "total": result.total,
                "hits": [
                    {
                        "id": h.id,
                        "title": titles.get(h.id, ""),
                        "score": round(float(h.score), 4),
                        "snippet": h.snippet,
                        "page": h.page,
                    }
                    for h in result.hits
                ],
            }
        )
        return 0
    for hit in result.hits:
        print(f"{hit.id:>6}  {titles.get(hit.id, '')}")
        if hit.snippet:
            where = f"p. {hit.page}: " if hit.page is not None else ""
            print(f"        {where}{_plain(hit.snippet)}")
    shown = len(result.hits)
    print(
        f"{result.total} match{'es' if result.total != 1 else ''}"
        + (f" (showing {shown})" if shown < result.total else "")
    )
    return 0


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    detail = library.paper(library.resolve(args.paper))
    if args.json:
        _print_json(detail.as_json())
        return 0
    print(detail.title)
    if detail.authors:
        print(", ".join(detail.authors))
    facts = [str(detail.year) if detail.year else "", detail.venue or ""]
    print("  ".join(f for f in facts if f) or "")
    for label, value in (
        ("id", detail.id),
        ("key", detail.citation_key),
        ("doi", detail.doi),
        ("arXiv", detail.arxiv_id),
        ("url", detail.url),
        ("code", detail.code_url),
        ("status", detail.status),
        ("rating", detail.rating),
        ("tags", ", ".join(detail.tags)),
        ("lists", ", ".join(detail.lists)),
    ):
        if value not in (None, ""):
            print(f"{label:>7}: {value}")
    if detail.abstract:
        print("\n" + detail.abstract)
    for note in detail.notes:
        print(f"\n--- note {note.id} ({note.updated_at:%Y-%m-%d %H:%M})")
        if note.quote:
            print(
                "> "
                + note.quote.replace("\n", "\n> ")
                + (f" (p. {note.page})" if note.page else "")
            )
        print(note.body)
    return 0


def cmd_tag(library: Library, args: argparse.Namespace) -> int:
    if not args.add and not args.remove:
        raise UsageError("tag needs --add T or --remove T")
    ids = _papers(library, args.papers)
    changed = set()
    if args.add:
        changed |= library.add_tags(ids, args.add).paper_ids
    if args.remove:
        changed |= library.remove_tags(ids, args.remove).paper_ids
    print(f"{len(changed)} paper{'s' if len(changed) != 1 else ''} changed")
    return 0


def cmd_status(library: Library, args: argparse.Namespace) -> int:
    *refs, status = args.args
    if status not in STATUSES or not refs:
        raise UsageError("usage: papershelf status PAPER… unread|reading|read")
    change = library.set_status(_papers(library, refs), status)
    print(f"{len(change.paper_ids)} paper{'s' if len(change.paper_ids) != 1 else ''} changed")
    return 0


def cmd_note(library: Library, args: argparse.Namespace) -> int:
    from storage.library import LibraryError

    pid = library.resolve(args.paper)
    if args.file is not None:
        try:
            body = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LibraryError(f"{args.file}: cannot read the note ({error})") from None
    else:
        body = args.text
    note_id = library.add_note(pid, body, quote=args.quote, page=args.page)
    print(f"note {note_id} added to paper {pid}")
    return 0


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    action = args.list_command
    if action == "create":
        library.create_list(args.name, args.description)
        print(f"created reading list {args.name!r}")
    elif action == "add":
        change = library.add_to_list(args.name, _papers(library, args.papers), note=args.note)
        print(f"{len(change.paper_ids)} paper(s) in {args.name!r}")
    elif action == "remove":
        library.list_detail(args.name)
        library.remove_from_list(args.name, _papers(library, args.papers))
        print(f"removed from {args.name!r}")
    else:
        detail = library.list_detail(args.name)
        if args.json:
            _print_json(
                {
                    "name": detail.name,
                    "description": detail.description,
                    "papers": [
                        {"id": e.paper_id, "title": e.title, "position": e.position, "note": e.note}
                        for e in detail.entries
                    ],
                }
            )
            return 0
        print(detail.name + (f" — {detail.description}" if detail.description else ""))
        for number, entry in enumerate(detail.entries, start=1):
            print(f"{number:>4}. [{entry.paper_id}] {entry.title}")
            if entry.note:
                print(f"        {entry.note}")
    return 0


def cmd_lists(library: Library, args: argparse.Namespace) -> int:
    summaries = library.lists()
    if args.json:
        _print_json(
            [{"name": s.name, "description": s.description, "papers": s.count} for s in summaries]
        )
        return 0
    for summary in summaries:
        print(
            f"{summary.name}  ({summary.count})"
            + (f"  {summary.description}" if summary.description else "")
        )
    return 0


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    from storage.exporting import ExportSelection

    if args.all:
        selection = ExportSelection.everything()
    elif args.list_name is not None:
        if not args.list_name.strip():
            raise UsageError("--list needs a reading list name")
        selection = ExportSelection.reading_list(args.list_name)
    elif args.tag is not None:
        if not args.tag.strip():
            raise UsageError("--tag needs a tag name")
        selection = ExportSelection.tagged(args.tag)
    else:
        if not args.query.strip():
            raise UsageError("--query needs a search query (use --all for every paper)")
        selection = ExportSelection.matching(args.query)
    output = args.output if args.output == "-" else Path(args.output).expanduser()
    report = library.export(selection, args.format, output)
    # Written into a stream (maybe this very stdout): the message must not land in the data.
    print(report.summary(), file=sys.stderr if report.streamed else sys.stdout)
    return 0


def cmd_stats(library: Library, args: argparse.Namespace) -> int:
    stats = library.stats()
    if args.json:
        _print_json(stats.as_json())
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


def _database_error(library: Library, error: BaseException) -> str:
    """One line for a sqlite3 error that reached the command line (export, index reads)."""
    return str(library.safety.problem(error))


COMMANDS: dict[str, Callable[[Library, argparse.Namespace], int]] = {
    "import": cmd_import,
    "search": cmd_search,
    "show": cmd_show,
    "tag": cmd_tag,
    "status": cmd_status,
    "note": cmd_note,
    "list": cmd_list,
    "lists": cmd_lists,
    "export": cmd_export,
    "stats": cmd_stats,
    "check": cmd_check,
    "merges": cli_merges.cmd_merges,
    "split": cli_merges.cmd_split,
    "attach": cli_files.cmd_attach,
    "detach": cli_files.cmd_detach,
    "files": cli_files.cmd_files,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    folder = Path(args.library).expanduser() if args.library else None
    if args.command is None:
        from app.gui.main import run_gui

        return run_gui(folder, screenshot=Path(args.screenshot) if args.screenshot else None)

    if args.command == "restore":
        return cmd_restore(folder, args)

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


if __name__ == "__main__":
    sys.exit(main())
