"""The daily routine on the command line: inbox, keep, dismiss, related, recommend."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import UsageError, print_json, resolve_papers

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library


def _plural(count: int, word: str = "paper") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "inbox",
        help="papers new since each import, waiting to be kept or dismissed",
        description="The Inbox: the papers each import created, newest import first (or "
        "likeliest first with --sort score), until you keep or dismiss them.",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--sort",
        choices=("import", "score"),
        default="import",
        help="import: newest import first, then file order (default); score: the papers most "
        "like those you tagged, listed, annotated or read first",
    )
    p.add_argument("--limit", type=int, metavar="N", help="show the first N only")
    p = sub.add_parser("keep", help="keep papers: out of the Inbox, into the library")
    p.add_argument("papers", nargs="+", metavar="PAPER")
    p = sub.add_parser(
        "dismiss",
        help="dismiss papers: out of the Inbox, hidden from All papers and searches",
        description="Dismissed papers leave the Inbox for good (re-importing them does not "
        "bring them back), are hidden from All papers and from searches that name no status, "
        "and are found with `status:dismissed`. `keep` brings one back.",
    )
    p.add_argument("papers", nargs="+", metavar="PAPER")

    p = sub.add_parser("related", help="the papers most like one paper (title, abstract, notes)")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "recommend",
        help="papers to add to a tag or reading list, ranked by resemblance",
        description="Papers without the tag (or not in the list) ranked by how much they "
        "resemble those with it, each with the words that weigh most; --accept adds the tag "
        "(or appends to the list), --reject never suggests those papers for it again.",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--tag", metavar="T")
    target.add_argument("--list", dest="list_name", metavar="NAME")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--accept", nargs="+", metavar="PAPER", help="add the tag / to the list")
    action.add_argument("--reject", nargs="+", metavar="PAPER", help="never suggest these again")


def cmd_inbox(library: Library, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    inbox = library.inbox(limit=args.limit, sort=args.sort)
    if args.json:
        print_json(inbox.as_json())
        return 0
    for paper in inbox.papers:
        score = f"  {paper.score:.3f}" if paper.score is not None else ""
        print(f"{paper.id:>6}{score}  {paper.title}")
    shown = len(inbox.papers)
    print(
        f"{_plural(inbox.total)} in the Inbox"
        + (f" (showing {shown})" if shown < inbox.total else "")
    )
    return 0


def cmd_keep(library: Library, args: argparse.Namespace) -> int:
    change = library.keep(resolve_papers(library, args.papers))
    print(f"kept {_plural(len(change.paper_ids))}")
    return 0


def cmd_dismiss(library: Library, args: argparse.Namespace) -> int:
    change = library.dismiss(resolve_papers(library, args.papers))
    print(f"dismissed {_plural(len(change.paper_ids))}")
    return 0


def cmd_related(library: Library, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    pid = library.resolve(args.paper)
    hits = library.related(pid, limit=args.limit)
    if args.json:
        print_json({"paper": pid, "hits": [hit.as_json() for hit in hits]})
        return 0
    if not hits:
        print(f"paper {pid}: no related papers (it shares no words with the others)")
    for hit in hits:
        print(f"{hit.id:>6}  {hit.score:.3f}  {hit.title}")
    return 0


def cmd_recommend(library: Library, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    for option, value in (("--tag", args.tag), ("--list", args.list_name)):
        if value is not None and not value.strip():
            raise UsageError(f"{option} needs a name")
    target = {"tag": args.tag} if args.tag is not None else {"list_name": args.list_name}
    name = args.tag if args.tag is not None else args.list_name
    if args.accept:
        change = library.accept_suggestions(resolve_papers(library, args.accept), **target)
        print(f"accepted {_plural(len(change.paper_ids))} for {name!r}")
        return 0
    if args.reject:
        ids = resolve_papers(library, args.reject)
        library.reject_suggestions(ids, **target)
        print(f"rejected {_plural(len(set(ids)))} for {name!r}: never suggested for it again")
        return 0
    suggestions = library.recommend(limit=args.limit, **target)
    if args.json:
        key = "tag" if args.tag is not None else "list"
        print_json({key: name, "hits": [s.as_json() for s in suggestions]})
        return 0
    if not suggestions:
        print(f"no suggestions for {name!r} (it needs papers to learn from)")
    for suggestion in suggestions:
        print(f"{suggestion.id:>6}  {suggestion.score:.3f}  {suggestion.title}")
        if suggestion.why:
            print(f"              why: {', '.join(suggestion.why)}")
    return 0
