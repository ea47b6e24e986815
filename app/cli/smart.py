"""Smart lists (saved searches) on the command line: smart create/list/show/rename/edit/delete."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import UsageError, plain, print_json

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library

SCOPE_HELP = "search within status:STATUS, tag:NAME or list:NAME (default: all papers)"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("smart", help="smart lists (saved searches): create, list, show, …")
    actions = "{create,list,show,rename,edit,delete}"
    ssub = p.add_subparsers(dest="smart_command", metavar=actions, required=True, title="actions")
    q = ssub.add_parser("create", help="save a search as a smart list")
    q.add_argument("name")
    q.add_argument("query", help="a search, e.g. 'tag:to-read NOT status:read year:[2024 TO 2026]'")
    q.add_argument("--scope", metavar="SCOPE", help=SCOPE_HELP)
    q = ssub.add_parser("list", help="every smart list with its count")
    q.add_argument("--json", action="store_true")
    q = ssub.add_parser("show", help="a smart list's papers, best match first")
    q.add_argument("name")
    q.add_argument("--json", action="store_true")
    q = ssub.add_parser("rename", help="rename a smart list")
    q.add_argument("name")
    q.add_argument("new_name", metavar="NEW")
    q = ssub.add_parser("edit", help="change a smart list's query or scope")
    q.add_argument("name")
    q.add_argument("--query", metavar="QUERY")
    scope = q.add_mutually_exclusive_group()
    scope.add_argument("--scope", metavar="SCOPE", help=SCOPE_HELP)
    scope.add_argument("--no-scope", action="store_true", help="search all papers")
    q = ssub.add_parser("delete", help="delete a smart list (its papers stay)")
    q.add_argument("name")


def cmd_smart(library: Library, args: argparse.Namespace) -> int:
    from storage.search import QueryError

    action = args.smart_command
    try:
        return _ACTIONS[action](library, args)
    except QueryError as error:  # the query of a smart list: exit 2 with the reason
        raise UsageError(f"cannot save the search: {error}") from None


def _create(library: Library, args: argparse.Namespace) -> int:
    library.create_smart_list(args.name, args.query, scope=args.scope)
    count = library.smart_count(args.name)
    print(f"created smart list {args.name.strip()!r} ({count} paper{'' if count == 1 else 's'})")
    return 0


def _list(library: Library, args: argparse.Namespace) -> int:
    counts = library.smart_counts()
    if args.json:
        print_json([item.as_json() for item in counts])
        return 0
    for item in counts:
        scope = f"  [{item.scope}]" if item.scope else ""
        print(f"{item.name}  ({item.count})  {item.query}{scope}")
    return 0


def _show(library: Library, args: argparse.Namespace) -> int:
    saved = library.smart_list(args.name)
    scope = library.paper_ids(**saved.scope_filter) if saved.scope else None  # type: ignore[arg-type]
    total = library.smart_count(saved.name)
    result = library.search(saved.query, limit=max(1, total), restrict_ids=scope)
    titles = {pid: row.title for pid, row in library.rows([h.id for h in result.hits]).items()}
    if args.json:  # the shape of `search --json`, with every match
        print_json(
            {
                "query": saved.query,
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
    print(saved.name + f"  {saved.query}" + (f"  [{saved.scope}]" if saved.scope else ""))
    for hit in result.hits:
        print(f"{hit.id:>6}  {titles.get(hit.id, '')}")
        if hit.snippet:
            where = f"p. {hit.page}: " if hit.page is not None else ""
            print(f"        {where}{plain(hit.snippet)}")
    print(f"{result.total} match{'es' if result.total != 1 else ''}")
    return 0


def _rename(library: Library, args: argparse.Namespace) -> int:
    library.rename_smart_list(args.name, args.new_name)
    print(f"renamed smart list {args.name.strip()!r} to {args.new_name.strip()!r}")
    return 0


def _edit(library: Library, args: argparse.Namespace) -> int:
    from storage.smart import KEEP

    if args.query is None and args.scope is None and not args.no_scope:
        raise UsageError("smart edit needs --query, --scope or --no-scope")
    scope: object = None if args.no_scope else (args.scope if args.scope is not None else KEEP)
    library.edit_smart_list(args.name, query=args.query, scope=scope)
    print(f"changed smart list {args.name.strip()!r} ({library.smart_count(args.name)} papers)")
    return 0


def _delete(library: Library, args: argparse.Namespace) -> int:
    _change, saved = library.delete_smart_list(args.name)
    print(f"deleted smart list {saved.name!r}")
    return 0


_ACTIONS = {
    "create": _create,
    "list": _list,
    "show": _show,
    "rename": _rename,
    "edit": _edit,
    "delete": _delete,
}
