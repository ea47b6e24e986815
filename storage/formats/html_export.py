"""An annotated reading list as one standalone, print-friendly HTML5 file (no scripts, ever).

Papers with their notes and highlights (quotes with page, colour and comment)."""

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
from storage.highlights.palette import COLOR_HEX
from storage.records import NoteRecord, PaperRecord
from storage.render import escape_text, render_markdown, render_note

__all__ = ["html_footer", "html_header", "html_paper", "write_html"]

# No script, no remote anything: even a sanitiser slip could not run code or load a resource.
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"
LINK_REL = "noopener noreferrer"


def _highlight_style() -> str:
    """One rule per palette colour: the quote's bar and a swatch in the highlight's colour."""
    rules = [
        ".swatch { display: inline-block; width: .75em; height: .75em; border-radius: 2px;"
        " margin-right: .4em; vertical-align: -.05em; border: 1px solid #0003;"
        " print-color-adjust: exact; -webkit-print-color-adjust: exact; }"
    ]
    for name, value in COLOR_HEX.items():
        rules.append(
            f".hl-{name} blockquote {{ border-left-color: {value}; }} "
            f".hl-{name} .swatch {{ background: {value}; }}"
        )
    return "\n".join(rules)


STYLE = (
    """
:root { color-scheme: light; --ink: #1f2328; --muted: #5b6570; --rule: #d8dee4;
  --accent: #0a58a8; --soft: #f6f8fa; --list: #eef5fd; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .6rem; }
.description { margin: 0 0 .6rem; font-size: 1.05rem; }
.count { color: var(--muted); font-size: .9rem; margin: 0 0 1.5rem; }
article { border-top: 1px solid var(--rule); padding: 1.4rem 0 1rem; }
article h2 { font-size: 1.22rem; line-height: 1.3; margin: 0 0 .35rem; }
.num { color: var(--muted); font-weight: 400; }
.byline { margin: 0 0 .5rem; }
.facts { color: var(--muted); }
.links { list-style: none; padding: 0; margin: .4rem 0; display: flex; flex-wrap: wrap;
  gap: .2rem 1.2rem; font-size: .92rem; }
.label { color: var(--muted); font-size: .75rem; text-transform: uppercase;
  letter-spacing: .05em; margin-right: .35rem; }
a { color: var(--accent); text-decoration: none; overflow-wrap: anywhere; }
a:hover { text-decoration: underline; }
a:not([href]) { color: inherit; text-decoration: none; }  /* a link the sanitiser disarmed */
.tags { margin: .5rem 0; padding: 0; list-style: none; }
.tags li { display: inline-block; background: var(--soft); border: 1px solid var(--rule);
  border-radius: 999px; padding: 0 .6rem; margin: 0 .3rem .3rem 0; font-size: .82rem; }
.status { color: var(--muted); font-size: .9rem; margin: .3rem 0; }
.entry-note { background: var(--list); border-left: 3px solid var(--accent);
  border-radius: 0 6px 6px 0; padding: .6rem 1rem; margin: .9rem 0; }
.notes h3 { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin: 1.2rem 0 .4rem; }
.note { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px;
  padding: .7rem 1rem; margin: .5rem 0; }
.note-meta { color: var(--muted); font-size: .8rem; margin: 0 0 .35rem; }
.note h4, .entry-note h4 { font-size: 1.05rem; margin: .8rem 0 .3rem; }
.note h5, .entry-note h5 { font-size: .98rem; margin: .7rem 0 .3rem; }
.note h6, .entry-note h6 { font-size: .9rem; margin: .6rem 0 .3rem; }
blockquote { margin: .3rem 0 .7rem; padding: .05rem 0 .05rem .9rem;
  border-left: 3px solid #aab4be; color: #3d444d; font-style: italic; }
cite { font-style: normal; color: var(--muted); font-size: .85rem; }
.note > :last-child, .entry-note > :last-child, blockquote > :last-child { margin-bottom: 0; }
.note > :first-child, .entry-note > :first-child { margin-top: 0; }
code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .88em; }
pre { background: #fff; border: 1px solid var(--rule); border-radius: 4px; padding: .5rem .7rem;
  white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--rule); padding: .2rem .5rem; }
details { margin: .7rem 0 0; }
summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
details p { font-size: .95rem; color: #30363d; }
@media print {
  @page { margin: 16mm 15mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; }
  h2, .notes h3, .note-meta { break-after: avoid; }
  .note, blockquote, .entry-note { break-inside: avoid; }
  .note, .entry-note, .tags li { background: none; }
  .note a[href]::after, .entry-note a[href]::after { content: " <" attr(href) ">";
    font-size: .85em; color: #555; overflow-wrap: anywhere; }
  details:not([open]) { display: none; }
  summary { display: none; }
}
""".strip()
    + "\n"
    + _highlight_style()
)


