"""The JSON backup keeps highlights (colour, rects, file, annotation identity) and the reading
position: importing it into an empty library gives them back, linked to the re-linked file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from highlight_support import PAGE_ONE, PAGE_TWO, library_with_pdf, line_rect

from storage.exporting import ExportSelection
from storage.library import Library


@pytest.fixture
def shelf(tmp_path: Path):
    library, pid, file_id = library_with_pdf(tmp_path / "lib", tmp_path)
    library.add_highlight(pid, file_id, 1, [line_rect(0), line_rect(1)], PAGE_ONE[0], "green",
                          "**Burrows** <script>x</script>")  # fmt: skip
    library.add_highlight(
        pid, file_id, 2, [line_rect(1, page=PAGE_TWO)], PAGE_TWO[1], "purple"
    )
    library.add_note(pid, "plain note", quote="a quote", page="xii")
    library.set_reading_position(pid, file_id, 2)
    yield library, pid, file_id
    library.close()


def notes_of(library: Library) -> list[tuple]:
    (pid,) = library.paper_ids()
    return [
        (n.body, n.quote, n.page, n.page_label, n.color, n.rects, n.file_sha256, n.source_key)
        + (n.created_at, n.updated_at, n.file_id is not None)
        for n in library.paper(pid).notes
    ]


def backup(library: Library, path: Path) -> dict:
    library.export(ExportSelection.everything(), "json", path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_backup_writes_every_highlight_field(shelf, tmp_path: Path) -> None:
    library, _pid, _file_id = shelf
    (paper,) = backup(library, tmp_path / "b.json")["papers"]
    sha = paper["files"][0]["sha256"]
    first, second, plain = paper["notes"]
    assert first["rects"] == [list(line_rect(0)), list(line_rect(1))]
    assert (first["page"], first["color"], first["file_sha256"], first["source"]) == (
        "1", "green", sha, None
    )
    assert (second["page"], second["color"]) == ("2", "purple")
    assert (plain["page"], plain["color"], plain["rects"], plain["file_sha256"]) == (
        "xii", None, None, None
    )
    assert paper["reading"]["file_sha256"] == sha and paper["reading"]["page"] == 2


def test_import_into_an_empty_library_gives_the_highlights_back(shelf, tmp_path: Path) -> None:
    library, pid, _ = shelf
    backup(library, tmp_path / "b.json")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copytree(library.folder / "files", fresh / "files")  # the bytes stay in files/
    with Library(fresh) as copy:
        report = copy.import_file(tmp_path / "b.json")
        assert report.warnings == [] and report.notes == []
        assert notes_of(copy) == notes_of(library)
        (new_pid,) = copy.paper_ids()
        (view,) = copy.files(new_pid)
        assert [h.file_id for h in copy.highlights(paper_id=new_pid)] == [view.id, view.id]
        assert [(h.page, h.color) for h in copy.highlights(file_id=view.id)] == [
            (1, "green"), (2, "purple")
        ]
        position = copy.reading_position(new_pid)
        assert (position.file_id, position.page) == (view.id, 2)
        # importing the same backup again adds nothing
        again = copy.import_file(tmp_path / "b.json")
        assert again.unchanged_ids == [new_pid] and len(copy.paper(new_pid).notes) == 3


def test_without_the_file_the_highlights_stay_as_notes(shelf, tmp_path: Path) -> None:
    library, _, _ = shelf
    backup(library, tmp_path / "b.json")
    with Library(tmp_path / "bare") as copy:
        report = copy.import_file(tmp_path / "b.json")
        assert any("not re-linked" in line for line in report.notes)
        (pid,) = copy.paper_ids()
        notes = copy.paper(pid).notes
        assert [(n.quote, n.color, n.file_id) for n in notes[:2]] == [
            (PAGE_ONE[0], "green", None), (PAGE_TWO[1], "purple", None)
        ]
        assert copy.highlights(paper_id=pid) == [] and notes[0].rects
        assert copy.reading_position(pid).file_id is None


def test_doubtful_highlight_values_are_dropped_with_a_note(shelf, tmp_path: Path) -> None:
    library, _, _ = shelf
    document = backup(library, tmp_path / "b.json")
    note = document["papers"][0]["notes"][0]
    note.update(color="chartreuse", rects=[[1, 2, 3]], file_sha256="abc")
    document["papers"][0]["reading"] = {"file_sha256": "nope", "page": 0}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    with Library(tmp_path / "other") as copy:
        report = copy.import_file(broken)
        text = "\n".join(report.notes)
        assert "highlight colour 'chartreuse' is unknown; dropped" in text
        assert "highlight rects are not [[x0, y0, x1, y1], ...]; dropped" in text
        assert "file_sha256 is not a SHA-256; dropped" in text
        assert "reading position without a file and a page; dropped" in text
        (pid,) = copy.paper_ids()
        first = copy.paper(pid).notes[0]
        assert (first.quote, first.color, first.rects) == (PAGE_ONE[0], None, ())
        assert copy.reading_position(pid) is None


def test_an_old_backup_with_text_pages_still_reads(tmp_path: Path) -> None:
    old = {
        "format": "papershelf",
        "version": 1,
        "papers": [{"title": "Old", "notes": [{"body": "b", "quote": "q", "page": "p. 4"}]}],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        library.import_file(path)
        (note,) = library.paper(library.paper_ids()[0]).notes
        assert (note.page, note.page_label, note.color, note.rects) == (4, None, None, ())


def test_a_file_repeating_an_annotation_identity_keeps_both_notes(tmp_path: Path) -> None:
    """A hand-edited backup may repeat a note's `source`: both notes are kept (the second as a
    note of its own), the import does not fail on the identity being unique per paper."""
    key = "ab" * 32 + ":1:nm:{a1}"
    document = {
        "format": "papershelf",
        "version": 1,
        "papers": [{"title": "Twice", "notes": [
            {"body": "first", "source": key}, {"body": "second", "source": key}
        ]}],
    }  # fmt: skip
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        library.import_file(path)
        notes = library.paper(library.paper_ids()[0]).notes
        assert [(n.body, n.source_key) for n in notes] == [("first", key), ("second", None)]
        assert library.import_file(path).unchanged_ids  # again: nothing new
        assert len(library.paper(library.paper_ids()[0]).notes) == 2
