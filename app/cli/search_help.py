"""`search` when nothing matched: the hint lines on stderr and the additive JSON keys."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from app.cli.common import plain

if TYPE_CHECKING:
    from storage.library import Library
    from storage.searchhelp import SearchHelp


def _count(number: int, noun: str = "match") -> str:
    plural = noun + ("es" if noun.endswith("ch") else "s")
    return f"{number} {noun if number == 1 else plural}"


def help_json(help_: SearchHelp, titles: dict[int, str]) -> dict[str, object]:
    """The keys `search --json` adds when it found nothing: `did_you_mean` ([] when none) and
    `partial` (null when no paper has any of the words): those with most of them, best first."""
    partial = None
    if help_.partial_total:
        partial = {
            "words": list(help_.words),
            "most": help_.best,
            "total": help_.partial_total,
            "hits": [
                {
                    "id": hit.id,
                    "title": titles.get(hit.id, ""),
                    "score": round(float(hit.score), 4),
                    "snippet": hit.snippet,
                    "page": hit.page,
                    "missing": list(hit.missing),
                }
                for hit in help_.partial
            ],
        }
    return {
        "did_you_mean": [{"query": c.query, "total": c.total} for c in help_.corrections],
        "partial": partial,
    }


def print_hints(help_: SearchHelp, titles: dict[int, str]) -> None:
    """Why nothing matched, corrections and the closest papers, on stderr (stdout keeps the
    contract's `0 matches`)."""
    err = sys.stderr
    print(f"hint: {help_.summary()}", file=err)
    for correction in help_.corrections:
        print(f"hint: did you mean: {correction.query}  ({_count(correction.total)})", file=err)
    if not help_.partial:
        return
    others = help_.partial_total - help_.best_total
    more = f", {others} more {'have' if others != 1 else 'has'} fewer" if others else ""
    print(
        f"hint: closest: {_count(help_.best_total, 'paper')} with {help_.best} of the "
        f"{len(help_.words)} words{more}:",
        file=err,
    )
    for hit in help_.partial:
        missing = ", ".join(hit.missing)
        print(f"{hit.id:>6}  {titles.get(hit.id, '')}  (without {missing})", file=err)
        if hit.snippet:
            where = f"p. {hit.page}: " if hit.page is not None else ""
            print(f"        {where}{plain(hit.snippet)}", file=err)


def explain(library: Library, query: str, limit: int) -> tuple[SearchHelp, dict[int, str]]:
    """The help for a query that found nothing, with the titles of its papers."""
    help_ = library.search_help(query, limit=limit)
    ids = [hit.id for hit in help_.partial]
    titles = {pid: row.title for pid, row in library.rows(ids).items()} if ids else {}
    return help_, titles
