"""Library.export: every format read back by an independent parser, selections, safe writes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
import rispy
from export_support import EVIL_NOTE, NOTE_MD, annotated_library

from storage import atomic_write, exporting
from storage.exporting import ExportCancelled, ExportError, ExportSelection
from storage.formats.csv_export import write_csv
from storage.formats.html_export import write_html
from storage.formats.markdown_export import write_markdown
from storage.library import Library, NotFound
from storage.search import QueryError

LIST_ORDER = ["karpukhin2020dense", "muller2019sparse", "oneil2021why"]
LIST_TITLES = [
    "Dense Passage Retrieval für 日本語 Question Answering",
    "Sparse Attention for Long Documents",
    'Why <script>alert("t")</script> & "Quotes" <b>Break</b> Exports',
]
ALL_ORDER = [  # oldest first
    "muller2019sparse",
    "clark2020electra",
    "oneil2021why",
    "karpukhin2020dense",
]


@pytest.fixture
def shelf(tmp_path: Path):
    library, key = annotated_library(tmp_path / "lib")
    yield library, key
    library.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def export(library: Library, selection: ExportSelection, fmt: str, path: Path, **kw):
    report = library.export(selection, fmt, path, **kw)
    assert report.path == path.resolve()
    return report


class Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2[-1] += data


# --- each format, read back independently, for a reading list (content and order) ------------


def test_bibtex_list_export(shelf, out: Path) -> None:
    library, _ = shelf
    report = export(library, ExportSelection.reading_list("Reading group"), "bibtex", out / "l.bib")
    assert report.papers == 3
    parsed = bibtexparser.parse_string((out / "l.bib").read_text(encoding="utf-8"))
    assert not parsed.failed_blocks
    assert [e.key for e in parsed.entries] == LIST_ORDER
    sparse = parsed.entries[1].fields_dict
    assert sparse["doi"].value == "10.1234/abc.5678"
    assert "Sparse Attention" in sparse["title"].value


def test_ris_list_export(shelf, out: Path) -> None:
    library, _ = shelf
    export(library, ExportSelection.reading_list("Reading group"), "ris", out / "l.ris")
    entries = rispy.loads((out / "l.ris").read_text(encoding="utf-8"))
    assert [e["id"] for e in entries] == LIST_ORDER
    assert [e["title"] for e in entries] == LIST_TITLES
    assert entries[1]["doi"] == "10.1234/abc.5678"


def test_csl_json_list_export(shelf, out: Path) -> None:
    library, _ = shelf
    export(library, ExportSelection.reading_list("Reading group"), "csl-json", out / "l.json")
    items = json.loads((out / "l.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == LIST_ORDER
    assert [i["title"] for i in items] == LIST_TITLES


def test_csv_list_export_has_bom_and_order(shelf, out: Path) -> None:
    library, _ = shelf
    export(library, ExportSelection.reading_list("Reading group"), "csv", out / "l.csv")
    data = (out / "l.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["citation_key"] for r in rows] == LIST_ORDER
    assert [r["title"] for r in rows] == LIST_TITLES
    sparse = rows[1]
    assert sparse["tags"] == "attention; pruning"
    assert sparse["authors"] == "Jörg Müller; Open Research Consortium"
    assert NOTE_MD.strip() in sparse["notes"] and "Second thought" in sparse["notes"]


def test_markdown_list_export_has_entry_notes_and_notes_verbatim(shelf, out: Path) -> None:
    library, _ = shelf
    export(library, ExportSelection.reading_list("Reading group"), "markdown", out / "l.md")
    text = (out / "l.md").read_text(encoding="utf-8")
    assert text.startswith("# Reading group\n\nWeek 3: attention.\nBring questions &lt;please>.")
    headings = re.findall(r"^## \d+\. (.*)$", text, flags=re.MULTILINE)
    assert len(headings) == 3
    assert headings[0] == LIST_TITLES[0] and headings[1] == LIST_TITLES[1]
    assert "Start **here**." in text  # entry note, verbatim
    assert "<script>alert('entry')</script>Skim only." in text
    assert NOTE_MD.strip() in text and EVIL_NOTE in text  # notes, verbatim
    assert "> heads can go" in text and "p. 12" in text
    assert text.index("Start **here**.") < text.index("## 2.")


def test_html_list_export_is_ordered_and_inert(shelf, out: Path) -> None:
    library, _ = shelf
    export(library, ExportSelection.reading_list("Reading group"), "html", out / "l.html")
    text = (out / "l.html").read_text(encoding="utf-8")
    parser = Html()
    parser.feed(text)
    assert [re.sub(r"^\d+\.\s*", "", h) for h in parser.h2] == LIST_TITLES
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "img", "object", "embed")
        assert not any(name.startswith("on") for name in attrs)
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:")
        if tag == "a":
            assert "noopener" in (attrs.get("rel") or "")
    assert "javascript:" not in "".join(f"{a}" for _, a in parser.tags)
    assert "<strong>here</strong>" in text
    assert "<h5>Take-away</h5>" in text  # a note's own headings sit below the paper's title
    assert "Week 3: attention.<br>" in text


def test_json_list_export_carries_only_that_list(shelf, out: Path) -> None:
    library, _ = shelf
    report = export(library, ExportSelection.reading_list("reading GROUP"), "json", out / "l.json")
    assert report.lists == 1
    doc = json.loads((out / "l.json").read_text(encoding="utf-8"))
    assert [p["citation_key"] for p in doc["papers"]] == LIST_ORDER
    assert [item["name"] for item in doc["lists"]] == ["Reading group"]
    entries = doc["lists"][0]["entries"]
    assert [e["paper"] for e in entries] == [0, 1, 2]
    assert [e["note"] for e in entries] == [
        "Start **here**.",
        None,
        "<script>alert('entry')</script>Skim only.",
    ]


# --- selections -------------------------------------------------------------------------------


def keys_in(path: Path) -> list[str]:
    return [p["citation_key"] for p in json.loads(path.read_text(encoding="utf-8"))["papers"]]


def test_all_exports_every_paper_oldest_first_with_every_list(shelf, out: Path) -> None:
    library, _ = shelf
    report = export(library, ExportSelection.everything(), "json", out / "a.json")
    assert report.papers == 5 and report.lists == 2
    assert keys_in(out / "a.json")[:4] == ALL_ORDER
    doc = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert {item["name"]: len(item["entries"]) for item in doc["lists"]} == {
        "Empty list": 0,
        "Reading group": 3,
    }


def test_tag_export_is_case_insensitive_and_restricts_lists(shelf, out: Path) -> None:
    library, _ = shelf
    report = export(library, ExportSelection.tagged("ATTENTION"), "json", out / "t.json")
    assert report.papers == 2
    assert keys_in(out / "t.json") == ["muller2019sparse", "karpukhin2020dense"]
    doc = json.loads((out / "t.json").read_text(encoding="utf-8"))
    # only lists holding exported papers, with only those papers, in list order
    assert [(item["name"], [e["paper"] for e in item["entries"]]) for item in doc["lists"]] == [
        ("Reading group", [1, 0])
    ]


def test_query_export_in_relevance_order(shelf, out: Path) -> None:
    library, _ = shelf
    export(
        library, ExportSelection.matching("title:electra OR title:sparse"), "json", out / "q.json"
    )
    expected = library.paper_ids(query="title:electra OR title:sparse", sort="relevance")
    keys = {pid: library.paper(pid).citation_key for pid in expected}
    assert keys_in(out / "q.json") == [keys[pid] for pid in expected]
    assert sorted(keys_in(out / "q.json")) == ["clark2020electra", "muller2019sparse"]


def test_explicit_ids_keep_their_order_and_skip_missing(shelf, out: Path) -> None:
    library, key = shelf
    ids = [key["oneil2021why"], 987654, key["clark2020electra"], key["oneil2021why"]]
    selection = ExportSelection.papers(ids, title="My pick")
    report = export(library, selection, "markdown", out / "s.md")
    assert (report.papers, report.missing) == (2, 1)
    text = (out / "s.md").read_text(encoding="utf-8")
    assert text.startswith("# My pick\n")
    assert text.index("## 1. Why") < text.index("## 2. ELECTRA")


def test_unknown_list_and_tag_and_bad_query(shelf, out: Path) -> None:
    library, _ = shelf
    with pytest.raises(NotFound, match="no reading list named 'Nope'"):
        library.export(ExportSelection.reading_list("Nope"), "markdown", out / "x.md")
    with pytest.raises(NotFound, match="no tag named 'nope'"):
        library.export(ExportSelection.tagged("nope"), "markdown", out / "x.md")
    with pytest.raises(QueryError):
        library.export(ExportSelection.matching("year:abc"), "markdown", out / "x.md")
    with pytest.raises(ValueError):
        library.export(ExportSelection.everything(), "docx", out / "x.docx")
    assert list(out.iterdir()) == []


def test_empty_selection_writes_an_empty_document(shelf, out: Path) -> None:
    library, _ = shelf
    report = export(library, ExportSelection.reading_list("Empty list"), "html", out / "e.html")
    assert report.papers == 0
    text = (out / "e.html").read_text(encoding="utf-8")
    assert "<h1>Empty list</h1>" in text and "0 papers" in text and "<article" not in text
    export(library, ExportSelection.reading_list("Empty list"), "csl-json", out / "e.csl")
    assert json.loads((out / "e.csl").read_text(encoding="utf-8")) == []
    export(library, ExportSelection.reading_list("Empty list"), "json", out / "e.json")
    doc = json.loads((out / "e.json").read_text(encoding="utf-8"))
    assert doc["papers"] == [] and [item["name"] for item in doc["lists"]] == ["Empty list"]


# --- chunks, progress, cancel -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "bibtex", "ris", "csl-json", "json"])
def test_chunked_output_equals_one_shot_output(shelf, out: Path, monkeypatch, fmt: str) -> None:
    library, _ = shelf
    ids = library.paper_ids(sort="added", descending=False)
    records = library.records(ids)
    monkeypatch.setattr(exporting, "CHUNK", 2)
    calls: list[tuple[int, int]] = []
    export(
        library, ExportSelection.everything(), fmt, out / "c", progress=lambda *a: calls.append(a)
    )
    assert calls == [(2, 5), (4, 5), (5, 5)]
    data = (out / "c").read_bytes()
    if fmt == "markdown":
        assert data.decode() == write_markdown(records, title="All papers")
    elif fmt == "html":
        assert data.decode() == write_html(records, title="All papers")
    elif fmt == "csv":
        assert data == b"\xef\xbb\xbf" + write_csv(records).encode()
    elif fmt == "bibtex":
        from storage.formats.bibtex import write_bibtex

        assert data.decode() == write_bibtex(records)
    elif fmt == "ris":
        from storage.formats.ris import write_ris

        assert data.decode() == write_ris(records)
    elif fmt == "csl-json":
        from storage.formats.csl_json import write_csl_json

        assert data.decode() == write_csl_json(records)
    else:
        from storage.formats.papershelf_json import write_papershelf_json

        whole = write_papershelf_json(records, library.list_records(ids, keep_empty=True))
        stamp = json.loads(data)["exported_at"]
        assert data.decode() == whole.replace(json.loads(whole)["exported_at"], stamp)


def test_list_entry_notes_stay_with_their_papers_across_chunks(shelf, out, monkeypatch) -> None:
    library, _ = shelf
    monkeypatch.setattr(exporting, "CHUNK", 1)
    export(library, ExportSelection.reading_list("Reading group"), "markdown", out / "l.md")
    text = (out / "l.md").read_text(encoding="utf-8")
    sections = re.split(r"^## \d+\. ", text, flags=re.MULTILINE)[1:]
    assert "Start **here**." in sections[0] and "Dense Passage" in sections[0]
    assert "On this list" not in sections[1]
    assert "Skim only." in sections[2] and "Why" in sections[2]


# --- writing safely -----------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_cancel_leaves_existing_file_untouched_and_no_temp(shelf, out, monkeypatch) -> None:
    library, _ = shelf
    target = out / "list.md"
    target.write_text("OLD", encoding="utf-8")
    monkeypatch.setattr(exporting, "CHUNK", 2)
    asked = iter([False, True])  # the second chunk is cancelled, after the first was written
    with pytest.raises(ExportCancelled):
        library.export(ExportSelection.everything(), "markdown", target, cancel=lambda: next(asked))
    assert target.read_text(encoding="utf-8") == "OLD"
    assert leftovers(out) == ["list.md"]


def test_failure_while_rendering_leaves_existing_file_untouched(shelf, out, monkeypatch) -> None:
    library, _ = shelf
    target = out / "list.html"
    target.write_text("OLD", encoding="utf-8")
    monkeypatch.setattr(exporting, "CHUNK", 1)
    real = exporting.html_paper
    seen = []

    def flaky(*args, **kwargs):
        seen.append(1)
        if len(seen) == 3:
            raise RuntimeError("renderer broke")
        return real(*args, **kwargs)

    monkeypatch.setattr(exporting, "html_paper", flaky)
    with pytest.raises(RuntimeError, match="renderer broke"):
        library.export(ExportSelection.everything(), "html", target)
    assert target.read_text(encoding="utf-8") == "OLD"
    assert leftovers(out) == ["list.html"]


def test_disk_full_is_an_export_error_and_changes_nothing(shelf, out, monkeypatch) -> None:
    library, _ = shelf
    target = out / "all.json"
    target.write_text("OLD", encoding="utf-8")

    def full(self, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_write.AtomicFile, "write", full)
    with pytest.raises(ExportError, match=re.escape(str(target)) + ".*No space left"):
        library.export(ExportSelection.everything(), "json", target)
    assert target.read_text(encoding="utf-8") == "OLD"
    assert leftovers(out) == ["all.json"]


def test_replacing_keeps_the_old_files_permissions(shelf, out) -> None:
    library, _ = shelf
    target = out / "private.md"
    target.write_text("OLD", encoding="utf-8")
    target.chmod(0o600)
    library.export(ExportSelection.everything(), "markdown", target)
    assert target.read_text(encoding="utf-8").startswith("# All papers")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(out) == ["private.md"]


def test_new_file_gets_the_usual_permissions(shelf, out) -> None:
    library, _ = shelf
    mask = os.umask(0o022)
    try:
        library.export(ExportSelection.everything(), "csv", out / "new.csv")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((out / "new.csv").stat().st_mode) == 0o644


def test_missing_folder_is_a_clear_error(shelf, tmp_path: Path) -> None:
    library, _ = shelf
    target = tmp_path / "no" / "such" / "list.md"
    with pytest.raises(ExportError, match=re.escape(str(target)) + ".*does not exist"):
        library.export(ExportSelection.everything(), "markdown", target)
    assert not (tmp_path / "no").exists()


def test_directory_as_destination_is_a_clear_error(shelf, out: Path) -> None:
    library, _ = shelf
    with pytest.raises(ExportError, match=re.escape(str(out)) + ".*is a folder"):
        library.export(ExportSelection.everything(), "markdown", out)
    assert leftovers(out) == []


def test_file_as_folder_is_a_clear_error(shelf, out: Path) -> None:
    library, _ = shelf
    (out / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is not a folder"):
        library.export(ExportSelection.everything(), "markdown", out / "plain" / "l.md")


def test_permission_denied_is_a_clear_error(shelf, out: Path, monkeypatch) -> None:
    library, _ = shelf
    real_open = os.open

    def denied(path, flags, mode=0o777, **kw):
        if str(path).endswith(".part"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(atomic_write.os, "open", denied)
    target = out / "l.md"
    with pytest.raises(ExportError, match=re.escape(str(target)) + ".*permission denied"):
        library.export(ExportSelection.everything(), "markdown", target)
    assert leftovers(out) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_is_a_clear_error(shelf, out: Path) -> None:
    library, _ = shelf
    out.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            library.export(ExportSelection.everything(), "markdown", out / "l.md")
    finally:
        out.chmod(0o700)


def test_symlink_destination_writes_through_to_its_target(shelf, out: Path) -> None:
    library, _ = shelf
    real = out / "real.md"
    real.write_text("OLD", encoding="utf-8")
    (out / "link.md").symlink_to(real)
    report = library.export(ExportSelection.everything(), "markdown", out / "link.md")
    assert report.path == real
    assert (out / "link.md").is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# All papers")
