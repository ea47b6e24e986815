"""`papershelf edit` and `rate`: every validation message, exit codes, and the edit's effects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--library", str(lib), *args])
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def show(capsys: pytest.CaptureFixture[str], lib: Path, ref: str) -> dict:
    code, out, err = run(capsys, lib, "show", ref, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def lib(tmp_path: Path, fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(capsys, folder, "import", str(fixtures_dir / "lib_papers.bib"))
    assert code == 0, err
    return folder


def test_edit_changes_every_field_and_show_and_search_follow(lib: Path, capsys) -> None:
    code, out, err = run(
        capsys, lib, "edit", "clark2020electra",
        "--title", "Quokka tokenization revisited",
        "--authors", "Lovelace, Ada; Alan Turing; {Google Brain, Inc.}; OpenAI",
        "--year", "1999",
        "--venue", "Workshop on Quokkas",
        "--doi", "https://doi.org/10.5555/Quokka.1",
        "--arxiv", "arXiv:1706.03762v5",
        "--url", "https://example.org/quokka",
        "--code-url", "https://github.com/example/quokka",
        "--key", "Lovelace99",
        "--type", "Article-Journal",
    )  # fmt: skip
    assert code == 0, err
    assert "paper 1 changed" in out
    paper = show(capsys, lib, "lovelace99")  # the new key resolves, case-insensitively
    assert paper["id"] == 1
    assert paper["title"] == "Quokka tokenization revisited"
    assert paper["authors"] == ["Ada Lovelace", "Alan Turing", "Google Brain, Inc.", "OpenAI"]
    assert (paper["year"], paper["venue"]) == (1999, "Workshop on Quokkas")
    assert (paper["doi"], paper["arxiv_id"]) == ("10.5555/quokka.1", "1706.03762")
    assert paper["url"] == "https://example.org/quokka"
    assert paper["code_url"] == "https://github.com/example/quokka"
    assert (paper["citation_key"], paper["entry_type"]) == ("Lovelace99", "article-journal")
    code, out, _ = run(capsys, lib, "search", "quokka", "--json")
    assert [hit["id"] for hit in json.loads(out)["hits"]] == [1]
    code, out, _ = run(capsys, lib, "search", "lovelace", "--json")
    assert [hit["id"] for hit in json.loads(out)["hits"]] == [1]
    code, out, _ = run(capsys, lib, "search", "electra", "--json")
    assert json.loads(out)["total"] == 0  # the old title left the index


def test_an_empty_value_clears_a_field_and_an_empty_key_is_generated(lib: Path, capsys) -> None:
    assert run(capsys, lib, "edit", "1", "--venue", "", "--year", "", "--key", "")[0] == 0
    paper = show(capsys, lib, "1")
    assert (paper["venue"], paper["year"]) == (None, None)
    assert paper["citation_key"] == "clarkelectra"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--doi", "doi.org/abc", "DOI must look like 10.1234/suffix, not 'doi.org/abc'"),
        ("--doi", "10.12/x", "DOI must look like 10.1234/suffix"),
        ("--year", "twenty", "year must be a number such as 2017, not 'twenty'"),
        ("--year", "20.5", "year must be a number such as 2017"),
        ("--year", "999", "year must be between 1000 and"),
        ("--year", "9999", "year must be between 1000 and"),
        ("--arxiv", "1706.037", "arXiv id must look like 1706.03762 or hep-th/9901001"),
        ("--arxiv", "quant ph/9901001", "arXiv id must look like"),
        ("--key", "muller 2019", "citation key 'muller 2019' cannot hold space"),
        ("--key", "a,b", "citation key 'a,b' cannot hold ,"),
        ("--key", "{a}", "citation key '{a}' cannot hold { }"),
        ("--key", "MULLER2019SPARSE", "citation key 'MULLER2019SPARSE' is taken by paper 2"),
        ("--authors", "Lovelace, Ada, Jr", "authors: 'Lovelace, Ada, Jr' has more than one comma"),
        ("--authors", ", Ada", "authors: ', Ada' has no family name before the comma"),
        ("--authors", "{Open Research; Smith, J", "authors: an opening brace is never closed"),
        ("--authors", "Smith} Jones", "authors: a closing brace without an opening one"),
        ("--authors", "Ada {Lovelace}", "authors: braces go around a whole literal name"),
        ("--type", "blogpost", "unknown entry type 'blogpost': use a BibTeX type"),
        ("--url", "example.org/x", "URL must be an http:// or https:// address"),
        ("--code-url", "ftp://example.org/x", "code URL must be an http:// or https:// address"),
        ("--title", "   ", "a paper needs a title"),
    ],
)
def test_a_bad_value_is_named_in_one_line_and_nothing_changes(
    lib: Path, capsys, option: str, value: str, message: str
) -> None:
    before = show(capsys, lib, "1")
    code, out, err = run(capsys, lib, "edit", "1", "--venue", "Changed", option, value)
    assert code == 1
    assert out == ""
    assert err.startswith(f"papershelf: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert show(capsys, lib, "1") == before  # the venue given alongside was not saved either


def test_edit_usage_errors_exit_2(lib: Path, capsys) -> None:
    code, _, err = run(capsys, lib, "edit", "1")
    assert code == 2
    assert "edit needs at least one of --title" in err
    code, _, err = run(capsys, lib, "edit", "1", "--colour", "red")
    assert code == 2


def test_edit_of_an_unknown_paper_exits_1(lib: Path, capsys) -> None:
    code, _, err = run(capsys, lib, "edit", "nosuchkey", "--year", "2000")
    assert code == 1
    assert err == "papershelf: no paper with id or citation key 'nosuchkey'\n"


def test_a_key_may_change_only_its_case(lib: Path, capsys) -> None:
    assert run(capsys, lib, "edit", "1", "--key", "Clark2020ELECTRA")[0] == 0
    assert show(capsys, lib, "1")["citation_key"] == "Clark2020ELECTRA"


def test_rate_sets_the_rating_of_several_papers(lib: Path, capsys) -> None:
    code, out, err = run(capsys, lib, "rate", "1", "muller2019sparse", "4")
    assert (code, out) == (0, "2 papers changed\n"), err
    assert [show(capsys, lib, ref)["rating"] for ref in ("1", "2", "3")] == [4, 4, 0]
    assert run(capsys, lib, "rate", "1", "4")[1] == "0 papers changed\n"
    assert run(capsys, lib, "rate", "1", "0")[0] == 0
    assert show(capsys, lib, "1")["rating"] == 0


@pytest.mark.parametrize("args", [("1", "6"), ("1", "-1"), ("1", "three"), ("4",), ("1", "2.5")])
def test_rate_outside_0_to_5_is_a_usage_error(lib: Path, capsys, args: tuple[str, ...]) -> None:
    code, _, err = run(capsys, lib, "rate", *args)
    assert code == 2
    assert "papershelf rate PAPER… 0-5" in err
    assert show(capsys, lib, "1")["rating"] == 0


def test_rate_of_an_unknown_paper_exits_1(lib: Path, capsys) -> None:
    code, _, err = run(capsys, lib, "rate", "1", "99", "3")
    assert code == 1
    assert "no paper with id or citation key '99'" in err
    assert show(capsys, lib, "1")["rating"] == 0
