"""PDF files in the window: the Files section, attach and remove, drops, "p. 7" by a text hit."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))
from gui_support import settle  # noqa: E402
from make_pdf import Page, make_pdf, text_pages  # noqa: E402

from app.gui.files import file_size, page_label  # noqa: E402
from storage.library import Library  # noqa: E402

pytestmark = pytest.mark.gui

No = QMessageBox.StandardButton.No
Yes = QMessageBox.StandardButton.Yes


def write_pdf(path: Path, title: str, pages: int = 7, word: str = "zebra") -> Path:
    """A paper-like PDF whose last page (page `pages`) holds `word`, and no other page does."""
    texts = [
        [title, "Ada Lovelace", f"Page {n} of a paper about small models."] for n in range(1, pages)
    ]
    texts.append([f"On this page the {word} crossing is measured.", "The end."])
    path.write_bytes(make_pdf(text_pages(*texts), info={"Title": title}))
    return path


def mime_for(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def drop_at(window, point: QPoint, paths: list[Path]) -> QDropEvent:
    """A drag over the window and a drop of paths at a point in its coordinates."""
    mime = mime_for(paths)
    with warnings.catch_warnings():  # PySide6 offers only the deprecated QPoint constructor
        warnings.simplefilter("ignore", DeprecationWarning)
        move = QDragMoveEvent(
            point,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    window.dragMoveEvent(move)
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    return drop


def row_point(window, pid: int) -> QPoint:
    """The middle of paper pid's title cell, in window coordinates."""
    table = window.table
    row = table.paper_model().row_of(pid)
    assert row is not None
    column = next(
        c for c in range(table.paper_model().columnCount()) if not table.isColumnHidden(c)
    )
    rect = table.visualRect(table.paper_model().index(row, column))
    return table.viewport().mapTo(window, rect.center())


def show(window, pid: int) -> None:
    window.table.select_ids([pid], pid)
    window.show_current()
    assert window.detail.current_paper_id == pid


def test_attach_from_the_detail_pane(
    qtbot, window, library: Library, tmp_path, monkeypatch
) -> None:
    pdf = write_pdf(tmp_path / "study.pdf", "Zebra crossings in small models")
    original = pdf.read_bytes()
    show(window, 3)
    section = window.detail.files
    assert section.rows == [] and section.empty.isVisibleTo(window.detail)
    asked: list[str] = []

    def choose(_parent, _title, _folder, filters):
        asked.append(filters)
        return [str(pdf)], filters

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    with qtbot.waitSignal(window.attacher.finished, timeout=30_000):
        qtbot.mouseClick(section.attach_button, Qt.MouseButton.LeftButton)
    assert "*.pdf" in asked[0]
    (stored,) = library.files(3)
    assert stored.name == "study.pdf" and stored.pages == 7 and stored.text == "indexed"
    (row,) = window.detail.files.rows
    assert row.name.text() == "study.pdf"
    assert row.status.text().startswith("7 pages · ")
    assert "text searchable" in row.status.text()
    assert not section.empty.isVisibleTo(window.detail)
    assert pdf.read_bytes() == original  # the user's file is only read


def test_a_file_that_is_no_pdf_is_refused_with_its_name(
    qtbot, window, library: Library, dialogs, tmp_path, monkeypatch
) -> None:
    fake = tmp_path / "notes.pdf"
    fake.write_text("just some words, not a PDF", encoding="utf-8")
    show(window, 6)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *_a: ([str(fake)], "PDF"))
    )
    with qtbot.waitSignal(window.attacher.finished, timeout=30_000):
        qtbot.mouseClick(window.detail.files.attach_button, Qt.MouseButton.LeftButton)
    assert library.files(6) == [] and window.detail.files.rows == []
    (warning,) = dialogs.titles("warning")
    assert warning.startswith("Not attached: ") and "notes.pdf" in warning


def test_remove_asks_first_and_keeps_the_file_on_no(
    qtbot, window, library: Library, dialogs, tmp_path
) -> None:
    pdf = write_pdf(tmp_path / "keep.pdf", "Kept for a while")
    library.attach(2, [pdf])
    show(window, 2)
    (row,) = window.detail.files.rows
    dialogs.answer = No
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    assert any("keep.pdf" in text for text in dialogs.titles("question"))
    assert len(library.files(2)) == 1 and len(window.detail.files.rows) == 1

    dialogs.answer = Yes
    qtbot.mouseClick(window.detail.files.rows[0].remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)  # removed on the write lane
    assert library.files(2) == []
    assert window.detail.files.rows == []
    assert pdf.is_file()  # the user's original stays


