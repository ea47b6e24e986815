"""The merge commands of the command line: `merges PAPER`, `split PAPER MERGE_ID`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.library import Library
    from storage.views import ImportReport


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("merges", help="the entries an import merged into a paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("split", help="undo a merge: split an entry back off into its own paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("merge_id", type=int, metavar="MERGE_ID")


def print_merges(report: ImportReport) -> None:
    """`import --verbose`: one line per merge on stdout, before the summary."""
    for event in report.merges:
        print(event.format())


def cmd_merges(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    merges = library.merges(pid)
    if args.json:
        value = {"paper": pid, "merges": [m.as_json() for m in merges]}
        print(json.dumps(value, ensure_ascii=False, indent=2))
        return 0
    if not merges:
        print(f"paper {pid}: no merges recorded")
    for merge in merges:
        state = f"  [split off as paper {merge.split_paper_id}]" if merge.split_paper_id else ""
        print(f"{merge.id:>6}  {merge.describe()}{state}")
    return 0


def cmd_split(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    change = library.split(pid, args.merge_id)
    new = sorted(change.paper_ids - {pid})
    print(f"merge {args.merge_id} split off paper {pid} as paper {new[0] if new else '?'}")
    return 0
