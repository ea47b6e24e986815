"""Attaching and detaching PDFs: stored once by SHA-256, JSON shapes, bad files, rollback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from make_pdf import Page, make_pdf
from pdf_library_support import FIXTURES, run, run_json, simple_pdf, stored_files

from storage.files import ops as file_ops
from storage.library import Library, NotFound


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(capsys, folder, "import", str(FIXTURES / "lib_papers.bib"))
    assert code == 0, err
    return folder


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "notes on electra.pdf"
    path.parent.mkdir()
    path.write_bytes(simple_pdf(["Replaced token detection", "is sample efficient"], ["two"]))
    return path


def test_attach_shows_in_show_files_and_stats(lib: Path, pdf: Path, capsys) -> None:
    original = pdf.read_bytes()
    code, out, err = run(capsys, lib, "attach", "1", str(pdf))
    assert code == 0, err
    assert out.strip() == "1 file attached to paper 1"
    shown = run_json(capsys, lib, "show", "1", "--json")
    (entry,) = shown["files"]
    assert list(entry) == ["id", "name", "pages", "bytes", "sha256", "text"]
    assert entry["name"] == "notes on electra.pdf" and entry["pages"] == 2
    assert entry["bytes"] == len(original) and entry["text"] == "indexed"
    assert run_json(capsys, lib, "files", "1", "--json") == shown["files"]
    stats = run_json(capsys, lib, "stats", "--json")
    assert stats["files"] == 1 and stats["pages"] == 2
    code, out, _ = run(capsys, lib, "show", "1")
    assert f"   file: {entry['id']} notes on electra.pdf (2 pages, indexed)" in out.splitlines()
    assert pdf.read_bytes() == original  # the user's original is only read
    (stored,) = stored_files(lib)
    assert stored.name == f"{entry['sha256']}.pdf" and stored.read_bytes() == original
    with Library(lib) as library:
        assert library.file_path(entry["id"]) == stored
        (view,) = library.paper(1).files
        assert view.path == stored and view.paper_id == 1


def test_same_bytes_stored_once_and_removed_with_the_last_paper(lib: Path, pdf: Path) -> None:
    with Library(lib) as library:
        first = library.attach(1, [pdf])
        again = library.attach(1, [pdf])
        assert again.file_ids == () and "already attached to paper 1" in again.messages[0]
        assert not again.paper_ids
        other = library.attach(2, [pdf])
        assert len(stored_files(lib)) == 1
        (stored,) = stored_files(lib)
        library.detach(1, first.file_ids[0])
        assert stored.exists() and library.files(1) == []
        assert [f.id for f in library.files(2)] == list(other.file_ids)
        library.detach(2, other.file_ids[0])
        assert not stored.exists()
        with pytest.raises(NotFound, match="paper 2 has no file"):
            library.detach(2, other.file_ids[0])


def test_detach_command(lib: Path, pdf: Path, capsys) -> None:
    run(capsys, lib, "attach", "1", str(pdf))
    file_id = run_json(capsys, lib, "files", "1", "--json")[0]["id"]
    code, out, _ = run(capsys, lib, "detach", "1", str(file_id))
    assert code == 0 and out.strip() == f"file {file_id} removed from paper 1"
    code, _, err = run(capsys, lib, "detach", "1", str(file_id))
    assert code == 1 and err.strip() == f"papershelf: paper 1 has no file {file_id}"
    assert stored_files(lib) == []


BAD = {
    "empty.pdf": (b"", "empty file (0 bytes), not a PDF"),
    "letter.pdf": (b"Dear reader,\nthis is text.\n", "not a PDF (no %PDF- header)"),
}


@pytest.mark.parametrize("name", BAD)
def test_a_file_that_is_no_pdf_is_refused(lib: Path, tmp_path: Path, name: str, capsys) -> None:
    data, reason = BAD[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    before = run_json(capsys, lib, "stats", "--json")
    code, out, err = run(capsys, lib, "attach", "1", str(bad))
    assert code == 1 and "Traceback" not in err
    assert err.strip() == f"{bad}: {reason}"
    assert out.strip() == "0 files attached to paper 1"
    assert run_json(capsys, lib, "stats", "--json") == before
    assert stored_files(lib) == []


def test_unreadable_pdfs_stay_attached_with_their_status(lib: Path, tmp_path: Path, capsys):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([Page(image=True), Page(image=True)]))
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(make_pdf([Page()], user_password="pw"))
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(simple_pdf(["cut short"])[:300])
    code, out, err = run(capsys, lib, "attach", "2", str(scan), str(locked), str(cut))
    assert code == 0 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{scan}: no text layer")
    assert lines[1].startswith(f"{locked}: encrypted, a password is needed")
    assert lines[2].startswith(f"{cut}: damaged PDF")
    files = run_json(capsys, lib, "files", "2", "--json")
    assert [(f["name"], f["text"]) for f in files] == [
        ("scan.pdf", "no-text"),
        ("locked.pdf", "failed"),
        ("cut.pdf", "failed"),
    ]
    assert files[0]["pages"] == 2


def test_unknown_paper(lib: Path, pdf: Path, capsys) -> None:
    code, _, err = run(capsys, lib, "attach", "99", str(pdf))
    assert code == 1 and "no paper with id or citation key '99'" in err
    with Library(lib) as library, pytest.raises(NotFound):
        library.attach(99, [pdf])
    assert stored_files(lib) == []


def test_a_failed_write_leaves_no_stored_copy(lib: Path, pdf: Path, monkeypatch) -> None:
    def broken(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(file_ops, "insert_file", broken)
    with Library(lib) as library:
        with pytest.raises(sqlite3.OperationalError):
            library.attach(1, [pdf])
        assert library.files(1) == []
    assert stored_files(lib) == []


def test_a_copy_another_paper_uses_survives_a_failed_write(lib: Path, pdf: Path, monkeypatch):
    with Library(lib) as library:
        library.attach(2, [pdf])
        monkeypatch.setattr(file_ops, "insert_file", lambda *_a: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            library.attach(1, [pdf])
    assert len(stored_files(lib)) == 1


def test_a_version_2_library_gains_the_file_tables(tmp_path: Path, pdf: Path) -> None:
    Library(tmp_path / "old").close()
    with sqlite3.connect(tmp_path / "old" / "library.db") as conn:
        conn.execute("DROP TABLE file_page")
        conn.execute("DROP TABLE paper_file")
        conn.execute("PRAGMA user_version=2")
    with Library(tmp_path / "old") as library:
        library.import_file(FIXTURES / "lib_papers.bib")
        assert library.attach(1, [pdf]).file_ids
    with sqlite3.connect(tmp_path / "old" / "library.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 3
    assert list((tmp_path / "old" / "backups").glob("library-v2-*.db"))


def test_extraction_never_runs_in_the_callers_process(lib: Path, pdf: Path, monkeypatch) -> None:
    import sys

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("PDF read in the caller's process")

    for module in ("storage.pdf.extract", "storage.pdf.identify", "storage.pdf.worker"):
        for name in ("extract_text",):
            if hasattr(sys.modules[module], name):
                monkeypatch.setattr(sys.modules[module], name, refuse)
    with Library(lib) as library:
        assert library.attach(1, [pdf]).file_ids
        (view,) = library.files(1)
        assert view.text == "indexed" and view.pages == 2


def test_a_reader_crash_is_a_failed_file_not_a_crash(lib: Path, pdf: Path, tmp_path: Path):
    import worker_readers

    from storage.pdf import PdfWorker

    with Library(lib) as library:
        library._files.new_worker = lambda: PdfWorker(reader=worker_readers.crash)
        change = library.attach(1, [pdf])
        assert "made the PDF reader crash" in change.messages[0]
        (view,) = library.files(1)
        assert view.text == "failed" and "crash" in (view.reason or "")
        other = tmp_path / "unmatched.pdf"
        other.write_bytes(simple_pdf(["x"], title="Nothing Like Any Paper Here"))
        report = library.import_pdfs([other])
        assert report.new_ids == [] and "not imported" in report.failed[0]
        assert library.stats().papers == 3
