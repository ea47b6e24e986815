"""Highlights as notes in the library: add, recolour, delete and undo, list, reading position,
and what a detach and a re-attach of the same bytes do to them."""

from __future__ import annotations

from pathlib import Path

import pytest
from highlight_support import PAGE_ONE, library_with_pdf, line_rect, pdf_bytes

from storage.highlights import COLORS
from storage.library import EditError, Library
from storage.views import NoteView


@pytest.fixture
def shelf(tmp_path: Path):
    library, pid, file_id = library_with_pdf(tmp_path / "lib", tmp_path)
    yield library, pid, file_id
    library.close()


def add(library: Library, pid: int, file_id: int, line: int = 0, **values: object) -> int:
    change = library.add_highlight(
        pid, file_id, values.pop("page", 1), [line_rect(line)], PAGE_ONE[line], **values
    )
    (note_id,) = change.note_ids
    assert change.paper_ids == {pid}
    return note_id


def test_a_highlight_is_a_note_with_page_colour_file_and_rects(shelf) -> None:
    library, pid, file_id = shelf
    before = library.paper(pid).updated_at
    note_id = add(library, pid, file_id, 1, color="green", comment="Cubes *really*.")
    (note,) = library.paper(pid).notes
    assert (note.id, note.body, note.quote, note.page) == (
        note_id, "Cubes *really*.", PAGE_ONE[1], 1
    )
    assert (note.color, note.file_id, note.rects) == ("green", file_id, (line_rect(1),))
    assert note.is_highlight and not note.imported
    assert library.paper(pid).updated_at >= before
    assert library.search("note:droppings").total == 1  # the quote is searched as notes are


