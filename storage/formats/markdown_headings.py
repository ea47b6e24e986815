"""A note's Markdown headings moved below the heading it is exported under (code untouched)."""

from __future__ import annotations

import re

__all__ = ["shift_headings"]

MAX_LEVEL = 6
_QUOTES = re.compile(r"^(?: {0,3}> ?)*")  # the block-quote markers a line starts with
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_INTERRUPTS = re.compile(
    r"^ {0,3}(?:[-+*][ \t]|\d{1,9}[.)][ \t]|[-*_](?:[ \t]*[-*_]){2,}[ \t]*$|#|<)"
)


def _quotes(line: str) -> str:
    """The block-quote markers line starts with ('' for none)."""
    match = _QUOTES.match(line)
    return match.group(0) if match else ""


def _closes(line: str, fence: str) -> bool:
    """Whether line ends the code block that fence (e.g. "```") opened."""
    match = _FENCE.match(line)
    return bool(
        match
        and match.group(1)[0] == fence[0]
        and len(match.group(1)) >= len(fence)
        and not match.group(2).strip()
    )


def shift_headings(markdown: str, below: int) -> str:
    """markdown with every heading `below` levels deeper (`# H` under a level-3 heading becomes
    `#### H`), capped at level 6. ATX (`## H`) and setext (`H` over `===`/`---`) headings are
    moved, in block quotes too; fenced and indented code is left exactly as it is."""
    if below <= 0 or not markdown:
        return markdown
    out: list[str] = []
    fence: str | None = None
    paragraph: list[int] = []  # indexes in out of the open paragraph's lines (for setext)
    other_block = False  # inside a list item or HTML block until the next blank line
    for line in markdown.split("\n"):
        if fence is not None:
            out.append(line)
            if _closes(line[len(_quotes(line)) :], fence):
                fence = None
            continue
        quotes = _quotes(line)
        body = line[len(quotes) :]
        opened = _FENCE.match(body)
        if opened and not (opened.group(1)[0] == "`" and "`" in opened.group(2)):
            fence = opened.group(1)
            paragraph = []
            out.append(line)
            continue
        heading = _ATX.match(body)
        if heading:
            level = min(MAX_LEVEL, len(heading.group(2)) + below)
            out.append(quotes + heading.group(1) + "#" * level + heading.group(3))
            paragraph = []
            continue
        underline = _SETEXT.match(body)
        if underline and paragraph:
            level = min(MAX_LEVEL, (1 if underline.group(1)[0] == "=" else 2) + below)
            first, text = paragraph[0], []
            for index in paragraph:
                raw = out[index]
                text.append(raw[len(_quotes(raw)) :].strip())
            lead = _quotes(out[first])
            out[first:] = [lead + "#" * level + " " + " ".join(text)]
            paragraph = []
            continue
        if not body.strip():
            paragraph, other_block = [], False
        elif other_block or (body.startswith(("    ", "\t")) and not paragraph):
            pass  # a list item, HTML or indented code: its lines never make a setext heading
        elif paragraph or not _INTERRUPTS.match(body):
            paragraph.append(len(out))
        else:
            paragraph, other_block = [], True
        out.append(line)
    return "\n".join(out)
