"""Commands on papers: import, search, show, tag, status, note."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import files as cli_files
from app.cli import merges as cli_merges
from app.cli import search_help
from app.cli.common import UsageError, plain, print_json, resolve_papers

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library
    from storage.search import SearchHit

STATUSES = ("unread", "reading", "read", "dismissed")


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
        for line in (*report.warnings, *report.notes):  # skips, then `FILE:LINE: note: …`
            print(line, file=sys.stderr)
        failed = cli_files.pdf_failed(report) or failed
        if args.verbose:
            cli_merges.print_merges(report)
        print(report.summary())
    return 1 if failed else 0


def _where(library: Library, hit: SearchHit) -> str:
    """ "p. 7: " before a snippet from a file's page; "p. 7 of NAME: " when the paper has
    more than one file; "" for a snippet from the abstract or a note."""
    if hit.page is None:
        return ""
    files = library.files(hit.id) if hit.file_id is not None else []
    names = [view.name for view in files if view.id == hit.file_id]
    return f"p. {hit.page} of {names[0]}: " if len(files) > 1 and names else f"p. {hit.page}: "


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    result = library.search(args.query, limit=args.limit)
    titles = {pid: row.title for pid, row in library.rows([h.id for h in result.hits]).items()}
    help_, help_titles = None, {}
    if result.total == 0 and args.query.strip():  # say why, and what comes closest
        help_, help_titles = search_help.explain(library, args.query, args.limit)
    if args.json:
        print_json(
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
                        "file_id": h.file_id,
                    }
                    for h in result.hits
                ],
                **(search_help.help_json(help_, help_titles) if help_ is not None else {}),
            }
        )
        return 0
    for hit in result.hits:
        print(f"{hit.id:>6}  {titles.get(hit.id, '')}")
        if hit.snippet:
            print(f"        {_where(library, hit)}{plain(hit.snippet)}")
    shown = len(result.hits)
    print(
        f"{result.total} match{'es' if result.total != 1 else ''}"
        + (f" (showing {shown})" if shown < result.total else "")
    )
    if help_ is not None:
        sys.stdout.flush()  # the count first, then the hints, when both go to a terminal
        search_help.print_hints(help_, help_titles)
    return 0


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    detail = library.paper(library.resolve(args.paper))
    if args.json:
        print_json(detail.as_json())
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
    for view in detail.files:
        print(f"   file: {view.id} {view.name} ({view.pages} pages, {view.text})")
    if detail.abstract:
        print("\n" + detail.abstract)
    for note in detail.notes:
        kind = f", {note.color} highlight" if note.color else ""
        print(f"\n--- note {note.id} ({note.updated_at:%Y-%m-%d %H:%M}{kind})")
        if note.quote:
            print(
                "> "
                + note.quote.replace("\n", "\n> ")
                + (f" (p. {note.page_text})" if note.page_text else "")
            )
        print(note.body)
    return 0


def cmd_tag(library: Library, args: argparse.Namespace) -> int:
    if not args.add and not args.remove:
        raise UsageError("tag needs --add T or --remove T")
    ids = resolve_papers(library, args.papers)
    changed = set()
    if args.add:
        changed |= library.add_tags(ids, args.add).paper_ids
    if args.remove:
        changed |= library.remove_tags(ids, args.remove).paper_ids
    print(f"{len(changed)} paper{'s' if len(changed) != 1 else ''} changed")
    return 0


def cmd_status(library: Library, args: argparse.Namespace) -> int:
    *refs, status = args.args
    if not refs:
        raise UsageError("usage: papershelf status PAPER… unread|reading|read|dismissed")
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    change = library.set_status(resolve_papers(library, refs), status)
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
