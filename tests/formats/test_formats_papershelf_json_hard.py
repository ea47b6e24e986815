"""The JSON backup's edge cases (issue 10: tags without papers, empty lists, an empty library)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storage.exporting import ExportSelection
from storage.formats.papershelf_json import parse_papershelf_json, write_papershelf_json
from storage.library import Library
from storage.records import PaperRecord
from storage.views import TagCount

REPO = Path(__file__).resolve().parents[2]
CSL = '[{"id": "lind2020", "title": "A Kept Paper", "author": [{"family": "Lind"}]}]'


def _cli(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--library", str(library), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_tags_without_papers_and_empty_lists_survive_the_backup(tmp_path: Path):
    source = tmp_path / "papers.json"
    source.write_text(CSL, encoding="utf-8")
    backup = tmp_path / "backup.json"
    with Library(tmp_path / "old") as old:
        (pid,) = old.import_file(source).new_ids
        old.add_tags([pid], ["kept", "orphan"])
        old.remove_tags([pid], ["orphan"])  # the tag stays in the library with no paper
        old.create_list("Empty for now", "to fill later")
        assert TagCount("orphan", 0) in old.tag_counts()
        old.export(selection=ExportSelection.everything(), fmt="json", path=backup)
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["tags"] == ["orphan"]
    with Library(tmp_path / "new") as new:
        report = new.import_file(backup)
        assert len(report.new_ids) == 1 and report.warnings == []
        assert new.tag_counts() == [TagCount("kept", 1), TagCount("orphan", 0)]
        assert [(s.name, s.description, s.count) for s in new.lists()] == [
            ("Empty for now", "to fill later", 0)
        ]


def test_exported_empty_library_imports_back_as_nothing(tmp_path: Path):
    backup = tmp_path / "empty.json"
    done = _cli(tmp_path / "empty", "export", "--all", "--format", "json", "-o", str(backup))
    assert done.returncode == 0, done.stderr
    done = _cli(tmp_path / "other", "import", str(backup))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "0 new, 0 merged, 0 already present, 0 skipped" in done.stdout
    stats = _cli(tmp_path / "other", "stats", "--json")
    assert json.loads(stats.stdout)["papers"] == 0


def test_writer_and_reader_carry_bare_tags():
    text = write_papershelf_json([PaperRecord(title="T")], [], ["alone", "also alone"])
    assert parse_papershelf_json(text).tags == ["alone", "also alone"]
    empty = parse_papershelf_json(write_papershelf_json([], [], ["only a tag"]))
    assert (empty.records, empty.lists, empty.tags) == ([], [], ["only a tag"])
    old_shape = '{"format": "papershelf", "version": 1, "papers": [], "lists": []}'
    assert parse_papershelf_json(old_shape).records == []  # written before `tags` existed


def test_lone_surrogate_in_a_backup_is_replaced(tmp_path: Path):
    path = tmp_path / "fuzzed.json"
    path.write_text(
        '{"format": "papershelf", "version": 1, "papers": [{"title": "Bad \\udabc here",'
        ' "tags": ["x\\ud800"], "notes": [{"body": "note \\udfff"}]}], "tags": ["\\udc00"]}',
        encoding="utf-8",
    )
    with Library(tmp_path / "lib") as library:
        report = library.import_file(path)
        (pid,) = report.new_ids
        detail = library.paper(pid)
        assert detail.title == "Bad \ufffd here" and detail.tags == ("x\ufffd",)
        assert detail.notes[0].body == "note \ufffd"
        assert f"{path}: note: paper #1: invalid Unicode" in report.notes[0]
        assert report.warnings == []
