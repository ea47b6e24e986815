"""Commands that edit a paper's metadata (`edit`) and rate papers (`rate`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import UsageError, resolve_papers

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library

# option -> the paper field it sets (storage.metadata checks every value)
EDIT_OPTIONS = {
    "title": "title",
    "authors": "authors",
    "year": "year",
    "venue": "venue",
    "doi": "doi",
    "arxiv": "arxiv_id",
    "url": "url",
    "code_url": "code_url",
    "key": "citation_key",
    "type": "entry_type",
}
_METAVARS = {"authors": '"Family, Given; …"', "arxiv": "ID", "code_url": "U", "key": "K"}
_HELP = {
    "authors": "in order, separated by ';': Family, Given or Given Family; {Name} or one word "
    "is a literal name (a consortium)",
    "doi": "10.NNNN/… (a https://doi.org/ prefix is dropped)",
    "arxiv": "1706.03762 or hep-th/9901001 (a version suffix is dropped)",
    "key": "citation key: unique, no spaces, commas or braces; '' generates one",
    "type": "a BibTeX (article, inproceedings, …) or CSL (article-journal, …) type",
}


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "edit",
        help="change a paper's title, authors, year, venue, identifiers, key or type",
        description='Change a paper\'s metadata; an empty value ("") clears a field, and an '
        "empty --key gives the paper a generated key again.",
    )
    p.add_argument("paper", metavar="PAPER")
    for option in EDIT_OPTIONS:
        p.add_argument(
            f"--{option.replace('_', '-')}",
            dest=option,
            metavar=_METAVARS.get(option, option[0].upper()),
            help=_HELP.get(option),
        )
    p = sub.add_parser("rate", help="rate papers from 0 to 5 stars")
    p.add_argument("args", nargs="+", metavar="PAPER… 0-5")


def cmd_edit(library: Library, args: argparse.Namespace) -> int:
    values = {
        field: getattr(args, option)
        for option, field in EDIT_OPTIONS.items()
        if getattr(args, option) is not None
    }
    if not values:
        options = ", ".join(f"--{o.replace('_', '-')}" for o in EDIT_OPTIONS)
        raise UsageError(f"edit needs at least one of {options}")
    pid = library.resolve(args.paper)
    library.update_paper(pid, **values)
    detail = library.paper(pid)
    print(f"paper {pid} changed ({', '.join(values)}); key {detail.citation_key}")
    return 0


def cmd_rate(library: Library, args: argparse.Namespace) -> int:
    *refs, rating = args.args
    if not refs or not rating.isdigit() or not 0 <= int(rating) <= 5:
        raise UsageError("usage: papershelf rate PAPER… 0-5 (a whole number from 0 to 5)")
    change = library.set_rating(resolve_papers(library, refs), int(rating))
    count = len(change.paper_ids)
    print(f"{count} paper{'s' if count != 1 else ''} changed")
    return 0
