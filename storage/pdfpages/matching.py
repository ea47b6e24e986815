"""Finding a phrase in a page's characters as a viewer's find does.

Any case, any spacing, words split at a line end, ligatures and typographic quotes and dashes
all match."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["HYPHEN_MARKS", "SOFT", "find_spans", "fold", "fold_phrase"]

# PDFium's marks for a hyphen at a line end (the two lines' characters follow each other).
HYPHEN_MARKS = frozenset("\x02\ufffe")
SOFT = "\u00ad"  # in folded text: a break that may or may not be a hyphen
_SAME = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
    }
)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold().translate(_SAME)


def _space(char: str) -> bool:
    return char.isspace() or char in "\x00\u200b"


def fold(text: str) -> tuple[str, list[int]]:
    """The text as find compares it, and for each of its characters the index it came from.

    Case folded, NFKC (ligatures spelled out), every run of spaces and line breaks one space,
    a hyphen at a line end (PDFium's mark, or `-` before a line break) the SOFT mark, soft
    hyphens gone."""
    out: list[str] = []
    origin: list[int] = []
    count = len(text)
    i = 0
    while i < count:
        char = text[i]
        if _space(char):
            if out and out[-1] != " ":
                out.append(" ")
                origin.append(i)
            i += 1
            continue
        if char in HYPHEN_MARKS or (char in "-\u2010" and _line_break_follows(text, i + 1)):
            if out and out[-1] == " ":
                out.pop()
                origin.pop()
            out.append(SOFT)
            origin.append(i)
            i += 1
            while i < count and _space(text[i]):
                i += 1
            continue
        if char == SOFT:
            i += 1
            continue
        for piece in _fold_char(char):
            out.append(piece)
            origin.append(i)
        i += 1
    return "".join(out), origin


def _line_break_follows(text: str, start: int) -> bool:
    """Whether only spaces and then a line break follow `start`."""
    for char in text[start : start + 8]:
        if char in "\r\n":
            return True
        if not _space(char):
            return False
    return False


def fold_phrase(phrase: str) -> str:
    """The phrase as find compares it: folded like page text, trimmed."""
    folded, _origin = fold(phrase)
    return folded.replace(SOFT, "-").strip(" ")


@lru_cache(maxsize=256)
def _pattern(folded: str) -> re.Pattern[str]:
    """Each character of the phrase, with an optional line-end break between any two of them;
    a hyphen of the phrase also matches a line-end break, and a space matches one too."""
    parts = []
    for index, char in enumerate(folded):
        if index:
            parts.append(f"{SOFT}?")
        if char == "-":
            parts.append(f"[-{SOFT}]")
        elif char == " ":
            parts.append(f"[ {SOFT}]")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts))


def find_spans(folded: str, origin: list[int], phrase: str) -> list[tuple[int, int]]:
    """Where the phrase is in text folded by fold(): (start, end) indices of the original text,
    end exclusive, in order, not overlapping."""
    wanted = fold_phrase(phrase)
    if not wanted:
        return []
    spans = []
    for match in _pattern(wanted).finditer(folded):
        start, end = match.start(), match.end()
        if end <= start:
            continue
        spans.append((origin[start], origin[end - 1] + 1))
    return spans
