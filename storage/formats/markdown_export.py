"""An annotated reading list as Markdown.

Papers in order with links, tags, list notes, notes and highlights (quotes with their page and
colour, then the comment)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from storage.formats.export_common import (
    author_names,
    count_text,
    day,
    entry_notes_for,
    facts_line,
    one_line,
    paper_links,
    split_notes,
    status_line,
)
from storage.formats.markdown_headings import shift_headings
from storage.highlights.palette import COLOR_HEX
from storage.records import NoteRecord, PaperRecord

__all__ = ["md_escape", "markdown_header", "markdown_paper", "write_markdown"]

PAPER_LEVEL = 2  # `## 1. Title`; a list note's own headings go below it
NOTE_LEVEL = 4  # `#### Note 1`; a note's own headings go below it
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ALWAYS = set("`*_[]")  # emphasis, code and link brackets
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")  # an HTML tag, comment or autolink would begin
_ENTITY = re.compile(r"&(?=#|[A-Za-z0-9]+;)")  # an entity reference would begin
_LINE_START = re.compile(r"^(?:([-+]|\d{1,9}[.)])(?=\s|$)|([#>]))")
_RULE = re.compile(r"^(?:-+|=+)\s*$")  # a setext underline or a thematic break
_FENCE = re.compile(r"^~{3,}")


def md_escape(text: str | None) -> str:
    """Plain text as Markdown that renders as exactly that text: no emphasis, links, headings,
    list items or raw HTML (works with CommonMark, GitHub and Python-Markdown alike)."""
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        out: list[str] = []
        for i, ch in enumerate(line):
            if ch == "\\":
                nxt = line[i + 1] if i + 1 < len(line) else ""
                out.append("\\\\" if nxt in _ASCII_PUNCT or not nxt else "\\")
            elif ch in _ALWAYS:
                out.append("\\" + ch)
            else:
                out.append(ch)
        escaped = _TAG_START.sub("&lt;", _ENTITY.sub("&amp;", "".join(out)))
        match = _LINE_START.match(escaped)
        if _RULE.match(escaped) or _FENCE.match(escaped):  # entities: no renderer disagrees
            escaped = f"&#{ord(escaped[0])};" + escaped[1:]
        elif match:  # a heading, quote or list item if left alone
            marker = match.group(1) or match.group(2)
            escaped = marker[:-1] + "\\" + marker[-1] + escaped[len(marker) :]
        lines.append(escaped)
    return "\n".join(lines)


def _paragraphs(text: str | None) -> str:
    """Escaped text keeping its blank-line paragraph breaks (other runs of blank lines folded)."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return "\n\n".join(md_escape(block) for block in blocks if block.strip())


def _link_target(url: str) -> str:
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def markdown_header(title: str | None, description: str | None, count: int) -> str:
    """The top of the document: `# title`, the description, the paper count."""
    parts = [f"# {md_escape(one_line(title)) or 'Papers'}"]
    if description and description.strip():
        parts.append(_paragraphs(description))
    parts.append(f"*{count_text(count)} · exported from Papershelf*")
    return "\n\n".join(parts) + "\n"


def _note(note: NoteRecord, number: int | None, kind: str = "Note") -> str:
    label = kind if number is None else f"{kind} {number}"
    meta = [
        part
        for part in (
            f"p. {one_line(note.page)}" if note.page else "",
            note.color if kind == "Highlight" and note.color in COLOR_HEX else "",
            day(note.updated_at or note.created_at),
        )
        if part
    ]
    parts = [f"#### {label}" + (f" · {md_escape(' · '.join(meta))}" if meta else "")]
    if note.quote and note.quote.strip():
        quoted = md_escape(note.quote.strip())
        parts.append("\n".join(f"> {line}" if line else ">" for line in quoted.splitlines()))
    if note.body.strip():
        # the user's Markdown as written, its headings below this note's `####` one
        parts.append(shift_headings(note.body.strip("\n"), NOTE_LEVEL))
    return "\n\n".join(parts)


def markdown_paper(record: PaperRecord, number: int, entry_note: str | None = None) -> str:
    """One paper's section, ending with a rule: heading, facts, links, tags, notes, abstract."""
    parts = [f"## {number}. {md_escape(one_line(record.title)) or '(untitled)'}"]
    byline = [md_escape(", ".join(author_names(record)))] if record.authors else []
    facts = facts_line(record)
    if facts:
        byline.append(md_escape(facts))
    if byline:
        parts.append("  \n".join(line for line in byline if line))
    items: list[str] = []
    for link in paper_links(record):
        text = md_escape(one_line(link.text))
        if link.url and link.url == link.text:
            shown = f"<{link.url}>"  # an autolink: the URL is the text
        elif link.url:
            shown = f"[{text}]({_link_target(link.url)})"
        else:
            shown = text
        items.append(f"- {link.label}: {shown}")
    if record.tags:
        items.append("- Tags: " + ", ".join(f"`{tag.replace('`', '')}`" for tag in record.tags))
    status = status_line(record)
    if status:
        items.append(f"- Status: {status}")
    if items:
        parts.append("\n".join(items))
    if entry_note and entry_note.strip():
        parts.append("**On this list:**")
        parts.append(shift_headings(entry_note.strip("\n"), PAPER_LEVEL))  # below `## N.`
    notes, highlights = split_notes(record.notes)
    for heading, kind, group in (("Notes", "Note", notes), ("Highlights", "Highlight", highlights)):
        if group:
            parts.append(f"### {heading}")
            several = len(group) > 1
            parts.extend(
                _note(note, i if several else None, kind) for i, note in enumerate(group, start=1)
            )
    if record.abstract and record.abstract.strip():
        parts.append(
            "<details>\n<summary>Abstract</summary>\n\n"
            + _paragraphs(record.abstract)
            + "\n\n</details>"
        )
    return "\n\n".join(parts) + "\n\n---\n"


def write_markdown(
    records: Sequence[PaperRecord],
    *,
    title: str | None = None,
    description: str | None = None,
    entry_notes: Sequence[str | None] | None = None,
) -> str:
    """A readable annotated list: header, then each paper in the given order."""
    notes = entry_notes_for(records, entry_notes)
    header = markdown_header(title, description, len(records))
    body = "\n".join(
        markdown_paper(record, number, note)
        for number, (record, note) in enumerate(zip(records, notes, strict=True), start=1)
    )
    return header + ("\n" + body if body else "")