def test_show_json_notes_have_the_contract_keys(shelf) -> None:
    library, pid, file_id = shelf
    add(library, pid, file_id, color="blue")
    library.add_note(pid, "plain", quote="q", page="iv")
    highlight, plain = library.paper(pid).as_json()["notes"]
    keys = ["id", "body", "quote", "page", "color", "file_id", "created_at", "updated_at"]
    assert list(highlight) == keys and list(plain) == keys
    assert (highlight["page"], highlight["color"], highlight["file_id"]) == (1, "blue", file_id)
    assert (plain["page"], plain["color"], plain["file_id"]) == (None, None, None)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"color": "chartreuse"}, "unknown colour 'chartreuse': use one of yellow, green"),
        ({"rects": []}, "a highlight needs at least one rectangle"),
        ({"rects": [(1, 2, 3)]}, "a rectangle must be four numbers"),
        ({"rects": [(5, 5, 5, 9)]}, "a rectangle has no area"),
        ({"rects": [(0, 0, float("nan"), 9)]}, "a rectangle lies outside any page"),
        ({"page": 3}, "wombats.pdf has 2 pages, not 3"),
        ({"page": 0}, "a page number starts at 1, not 0"),
        ({"file_id": 99}, "no file with id 99 of paper"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(shelf, values, message) -> None:
    library, pid, file_id = shelf
    arguments = {"rects": [line_rect(0)], "page": 1, "file_id": file_id, "color": None}
    arguments.update(values)
    with pytest.raises(EditError, match=message.replace("(", r"\(")):
        library.add_highlight(
            pid,
            arguments["file_id"],
            arguments["page"],
            arguments["rects"],
            "quote",
            arguments["color"],
        )
    assert library.paper(pid).notes == ()


def test_a_file_of_another_paper_is_refused(shelf, tmp_path: Path) -> None:
    library, pid, file_id = shelf
    other = tmp_path / "other.bib"
    other.write_text("@article{other2020, title = {Other}, year = {2020}}\n")
    library.import_file(other)
    with pytest.raises(EditError, match=f"no file with id {file_id} of paper"):
        add(library, library.resolve("other2020"), file_id)


def test_colours_are_the_palette_and_case_is_ignored(shelf) -> None:
    library, pid, file_id = shelf
    assert COLORS == ("yellow", "green", "blue", "pink", "purple")
    note_id = add(library, pid, file_id, color=" Purple ")
    assert library.paper(pid).notes[0].color == "purple"
    assert add(library, pid, file_id, 2) != note_id
    assert library.paper(pid).notes[1].color == "yellow"  # the default


def test_update_colour_and_comment(shelf) -> None:
    library, pid, file_id = shelf
    note_id = add(library, pid, file_id)
    change = library.update_highlight(note_id, color="pink", comment="**Why?**")
    assert change.note_ids == {note_id} and change.paper_ids == {pid}
    (note,) = library.paper(pid).notes
    assert (note.color, note.body, note.quote) == ("pink", "**Why?**", PAGE_ONE[0])
    with pytest.raises(EditError, match="unknown colour"):
        library.update_highlight(note_id, color="mauve")
    with pytest.raises(EditError, match="no note with id 999"):
        library.update_highlight(999, color="blue")


def test_delete_and_undo_keep_the_id_and_everything(shelf) -> None:
    library, pid, file_id = shelf
    note_id = add(library, pid, file_id, color="green", comment="c")
    (before,) = library.paper(pid).notes
    change, deleted = library.delete_highlight(note_id)
    assert change.note_ids == {note_id} and library.highlights(paper_id=pid) == []
    assert library.search("note:eucalyptus").total == 0
    library.restore_highlight(deleted)
    (after,) = library.paper(pid).notes
    assert after == before
    assert library.search("note:eucalyptus").total == 1


def test_an_ordinary_note_delete_removes_the_highlight(shelf) -> None:
    library, pid, file_id = shelf
    note_id = add(library, pid, file_id)
    library.delete_note(note_id)
    assert library.highlights(file_id=file_id) == []


def test_highlights_are_listed_in_reading_order_and_filtered(shelf) -> None:
    library, pid, file_id = shelf
    third = add(library, pid, file_id, 3)
    first = add(library, pid, file_id, 0)
    second_page = library.add_highlight(
        pid, file_id, 2, [line_rect(0)], "Platypus venom", "blue"
    ).note_ids
    library.add_note(pid, "a plain note is no highlight", quote="q", page="1")
    listed = library.highlights(paper_id=pid)
    assert [h.id for h in listed] == [first, third, *second_page]
    assert all(isinstance(h, NoteView) and h.rects for h in listed)
    assert [h.id for h in library.highlights(file_id=file_id, page=1)] == [first, third]
    assert [h.page for h in library.highlights(file_id=file_id, page=2)] == [2]


def test_detach_keeps_the_note_and_reattach_puts_the_highlight_back(shelf, tmp_path) -> None:
    library, pid, file_id = shelf
    note_id = add(library, pid, file_id, color="purple", comment="mine")
    library.set_reading_position(pid, file_id, 2)
    library.detach(pid, file_id)
    (note,) = library.paper(pid).notes
    assert (note.id, note.body, note.quote, note.file_id) == (note_id, "mine", PAGE_ONE[0], None)
    assert note.rects and library.highlights(paper_id=pid) == []
    assert library.reading_position(pid).file_id is None
    again = tmp_path / "same-bytes-new-name.pdf"
    again.write_bytes(pdf_bytes())
    (new_file,) = library.attach(pid, [again]).file_ids
    (back,) = library.highlights(paper_id=pid)
    assert (back.id, back.file_id, back.color) == (note_id, new_file, "purple")
    assert library.reading_position(pid).file_id == new_file


def test_reading_position_is_remembered_and_checked(shelf) -> None:
    library, pid, file_id = shelf
    assert library.reading_position(pid) is None
    updated = library.paper(pid).updated_at
    change = library.set_reading_position(pid, file_id, 2)
    assert change.paper_ids == {pid}
    position = library.reading_position(pid)
    assert (position.paper_id, position.file_id, position.page, position.pages) == (
        pid, file_id, 2, 2
    )
    library.set_reading_position(pid, file_id, 1)
    assert library.reading_position(pid).page == 1
    assert library.reading_positions([pid, 999]) == {pid: library.reading_position(pid)}
    assert library.paper(pid).updated_at == updated  # reading is no edit
    with pytest.raises(EditError, match="has 2 pages, not 5"):
        library.set_reading_position(pid, file_id, 5)
    with pytest.raises(EditError, match="no file with id 42"):
        library.set_reading_position(pid, 42, 1)


def test_deleting_the_paper_and_undo_bring_highlights_back_on_the_file(shelf) -> None:
    library, pid, file_id = shelf
    add(library, pid, file_id, 1, color="blue")
    library.set_reading_position(pid, file_id, 2)
    _change, snapshot = library.delete_papers([pid])
    assert library.stats().notes == 0
    library.restore_papers(snapshot)
    (note,) = library.highlights(paper_id=pid)
    (view,) = library.files(pid)
    assert (note.file_id, note.color, note.quote) == (view.id, "blue", PAGE_ONE[1])
    assert library.reading_position(pid).page == 2
