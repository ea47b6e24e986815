"""The annotated exports on their own: Markdown, standalone HTML and CSV from plain records."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.formats.csv_export import CSV_COLUMNS, write_csv
from storage.formats.html_export import write_html
from storage.formats.markdown_export import md_escape, write_markdown
from storage.records import AuthorRecord, NoteRecord, PaperRecord

NOTE_BODY = "## Take-away\n\n- *pruning* keeps `90%`\n- [link](https://example.org/x)\n"
HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)" onmouseover="alert(4)">x</a>'
    "[md](javascript:alert(5)) <svg onload=alert(6)></svg> <iframe src=//evil></iframe>"
)


def paper(title: str, **fields: object) -> PaperRecord:
    return PaperRecord(title=title, **fields)  # type: ignore[arg-type]


def annotated() -> list[PaperRecord]:
    return [
        paper(
            "Sparse Attention for Long Documents",
            authors=[AuthorRecord("Müller", "Jörg"), AuthorRecord(literal="Open Consortium")],
            year=2019,
            venue="Findings of ACL",
            doi="10.1234/ABC(5678)#x",
            arxiv_id="2003.10555",
            url="https://example.org/sparse",
            code_url="https://github.com/example/sparse",
            tags=["attention", "pruning"],
            status="read",
            rating=4,
            abstract="We prune heads.\n\nSecond paragraph of the abstract.",
            notes=[
                NoteRecord(
                    NOTE_BODY,
                    quote="heads can go",
                    page="12",
                    updated_at=datetime(2025, 3, 1, tzinfo=UTC),
                ),
                NoteRecord("Second thought: check *ablation*."),
            ],
            added_at=datetime(2024, 1, 5, 9, 30, tzinfo=UTC),
        ),
        paper("ELECTRA: Pre-training Text Encoders", year=2020, venue="ICLR"),
        paper(
            HOSTILE,
            abstract=HOSTILE,
            url="javascript:alert(7)",
            code_url="https://ok.example/</a><script>alert(8)</script>",
            tags=["<script>alert(9)</script>"],
            notes=[NoteRecord(HOSTILE, quote=HOSTILE, page="<b>1</b>")],
        ),
    ]


class Collect(HTMLParser):
    """Tags with attributes, and text outside <style>, as html.parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1] in ("style", "title")):
            self.text.append(data)

    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def parse_html(text: str) -> Collect:
    parser = Collect()
    parser.feed(text)
    parser.close()
    return parser


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_list_keeps_order_entry_notes_and_notes_verbatim() -> None:
    records = annotated()
    text = write_markdown(
        records,
        title="Reading group",
        description="Week 3: attention.",
        entry_notes=["Start **here**.\n\n- then the ablation", None, "Skim only."],
    )
    assert text.startswith("# Reading group\n\nWeek 3: attention.\n")
    headings = re.findall(r"^## (\d+)\. (.*)$", text, flags=re.MULTILINE)
    assert [n for n, _ in headings] == ["1", "2", "3"]
    assert headings[0][1] == "Sparse Attention for Long Documents"
    assert headings[1][1] == "ELECTRA: Pre-training Text Encoders"
    assert "Start **here**.\n\n- then the ablation" in text  # the entry note, verbatim
    assert NOTE_BODY.strip("\n") in text  # the note, verbatim
    assert "Second thought: check *ablation*." in text
    assert "> heads can go" in text and "p. 12" in text
    assert "https://doi.org/10.1234/abc(5678)%23x" in text
    assert "https://arxiv.org/abs/2003.10555" in text
    assert "- Code: <https://github.com/example/sparse>" in text  # an autolink
    assert "`attention`, `pruning`" in text
    assert "<details>\n<summary>Abstract</summary>\n\nWe prune heads.\n\nSecond paragraph" in text
    # the list note comes before the paper's own notes, and both inside the paper's section
    first = text.index("## 1.")
    assert first < text.index("Start **here**") < text.index("### Notes") < text.index("## 2.")


def test_markdown_escapes_metadata_but_not_notes() -> None:
    text = write_markdown(annotated()[2:])
    heading = next(line for line in text.splitlines() if line.startswith("## 1. "))
    assert "<script>" not in heading and "&lt;script>" in heading
    assert "[md](javascript:alert(5))" not in heading  # brackets escaped in the title
    assert "- URL: javascript:alert(7)" in text  # shown, never linked
    assert "](<javascript" not in text
    # a note is the user's own Markdown and is kept as written
    assert HOSTILE in text
    html_text = markdown.markdown(text.split("### Notes")[0])
    assert "<script" not in html_text and "<img" not in html_text and "<a " not in html_text


