"""Commands on reading lists and exports: list create/add/remove/show, lists, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import UsageError, print_json, resolve_papers

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    action = args.list_command
    if action == "create":
        library.create_list(args.name, args.description)
        print(f"created reading list {args.name!r}")
    elif action == "add":
        change = library.add_to_list(
            args.name, resolve_papers(library, args.papers), note=args.note
        )
        print(f"{len(change.paper_ids)} paper(s) in {args.name!r}")
    elif action == "remove":
        library.list_detail(args.name)
        library.remove_from_list(args.name, resolve_papers(library, args.papers))
        print(f"removed from {args.name!r}")
    else:
        detail = library.list_detail(args.name)
        if args.json:
            print_json(
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
        print_json(
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
    elif args.smart is not None:
        if not args.smart.strip():
            raise UsageError("--smart needs a smart list name")
        selection = ExportSelection.smart(args.smart)
    else:
        if not args.query.strip():
            raise UsageError("--query needs a search query (use --all for every paper)")
        selection = ExportSelection.matching(args.query)
    output = args.output if args.output == "-" else Path(args.output).expanduser()
    report = library.export(selection, args.format, output)
    # Written into a stream (maybe this very stdout): the message must not land in the data.
    print(report.summary(), file=sys.stderr if report.streamed else sys.stdout)
    return 0
