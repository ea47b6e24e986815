"""storage.render: Markdown notes become the expected HTML, and nothing unsafe survives."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # `.venv/bin/pytest` without an editable install
    sys.path.insert(0, str(REPO_ROOT))

from storage.render import (  # noqa: E402
    escape_text,
    is_safe_link,
    render_markdown,
    render_note,
    sanitize_snippet,
)


def tags_in(html: str) -> set[str]:
    return {name.lower() for name in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html)}


def test_empty_and_blank_notes_render_to_nothing() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n\t ") == ""


def test_unicode_survives_unchanged() -> None:
    html = render_markdown("# Größe 世界 😀\n\nNaïve café — “quoted” ∑ᵢ xᵢ")
    assert "<h1>Größe 世界 😀</h1>" in html
    assert "Naïve café — “quoted” ∑ᵢ xᵢ" in html


def test_emphasis_strike_sup_sub() -> None:
    html = render_markdown("*em* **strong** ~~gone~~ x<sup>2</sup> H<sub>2</sub>O")
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<del>gone</del>" in html
    assert "<sup>2</sup>" in html and "<sub>2</sub>" in html


def test_fenced_code_is_escaped_and_kept_verbatim() -> None:
    text = "```python\nif a < b and c > d:\n    print('<script>')\n```"
    html = render_markdown(text)
    assert html.startswith("<pre><code>")
    assert "if a &lt; b and c &gt; d:\n    print('&lt;script&gt;')</code></pre>" in html
    assert "<script>" not in html


def test_inline_code_protects_markup() -> None:
    html = render_markdown("use `~~x~~ <b>` here")
    assert "<code>~~x~~ &lt;b&gt;</code>" in html


def test_table_with_alignment() -> None:
    html = render_markdown("| name | n |\n|:-----|--:|\n| α | 1 |\n| β | 22 |")
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= tags_in(html)
    assert '<th align="left">name</th>' in html
    assert '<td align="right">22</td>' in html
    assert "style=" not in html


def test_lists_ordered_unordered_and_start() -> None:
    html = render_markdown("3. three\n4. four\n\n- a\n- b\n    - nested")
    assert '<ol start="3">' in html
    assert html.count("<li>") == 5
    assert "<ul>" in html


def test_blockquote_heading_hr_and_definition_list() -> None:
    html = render_markdown("> quoted\n\n## Sub\n\n---\n\nterm\n: meaning")
    assert {"blockquote", "h2", "hr", "dl", "dt", "dd"} <= tags_in(html)


def test_safe_links_keep_href_and_get_rel() -> None:
    html = render_markdown("[site](https://example.org/a?b=1&c=2) and <mailto:me@example.org>")
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "mailto:" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>after",
        '<img src="x" onerror="alert(1)">after',
        "[click](javascript:alert(1)) after",
        '<a href="JaVaScRiPt:alert(1)">click</a> after',
        '<a href=" javascript:alert(1)">click</a> after',
        "[file](file:///etc/passwd) after",
        "[rel](/home/u/secret.txt) after",
        '<iframe src="https://evil.example">inside</iframe>after',
        "<style>body { display: none }</style>after",
        '<div onclick="alert(1)" style="color:red">after</div>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>after',
    ],
)
def test_unsafe_markup_is_stripped(text: str) -> None:
    html = render_markdown(text)
    lowered = html.lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "file:", "<iframe",
                   "<style", "style=", "data:", "/home/u", "alert"):  # fmt: skip
        assert needle not in lowered, (needle, html)
    assert "after" in html


@pytest.mark.parametrize(
    "text",
    ["![x](/home/u/secret.png)", "![x](file:///home/u/secret.png)", "![x](https://e.org/a.png)"],
)
def test_markdown_images_never_become_img_tags(text: str) -> None:
    html = render_markdown(text)
    assert "<img" not in html
    assert "secret" not in html and "e.org" not in html
    assert "[image: x]" in html


def test_raw_img_tags_are_dropped() -> None:
    html = render_markdown('<img src="/home/u/secret.png" alt="a"> <img src="https://e.org/p.png">')
    assert "<img" not in html and "secret" not in html


def test_attribute_lists_cannot_add_handlers() -> None:
    html = render_markdown("# Title {: onclick=\"alert(1)\" #id .cls }\n\npara\n{: style='x' }")
    assert html == "<h1>Title</h1>\n<p>para</p>"


def test_render_note_quotes_the_passage_with_its_page() -> None:
    html = render_note("My **take**.", quote="A <passage>\nsecond line", page="12–13")
    assert html.startswith("<blockquote><p>A &lt;passage&gt;<br>second line<br>")
    assert "<cite>p.&nbsp;12–13</cite>" in html
    assert "<strong>take</strong>" in html
    assert render_note("", None, None) == ""
    assert "<blockquote>" not in render_note("x", "  ", "4")


def test_sanitize_snippet_keeps_only_bold() -> None:
    snippet = 'we <b>prune</b> heads &lt;i&gt; <i>it</i> <b onclick="x">x</b><script>s</script>'
    assert sanitize_snippet(snippet) == "we <b>prune</b> heads &lt;i&gt; it <b>x</b>"


def test_escape_text_and_safe_links() -> None:
    assert escape_text("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#x27;"
    assert escape_text(None) == ""
    assert is_safe_link("https://x.org") and is_safe_link("HTTP://x.org")
    assert is_safe_link("mailto:a@b.c")
    assert not is_safe_link("javascript:alert(1)")
    assert not is_safe_link("file:///etc/passwd")
    assert not is_safe_link("/home/u") and not is_safe_link("") and not is_safe_link(None)
    assert not is_safe_link("https:")