def test_markdown_without_list_has_generic_title_and_no_list_notes() -> None:
    text = write_markdown(annotated()[1:2], title=None)
    assert text.startswith("# Papers\n")
    assert "*1 paper · exported from Papershelf*" in text
    assert "On this list" not in text


def test_markdown_entry_notes_must_match_records() -> None:
    with pytest.raises(ValueError):
        write_markdown(annotated(), entry_notes=["only one"])


def visible_text(fragment: str) -> str:
    return parse_html(fragment).visible()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 .#-+=*_`[]()<>&;!\\/:~|{}\n"), max_size=40))
def test_md_escape_renders_as_the_same_text(text: str) -> None:
    rendered = markdown.markdown(md_escape(text))
    assert visible_text(rendered) == " ".join(text.split())
    assert not re.search(r"<(?!/?p>|br />)", rendered.replace("<p>", "").replace("</p>", ""))


# --- HTML -------------------------------------------------------------------------------------


def test_html_is_standalone_and_ordered() -> None:
    records = annotated()
    text = write_html(
        records, title="Reading group", description="Week 3", entry_notes=["**Start**", None, None]
    )
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert text.rstrip().endswith("</html>")
    parsed = parse_html(text)
    tags = [tag for tag, _ in parsed.tags]
    assert "link" not in tags and "script" not in tags and "img" not in tags
    assert tags.count("style") == 1 and "@media print" in text
    titles = re.findall(r'<h2><span class="num">(\d+)\.</span> ([^<]*)</h2>', text)
    assert [n for n, _ in titles] == ["1", "2", "3"]
    assert titles[0][1] == "Sparse Attention for Long Documents"
    assert "<strong>Start</strong>" in text  # entry note rendered as Markdown
    assert "<h5>Take-away</h5>" in text and "<em>pruning</em>" in text  # note rendered
    assert "heads can go" in text and "p.&nbsp;12" in text
    body = parsed.visible()
    assert body.index("Sparse Attention") < body.index("ELECTRA") < body.index("alert(1)")


def test_html_cannot_run_anything_from_titles_abstracts_notes_or_tags() -> None:
    text = write_html(annotated(), title=HOSTILE, description=HOSTILE, entry_notes=[HOSTILE] * 3)
    parsed = parse_html(text)
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "img", "iframe", "svg", "object", "embed", "base", "form")
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action"):
                assert value and value.startswith(("https://", "http://", "mailto:")), value
        if tag == "a":
            assert attrs.get("rel") and "noopener" in (attrs.get("rel") or "")
    assert "javascript:" not in "".join(str(attrs) for _, attrs in parsed.tags)
    # the hostile text is still there, as text
    assert "<script>alert(1)</script>" in parsed.visible()


def test_html_links_and_content_security_policy() -> None:
    parsed = parse_html(write_html(annotated()[:1]))
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs[:4] == [
        "https://doi.org/10.1234/abc(5678)%23x",
        "https://arxiv.org/abs/2003.10555",
        "https://example.org/sparse",
        "https://github.com/example/sparse",
    ]
    meta = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert meta and "default-src 'none'" in (meta[0]["content"] or "")


# --- CSV --------------------------------------------------------------------------------------


def test_csv_rows_columns_and_quoting() -> None:
    records = annotated()
    text = write_csv(records)
    assert "\r\n" in text and not re.search(r"(?<!\r)\n(?=[^\n]*\r\n)", text.split("\r\n")[0])
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["title"] for r in rows[:2]] == [
        "Sparse Attention for Long Documents",
        "ELECTRA: Pre-training Text Encoders",
    ]
    first = rows[0]
    assert first["authors"] == "Jörg Müller; Open Consortium"
    assert first["tags"] == "attention; pruning"
    assert first["year"] == "2019" and first["rating"] == "4" and first["status"] == "read"
    assert first["abstract"] == "We prune heads.\n\nSecond paragraph of the abstract."
    assert first["notes"].startswith("> heads can go (p. 12)\n## Take-away")
    assert "\n\n---\n\nSecond thought" in first["notes"]
    assert first["added_at"] == "2024-01-05 09:30:00"
    assert rows[1]["authors"] == "" and rows[1]["doi"] == "" and rows[1]["added_at"] == ""


def test_csv_neutralises_formulas() -> None:
    text = write_csv([paper('=HYPERLINK("http://evil")', venue="+1", abstract="@SUM(A1)")])
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["venue"] == "'+1" and row["abstract"] == "'@SUM(A1)"
