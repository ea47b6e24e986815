"""Queries that cannot mean what was typed.

Unbalanced quotes, parentheses and ranges, unknown field names, operators with nothing to join.
Whoosh would run them silently."""

from __future__ import annotations

import re
from collections.abc import Collection

_OPERATORS = ("AND", "OR", "NOT")
# `name:` at the start of a word; not `http://`, not `10:30`, not inside a longer word.
_FIELD = re.compile(r"(?<![\w.:/\\-])([A-Za-z][A-Za-z_]*):(?!//)(?=\S)")
_COMPARISON = re.compile(r"(?<![\w.:/])year:\s*(?:[<>]=?|=)\s*(?=$|[\s)])", re.IGNORECASE)


def _field_list(fields: Collection[str]) -> str:
    names = sorted({f.lower() for f in fields}, key=lambda name: (len(name), name))
    shown = ["title", "author", "abstract", "venue", "tag", "note", "text", "year", "status"]
    shown = [name for name in shown if name in names] or names
    return ", ".join(f"{name}:" for name in shown)


def _outside_quotes(text: str) -> tuple[str, int | None]:
    """text with each quoted phrase (quotes included) turned into underscores, a word with
    nothing to check in it, and where an unclosed quote starts (or None)."""
    out, start = [], None
    for index, char in enumerate(text):
        if char == '"':
            start = index if start is None else None
            out.append("_")
        else:
            out.append("_" if start is not None else char)
    return "".join(out), start


def _word_after(text: str, index: int) -> str:
    match = re.match(r"\s*(\S{1,30})", text[index + 1 :])
    return match.group(1).rstrip('"') if match else ""


def _brackets(bare: str) -> str | None:
    """The first unbalanced (, ), [ or { outside quotes, as a message."""
    stack: list[tuple[str, int]] = []
    closers = {")": "(", "]": "[{", "}": "[{"}  # a range may mix them: [2019 TO 2021}
    for index, char in enumerate(bare):
        if char in "([{":
            stack.append((char, index))
        elif (
            char == ")"
            and stack
            and stack[-1][0] == "("
            and not bare[stack[-1][1] + 1 : index].strip()
        ):
            return "“()” holds nothing to search for: put words inside, or remove it."
        elif char in closers:
            if not stack or stack[-1][0] not in closers[char]:
                if char == ")":
                    return "A “)” has no “(” before it: remove it, or add the “(”."
                return f"A “{char}” closes a range that was never opened."
            stack.pop()
    if not stack:
        return None
    char, index = stack[-1]
    if char == "(":
        return "A “(” is never closed: add a “)” (or remove the “(”)."
    opened = " ".join(bare[index:].split())[:30]
    return (
        f"The range “{opened}” is never closed: write a range as year:[2019 TO 2021] "
        "(or year:2020, year:>2019)."
    )


def _operators(bare: str) -> str | None:
    """An AND/OR with no word on one side, or a NOT with none after it."""
    tokens = re.findall(r"\(|\)|[^\s()]+", bare)
    if not tokens:
        return None
    for index, token in enumerate(tokens):
        if token not in _OPERATORS:
            continue
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if after == token and token != "NOT" or before == token:
            continue  # `a OR OR b` is read as `a OR b`
        if after in ("AND", "OR"):
            return f"“{token} {after}” cannot both join the words: keep one of them."
        if after is None or after == ")":
            return f"“{token}” needs a word after it: add one, or remove the “{token}”."
        if token != "NOT" and (before is None or before == "(" or before in _OPERATORS):
            return f"“{token}” needs a word before it: add one, or remove the “{token}”."
    return None


def syntax_problem(text: str, fields: Collection[str]) -> str | None:
    """Why text cannot be searched as typed (one line for the user), or None when it can.

    fields: the field names the parser knows (`title`, `author`, …, case-insensitive)."""
    bare, quote = _outside_quotes(text)
    if quote is not None:
        word = _word_after(text, quote)
        where = f" before “{word}”" if word else ""
        return f'The quote{where} is never closed: add a closing " (or remove the quote).'
    known = {name.lower() for name in fields}
    for match in _FIELD.finditer(bare):
        if match.group(1).lower() not in known:
            return (
                f"There is no field “{match.group(1)}:” — search one of {_field_list(fields)} "
                f'(or put the words in quotes: "{match.group(0)}…").'
            )
    if _COMPARISON.search(bare):
        return "A year comparison needs a year: try year:>2019 or year:<=2021."
    return _brackets(bare) or _operators(bare)
