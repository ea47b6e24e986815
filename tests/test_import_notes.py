"""Import notes apart from skips: an entry imported with a remark (a placeholder title, replaced
invalid Unicode, a missing `ER` line) is a note, not "skipped" (issues 10 and 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from storage.library import Library

# Line 1: an untitled record with authors (placeholder); line 6: one with nothing to name it
# (skipped); line 9: a normal record; line 14: one cut short without `ER` (imported).
RIS = (
    "TY  - JOUR\nAU  - Quokka, Ann\nPY  - 2019\nER  - \n\n"
    "TY  - JOUR\nER  - \n\n"
    "TY  - JOUR\nTI  - Wombat burrows\nAU  - Numbat, Bo\nER  - \n\n"
    "TY  - JOUR\nTI  - Bilby ears\nAU  - Dunnart, Cy\n"
)
CSL = '[{"type": "article", "title": "Bad \\ud800 surrogate", "author": [{"family": "Lee"}]}]'


@pytest.fixture
def ris(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.ris"
    path.write_text(RIS, encoding="utf-8")
    return path


def test_report_counts_notes_apart_from_skips(tmp_path: Path, ris: Path) -> None:
    with Library(tmp_path / "lib") as library:
        report = library.import_file(ris)
        assert len(report.new_ids) == 3
        assert report.warnings == [
            f"{ris}:6: RIS record without a title or anything else to name it skipped"
        ]
        assert [note.split(": note: ")[0] for note in report.notes] == [f"{ris}:1", f"{ris}:14"]
        assert "imported as '[Untitled] Quokka 2019'" in report.notes[0]
        assert report.summary() == (
            f"{ris}: 3 new, 0 merged, 0 already present, 1 skipped, 2 notes"
        )


def test_a_replaced_surrogate_is_a_note_not_a_skip(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(CSL, encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        report = library.import_file(path)
        assert len(report.new_ids) == 1 and report.warnings == []
        assert report.summary().endswith("1 new, 0 merged, 0 already present, 0 skipped, 1 note")
        assert report.notes == [
            f"{path}:1: note: invalid Unicode (a lone surrogate escape) replaced with U+FFFD"
        ]


def test_a_dropped_json_field_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_text(
        '{"format": "papershelf", "version": 1, "papers": ['
        '{"title": "Kept", "rating": 9}, {"rating": 2}]}',
        encoding="utf-8",
    )
    with Library(tmp_path / "lib") as library:
        report = library.import_file(path)
        assert len(report.new_ids) == 1
        assert len(report.warnings) == 1 and "skipped" in report.warnings[0]
        assert len(report.notes) == 1 and "rating" in report.notes[0]


def test_cli_prints_notes_and_skips_on_stderr(tmp_path: Path, ris: Path, capsys) -> None:
    code = main(["--library", str(tmp_path / "lib"), "import", str(ris)])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip() == f"{ris}: 3 new, 0 merged, 0 already present, 1 skipped, 2 notes"
    lines = err.splitlines()
    assert f"{ris}:6: RIS record without a title or anything else to name it skipped" in lines
    assert any(line.startswith(f"{ris}:1: note: RIS record without a title") for line in lines)
    assert any(line.startswith(f"{ris}:14: note: RIS record has no `ER` line") for line in lines)
    assert len(lines) == 3


def test_bibtex_remarks_on_imported_entries_are_notes(tmp_path: Path) -> None:
    path = tmp_path / "remarks.bib"
    path.write_text(
        "@article{a, title = {One}, title = {Again}, year = 2020}\n"  # repeated field: kept
        "@article{a, title = {Two}, journal = undefinedmacro}\n",  # key reused, macro unknown
        encoding="utf-8",
    )
    with Library(tmp_path / "lib") as library:
        report = library.import_file(path)
        assert len(report.new_ids) == 2
        assert report.warnings == [] and len(report.notes) == 3
