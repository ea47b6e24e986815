"""Plain text to BibTeX values (escapes that the decoder reads back) and verbatim URL fields."""

from __future__ import annotations

import re

_URL_WRAPPER = re.compile(r"^\\url\s*\{(.*)\}$", re.DOTALL)
_ESCAPED_CHAR = re.compile(r"\\([#$%&_~{}^ \\])")
_ESCAPE = re.compile(r"[\\{}%&#$_~^`@]|-(?=-)|'(?=')")
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # `\{` is no escape to BibTeX itself: its braces must balance
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "`": "{`}",
    "@": "{@}",  # `@word{` at a line start would open a new entry
    "-": "-{}",  # `--` would read back as a dash
    "'": "'{}",  # `''` would read back as a closing quote
}


def decode_verbatim(value: str) -> str:
    """A URL, DOI or eprint value: `\\url{}` unwrapped, escapes resolved, braces and spaces gone."""
    value = value.strip()
    wrapped = _URL_WRAPPER.match(value)
    if wrapped:
        value = wrapped.group(1)
    value = _ESCAPED_CHAR.sub(lambda m: m.group(1), value)
    return "".join(value.replace("{", "").replace("}", "").split())


def escape_tex(text: str) -> str:
    """Plain text as a BibTeX value that `decode_tex` reads back unchanged (Unicode kept)."""
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)


def escape_verbatim(text: str) -> str:
    """A URL-like value for a BibTeX field: only braces and backslashes need care."""
    return "".join(text.split()).replace("\\", "").replace("{", "%7B").replace("}", "%7D")


def protect_case(escaped: str) -> str:
    """Brace words with inner capitals (`{BERT}`, `{LLaMA}`) so styles keep their case."""
    words = escaped.split(" ")
    for index, word in enumerate(words):
        letters = [c for c in word if c.isalpha()]
        if any(c.isupper() for c in letters[1:]):
            words[index] = "{" + word + "}"
    return " ".join(words)
