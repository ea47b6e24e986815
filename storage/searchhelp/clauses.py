"""A query's top-level parts as typed.

The words every hit must have, those after NOT, and whether OR makes them alternatives (quotes,
parentheses and ranges kept whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# A plain word, possibly after a text field's name: the parts a spelling correction may fix.
_CORRECTABLE = re.compile(
    r"^(?:(title|abstract|notes?|text|fulltext|authors?|by|venue):)?([^\W\d_][\w'’-]*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Part:
    """One top-level part of a query: its text as typed and where it is in the query."""

    text: str
    start: int
    end: int

    def correctable(self) -> tuple[int, str] | None:
        """(offset in the query, word) of a plain word a spelling correction may replace."""
        match = _CORRECTABLE.match(self.text)
        return (self.start + match.start(2), match.group(2)) if match else None


@dataclass(frozen=True)
class Clauses:
    required: tuple[Part, ...]  # every hit must have each of these
    excluded: tuple[Part, ...]  # after NOT: no hit may have these
    alternatives: bool  # a top-level OR: the parts are alternatives, not all required

    @property
    def parts(self) -> tuple[Part, ...]:
        return self.required + self.excluded


def _tokens(text: str) -> list[Part]:
    """Whitespace-separated tokens outside quotes, parentheses and ranges; `field: value`
    and `field:"a phrase"` stay one token."""
    tokens: list[Part] = []
    start: int | None = None
    depth, quoted = 0, False
    for index, char in enumerate(text):
        if start is None:
            if char.isspace():
                continue
            start = index
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth = max(0, depth - 1)
        elif char.isspace() and not quoted and depth == 0:
            if text[start:index].endswith(":"):
                continue  # `title: word`: the value follows the field's name
            tokens.append(Part(text[start:index], start, index))
            start = None
    if start is not None:
        tokens.append(Part(text[start:].rstrip(), start, len(text.rstrip())))
    return tokens


def split_query(text: str) -> Clauses:
    """The top-level parts of a query as typed (`attention "dense retrieval" NOT bert`)."""
    required: list[Part] = []
    excluded: list[Part] = []
    alternatives = False
    target = required
    for token in _tokens(text):
        if token.text in _OPERATORS:
            alternatives = alternatives or token.text == "OR"
            target = excluded if token.text in ("NOT", "ANDNOT") else required
            if token.text == "ANDMAYBE":
                target = []  # an optional part: neither required nor excluded
            continue
        target.append(token)
        target = required
    return Clauses(tuple(required), tuple(excluded), alternatives)
