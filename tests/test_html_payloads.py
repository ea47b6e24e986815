"""Hostile payloads against everything that turns user text into markup: the note preview's
renderer (storage.render), the HTML export and the Markdown export.

Every payload goes into every field a file can carry (title, authors, venue, abstract, links,
tags, notes with quote and page, list name, description and entry notes). The output is read
with an HTML parser, not searched for strings: no script-capable or resource-loading element,
no on* or style attribute, no link that is not http(s)/mailto, no src at all, no meta refresh
or base, no CSS beyond the export's own style sheet.

What "inert" means for the Markdown export: every field is escaped so that a Markdown renderer
that passes raw HTML through (python-markdown, as most do) produces nothing active from it;
notes and entry notes are the user's own Markdown and are kept verbatim (the export is also a
readable backup), so they are inert only once rendered by a sanitising renderer, as
storage.render does for the preview and the HTML export. The GUI side of the preview (the
QTextBrowser that never loads a resource) is tested in tests/gui/test_preview_payloads.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from export_support import add_records
from html_payloads import PAYLOADS, RAW_INERT, audit

from storage.exporting import ExportSelection
from storage.formats.html_export import STYLE
from storage.library import Library
from storage.records import AuthorRecord, NoteRecord, PaperRecord
from storage.render import render_markdown, render_note


def test_there_are_enough_payloads() -> None:
    assert len(PAYLOADS) >= 35 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_the_auditor_catches_each_payload_left_raw() -> None:
    """The auditor would flag every payload (bar pure text): a clean audit means something."""
    markdown_only = {p for p in PAYLOADS if p.startswith(("[", "!["))}
    for payload in PAYLOADS:
        if payload in RAW_INERT:
            continue
        document = markdown.markdown(payload) if payload in markdown_only else payload
        if payload.startswith('<a href="\\u006a'):
            document = payload.replace("\\u006a", "\u006a")
        assert audit(document), f"the auditor misses {payload!r}"


# --- the note preview's renderer ------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_notes_are_inert(payload: str) -> None:
    for rendered in (
        render_markdown(payload),
        render_note(payload, quote=payload, page=payload[:40]),
        render_note(f"Intro **bold**\n\n{payload}\n\nand after: {payload}"),
    ):
        assert audit(rendered) == [], (payload, rendered)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_inside_markdown_structures_stay_inert(payload: str) -> None:
    body = (
        f"# {payload}\n\n> {payload}\n\n- {payload}\n- item\n\n| a | b |\n|---|---|\n"
        f"| {payload.replace('|', '')} | x |\n\n`{payload}`\n\n```\n{payload}\n```\n\n"
        f"[{payload}](https://ok.example) [ok](https://ok.example \"{payload}\")"
    )
    assert audit(render_markdown(body)) == [], payload


# --- exports ---------------------------------------------------------------------------------


def hostile_records() -> list[PaperRecord]:
    records = []
    for number, payload in enumerate(PAYLOADS):
        records.append(
            PaperRecord(
                title=f"P{number:02d} {payload}",
                authors=[AuthorRecord(literal=payload), AuthorRecord(payload, payload)],
                year=2000 + number,
                venue=payload,
                abstract=f"{payload}\n\n{payload}",
                doi=f"10.1234/p{number}{payload}",
                url=payload if "javascript" in payload else f"https://ok.example/{number}",
                code_url=payload,
                citation_key=f"p{number}",
                tags=[f"t{number} {payload.replace(',', ' ')}"],
                notes=[NoteRecord(body=payload, quote=payload, page=payload[:30])],
            )
        )
    return records


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("payloads")
    library = Library(folder / "lib")
    ids = add_records(library, hostile_records())
    assert len(ids) == len(PAYLOADS)
    name = f"List {PAYLOADS[0]} {PAYLOADS[26]}"
    library.create_list(name, "\n".join(PAYLOADS))
    for pid, payload in zip(ids, PAYLOADS, strict=True):
        library.add_to_list(name, [pid], note=payload)
    yield library, name, folder
    library.close()


def test_the_html_export_is_inert(hostile) -> None:
    library, name, folder = hostile
    for selection in (ExportSelection.everything(), ExportSelection.reading_list(name)):
        target = folder / f"{selection.kind}.html"
        library.export(selection, "html", target)
        document = target.read_text(encoding="utf-8")
        assert document.count("<article") == len(PAYLOADS)
        assert audit(document, allowed_style=STYLE, allowed_meta=5) == []
        assert "url(" not in STYLE and "expression" not in STYLE


def test_the_html_export_keeps_the_text(hostile) -> None:
    """Escaped, not dropped: the text of a title or tag is still there to read."""
    library, _, folder = hostile
    target = folder / "text.html"
    library.export(ExportSelection.everything(), "html", target)

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.chunks: list[str] = []

        def handle_data(self, data: str) -> None:
            self.chunks.append(data)

    reader = Text()
    reader.feed(target.read_text(encoding="utf-8"))
    text = "".join(reader.chunks)
    assert "P00 <script>alert(1)</script>" in text
    assert '<iframe src="https://evil.example"></iframe>' in text


def test_the_markdown_export_fields_are_inert_even_rendered_raw(hostile) -> None:
    """Every field but the notes, rendered by a Markdown renderer that passes raw HTML."""
    library, name, folder = hostile
    ids = library.paper_ids()
    for pid in ids:  # notes are checked separately below
        for note in library.paper(pid).notes:
            library.delete_note(note.id)
    try:
        for selection in (ExportSelection.everything(), ExportSelection.reading_list(name)):
            target = folder / f"{selection.kind}.md"
            library.export(selection, "markdown", target)
            source = target.read_text(encoding="utf-8")
            if selection.kind == "list":  # entry notes are verbatim Markdown, like notes
                source = _without_entry_notes(source)
            rendered = markdown.markdown(source, extensions=["extra", "sane_lists"])
            assert audit(rendered) == [], selection
    finally:
        for pid, payload in zip(ids, PAYLOADS, strict=True):
            library.add_note(pid, payload, quote=payload, page=payload[:30])


def _without_entry_notes(source: str) -> str:
    """The list export with each '**On this list:**' block (verbatim Markdown) cut out."""
    return re.sub(r"\*\*On this list:\*\*\n\n.*?(?=\n\n### Notes|\n\n<details>)", "", source,
                  flags=re.DOTALL)  # fmt: skip


def test_the_markdown_export_keeps_notes_verbatim_and_a_sanitiser_makes_them_inert(
    hostile,
) -> None:
    library, name, folder = hostile
    target = folder / "notes.md"
    library.export(ExportSelection.reading_list(name), "markdown", target)
    source = target.read_text(encoding="utf-8")
    for payload in PAYLOADS:
        assert payload in source  # the user's Markdown, byte for byte
    assert audit(render_markdown(source)) == []
