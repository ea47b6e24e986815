"""`check` and `check --repair` on files, and the JSON backup's file records."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from pdf_library_support import FIXTURES, run, run_json, simple_pdf, stored_files

from storage.files import checking
from storage.library import Library


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(capsys, folder, "import", str(FIXTURES / "lib_papers.bib"))
    assert code == 0, err
    for pid, words in ((1, "electra tokens"), (2, "sparse heads")):
        pdf = tmp_path / f"p{pid}.pdf"
        pdf.write_bytes(simple_pdf([f"{words} on page one"], [f"{words} on page two"]))
        code, _, err = run(capsys, folder, "attach", str(pid), str(pdf))
        assert code == 0, err
    return folder


def _file(capsys, lib: Path, pid: int) -> dict:
    return run_json(capsys, lib, "files", str(pid), "--json")[0]


def test_check_reports_missing_and_altered_copies(lib: Path, capsys) -> None:
    assert run(capsys, lib, "check")[0] == 0
    one, two = _file(capsys, lib, 1), _file(capsys, lib, 2)
    first, second = (lib / "files" / f[:2] / f"{f}.pdf" for f in (one["sha256"], two["sha256"]))
    first.unlink()
    with second.open("ab") as handle:
        handle.write(b"% appended\n")
    code, out, _ = run(capsys, lib, "check")
    assert code == 1
    missing = f"file: {one['id']} 'p1.pdf' of paper 1: the stored copy {first} is missing"
    assert f"problem: {missing}\n" in out
    assert f"file: {two['id']} 'p2.pdf' of paper 2: the stored copy {second} was altered" in out


def test_repair_reextracts_failed_and_pending_text(lib: Path, capsys) -> None:
    with sqlite3.connect(lib / "library.db") as conn:
        conn.execute("UPDATE paper_file SET text_status='failed', reason='x: took too long'")
        conn.execute("UPDATE paper_file SET text_status='pending', reason=NULL WHERE paper_id=2")
        conn.execute("DELETE FROM file_page")
    code, out, _ = run(capsys, lib, "check")
    assert code == 1
    assert "failed: x: took too long (check --repair retries)" in out
    assert "pending: text not extracted yet (check --repair retries)" in out
    code, out, _ = run(capsys, lib, "check", "--repair")
    assert code == 0, out
    assert out.count("text extracted again (indexed)") == 2
    assert _file(capsys, lib, 1)["text"] == "indexed"
    with sqlite3.connect(lib / "library.db") as conn:
        assert conn.execute("SELECT count(*) FROM file_page").fetchone() == (4,)
    assert run(capsys, lib, "check")[0] == 0


def test_stray_stored_copies_are_reported_and_removed(lib: Path, capsys, monkeypatch) -> None:
    with Library(lib) as library:
        library.delete_papers([1])  # the row goes with the paper; the copy stays for undo
    assert len(stored_files(lib)) == 2
    code, out, _ = run(capsys, lib, "check")
    assert code == 0 and "problem" not in out  # a fresh copy may belong to an attach under way
    monkeypatch.setattr(checking, "STRAY_AGE", -1.0)
    code, out, _ = run(capsys, lib, "check")
    assert code == 1 and "1 stored copies in files/ belong to no paper" in out
    code, out, _ = run(capsys, lib, "check", "--repair")
    assert code == 0 and "removed 1 stored copies no paper uses" in out
    assert len(stored_files(lib)) == 1


def test_undo_of_a_delete_brings_the_file_back(lib: Path) -> None:
    with Library(lib) as library:
        _change, snapshot = library.delete_papers([1])
        assert library.stats().files == 1
        library.restore_papers(snapshot)
        (view,) = library.files(1)
        assert view.text == "indexed" and view.pages == 2 and view.name == "p1.pdf"


def test_backup_keeps_file_records_and_relinks_present_files(
    lib: Path, tmp_path: Path, capsys
) -> None:
    backup = tmp_path / "backup.json"
    code, _, err = run(capsys, lib, "export", "--all", "--format", "json", "-o", str(backup))
    assert code == 0, err
    papers = json.loads(backup.read_text(encoding="utf-8"))["papers"]
    one = _file(capsys, lib, 1)
    assert papers[0]["files"] == [
        {"name": "p1.pdf", "sha256": one["sha256"], "pages": 2, "bytes": one["bytes"],
         "status": "indexed"}
    ]  # fmt: skip
    assert papers[2]["files"] == []
    # a new library holding only the first file's bytes in files/
    fresh = tmp_path / "fresh"
    (fresh / "files" / one["sha256"][:2]).mkdir(parents=True)
    shutil.copy2(
        lib / "files" / one["sha256"][:2] / f"{one['sha256']}.pdf",
        fresh / "files" / one["sha256"][:2],
    )
    code, out, err = run(capsys, fresh, "import", str(backup))
    assert code == 0, err
    assert "not re-linked to paper 2" in err and "p2.pdf" in err
    relinked = run_json(capsys, fresh, "files", "1", "--json")
    assert relinked == [{**one, "id": relinked[0]["id"]}]
    assert run_json(capsys, fresh, "files", "2", "--json") == []
    stats = run_json(capsys, fresh, "stats", "--json")
    assert (stats["files"], stats["pages"]) == (1, 2)
    assert run(capsys, fresh, "check")[0] == 0


def test_other_exports_do_not_change(lib: Path, tmp_path: Path, capsys) -> None:
    for fmt in ("bibtex", "csl-json", "csv"):
        out = tmp_path / f"x.{fmt}"
        assert run(capsys, lib, "export", "--all", "--format", fmt, "-o", str(out))[0] == 0
        text = out.read_text(encoding="utf-8")
        assert "p1.pdf" not in text and "sha256" not in text