_HEADING = re.compile(r"<(/?)h([1-6])>")


def _demoted(fragment: str) -> str:
    """A note's own headings moved below the paper's <h2> and the notes' <h3> (h1 -> h4 ...)."""
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 3)}>", fragment)


def _lines(text: str) -> str:
    """Escaped text, its line breaks kept as <br>."""
    return "<br>\n".join(escape_text(line) for line in text.strip().splitlines())


def _paragraphs(text: str) -> str:
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "\n".join(f"<p>{_lines(block)}</p>" for block in blocks)


def html_header(title: str | None, description: str | None, count: int) -> str:
    """Everything up to the first paper: head with inline CSS, the title, description, count."""
    heading = escape_text(one_line(title) or "Papers")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Papershelf">',
        f"<title>{heading}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{heading}</h1>",
    ]
    if description and description.strip():
        parts.append(f'<div class="description">{_paragraphs(description)}</div>')
    parts.append(f'<p class="count">{count_text(count)} · exported from Papershelf</p>')
    parts.append("</header>")
    return "\n".join(parts) + "\n"


def html_footer() -> str:
    return "</main>\n</body>\n</html>\n"


def _note(note: NoteRecord, number: int | None, kind: str = "Note") -> str:
    meta = [kind if number is None else f"{kind} {number}"]
    color = note.color if kind == "Highlight" and note.color in COLOR_HEX else None
    if color:
        meta.append(color)
    if day(note.updated_at or note.created_at):
        meta.append(day(note.updated_at or note.created_at))
    rendered = _demoted(render_note(note.body, note.quote, note.page))
    # the class names come from the palette, never from the note's text
    classes = f"note highlight hl-{color}" if color else "note"
    swatch = '<span class="swatch" aria-hidden="true"></span>' if color else ""
    return (
        f'<div class="{classes}">\n<p class="note-meta">{swatch}'
        f"{escape_text(' · '.join(meta))}</p>\n{rendered}\n</div>"
    )


def html_paper(record: PaperRecord, number: int, entry_note: str | None = None) -> str:
    """One paper as an <article>: title, authors, facts, links, tags, list note, notes, abstract."""
    parts = [
        f'<article id="paper-{number}">',
        f'<h2><span class="num">{number}.</span> {escape_text(one_line(record.title))}</h2>',
    ]
    byline = []
    if record.authors:
        byline.append(
            f'<span class="authors">{escape_text(", ".join(author_names(record)))}</span>'
        )
    if facts_line(record):
        byline.append(f'<span class="facts">{escape_text(facts_line(record))}</span>')
    if byline:
        parts.append(f'<p class="byline">{"<br>".join(byline)}</p>')
    links = []
    for link in paper_links(record):
        text = escape_text(link.text)
        shown = (
            f'<a href="{escape_text(link.url)}" rel="{LINK_REL}">{text}</a>' if link.url else text
        )
        links.append(f'<li><span class="label">{link.label}</span>{shown}</li>')
    if links:
        parts.append('<ul class="links">\n' + "\n".join(links) + "\n</ul>")
    if record.tags:
        tags = "".join(f"<li>{escape_text(tag)}</li>" for tag in record.tags)
        parts.append(f'<ul class="tags" aria-label="tags">{tags}</ul>')
    if status_line(record):
        parts.append(
            f'<p class="status"><span class="label">Status</span>'
            f"{escape_text(status_line(record))}</p>"
        )
    if entry_note and entry_note.strip():
        parts.append(
            '<div class="entry-note">\n<p class="label">On this list</p>\n'
            f"{_demoted(render_markdown(entry_note))}\n</div>"
        )
    notes, highlights = split_notes(record.notes)
    for heading, kind, group in (("Notes", "Note", notes), ("Highlights", "Highlight", highlights)):
        if group:
            several = len(group) > 1
            cards = [_note(note, i if several else None, kind) for i, note in enumerate(group, 1)]
            parts.append(
                f'<section class="notes">\n<h3>{heading}</h3>\n' + "\n".join(cards) + "\n</section>"
            )
    if record.abstract and record.abstract.strip():
        parts.append(
            f"<details>\n<summary>Abstract</summary>\n{_paragraphs(record.abstract)}\n</details>"
        )
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def write_html(
    records: Sequence[PaperRecord],
    *,
    title: str | None = None,
    description: str | None = None,
    entry_notes: Sequence[str | None] | None = None,
) -> str:
    """The whole document: same content as write_markdown, notes rendered and sanitised."""
    notes = entry_notes_for(records, entry_notes)
    papers = "".join(
        html_paper(record, number, note)
        for number, (record, note) in enumerate(zip(records, notes, strict=True), start=1)
    )
    return html_header(title, description, len(records)) + papers + html_footer()
