"""TeX in BibTeX values to Unicode text: one linear pass over tokens, text and math mode."""

from __future__ import annotations

import re
import unicodedata

from storage.formats.tex.symbols import (
    ACCENTS,
    BLACKBOARD,
    CONTROL_SYMBOLS,
    DECLARATIONS,
    DROP_ARGUMENT,
    JOURNALS,
    LOGOS,
    MATH_ACCENTS,
    OPERATOR_WORDS,
    SECOND_OF_TWO,
    SPACING_ACCENTS,
    SPECIALS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    SYMBOLS,
    WRAPPERS,
)

_TOKEN = re.compile(
    r"\\[A-Za-z@]+\*?"  # a control word
    r"|\\.|\\\Z"  # a control symbol, or a backslash at the very end
    r"|\$\$|---|--|''|``|[!?]`"
    r"|\s+"
    r"|[^\\{}$~^_`'!?\-\s]+"  # a run of plain text
    r"|.",
    re.DOTALL,
)
_NEEDS_TEX = re.compile(r"[\\$~`]|--|''")
MAX_DEPTH = 100  # deeper brace nesting gets the rough decoding
MAX_MATH_FAILURES = 8  # after this many unclosed `$`, the rest are plain dollars
_JOURNAL_MACRO = re.compile(r"\s*\{?\s*\\([a-z]+)\s*(?:\{\})?\s*\}?\s*")
_HEX = re.compile(r"[0-9A-Fa-f]{2,5}")
_ESCAPED_CHAR = re.compile(r"\\([#$%&_~{}^ \\])")
_MACRO = re.compile(r"\\[A-Za-z]+\*?\s*|\\.")
_BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s{}\\$]+")  # a URL written as plain text
_TILDE = "\ue001"  # stands for a `~` of a URL while the rest is decoded
QUOTES = {"enquote": "“”", "mkbibquote": "“”", "textquote": "“”", "enquote*": "‘’",
          "textquote*": "‘’"}  # fmt: skip


class _TooDeep(Exception):
    pass


def _accent(mark: str, base: str, combining: str | None = None) -> str:
    """`base` with the accent `mark` on its first letter (dotless i and j dotted again)."""
    if not base:
        return SPACING_ACCENTS.get(mark, "")
    first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])
    return unicodedata.normalize("NFC", first + (combining or ACCENTS[mark])) + base[1:]


def _script(text: str, table: dict[str, str], sign: str) -> str:
    """Text as Unicode sub/superscripts, or readable `_x` / `_{xyz}` when a letter has none."""
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    if len(text) == 1:
        return sign + text
    return f"{sign}{{{text}}}" if text else ""


