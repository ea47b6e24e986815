"""Markdown notes to safe HTML (python-markdown + nh3) for the GUI preview and the HTML export."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

__all__ = [
    "ALLOWED_TAGS",
    "LINK_SCHEMES",
    "escape_text",
    "is_safe_link",
    "render_markdown",
    "render_note",
    "sanitize_snippet",
    "warm_up",
]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "span",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sup", "sub",
        "abbr", "kbd", "samp", "var", "q", "cite",
        "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "code",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
        "a",
    }
)  # fmt: skip
# Dropped together with everything inside them (not just the tags).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"
MARKDOWN_EXTENSIONS = ("extra", "sane_lists")
# `tables` (inside `extra`) writes align="…" instead of a style attribute we would strip.
MARKDOWN_CONFIG = {"extra": {"tables": {"use_align_attribute": True}}}


def escape_text(text: str | None) -> str:
    """Plain text as HTML text: &, <, >, and both quotes escaped; None becomes ''."""
    return html.escape(text or "", quote=True)


def is_safe_link(url: str | None) -> bool:
    """True for an absolute http, https or mailto URL (the only links notes may carry)."""
    if not url:
        return False
    scheme, sep, rest = url.strip().partition(":")
    return bool(sep and rest) and scheme.lower() in LINK_SCHEMES


class _ImagesAsText(Treeprocessor):
    """Turns every Markdown image into its alt text: notes never load images, local or remote."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("img"):
            alt = element.get("alt") or element.get("title") or "image"
            element.attrib.clear()
            element.tag = "em"
            element.text = f"[image: {alt}]"


class _PapershelfExtension(Extension):
    """Images become text; `~~text~~` becomes <del> as on GitHub."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown's API)
        md.treeprocessors.register(_ImagesAsText(md), "papershelf_no_images", 1)
        md.inlinePatterns.register(
            SimpleTagInlineProcessor(r"(~~)(?=\S)(.+?)(?<=\S)~~", "del"), "papershelf_del", 65
        )


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: links must be absolute http(s)/mailto (no relative paths, no file:)."""
    if attribute == "href":
        return value if is_safe_link(value) else None
    return value


def _clean(fragment: str, tags: frozenset[str], attributes: dict[str, set[str]]) -> str:
    return nh3.clean(
        fragment,
        tags=set(tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_keep_attribute,
        url_schemes=set(LINK_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """A note's Markdown as sanitised HTML: safe tags only, http(s)/mailto links, no images."""
    if not text or not text.strip():
        return ""
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, _PapershelfExtension()],
        extension_configs=MARKDOWN_CONFIG,
        output_format="html",
    )
    html = md.convert(text).replace("\n</code></pre>", "</code></pre>")  # no blank last line
    return _clean(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)


_TINT = re.compile(r"^#[0-9a-fA-F]{6}$")


def render_note(
    body: str, quote: str | None = None, page: str | None = None, tint: str | None = None
) -> str:
    """A whole note as safe HTML: the quoted passage and its page as a blockquote, then the body.
    tint (#rrggbb, a highlight's colour made pale) marks the quote as a highlighter would."""
    parts: list[str] = []
    cite = f"<cite>p.&nbsp;{escape_text(page.strip())}</cite>" if page and page.strip() else ""
    if quote and quote.strip():
        lines = "<br>".join(escape_text(line) for line in quote.strip().splitlines())
        if tint and _TINT.match(tint):
            lines = f'<span style="background-color: {tint}">{lines}</span>'
        parts.append(f"<blockquote><p>{lines}{'<br>' + cite if cite else ''}</p></blockquote>")
    elif cite:
        parts.append(f"<p>{cite}</p>")
    parts.append(render_markdown(body))
    return "\n".join(part for part in parts if part)


def warm_up() -> None:
    """Render a note once, so that Markdown's extensions are imported (and its entry points
    scanned) now: the first note a window shows then costs what any other does (~0.4 ms, not
    ~20 ms of imports on the GUI thread). Safe on any thread; the window calls it on one."""
    render_note("A *warm-up* note:\n\n- [link](https://example.org)\n\n| a |\n|---|\n| b |", "q")


def sanitize_snippet(fragment: str) -> str:
    """A search snippet reduced to escaped text and <b> highlights (nothing else survives)."""
    return _clean(fragment or "", frozenset({"b"}), {})
