"""`papershelf highlight`, `highlights list`, and `show --json` notes: messages and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from highlight_support import PAGE_ONE, pdf_bytes
from pdf_library_support import run, run_json, simple_pdf

BIB = "@article{wombat2024, title = {Wombat Burrows}, year = {2024}}\n"


@pytest.fixture
def lib(tmp_path: Path, capsys) -> Path:
    library = tmp_path / "lib"
    (tmp_path / "w.bib").write_text(BIB)
    (tmp_path / "w.pdf").write_bytes(pdf_bytes())
    assert run(capsys, library, "import", str(tmp_path / "w.bib"))[0] == 0
    assert run(capsys, library, "attach", "wombat2024", str(tmp_path / "w.pdf"))[0] == 0
    return library


def test_highlight_stores_a_note_that_show_json_gives_in_the_contract_shape(lib, capsys) -> None:
    code, out, err = run(
        capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "cube-shaped droppings",
        "--color", "green", "--comment", "Cubes **really**.",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == 'note 1: highlighted "cube-shaped droppings" on page 1 of w.pdf (green)\n'
    (note,) = run_json(capsys, lib, "show", "wombat2024", "--json")["notes"]
    file_id = run_json(capsys, lib, "files", "wombat2024", "--json")[0]["id"]
    assert list(note) == [
        "id", "body", "quote", "page", "color", "file_id", "created_at", "updated_at"
    ]  # fmt: skip
    assert (note["body"], note["quote"], note["page"], note["color"], note["file_id"]) == (
        "Cubes **really**.", "cube-shaped droppings", 1, "green", file_id
    )
    code, out, _ = run(capsys, lib, "show", "wombat2024")
    assert "> cube-shaped droppings (p. 1)" in out


@pytest.mark.parametrize(
    ("typed", "quote"),
    [
        ("THE   MARSUPIAL\nburrow", "the marsupial burrow"),  # case, spaces, a line break
        ("marsupial burrow", "marsupial burrow"),  # split by a hyphen at the line end
        ("splits here: the marsupial", "splits here: the marsupial"),
    ],
)
def test_the_words_may_differ_in_case_spacing_line_breaks_and_hyphens(
    lib, capsys, typed: str, quote: str
) -> None:
    code, out, _ = run(capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", typed)
    assert code == 0 and f'"{quote}"' in out
    (highlight,) = run_json(capsys, lib, "highlights", "list", "wombat2024", "--json")
    assert highlight["quote"] == quote and len(highlight["rects"]) == 2  # two lines
    assert highlight["color"] == "yellow" and highlight["imported"] is False


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--page", "1", "--text", "echidna gradient"], 1,
         'papershelf: the words "echidna gradient" are not on page 1 of w.pdf '
         "(they are on page 2)"),
        (["--page", "1", "--text", "kangaroo"], 1,
         'papershelf: the words "kangaroo" are not on page 1 of w.pdf\n'),
        (["--page", "1", "--text", "urrows"], 1,
         'papershelf: the words "urrows" are on page 1 of w.pdf only as part of "burrows"'),
        (["--page", "9", "--text", "wombats"], 1, "papershelf: w.pdf has 2 pages, not 9"),
        (["--page", "0", "--text", "wombats"], 2, "papershelf: --page counts from 1, not 0"),
        (["--page", "one", "--text", "wombats"], 2, "argument --page: invalid int value"),
        (["--page", "1", "--text", "wombats", "--color", "red"], 2,
         "argument --color: invalid choice: 'red' (choose from 'yellow', 'green', 'blue', "
         "'pink', 'purple')"),
        (["--page", "1", "--text", "  "], 1, "papershelf: give the words to highlight (--text)"),
        (["--page", "1", "--text", "wombats", "--file", "7"], 1,
         "papershelf: paper 1 has no file with id 7"),
    ],
)  # fmt: skip
def test_bad_requests_exit_with_one_clear_line(lib, capsys, args, code, message) -> None:
    result, out, err = run(capsys, lib, "highlight", "wombat2024", *args)
    assert (result, out) == (code, "")
    assert message in err and "Traceback" not in err
    assert run_json(capsys, lib, "show", "wombat2024", "--json")["notes"] == []


def test_a_paper_without_a_file_or_with_several(lib, capsys, tmp_path: Path) -> None:
    (tmp_path / "b.bib").write_text("@article{bare2020, title = {Bare}, year = {2020}}\n")
    run(capsys, lib, "import", str(tmp_path / "b.bib"))
    code, _, err = run(capsys, lib, "highlight", "bare2020", "--page", "1", "--text", "x")
    assert code == 1
    assert err == "papershelf: paper 2 has no PDF attached (attach one: papershelf attach 2 FILE)\n"
    other = tmp_path / "other.pdf"
    other.write_bytes(simple_pdf(["Wombats again on another file."]))
    assert run(capsys, lib, "attach", "wombat2024", str(other))[0] == 0
    code, _, err = run(capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "wombats")
    assert (code, err) == (
        1, "papershelf: paper 1 has 2 files (ids 1, 2); choose one with --file ID\n"
    )  # fmt: skip
    code, out, _ = run(
        capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "again", "--file", "2"
    )
    assert code == 0 and 'highlighted "again" on page 1 of other.pdf' in out
    code, _, err = run(capsys, lib, "highlight", "nobody", "--page", "1", "--text", "x")
    assert code == 1 and "no paper with id or citation key 'nobody'" in err


def test_repeated_words_take_the_first_and_say_so(lib, capsys) -> None:
    code, out, err = run(capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "the")
    assert code == 0
    assert err == "note: the words are on page 1 3 times; the first is highlighted\n"
    (highlight,) = run_json(capsys, lib, "highlights", "list", "wombat2024", "--json")
    assert highlight["rects"][0][1] > 700  # on the first line: "under the dry"


def test_highlights_list_in_reading_order(lib, capsys) -> None:
    for page, words in ((2, "Platypus venom"), (1, "pial burrow"), (1, "Wombats dig")):
        run(capsys, lib, "highlight", "wombat2024", "--page", str(page), "--text", words)
    code, out, _ = run(capsys, lib, "highlights", "list", "wombat2024")
    lines = out.splitlines()
    assert code == 0 and [line.split("  ")[-1] for line in lines] == [
        "Wombats dig", "pial burrow", "Platypus venom"
    ]  # fmt: skip
    listed = run_json(capsys, lib, "highlights", "list", "wombat2024", "--json")
    assert [h["page"] for h in listed] == [1, 1, 2]
    assert set(listed[0]) == {"id", "file_id", "page", "color", "quote", "comment", "rects",
                              "imported"}  # fmt: skip
    assert json.loads(json.dumps(listed)) == listed
    assert PAGE_ONE[0].startswith(listed[0]["quote"])
