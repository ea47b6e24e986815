"""Reading a file's text again: `files PAPER --retry FILE_ID` and Library.retry_file."""

from __future__ import annotations

from pathlib import Path

import pytest
import worker_readers
from make_pdf import Page, make_pdf
from pdf_library_support import FIXTURES, run, run_json, simple_pdf

from storage.files.prepare import FileProblem
from storage.library import Library, NotFound
from storage.pdf import PdfWorker


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(capsys, folder, "import", str(FIXTURES / "lib_papers.bib"))
    assert code == 0, err
    return folder


@pytest.fixture
def failed(lib: Path, tmp_path: Path) -> int:
    """A file of paper 1 whose reading crashed (its text failed); its id."""
    pdf = tmp_path / "crashed.pdf"
    pdf.write_bytes(simple_pdf(["The narwhal tusk", "is a tooth"], ["page two"]))
    with Library(lib) as library:
        library._files.new_worker = lambda: PdfWorker(reader=worker_readers.crash)
        (file_id,) = library.attach(1, [pdf]).file_ids
        assert library.files(1)[0].text == "failed"
        assert library.search("narwhal").total == 0
    return file_id


def test_retry_reads_the_text_and_lists_the_files(lib: Path, failed: int, capsys) -> None:
    code, out, err = run(capsys, lib, "files", "1", "--retry", str(failed))
    assert code == 0 and err == ""
    line = out.splitlines()[0]
    assert line.split()[0] == str(failed) and "crashed.pdf  2 pages, " in line
    assert line.endswith(", indexed")
    hits = run_json(capsys, lib, "search", "narwhal", "--json")["hits"]
    assert [(hit["id"], hit["page"]) for hit in hits] == [(1, 1)]
    (entry,) = run_json(capsys, lib, "files", "1", "--json")
    assert entry["text"] == "indexed" and entry["pages"] == 2


def test_a_file_that_still_cannot_be_read_says_why(lib: Path, tmp_path: Path, capsys) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(make_pdf([Page()], user_password="pw"))
    code, _, err = run(capsys, lib, "attach", "2", str(locked))
    (entry,) = run_json(capsys, lib, "files", "2", "--json")
    assert entry["text"] == "failed"
    code, out, err = run(capsys, lib, "files", "2", "--retry", str(entry["id"]))
    assert code == 1 and "Traceback" not in err
    assert err.strip() == (
        "locked.pdf: encrypted, a password is needed to open it; its text is still not searchable"
    )
    assert "failed" in out  # the list of files follows all the same


def test_wrong_or_missing_files_are_one_line(lib: Path, failed: int, capsys) -> None:
    code, _, err = run(capsys, lib, "files", "2", "--retry", str(failed))
    assert code == 1 and err.strip().endswith(f"paper 2 has no file {failed}")
    code, _, err = run(capsys, lib, "files", "1", "--retry", "999")
    assert code == 1 and err.strip().endswith("paper 1 has no file 999")
    with Library(lib) as library:
        library.file_path(failed).unlink()
        with pytest.raises(FileProblem, match=r"crashed\.pdf: the library's copy .* is missing"):
            library.retry_file(1, failed)
        with pytest.raises(NotFound):
            library.retry_file(3, failed)
    code, _, err = run(capsys, lib, "files", "1", "--retry", str(failed))
    assert code == 1 and "attach the file again" in err and len(err.strip().splitlines()) == 1


def test_retry_that_still_fails_keeps_the_file_and_its_reason(lib: Path, failed: int) -> None:
    with Library(lib) as library:
        library._files.new_worker = lambda: PdfWorker(reader=worker_readers.crash)
        change = library.retry_file(1, failed)
        assert change.refused == 1 and "still not searchable" in change.messages[0]
        (view,) = library.files(1)
        assert view.text == "failed" and "crash" in (view.reason or "")
        library._files.new_worker = PdfWorker
        change = library.retry_file(1, failed)
        assert change.refused == 0 and change.messages == ()
        assert change.paper_ids == {1} and change.file_ids == (failed,)
        assert library.files(1)[0].reason is None
        assert [hit.page for hit in library.search('"narwhal tusk"').hits] == [1]
