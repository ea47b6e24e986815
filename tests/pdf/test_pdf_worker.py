"""Reading PDFs in a worker process: results as in-process, hangs and crashes contained."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import worker_readers
from make_pdf import make_pdf, text_pages

from storage.pdf import FAILED, INDEXED
from storage.pdf.worker import PdfWorker, read_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"


def test_worker_gives_what_the_process_itself_would(tmp_path: Path) -> None:
    path = tmp_path / "2305.12345v2.pdf"
    path.write_bytes(make_pdf(text_pages(["Engines of Difference"], ["page two"])))
    with PdfWorker(timeout=30) as worker:
        for source in (path, path.read_bytes(), FIXTURES / "crazyones.pdf"):
            name = path.name if isinstance(source, bytes) else None
            assert worker.read(source, name) == read_pdf(
                source if isinstance(source, bytes) else str(source), name, 5000, 200_000
            )
        text, identity = worker.read(path)
        assert text.status == INDEXED and text.pages[1] == "page two"
        assert identity.arxiv_id == "2305.12345"
        locked, _identity = worker.read(FIXTURES / "r6-user-password.pdf", "locked.pdf")
        assert locked.reason == "locked.pdf: encrypted, a password is needed to open it"


def test_a_hanging_file_is_stopped_and_the_next_one_read(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(make_pdf(text_pages(["Readable"])))
    with PdfWorker(timeout=1.5, reader=worker_readers.slow) as worker:
        text, identity = worker.read(path, "slow 2305.12345.pdf")
        assert text.status == FAILED
        assert text.reason == "slow 2305.12345.pdf: took longer than 1.5 s; stopped"
        assert identity.arxiv_id == "2305.12345"  # the name still says which paper
        after, _identity = worker.read(path, "paper.pdf")
        assert after.status == INDEXED and after.pages == ["Readable"]


def test_a_crash_is_a_failed_file() -> None:
    with PdfWorker(timeout=30, reader=worker_readers.crash) as worker:
        text, _identity = worker.read(b"%PDF-1.4", "boom.pdf")
    assert text.status == FAILED
    assert text.reason.startswith("boom.pdf: made the PDF reader crash (exit code")


@pytest.mark.skipif(sys.platform == "win32", reason="no address-space limit on Windows")
def test_memory_is_capped() -> None:
    with PdfWorker(timeout=30, memory_mb=512, reader=worker_readers.hog) as worker:
        text, _identity = worker.read(b"%PDF-1.4", "huge.pdf")
    assert text.status == FAILED and text.reason == "huge.pdf: needs more than 512 MB of memory"


def test_a_bug_in_the_reader_is_reported_not_raised() -> None:
    with PdfWorker(timeout=30, reader=worker_readers.broken) as worker:
        text, _identity = worker.read(b"%PDF-1.4", "x.pdf")
    assert text.reason == "x.pdf: could not be read (RuntimeError: a bug)"
