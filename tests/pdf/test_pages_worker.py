"""The reader's PDF process: answers as in-process; bad files, hangs and crashes contained."""

from __future__ import annotations

import threading
from pathlib import Path

import page_servers
import pytest
from make_pdf import Page, column, make_pdf, text_pages
from pdf_library_support import paper_like_pdf

from storage.pdfpages import (
    Link,
    OutlineItem,
    PagesError,
    PdfPages,
    Rect,
    document_info,
    open_document,
    page_links,
    page_text,
    render_page,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def linked_pdf() -> bytes:
    """Three pages: page 1 links to page 3 and to an address; an outline of four entries."""
    first = Page(
        column(["See the Results section", "or the project page"]),
        links=[((72, 715, 200, 730), 2), ((72, 700, 200, 712), "https://example.org/project")],
    )
    second = Page(column(["Methods, and the address https://example.net/data in the text"]))
    third = Page(column(["Results are here"]))
    outline = [("Introduction", 0, 0), ("Methods", 1, 0), ("Data", 1, 1), ("Results", 2, 0)]
    return make_pdf([first, second, third], outline=outline)


def test_the_process_answers_as_this_process_does(tmp_path: Path) -> None:
    path = write(tmp_path, "paper.pdf", paper_like_pdf())
    document = open_document(path, "paper.pdf")
    with PdfPages(timeout=30) as pages:
        info = pages.open(path)
        assert info == document_info(document, "paper.pdf") and info.page_count == 5
        assert info.sizes == [(612.0, 792.0)] * 5
        for index in range(5):
            text = pages.text(index)
            local = page_text(document, index)
            assert (text.text, list(text.boxes), text.page) == (
                local.text, list(local.boxes), local.page
            )  # fmt: skip
        drawn = pages.render(0, 1.5)
        assert drawn == render_page(document, 0, 1.5)
        assert (drawn.width, drawn.height) == (918, 1188) and drawn.stride >= 4 * drawn.width
        assert min(drawn.data[: 4 * drawn.width]) == 255  # a white top row
        assert min(drawn.data) < 64  # and some dark text
    document.close()


def test_outline_and_links(tmp_path: Path) -> None:
    path = write(tmp_path, "linked.pdf", linked_pdf())
    with PdfPages(timeout=30) as pages:
        info = pages.open(path, "linked.pdf")
        assert [(item.title, item.level, item.page) for item in info.outline] == [
            ("Introduction", 0, 0),
            ("Methods", 0, 1),
            ("Data", 1, 1),
            ("Results", 0, 2),
        ]
        assert isinstance(info.outline[0], OutlineItem) and info.outline[0].top == 792
        assert pages.links(0) == [
            Link(Rect(72, 715, 200, 730), page=2, top=792.0),
            Link(Rect(72, 700, 200, 712), uri="https://example.org/project"),
        ]
        (web,) = pages.links(1)  # an address written in the text is a link too
        assert web.uri == "https://example.net/data" and web.page is None
        text = pages.text(1)
        (span,) = text.find("https://example.net/data")
        (rect,) = text.rects(span)
        assert web.rect.left == pytest.approx(rect.left, abs=1)
        assert web.rect.right == pytest.approx(rect.right, abs=1)
        assert pages.links(2) == []
    assert document_info(open_document(paper_like_pdf(), "p.pdf"), "p.pdf").outline == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "empty.pdf: empty file (0 bytes), not a PDF"),
        ("notes.pdf", b"just some text\n", "notes.pdf: not a PDF (no %PDF- header)"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "cut.pdf: damaged PDF"),
    ],
)
def test_a_file_that_cannot_be_opened_says_why_in_one_line(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = write(tmp_path, name, data)
    with PdfPages(timeout=30) as pages, pytest.raises(PagesError) as caught:
        pages.open(path)
    assert caught.value.message.startswith(message) and "\n" not in caught.value.message


def test_an_encrypted_file_and_a_missing_one(tmp_path: Path) -> None:
    with PdfPages(timeout=30) as pages:
        with pytest.raises(PagesError, match="^locked.pdf: encrypted, a password is needed"):
            pages.open(FIXTURES / "r6-user-password.pdf", "locked.pdf")
        with pytest.raises(PagesError, match="^gone.pdf: cannot read the file"):
            pages.open(tmp_path / "gone.pdf")
        info = pages.open(FIXTURES / "pdflatex-outline.pdf")  # the same process goes on
        assert info.page_count == 4 and len(info.outline) == 9


def test_a_page_that_hangs_is_stopped_and_the_others_still_draw(tmp_path: Path) -> None:
    path = write(tmp_path, "slow.pdf", make_pdf(text_pages(["one"], ["two"], ["three"])))
    with PdfPages(timeout=1.5, server=page_servers.SlowPageTwo) as pages:
        pages.open(path)
        with pytest.raises(PagesError) as caught:
            pages.render(1, 1.0)
        assert caught.value.message == "slow.pdf, page 2: took longer than 1.5 s; stopped"
        assert pages.render(2, 1.0).index == 2  # a new process, the file opened again
        assert pages.text(1).text == "two"  # the page's text is another request
        with pytest.raises(PagesError, match="took longer"):
            pages.render(1, 2.0)  # not tried again: fails at once
        assert pages.restarts == 1  # no process was stopped for it


def test_a_crash_costs_one_page(tmp_path: Path) -> None:
    path = write(tmp_path, "crashy.pdf", make_pdf(text_pages(["one"], ["two"], ["three"])))
    with PdfPages(timeout=30, server=page_servers.CrashOnPageThree) as pages:
        pages.open(path)
        with pytest.raises(PagesError) as caught:
            pages.text(2)
        assert (
            caught.value.message == "crashy.pdf, page 3: made the PDF reader crash (exit code -11)"
        )
        assert pages.text(0).text == "one" and pages.render(2, 1.0).width == 612


def test_a_bug_in_the_process_is_a_message(tmp_path: Path) -> None:
    path = write(tmp_path, "paper.pdf", make_pdf(text_pages(["one"])))
    with PdfPages(timeout=30, server=page_servers.Buggy) as pages:
        pages.open(path)
        with pytest.raises(PagesError, match="^paper.pdf: RuntimeError: a bug$"):
            pages.links(0)
        assert pages.text(0).text == "one" and pages.restarts == 0
        with pytest.raises(PagesError, match="^paper.pdf: no page 9 \\(the file has 1\\)$"):
            pages.render(8, 1.0)
        with pytest.raises(PagesError, match="too large to draw"):
            pages.render(0, 100.0)


def test_nothing_open_and_closing_twice() -> None:
    pages = PdfPages(timeout=30)
    with pytest.raises(PagesError, match="no document is open"):
        pages.text(0)
    pages.close()
    pages.close()


def test_links_in_this_process_match(tmp_path: Path) -> None:
    document = open_document(linked_pdf(), "linked.pdf")
    try:
        assert [link.page for link in page_links(document, 0)] == [2, None]
    finally:
        document.close()


def test_abort_from_another_thread_ends_a_request_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "slow.pdf", make_pdf(text_pages(["one"], ["two"])))
    with PdfPages(timeout=30, server=page_servers.SlowPageTwo) as pages:
        pages.open(path)
        timer = threading.Timer(0.5, pages.abort)
        timer.start()
        with pytest.raises(PagesError, match="crash"):
            pages.render(1, 1.0)  # aborted after 0.5 s, not left to its 30 s timeout
        timer.join()
