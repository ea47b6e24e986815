"""CSL rich text (`<i>`, `<sub>`, `<span class="nocase">`, `&amp;` …) made plain Unicode text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
# Markup that citeproc and Zotero put into CSL titles (plus what Crossref abstracts carry):
# these tags are dropped and their text kept; any other `<…>` is ordinary text (`a <b> c`
# with an unknown tag, `x<y`) and stays as written.
_MARKUP = frozenset({
    "i", "b", "em", "strong", "u", "span", "sc", "sub", "sup", "br", "p", "div", "a", "tt",
    "code", "small", "big", "s", "strike", "del", "ins", "mark", "abbr", "cite", "q", "font",
})  # fmt: skip
# `&` that starts no well-formed reference (`R&D`, `&nbsp` without its `;`) is text: HTML5
# would still decode some bare names (`&copy 2020` → `© 2020`), a title means them literally.
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_BREAKS = {"br": "\n", "p": "\n\n", "div": "\n\n"}  # callers tidy the whitespace


def _scripted(text: str, table: dict[str, str]) -> str | None:
    """`text` in sub- or superscript characters; None when one of them has no such form."""
    if not text or not all(ch in table or ch.isspace() for ch in text):
        return None
    return "".join(table.get(ch, ch) for ch in text)


def superscript(text: str) -> str | None:
    """`text` as Unicode superscript characters (`-1` → `⁻¹`); None when any has none."""
    return _scripted(text, _SUPERSCRIPTS)


def subscript(text: str) -> str | None:
    """`text` as Unicode subscript characters (`2` → `₂`); None when any has none."""
    return _scripted(text, _SUBSCRIPTS)


def _local(tag: str) -> str:
    return tag.rpartition(":")[2].lower()  # `jats:sub` counts as `sub`


def _is_markup(tag: str) -> bool:
    """A tag to drop: one of _MARKUP, or any namespaced one (`jats:italic`, `mml:mi`)."""
    return ":" in tag or tag.lower() in _MARKUP


class _PlainText(HTMLParser):
    """Collects the text of a rich-text fragment; sub/sup runs become Unicode where they can."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.scripts: list[tuple[str, int]] = []  # ("sub"|"sup", index into parts) per open tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = _local(tag)
        if not _is_markup(tag) or any(value is None for _, value in attrs):
            # `<y>` is no tag of ours, and markup has `name="value"` attributes only, so
            # `a<b and c>d` in an abstract is text, not a <b> tag
            self.parts.append(self.get_starttag_text() or "")
        elif name in ("sub", "sup", "inf"):
            self.scripts.append(("sup" if name == "sup" else "sub", len(self.parts)))
        elif name in _BREAKS:
            self.parts.append(_BREAKS[name])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not _is_markup(tag) or any(value is None for _, value in attrs):
            self.parts.append(self.get_starttag_text() or "")
        elif _local(tag) in _BREAKS:
            self.parts.append(_BREAKS[_local(tag)])

    def handle_endtag(self, tag: str) -> None:
        name = _local(tag)
        if name in ("sub", "sup", "inf") and self.scripts:
            kind, start = self.scripts.pop()
            inner = "".join(self.parts[start:])
            converted = (superscript if kind == "sup" else subscript)(inner)
            self.parts[start:] = [converted if converted is not None else inner]
        elif name in _BREAKS:
            self.parts.append(_BREAKS[name])
        elif not _is_markup(tag):
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        self.parts.append(f"<![{data}]]>")

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """`<![` that opens no marked section (`<![0`) is text, not a parser error."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.parts.append("<![")
            return i + 3


def plain_text(value: str | None) -> str | None:
    """Rich text as plain text: known tags dropped, entities decoded, `<sub>2</sub>` as `₂`.

    Text without `<` or `&` is returned as it is (no parsing)."""
    if value is None or ("<" not in value and "&" not in value):
        return value
    parser = _PlainText()
    parser.feed(_BARE_AMPERSAND.sub("&amp;", value))
    parser.close()
    return "".join(parser.parts)
