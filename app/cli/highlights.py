"""Highlight commands: `highlight` (words on a page), `highlights list|import`, `export-pdf`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.common import UsageError, print_json
from storage.highlights.palette import COLORS, DEFAULT_COLOR

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "highlight", help="highlight words on a page of a paper's PDF (stored as a note)"
    )
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--page", type=int, required=True, metavar="N", help="page number, from 1")
    p.add_argument(
        "--text", required=True, metavar='"exact words"',
        help="the words as they are on the page (any case, spacing and line breaks)",
    )  # fmt: skip
    p.add_argument("--color", choices=COLORS, default=DEFAULT_COLOR, metavar="C",
                   help=f"one of {', '.join(COLORS)} (default {DEFAULT_COLOR})")  # fmt: skip
    p.add_argument("--comment", default="", metavar="MARKDOWN", help="a note on the highlight")
    p.add_argument("--file", type=int, dest="file_id", metavar="FILE_ID",
                   help="which PDF, when the paper has several (see papershelf files)")  # fmt: skip

    p = sub.add_parser("highlights", help="a paper's highlights: list them, or import a PDF's")
    actions = p.add_subparsers(dest="highlights_command", metavar="{list,import}", required=True)
    q = actions.add_parser("list", help="the paper's highlights in reading order")
    q.add_argument("paper", metavar="PAPER")
    q.add_argument("--json", action="store_true")
    q = actions.add_parser(
        "import", help="make notes of the highlights and sticky notes other programs left in "
        "the paper's PDFs (once: what was imported before is not added again)",
    )  # fmt: skip
    q.add_argument("paper", metavar="PAPER")
    q.add_argument("--file", type=int, dest="file_id", metavar="FILE_ID")

    p = sub.add_parser(
        "export-pdf", help="write a copy of a paper's PDF with its highlights as PDF annotations"
    )
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--file", type=int, dest="file_id", metavar="FILE_ID")
    p.add_argument(
        "-o", "--output", required=True, metavar="PATH",
        help="the copy to write (replaced only when complete); '-' for standard output",
    )  # fmt: skip


def _short(text: str | None, limit: int = 70) -> str:
    shown = " ".join((text or "").split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def cmd_highlight(library: Library, args: argparse.Namespace) -> int:
    if args.page < 1:
        raise UsageError(f"--page counts from 1, not {args.page}")
    pid = library.resolve(args.paper)
    view = library.pdf_file(pid, args.file_id)
    found = library.locate_text(view.id, args.page, args.text)
    change = library.add_highlight(
        pid, view.id, args.page, found.rects, found.quote, args.color, args.comment
    )
    (note_id,) = change.note_ids
    print(
        f'note {note_id}: highlighted "{_short(found.quote)}" on page {args.page} of '
        f"{view.name} ({args.color})"
    )
    if found.matches > 1:
        print(
            f"note: the words are on page {args.page} {found.matches} times; "
            "the first is highlighted",
            file=sys.stderr,
        )
    return 0


def cmd_highlights(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    if args.highlights_command == "import":
        report = library.import_annotations(pid, args.file_id)
        for line in report.skipped:
            print(line, file=sys.stderr)
        added = len(report.note_ids)
        print(
            f"paper {pid}: {added} annotation{'' if added == 1 else 's'} imported as notes, "
            f"{report.present} already present"
        )
        return 0
    highlights = library.highlights(paper_id=pid)
    if args.json:
        print_json(
            [
                {
                    "id": h.id, "file_id": h.file_id, "page": h.page, "color": h.color,
                    "quote": h.quote, "comment": h.body, "rects": [list(r) for r in h.rects],
                    "imported": h.imported,
                }
                for h in highlights
            ]
        )  # fmt: skip
        return 0
    if not highlights:
        print(f"paper {pid}: no highlights")
    for h in highlights:
        print(f"{h.id:>6}  p. {h.page}  {h.color or '':<7} {_short(h.quote)}")
        if h.body.strip():
            print(f"        {_short(h.body)}")
    return 0


def cmd_export_pdf(library: Library, args: argparse.Namespace) -> int:
    pid = library.resolve(args.paper)
    result = library.export_annotated_pdf(pid, args.output, args.file_id)
    print(result.summary(), file=sys.stderr if result.shown == "standard output" else sys.stdout)
    return 0