class _Reader:
    """A cursor over the tokens of one value."""

    def __init__(self, value: str, math: bool) -> None:
        self.tokens = _TOKEN.findall(value)
        self.decode_math = math
        self.pos = 0
        self.depth = 0
        self.failed_math = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def skip_space(self) -> None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].isspace():
            self.pos += 1

    def sequence(self, math: bool, closer: str | None) -> tuple[str, bool]:
        """Decoded tokens up to `closer` (consumed) or the end; also whether `closer` was met."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep
        out: list[str] = []
        tokens = self.tokens
        while self.pos < len(tokens):
            token = tokens[self.pos]
            if token == "$$" and closer == "$":  # `$a$$b$`: this formula ends, the next opens
                self.tokens[self.pos] = "$"
                self.depth -= 1
                return "".join(out), True
            if token == closer:
                self.pos += 1
                self.depth -= 1
                return "".join(out), True
            if token == "}" and closer is not None:  # an outer group ends first
                break
            self.pos += 1
            out.append(self.token(token, math))
        self.depth -= 1
        return "".join(out), False

    def argument(self, math: bool) -> str:
        """One macro argument: a braced group, a control sequence, or one character."""
        if self.depth > MAX_DEPTH:
            raise _TooDeep
        self.skip_space()
        token = self.peek()
        if token is None or token == "}" or (math and token[0] == "$"):
            return ""
        self.pos += 1
        if token == "{":
            return self.sequence(math, "}")[0]
        if token.startswith("\\"):
            return self.token(token, math)
        if len(token) > 1 and not token.startswith(("-", "'", "`", "$")):
            self.pos -= 1
            self.tokens[self.pos] = token[1:]  # one letter is the argument, the rest follows
            return token[0]
        return self.token(token, math)

    def raw_argument(self) -> str:
        """A braced argument as written (for `\\url{…}`)."""
        self.skip_space()
        if self.peek() != "{":
            return ""
        self.pos += 1
        start, depth = self.pos, 1
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            depth += (token == "{") - (token == "}")
            self.pos += 1
            if depth == 0:
                return "".join(self.tokens[start : self.pos - 1])
        return "".join(self.tokens[start:])

    def math(self, closer: str) -> str | None:
        """Inline math up to `closer`, or None (nothing consumed) when it never closes."""
        if self.failed_math > MAX_MATH_FAILURES:
            return None
        start = self.pos
        if not self.decode_math:
            return self.verbatim_math(closer)
        text, closed = self.sequence(True, closer)
        if not closed:
            self.failed_math += 1  # bounded, so that many lone `$` stay linear
            self.pos = start
            return None
        return text

    def verbatim_math(self, closer: str) -> str | None:
        """Inline math as written, `$…$` included, or None when it never closes."""
        start, depth = self.pos, 0
        opener = self.tokens[start - 1]
        for index in range(start, len(self.tokens)):
            token = self.tokens[index]
            if token == closer and depth == 0:
                self.pos = index + 1
                return opener + "".join(self.tokens[start:index]) + closer
            depth += (token == "{") - (token == "}")
            if depth < 0:
                break
        self.failed_math += 1
        return None

    def token(self, token: str, math: bool) -> str:
        first = token[0]
        if first == "\\":
            return self.command(token, math)
        if first == "{":
            return self.sequence(math, "}")[0]
        if first == "}":
            return ""  # a stray closing brace
        if first == "$":
            if math:
                return ""  # `$$` inside math: an empty formula
            decoded = self.math(token)
            return token if decoded is None else decoded
        if math:
            if first in "^_":
                table = SUPERSCRIPTS if first == "^" else SUBSCRIPTS
                return _script(self.argument(True), table, first)
            if token == "'":
                return "′"
            if token == "''":
                return "″"
            if token == "~":
                return " "
            return token
        if token in SPECIALS:
            return SPECIALS[token]
        return token

    def command(self, token: str, math: bool) -> str:
        if len(token) < 2 or not (token[1].isalpha() or token[1] == "@"):
            return self.symbol(token[1:], math)
        name = token[1:]
        if name in ACCENTS and len(name) == 1:
            return _accent(name, self.argument(math))
        if name in WRAPPERS:
            text = self.argument(math and not name.startswith("text") and name != "mbox")
            return text.upper() if "pper" in name else text.lower() if "ower" in name else text
        if name in SYMBOLS:
            if not math:
                self.skip_space()
                return SYMBOLS[name]
            word = SYMBOLS[name]
            if name in OPERATOR_WORDS and (after := self.peek()) and after[0].isalnum():
                return word + " "
            return word
        if name in DECLARATIONS:
            self.skip_space()
            return ""
        return self.special_command(name, math)

    def special_command(self, name: str, math: bool) -> str:
        if name in ("textsuperscript", "textsubscript", "sp", "sb"):  # `\sp` is math's `^`
            table = SUPERSCRIPTS if name in ("textsuperscript", "sp") else SUBSCRIPTS
            sign = "^" if table is SUPERSCRIPTS else "_"
            return _script(self.argument(math and name in ("sp", "sb")), table, sign)
        if name in ("ensuremath", "ifmmode"):
            return self.argument(True)
        if name in ("url", "verb"):
            return self.raw_argument()
        if name in SECOND_OF_TWO:
            first = self.argument(math)
            second = self.argument(math)
            return first if name == "texorpdfstring" else second
        if name == "ElsevierGlyph":  # Elsevier exports spell characters by code point
            code = self.argument(False).strip()
            return chr(int(code, 16)) if _HEX.fullmatch(code) else code
        if name == "discretionary":  # {before a break}{after it}{unbroken}: the last
            return [self.argument(math) for _ in range(3)][2]
        if name in QUOTES:  # csquotes and biblatex quotation commands
            marks = QUOTES[name]  # the opening and the closing quotation mark
            return f"{marks[0]}{self.argument(math)}{marks[1]}"
        if name in MATH_ACCENTS:
            return _accent(name, self.argument(True), MATH_ACCENTS[name])
        if name == "frac" or name == "tfrac" or name == "dfrac":
            top, bottom = self.argument(True), self.argument(True)
            return f"{top}/{bottom}"
        if name == "sqrt":
            return "√" + self.argument(True)
        if name == "mathbb":
            text = self.argument(True)
            return "".join(BLACKBOARD.get(char, char) for char in text)
        if name in LOGOS:
            if self.tokens[self.pos : self.pos + 2] == ["{", "}"]:
                self.pos += 2
            return LOGOS[name]
        if name in DROP_ARGUMENT:
            for _ in range(DROP_ARGUMENT[name]):
                self.argument(math)
            return " " if name.startswith("hspace") else ""
        self.skip_space()
        if self.peek() == "{":
            return ""  # an unknown command: its argument follows as plain text
        after = self.peek()
        return "\\" + name + (" " if after and after[0].isalnum() else "")

    def symbol(self, char: str, math: bool) -> str:
        if char in ACCENTS:
            return _accent(char, self.argument(math))
        if char == "(":
            decoded = self.math("\\)")
            return "\\(" if decoded is None else decoded
        if char == "[":
            decoded = self.math("\\]")
            return "\\[" if decoded is None else decoded
        if char in CONTROL_SYMBOLS:
            return CONTROL_SYMBOLS[char]
        return char  # `\)` without its opening, `\*`, a lone backslash at the end


def rough_detex(value: str) -> str:
    """Linear fallback for hostile nesting: escapes resolved, macro names and braces dropped."""
    value = _ESCAPED_CHAR.sub(lambda m: m.group(1), value)
    value = _MACRO.sub("", value)
    return value.replace("{", "").replace("}", "")


def decode_tex(value: str, math: bool = True) -> str:
    """TeX accents, escapes, font commands, braces and inline math to plain Unicode text.

    With `math=False` inline math is kept as written (`$O(n^2)$`), as abstracts and notes are."""
    if not _NEEDS_TEX.search(value):
        return value.replace("{", "").replace("}", "") if "{" in value or "}" in value else value
    tilde = "~" in value and "://" in value
    if tilde:  # a `~` in a URL is a tilde, not a no-break space: hidden from the reader
        value = _BARE_URL.sub(lambda m: m.group(0).replace("~", _TILDE), value)
    reader = _Reader(value, math)
    try:
        text = reader.sequence(False, None)[0]
    except (_TooDeep, RecursionError):
        text = rough_detex(value)
    return text.replace(_TILDE, "~") if tilde else text


def decode_venue(value: str) -> str:
    """A journal or booktitle: an AASTeX journal macro (`\\apj`, as ADS writes) spelled out."""
    macro = _JOURNAL_MACRO.fullmatch(value) if value[:1] in ("\\", " ", "{") else None
    if macro and macro.group(1) in JOURNALS:
        return JOURNALS[macro.group(1)]
    return decode_tex(value)
