"""PaperTableModel: Qt's model contract, lazy paging, and targeted updates without resets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.gui.paper_model import COLUMN_KEYS, PaperFilter, PaperTableModel
from storage.library import Library

pytestmark = pytest.mark.gui


def loaded(library: Library, **filter_args) -> PaperTableModel:
    model = PaperTableModel(library, page_size=5, cache_size=10)
    model.load(PaperFilter(**filter_args), "title", False)
    return model


def test_model_passes_qtmodeltester(qtmodeltester, library: Library) -> None:
    model = loaded(library)
    assert model.rowCount() == 12
    qtmodeltester.check(model, force_py=True)


def test_model_passes_qtmodeltester_while_rows_come_and_go(qtmodeltester, library) -> None:
    model = loaded(library, status="unread")
    qtmodeltester.check(model, force_py=True)
    first_three = list(model.ids[:3])
    model.apply_change(library.set_status(first_three, "read"))
    assert model.rowCount() == 9
    model.apply_change(library.set_status(first_three, "unread"))
    assert model.rowCount() == 12


def test_cells_show_the_paper(library: Library) -> None:
    model = loaded(library)
    row = model.row_of(library.resolve("gen0"))
    assert row is not None
    cells = {key: model.index(row, c).data() for c, key in enumerate(COLUMN_KEYS)}
    assert cells["title"] == "Study 00000 of attention in small models"
    assert cells["authors"] == "Ada Lovelace, Sam Sample"
    assert cells["year"] == "2000"
    assert cells["status"] == "Unread"
    assert cells["rating"] == ""
    assert len(cells["added"]) == 10
    library.set_rating([library.resolve("gen0")], 3)
    library.add_tags([library.resolve("gen0")], ["to-read", "b"])
    model.refresh_ids([library.resolve("gen0")])
    assert model.index(row, COLUMN_KEYS.index("rating")).data() == "★★★"
    assert model.index(row, COLUMN_KEYS.index("tags")).data() == "b, to-read"
    accessible = Qt.ItemDataRole.AccessibleTextRole
    assert model.index(row, COLUMN_KEYS.index("rating")).data(accessible) == "3 of 5 stars"


def test_rows_are_fetched_lazily_a_page_at_a_time(library: Library) -> None:
    model = loaded(library)
    assert model.fetches == 0  # loading holds only ids
    model.index(0, 0).data()
    model.index(4, 3).data()
    assert model.fetches == 1  # rows 0-4 came in one page
    model.index(7, 0).data()
    assert model.fetches == 2
    model.index(1, 1).data()
    assert model.fetches == 2  # still cached


def test_cache_is_bounded(library: Library) -> None:
    model = loaded(library)
    for row in range(model.rowCount()):
        model.index(row, 0).data()
    assert len(model._cache) <= 10


def test_refresh_ids_repaints_only_those_rows(qtbot, library: Library) -> None:
    model = loaded(library)
    pid = model.id_at(6)
    model.index(6, 0).data()
    library.update_paper(pid, title="A renamed study")
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        model.refresh_ids([pid])
    assert changed == [(6, 6)]
    assert model.index(6, 0).data() == "A renamed study"


def test_apply_change_removes_and_inserts_rows_without_a_reset(qtbot, library: Library) -> None:
    model = loaded(library, status="unread")
    gone = [model.id_at(2), model.id_at(3), model.id_at(8)]
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    with qtbot.assertNotEmitted(model.modelReset):
        model.apply_change(library.set_status(gone, "reading"))
    assert removed == [(8, 8), (2, 3)]  # bottom-up, so row numbers stay valid
    assert not set(gone) & set(model.ids)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.assertNotEmitted(model.modelReset):
        model.apply_change(library.set_status(gone, "unread"))
    assert sorted(inserted) == [(2, 3), (8, 8)]
    assert model.ids == tuple(library.paper_ids(status="unread", sort="title", descending=False))


def test_apply_change_moves_a_row_whose_sort_key_changed(library: Library) -> None:
    model = PaperTableModel(library)
    model.load(PaperFilter(), "rating", True)
    last = model.id_at(model.rowCount() - 1)
    model.apply_change(library.set_rating([last], 5))
    assert model.id_at(0) == last
    assert model.ids == tuple(library.paper_ids(sort="rating", descending=True))


def test_deleted_papers_leave_the_model(library: Library) -> None:
    model = loaded(library)
    doomed = list(model.ids[:2])
    change, _snapshot = library.delete_papers(doomed)
    model.apply_change(change)
    assert model.rowCount() == 10
    assert all(model.row_of(pid) is None for pid in doomed)


def test_a_bad_query_raises_and_keeps_the_rows(library: Library) -> None:
    from storage.search import QueryError

    model = loaded(library)
    before = model.ids
    with pytest.raises(QueryError):
        model.load(PaperFilter(query="year:abc"), "relevance", False)
    assert model.ids == before


def test_model_has_no_children_and_no_vertical_header(library: Library) -> None:
    model = loaded(library)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Title"
    assert model.data(QModelIndex()) is None
    assert (
        model.mimeData([model.index(0, 0), model.index(0, 1)]).data(model.mimeTypes()[0]).data()
        == str(model.id_at(0)).encode()
    )
