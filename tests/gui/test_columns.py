"""Table columns sized to their content (from a sample of rows), the title taking what is left,
and columns hidden or shown from the header's menu, remembered across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import on_popup, write_bibtex
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from app.gui.columns import TITLE_SHARE
from app.gui.paper_model import COLUMN_KEYS
from app.gui.table import SAMPLE_ROWS
from storage.library import Library

pytestmark = pytest.mark.gui


def listing(path: Path, count: int) -> Path:
    """A paper-listing dump (the seed listings' shape): titles and abstracts, no authors or
    years."""
    lines = ["new", "Get trending papers in your email inbox!", "Subscribe", ""]
    for i in range(count):
        lines += [
            f"Scaling Sparse Mixture-of-Experts Routers, Part {i}",
            "",
            f"We study routing number {i} in very large sparse models and report what breaks.",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def widths(window) -> dict[str, int]:
    header = window.table.horizontalHeader()
    return {key: header.sectionSize(i) for i, key in enumerate(COLUMN_KEYS)}


def label_width(window, key: str) -> int:
    title = window.model.headerData(COLUMN_KEYS.index(key), Qt.Orientation.Horizontal)
    return window.table.horizontalHeader().fontMetrics().horizontalAdvance(title)


@pytest.fixture
def listed(make_library, tmp_path: Path) -> Library:
    library = make_library(0, name="listed")
    library.import_file(listing(tmp_path / "listing.txt", 30), fmt="listing")
    return library


def test_empty_columns_leave_the_width_to_the_titles(make_window, listed) -> None:
    window = make_window(listed)
    sizes = widths(window)
    for key in ("authors", "year", "tags"):  # nothing in them: as wide as their heading
        assert sizes[key] <= label_width(window, key) + 40, (key, sizes)
    others = sum(size for key, size in sizes.items() if key not in ("title", "list_note"))
    room = window.table.viewport().width()
    assert abs(sizes["title"] + others - room) <= 2  # the title takes all that is left
    assert sizes["title"] >= TITLE_SHARE * room - 2
    title = window.model.index(0, 0).data()
    metrics = window.table.fontMetrics()
    assert metrics.horizontalAdvance(title) < sizes["title"]  # the whole title shows


def test_columns_fit_their_content(make_window, library: Library) -> None:
    library.update_paper(
        library.resolve("gen1"),
        authors="Lovelace, Ada; Noether, Emmy; Curie, Marie; Hopper, Grace; Turing, Alan",
    )
    window = make_window(library)
    window.resize(2400, 900)  # room for every column's content
    sizes = widths(window)
    metrics = window.table.fontMetrics()
    assert sizes["year"] >= metrics.horizontalAdvance("2024") and sizes["year"] <= 80
    assert sizes["authors"] <= 260  # a long author list is capped, the rest elided
    shortest = metrics.horizontalAdvance("Ada Turing, Sam Sample")
    assert sizes["authors"] >= shortest  # typical rows fit whole


def test_fitting_reads_a_sample_not_every_row(
    make_window, make_library, tmp_path: Path, monkeypatch
) -> None:
    library = make_library(0, name="big")
    library.import_file(write_bibtex(tmp_path / "big.bib", 1500))
    read: list[int] = []
    real = library.rows

    def rows(ids):
        read.append(len(ids))
        return real(ids)

    monkeypatch.setattr(library, "rows", rows)
    window = make_window(library)
    assert window.model.rowCount() == 1500
    assert sum(read) <= SAMPLE_ROWS + 2 * window.model.page_size  # the sample and a screenful


def header_menu(qtbot, window, handle) -> None:
    """Right-click the table's header (the context menu event a right click sends), and let
    handle(menu) act on the menu that opens."""
    header = window.table.horizontalHeader()
    handled = on_popup(handle)
    where = QPoint(header.sectionViewportPosition(1) + 5, header.height() // 2)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, header.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(header.viewport(), event)
    assert handled


def choose(qtbot, menu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    menu.setActiveAction(action)
    qtbot.keyClick(menu, Qt.Key.Key_Return)


def test_columns_hidden_from_the_header_menu_stay_hidden(
    qtbot, make_window, library: Library
) -> None:
    window = make_window(library)
    header = window.table.horizontalHeader()
    year = COLUMN_KEYS.index("year")
    header_menu(qtbot, window, lambda menu: choose(qtbot, menu, "Year"))
    assert header.isSectionHidden(year)
    authors = COLUMN_KEYS.index("authors")
    edge = header.sectionViewportPosition(authors) + header.sectionSize(authors) - 1
    grow = 333 - header.sectionSize(authors)
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(header.viewport(), QPoint(edge + grow // 2, y))
    qtbot.mouseMove(header.viewport(), QPoint(edge + grow, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + grow, y))
    assert header.sectionSize(authors) == 333  # dragged wider by its edge
    window.save_on_close = True
    window.close()

    again = make_window(library)
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(year)
    assert header.sectionSize(authors) == 333  # sized by hand: not fitted again
    header_menu(qtbot, again, lambda menu: choose(qtbot, menu, "Year"))
    assert not header.isSectionHidden(year)
    header_menu(qtbot, again, lambda menu: choose(qtbot, menu, "Fit columns to their content"))
    assert header.sectionSize(authors) < 333


def test_the_title_keeps_its_share_when_other_columns_are_long(
    make_window, make_library, tmp_path: Path
) -> None:
    library = make_library(0, name="crowded")
    library.import_file(app_sample())
    window = make_window(library)
    table = window.table
    share = widths(window)["title"] / table.viewport().width()
    assert share >= TITLE_SHARE - 0.02  # authors and tags gave way (down to their headings)
    assert widths(window)["authors"] >= label_width(window, "authors")
    narrow = widths(window)["authors"]
    window.resize(2400, 900)  # a wider window: the long columns get more of their content back
    assert widths(window)["authors"] > narrow
    assert widths(window)["title"] / table.viewport().width() >= TITLE_SHARE - 0.02


def app_sample() -> Path:
    from app.sample import sample_source

    return sample_source() / "library.json"
