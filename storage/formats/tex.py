"""TeX in BibTeX values: decoding to Unicode (via pylatexenc) and escaping plain text back."""

from __future__ import annotations

import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# pylatexenc ships with bibtexparser 2 (its LatexDecodingMiddleware uses the same settings).
_context = get_default_latex_context_db()
_context.add_context_category(
    "papershelf",
    prepend=True,
    macros=[
        MacroTextSpec("url", simplify_repl="%s"),
        MacroTextSpec("textasciicircum", simplify_repl="^"),  # not the modifier letter ˆ
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
    ],
)
_DECODER = LatexNodes2Text(latex_context=_context, keep_braced_groups=False, math_mode="verbatim")

_NEEDS_TEX = re.compile(r"[\\$~`]|--|''")
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&#])")  # a bare `%` is no comment inside a BibTeX value
_URL_WRAPPER = re.compile(r"^\\url\s*\{(.*)\}$", re.DOTALL)
_ESCAPED_CHAR = re.compile(r"\\([#$%&_~{}^ \\])")
_BRACE_MACRO = re.compile(r"\\textbrace(left|right)(?:\{\})?")
_MACRO = re.compile(r"\\[A-Za-z]+\*?\s*|\\.")
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
MAX_TEX_DECODE = 100_000  # longer values get the rough, linear decoding

# A fast decoder for the common cases (our own escapes, accents, special letters, inline math,
# font commands, dashes, quotes and ties). pylatexenc reads ~50 kB/s; it is kept for the rest.
_AFTER_WORD = r"(?:\{\}|[ \t]+(?=\S)|(?=\S)|\Z)"  # what a control word may end with here
_LETTER = rf"(\\[ij](?![^\W\d_]){_AFTER_WORD}|[A-Za-z])"
_MATH_ATOM = r"[^$\\{}%]|\\(?!begin|end|verb)[A-Za-z]+|\\[,;:!{}%&#_ |]"
_FAST = re.compile(
    r"\\(textbackslash|textasciitilde|textasciicircum|textbraceleft|textbraceright)\{\}"
    r"|\\([#$%&_{} ])"
    rf"|\\(['`^\"~=.])(?:\{{{_LETTER}\}}|{_LETTER})"
    rf"|\\([cvuHrkdb])(?:\{{{_LETTER}\}}|[ \t]+{_LETTER})"
    rf"|\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![^\W\d_]){_AFTER_WORD}"
    r"|\{([`@])\}"
    # inline math, kept as written (pylatexenc's math_mode="verbatim")
    rf"|(\$(?!\$)(?:{_MATH_ATOM}|\{{(?:{_MATH_ATOM})*\}})+\$)"
    # font commands whose braced argument is just its text, and font declarations
    r"|(\\(?:emph|textit|textbf|textsl|textsc|textrm)[ \t]*)(?=\{)"
    rf"|(\\(?:em|it|bf|sl|sc|rm|tt|sf)(?![^\W\d_]){_AFTER_WORD})"
    # pylatexenc's specials: dashes, quotes, ties, inverted marks
    r"|(---|--|''|``|[!?]`|~|`)"
    r"|[{}]"
    r"|(\\|\$)"
)
_NAMED = {"textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^",
          "textbraceleft": "{", "textbraceright": "}"}  # fmt: skip
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
            "H": "\u030b", "r": "\u030a", "k": "\u0328", "d": "\u0323", "b": "\u0331"}  # fmt: skip
_SPECIALS = {"---": "\u2014", "--": "\u2013", "''": "\u201d", "``": "\u201c", "!`": "\u00a1",
             "?`": "\u00bf", "~": "\u00a0", "`": "`"}  # fmt: skip
_SPECIAL_LETTERS = {"ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
                    "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}  # fmt: skip


class _NeedsPylatexenc(Exception):
    pass


def _fast_piece(match: re.Match[str]) -> str:
    named, escaped, accent = match.groups()[:3]
    if named:
        return _NAMED[named]
    if escaped is not None:
        return escaped
    accent = accent or match.group(6)
    if accent:
        letter = next(g for g in match.groups()[3:5] + match.groups()[6:8] if g)
        base = {"\\i": "i", "\\j": "j"}.get(letter.strip(" \t{}"), letter)
        return unicodedata.normalize("NFC", base + _ACCENTS[accent])
    if match.group(9):
        return _SPECIAL_LETTERS[match.group(9)]
    if match.group(10):
        return match.group(10)
    if match.group(11):
        return match.group(11)
    if match.group(12) or match.group(13):
        return ""
    if match.group(14):
        return _SPECIALS[match.group(14)]
    if match.group(15):
        raise _NeedsPylatexenc
    return ""  # a grouping brace


def _fast_decode(value: str) -> str | None:
    """`value` decoded without pylatexenc, or None when it holds TeX this cannot read."""
    try:
        return _FAST.sub(_fast_piece, value)
    except _NeedsPylatexenc:
        return None


def _rough_detex(value: str) -> str:
    """Linear fallback: escapes resolved, other macro names and braces dropped."""
    value = _ESCAPED_CHAR.sub(lambda m: m.group(1), value)
    value = _BRACE_MACRO.sub(lambda m: "\x00" if m.group(1) == "left" else "\x01", value)
    value = _MACRO.sub("", value)
    value = value.replace("{", "").replace("}", "")
    return value.replace("\x00", "{").replace("\x01", "}")


def decode_tex(value: str) -> str:
    """TeX accents, escapes and protective braces to plain Unicode (math kept as written)."""
    if not _NEEDS_TEX.search(value):
        return value.replace("{", "").replace("}", "")
    value = _BARE_SPECIAL.sub(r"\\\1", value)
    fast = _fast_decode(value)
    if fast is not None:
        return fast
    if len(value) > MAX_TEX_DECODE:
        return _rough_detex(value)
    try:
        return _DECODER.latex_to_text(value)
    except Exception:  # pylatexenc on malformed input (deep nesting, odd macros)
        return _rough_detex(value)


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
