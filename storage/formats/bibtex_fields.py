"""Raw BibTeX field values: `@string` macros and `#` under size caps, missing commas, crossref."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.formats.common import MONTHS
from storage.records import ParseWarning

MAX_FIELD = 1_000_000  # characters: a longer field (as written or expanded) is refused
MAX_EXPANSION = 32_000_000  # characters all macro expansions of one file may produce together
_MONTH_MACROS = {m[:3].lower(): m for m in MONTHS}
_CONCAT = re.compile(r'[{}"#]')
_GLUED = re.compile(r"\s*([A-Za-z][\w:+.-]*)\s*=\s*")
_GLUE_HINT = re.compile(r"(?<![\w:+.\\-])[A-Za-z][\w:+.-]*+\s*+=")  # linear: word starts only
_WORD = re.compile(r"[^\s#{}\"]+")
_HASH = re.compile(r"\s*#\s*")
_DELIMITER = re.compile(r'[{}"]')
# Fields a crossref child never takes from its parent: they name the parent itself.
_NOT_INHERITED = frozenset(
    {"title", "subtitle", "titleaddon", "crossref", "doi", "url", "eprint", "abstract",
     "keywords", "annote", "annotation", "file", "note", "ids", "key", "shorttitle", "pages"}
)  # fmt: skip
# Entry types that hold other works: their title is a child's booktitle, not its title.
CONTAINERS = frozenset(
    {"proceedings", "book", "collection", "reference", "periodical", "mvbook", "mvproceedings",
     "mvcollection", "mvreference"}
)  # fmt: skip
# The parts of a title, in the order Better BibTeX joins them (with ". ") on import.
_TITLE_PARTS = ("title", "titleaddon", "subtitle")
_END_PUNCTUATION = (".", "?", "!", ":", ";")


class FieldTooLong(Exception):
    """A value would exceed MAX_FIELD, or the file's expansion budget is spent."""


@dataclass
class Macros:
    """The `@string` macros read so far and the expansion budget left for this file."""

    values: dict[str, str] = field(default_factory=dict)
    oversized: set[str] = field(default_factory=set)
    budget: int = MAX_EXPANSION

    def define(self, key: str, raw: str, line: int, warnings: list[ParseWarning]) -> None:
        name = key.strip().lower()
        try:
            self.values[name] = self.evaluate(raw)[0]
            self.oversized.discard(name)
        except FieldTooLong as error:
            self.values.pop(name, None)
            self.oversized.add(name)
            warnings.append(ParseWarning(line, f"@string {key.strip()!r} not defined: {error}"))

    def evaluate(self, raw: str) -> tuple[str, list[str]]:
        """A raw value with macros expanded and parts joined; also the undefined macros."""
        if len(raw) > MAX_FIELD:
            raise FieldTooLong(f"over {MAX_FIELD:,} characters")
        pieces: list[str] = []
        undefined: list[str] = []
        size = 0
        for part in split_concat(raw):
            folded = part.lower()
            if len(part) >= 2 and part[0] + part[-1] in ("{}", '""'):
                piece = part[1:-1]
            elif part.isdigit() or not part:
                piece = part
            elif folded in self.values:
                piece = self.values[folded]
                self.budget -= len(piece)
                if self.budget < 0:
                    raise FieldTooLong(f"macros in this file expand to over {MAX_EXPANSION:,} "
                                       "characters")  # fmt: skip
            elif folded in self.oversized:
                raise FieldTooLong(f"macro {part!r} expands to over {MAX_FIELD:,} characters")
            elif folded in _MONTH_MACROS:
                piece = _MONTH_MACROS[folded]
            else:
                undefined.append(part)
                piece = part
            size += len(piece)
            if size > MAX_FIELD:
                raise FieldTooLong(f"expands to over {MAX_FIELD:,} characters")
            pieces.append(piece)
        return "".join(pieces), undefined


def split_concat(raw: str) -> list[str]:
    """The parts of `a # {b} # "c"`, split at `#` outside braces and quotes."""
    parts, start, depth, quoted = [], 0, 0, False
    for match in _CONCAT.finditer(raw):
        char = match.group(0)
        if raw[match.start() - 1 : match.start()] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start : match.start()])
            start = match.end()
    parts.append(raw[start:])
    return [part.strip() for part in parts]


def _value_end(text: str, start: int) -> int:
    """Where the value starting at `start` (a braced group, a quoted string, a word) ends."""
    opener = text[start : start + 1]
    if opener not in ("{", '"'):
        match = _WORD.match(text, start)
        return match.end() if match else start
    depth = 0
    for match in _DELIMITER.finditer(text, start):
        char = match.group(0)
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth <= 0 and opener == "{":
                return match.end()
        elif depth == 0 and match.start() > start:
            return match.end()
    return len(text)


def _glued_at(text: str) -> tuple[int, re.Match[str]] | None:
    """Where a field glued on by a missing comma starts in a raw value, with its `name =`."""
    position = 0
    while position < len(text):
        end = _value_end(text, position)
        if end == position:
            return None
        joined = _HASH.match(text, end)
        if joined is None:
            glued = _GLUED.match(text, end)
            return (end, glued) if glued and end < len(text) else None
        position = joined.end()
    return None


def unglue(raw: str) -> tuple[str, list[tuple[str, str, int]]]:
    """The value before a lost comma, and the fields glued onto it: (name, raw value, lines on).

    `{A}\\n  author = {B}` is the value `{A}` and a field `author` whose comma is missing."""
    text = raw.strip()
    if "=" not in text or not _GLUE_HINT.search(text):
        return text, []
    cut = _glued_at(text)
    if cut is None:
        return text, []
    head, found, lines = text[: cut[0]], [], 0
    while cut is not None:
        match = cut[1]
        lines += text[: match.start(1)].count("\n")
        text = text[match.end() :]
        cut = _glued_at(text)
        found.append((match.group(1).lower(), text if cut is None else text[: cut[0]], lines))
    return head, found


def inherit(child: dict[str, str], parent: dict[str, str], parent_type: str) -> list[str]:
    """Fill the child's missing fields from its crossref parent; the names of those filled.

    As BibTeX does, every field the child lacks is taken (its own identity excepted); a
    parent book or proceedings lends its title as the child's `booktitle`, as biber does."""
    taken: list[str] = []
    for key, value in parent.items():
        if key not in child and key not in _NOT_INHERITED and value:
            child[key] = value
            taken.append(key)
    if "booktitle" not in child and parent.get("title") and parent_type in CONTAINERS:
        child["booktitle"] = parent["title"]
        taken.append("booktitle")
    elif not any(child.get(key) for key in _TITLE_PARTS) and parent.get("title"):
        child["title"] = parent["title"]  # a child with no title of its own is its parent's work
        taken.append("title")
    return taken


def full_title(values: dict[str, str], entry_type: str) -> str:
    """The raw title, its parts taken out of `values`: `title`, `titleaddon` and `subtitle`
    joined by ". " as Better BibTeX joins them (a space after a title ending in `?`, `:` …).

    With none of them, a book's or proceedings' own `booktitle` is its title (as in Zotero)."""
    parts = [values.pop(key, "") for key in _TITLE_PARTS]
    title = ""
    for part in parts:
        if not part.strip("{} \t\n"):
            continue
        if title:
            title += " " if title.rstrip(" }").endswith(_END_PUNCTUATION) else ". "
        title += part
    if not title and entry_type in CONTAINERS and values.get("booktitle"):
        return values.pop("booktitle")
    return title