def test_open_and_show_in_folder_use_the_stored_copy(
    qtbot, window, library: Library, tmp_path, monkeypatch
) -> None:
    library.attach(1, [write_pdf(tmp_path / "open.pdf", "Opened")])
    show(window, 1)
    opened: list[QUrl] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True)
    )
    (row,) = window.detail.files.rows
    qtbot.mouseClick(row.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(row.show_button, Qt.MouseButton.LeftButton)
    stored = library.file_path(row.view.id)
    assert [Path(url.toLocalFile()) for url in opened] == [stored, stored.parent]
    assert stored.read_bytes() == (tmp_path / "open.pdf").read_bytes()


def test_a_scan_says_no_text_with_the_reason_as_plain_text(
    qtbot, window, library: Library, tmp_path
) -> None:
    scan = tmp_path / "<b>scan<i>.pdf"
    scan.write_bytes(make_pdf([Page(image=True), Page(image=True)]))
    library.attach(4, [scan])
    show(window, 4)
    (row,) = window.detail.files.rows
    assert row.view.text == "no-text"
    assert row.name.text() == "<b>scan<i>.pdf"
    assert row.name.textFormat() == Qt.TextFormat.PlainText
    assert "no text layer" in row.status.text()
    tip = row.status.toolTip()
    assert "scan" in tip and "<b>" not in tip.replace("&lt;b&gt;", "")


def test_dropping_a_pdf_and_a_folder_on_the_window_imports_them(
    qtbot, window, library: Library, tmp_path
) -> None:
    single = write_pdf(tmp_path / "single.pdf", "Wholly new work on zebras")
    folder = tmp_path / "inbox" / "deeper"
    folder.mkdir(parents=True)
    write_pdf(folder / "nested.pdf", "Another unseen paper about stripes")
    point = window.sidebar.mapTo(window, QPoint(20, 20))  # not over a paper row
    with qtbot.waitSignal(window.importer.finished, timeout=60_000) as blocker:
        drop = drop_at(window, point, [single, tmp_path / "inbox"])
    assert drop.isAccepted()
    outcome = blocker.args[0]
    assert sorted(Path(r.source).name for r in outcome.reports) == ["inbox", "single.pdf"]
    assert not outcome.failures
    settle(qtbot, window)
    assert window.sidebar.count_of(("all", None)) == 14
    titles = {library.paper(pid).title for r in outcome.reports for pid in r.new_ids}
    assert titles == {"Wholly new work on zebras", "Another unseen paper about stripes"}
    assert window.importer.summary is not None and window.importer.summary.isVisible()


def test_dropping_a_pdf_on_a_row_attaches_it_to_that_paper(
    qtbot, window, library: Library, tmp_path
) -> None:
    pdf = write_pdf(tmp_path / "dropped.pdf", "Something else entirely")
    pid = window.model.id_at(4)
    with qtbot.waitSignal(window.attacher.finished, timeout=30_000):
        drop = drop_at(window, row_point(window, pid), [pdf])
    assert drop.isAccepted()
    assert [f.name for f in library.files(pid)] == ["dropped.pdf"]
    assert window.sidebar.count_of(("all", None)) == 12  # attached, not imported as a paper
    assert window.importer.last_outcome is None
    assert window.statusBar().currentMessage() == "Attached 1 file."
    show(window, pid)
    assert [row.view.name for row in window.detail.files.rows] == ["dropped.pdf"]


def test_dropping_a_pdf_on_the_detail_pane_attaches_it_to_the_paper_shown(
    qtbot, window, library: Library, tmp_path
) -> None:
    pdf = write_pdf(tmp_path / "on-details.pdf", "Dropped on the details")
    show(window, 7)
    point = window.detail.mapTo(window, window.detail.rect().center())
    with qtbot.waitSignal(window.attacher.finished, timeout=30_000):
        drop_at(window, point, [pdf])
    assert [f.name for f in library.files(7)] == ["on-details.pdf"]
    assert [row.view.name for row in window.detail.files.rows] == ["on-details.pdf"]
    assert window.sidebar.count_of(("all", None)) == 12


def test_a_hit_inside_a_pdf_shows_its_page(qtbot, window, library: Library, tmp_path) -> None:
    library.attach(5, [write_pdf(tmp_path / "seven.pdf", "Seven pages", pages=7, word="okapi")])
    window.search.field.setText("okapi")  # the index takes the text in on the write lane:
    window.search.flush()  # the search shown runs again once it has
    qtbot.waitUntil(lambda: window.model.ids == (5,), timeout=5000)
    qtbot.waitUntil(lambda: "okapi" in window.detail.snippet.text().lower(), timeout=5000)
    text = window.detail.snippet.text()
    assert "p.&nbsp;7" in text and text.index("p.&nbsp;7") < text.lower().index("okapi")

    window.search.field.setText("pruning")  # a metadata hit: no page
    window.search.flush()
    qtbot.waitUntil(lambda: not window.search_pending, timeout=5000)
    qtbot.waitUntil(lambda: "pruning" in window.detail.snippet.text().lower(), timeout=5000)
    assert "p.&nbsp;" not in window.detail.snippet.text()


def test_sizes_read_like_the_command_line() -> None:
    assert [file_size(n) for n in (1, 812, 1024, 13_000, 5 * 1024**2)] == [
        "1 byte",
        "812 bytes",
        "1.0 KB",
        "12.7 KB",
        "5.0 MB",
    ]
    assert page_label(7) == "p. 7" and page_label(None) == ""


def test_retry_reads_a_failed_files_text_again(
    qtbot, window, library: Library, dialogs, tmp_path
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdf"))
    import worker_readers

    from storage.pdf import PdfWorker

    pdf = write_pdf(tmp_path / "flaky.pdf", "Flaky reader", pages=3, word="quokka")
    library._files.new_worker = lambda: PdfWorker(reader=worker_readers.crash)
    library.attach(8, [pdf])
    show(window, 8)
    (row,) = window.detail.files.rows
    assert row.view.text == "failed" and "text not read" in row.status.text()
    qtbot.waitUntil(lambda: row.retry_button.isVisibleTo(window.detail), timeout=2000)

    # it fails again: the file stays, the reason is said, Retry is still offered
    with qtbot.waitSignal(window.attacher.finished, timeout=30_000):
        qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)
    (warning,) = dialogs.titles("warning")
    assert warning.startswith("Text still not readable: ") and "flaky.pdf" in warning
    (row,) = window.detail.files.rows
    assert row.view.text == "failed"
    qtbot.waitUntil(lambda: row.retry_button.isVisibleTo(window.detail), timeout=2000)

    library._files.new_worker = PdfWorker
    with qtbot.waitSignal(window.attacher.finished, timeout=30_000):
        qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)
    (row,) = window.detail.files.rows
    assert row.view.text == "indexed" and "text searchable" in row.status.text()
    qtbot.waitUntil(lambda: row.open_button.isVisibleTo(window.detail), timeout=2000)
    assert not row.retry_button.isVisibleTo(window.detail)
    assert window.statusBar().currentMessage() == "Read the text of flaky.pdf again."
    settle(qtbot, window)  # the index takes the text in on the write lane
    assert [hit.page for hit in library.search("quokka").hits] == [3]


