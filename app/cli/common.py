"""What the command handlers share: the usage error, JSON and snippet output, paper refs."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line stays fast: storage and Qt load only when needed
    from storage.library import Library


class UsageError(Exception):
    """Bad arguments found after parsing (exit code 2)."""


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def plain(snippet: str) -> str:
    """A highlighted HTML snippet as terminal text (matches in bold on a terminal)."""
    bold, reset = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    text = re.sub(r"<b[^>]*>", bold, snippet).replace("</b>", reset)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def resolve_papers(library: Library, refs: Sequence[str]) -> list[int]:
    return [library.resolve(ref) for ref in refs]