def test_indexed_files_offer_no_retry(qtbot, window, library: Library, tmp_path) -> None:
    library.attach(9, [write_pdf(tmp_path / "fine.pdf", "Fine")])
    show(window, 9)
    (row,) = window.detail.files.rows
    qtbot.waitUntil(lambda: row.open_button.isVisibleTo(window.detail), timeout=2000)
    assert row.view.text == "indexed" and not row.retry_button.isVisibleTo(window.detail)


def test_a_hit_in_one_of_two_files_names_the_file(qtbot, window, library: Library, tmp_path):
    main = write_pdf(tmp_path / "main.pdf", "Main text", pages=2, word="gecko")
    extra = write_pdf(tmp_path / "<b>extra.pdf", "Extra", pages=3, word="tuatara")
    library.attach(6, [main, extra])
    window.search.field.setText("tuatara")  # the text is indexed on the write lane: the
    window.search.flush()  # search shown runs again once it is
    qtbot.waitUntil(lambda: window.model.ids == (6,), timeout=5000)
    qtbot.waitUntil(lambda: "tuatara" in window.detail.snippet.text().lower(), timeout=5000)
    text = window.detail.snippet.text()
    assert "p.&nbsp;3 of &lt;b&gt;extra.pdf</span>" in text  # escaped, not markup

    window.search.field.setText("gecko")
    window.search.flush()
    qtbot.waitUntil(lambda: "gecko" in window.detail.snippet.text().lower(), timeout=5000)
    assert "p.&nbsp;2 of main.pdf</span>" in window.detail.snippet.text()
