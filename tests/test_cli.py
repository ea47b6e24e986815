"""The command-line contract of DESIGN.md: commands, exit codes, messages and JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from storage.library import Library

REPO = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--library", str(lib), *args])
    except SystemExit as exit_:  # argparse usage errors and --version
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> object:
    code, out, err = run(capsys, lib, *args)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def lib(tmp_path: Path, fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(
        capsys,
        folder,
        "import",
        str(fixtures_dir / "lib_papers.bib"),
        str(fixtures_dir / "lib_papers.ris"),
    )
    assert code == 0, err
    return folder


def test_import_reports_per_file(tmp_path: Path, fixtures_dir: Path, capsys) -> None:
    code, out, _ = run(
        capsys, tmp_path / "l", "import", str(fixtures_dir / "lib_papers.bib"), "--tag", "t1"
    )
    assert code == 0
    assert "3 new, 0 merged" in out
    assert run_json(capsys, tmp_path / "l", "stats", "--json") == {
        "papers": 3,
        "tags": 3,
        "notes": 0,
        "lists": 0,
        "files": 0,
        "pages": 0,
    }


def test_stats_json_shape(lib: Path, capsys) -> None:
    stats = run_json(capsys, lib, "stats", "--json")
    assert set(stats) == {"papers", "tags", "notes", "lists", "files", "pages"}
    assert all(isinstance(v, int) for v in stats.values())
    assert stats["papers"] == 4


def test_search_json_shape_and_total(lib: Path, capsys) -> None:
    result = run_json(
        capsys, lib, "search", "attention OR tokenization OR retrieval", "--limit", "1", "--json"
    )
    assert set(result) == {"query", "total", "hits"}
    assert result["query"] == "attention OR tokenization OR retrieval"
    assert result["total"] >= 3 and len(result["hits"]) == 1
    hit = result["hits"][0]
    assert set(hit) == {"id", "title", "score", "snippet", "page", "file_id"}
    assert hit["page"] is None and hit["file_id"] is None  # the snippet is from the metadata
    assert isinstance(hit["id"], int) and isinstance(hit["score"], float)
    assert isinstance(hit["title"], str) and isinstance(hit["snippet"], str)


def test_search_plain_and_bad_query(lib: Path, capsys) -> None:
    code, out, _ = run(capsys, lib, "search", "title:ELECTRA")
    assert code == 0 and "ELECTRA" in out and "1 match" in out
    code, out, err = run(capsys, lib, "search", "year:[abc TO")
    assert code in (0, 2)
    assert "Traceback" not in err


def test_show_json_has_every_key(lib: Path, capsys) -> None:
    shown = run_json(capsys, lib, "show", "karpukhin2020dense", "--json")
    assert list(shown) == [
        "id",
        "title",
        "authors",
        "year",
        "abstract",
        "venue",
        "doi",
        "arxiv_id",
        "url",
        "code_url",
        "citation_key",
        "status",
        "rating",
        "tags",
        "notes",
        "lists",
        "files",
        "entry_type",
    ]
    assert shown["files"] == []
    assert shown["doi"] is None and shown["code_url"] is None  # absent values are null
    assert shown["authors"] == ["Vladimir Karpukhin", "Barlas Oguz"]
    assert shown["year"] == 2020 and shown["status"] == "unread" and shown["rating"] == 0
    by_id = run_json(capsys, lib, "show", str(shown["id"]), "--json")
    assert by_id == shown


def test_tag_status_note_round_trip(lib: Path, capsys, tmp_path: Path) -> None:
    assert (
        run(capsys, lib, "tag", "karpukhin2020dense", "clark2020electra", "--add", "to-read")[0]
        == 0
    )
    assert run(capsys, lib, "status", "karpukhin2020dense", "reading")[0] == 0
    note_file = tmp_path / "note.md"
    note_file.write_text("Read **section 3** first.\n", encoding="utf-8")
    assert run(capsys, lib, "note", "karpukhin2020dense", "--file", str(note_file))[0] == 0
    assert (
        run(
            capsys,
            lib,
            "note",
            "karpukhin2020dense",
            "--text",
            "second",
            "--quote",
            "q",
            "--page",
            "2",
        )[0]
        == 0
    )
    shown = run_json(capsys, lib, "show", "karpukhin2020dense", "--json")
    assert shown["tags"] == ["to-read"] and shown["status"] == "reading"
    assert [n["body"] for n in shown["notes"]] == ["Read **section 3** first.\n", "second"]
    assert list(shown["notes"][0]) == [
        "id", "body", "quote", "page", "color", "file_id", "created_at", "updated_at"
    ]
    assert run(capsys, lib, "tag", "clark2020electra", "--remove", "to-read")[0] == 0
    found = run_json(capsys, lib, "search", "tag:to-read", "--json")
    assert [h["title"] for h in found["hits"]] == [shown["title"]]


def test_lists(lib: Path, capsys) -> None:
    assert run(capsys, lib, "list", "create", "Seminar", "--description", "Friday reading")[0] == 0
    assert (
        run(
            capsys,
            lib,
            "list",
            "add",
            "Seminar",
            "clark2020electra",
            "karpukhin2020dense",
            "--note",
            "why",
        )[0]
        == 0
    )
    assert run(capsys, lib, "list", "remove", "Seminar", "clark2020electra")[0] == 0
    shown = run_json(capsys, lib, "list", "show", "Seminar", "--json")
    assert shown["name"] == "Seminar" and shown["description"] == "Friday reading"
    assert [(p["title"][:5], p["note"]) for p in shown["papers"]] == [("Dense", "why")]
    assert run_json(capsys, lib, "lists", "--json") == [
        {"name": "Seminar", "description": "Friday reading", "papers": 1}
    ]
    assert run(capsys, lib, "list", "create", "Seminar")[0] == 1


@pytest.mark.parametrize(
    "args",
    [
        ("show", "no-such-paper"),
        ("status", "no-such-paper", "read"),
        ("list", "show", "No list"),
        ("note", "karpukhin2020dense", "--file", "/nonexistent/note.md"),
    ],
)
def test_unknown_things_exit_1_with_a_message(lib: Path, capsys, args: tuple[str, ...]) -> None:
    code, _, err = run(capsys, lib, *args)
    assert code == 1
    assert err.startswith("papershelf: ") and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("status", "karpukhin2020dense", "finished"),
        ("tag", "karpukhin2020dense"),
        ("frobnicate",),
        ("import", "x", "--format", "word"),
    ],
)
def test_usage_errors_exit_2(lib: Path, capsys, args: tuple[str, ...]) -> None:
    code, _, err = run(capsys, lib, *args)
    assert code == 2 and "Traceback" not in err


BAD_INPUTS = {
    "empty.bib": b"",
    "junk.bin": bytes(range(256)) * 40,
    "broken.json": b'{"format": "papershelf", "papers": [',
    "one-line.txt": b"x" * (10 * 1024 * 1024),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_line_error_library_unchanged(
    lib: Path, capsys, tmp_path: Path, name: str
) -> None:
    before = run_json(capsys, lib, "stats", "--json")
    bad = tmp_path / name
    bad.write_bytes(BAD_INPUTS[name])
    code, out, err = run(capsys, lib, "import", str(bad))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in err
    assert run_json(capsys, lib, "stats", "--json") == before


def test_directory_missing_path_and_unknown_format(lib: Path, capsys, tmp_path: Path) -> None:
    weird = tmp_path / "notes.txt"
    weird.write_text("just a line\n", encoding="utf-8")
    for path in (tmp_path, tmp_path / "missing.bib", weird):
        code, _, err = run(capsys, lib, "import", str(path))
        assert code == 1 and str(path) in err and len(err.strip().splitlines()) == 1


def test_truncated_bibtex_reports_file_and_line(lib: Path, capsys, tmp_path: Path) -> None:
    bib = tmp_path / "cut.bib"
    bib.write_text(
        "@article{ok, title={Fine Entry}, year={2020}}\n\n@article{cut, title={Half",
        encoding="utf-8",
    )
    code, out, err = run(capsys, lib, "import", str(bib))
    assert code == 0 and "1 new" in out
    assert err.strip().splitlines()[0].startswith(f"{bib}:3: ")


def test_check(lib: Path, capsys) -> None:
    code, out, _ = run(capsys, lib, "check")
    assert code == 0 and "ok" in out
    code, out, _ = run(capsys, lib, "check", "--repair")
    assert (code, out) == (0, "ok: database intact, search index in step\n")  # nothing to do


def test_check_repair_mends_an_index_that_lost_a_paper(lib: Path, capsys) -> None:
    """The index loses a paper behind the library's back (a crash, another program): check
    --repair rebuilds it and says why; afterwards check is clean and the paper is found."""
    with Library(lib) as library:
        pid = library.search("title:ELECTRA").hits[0].id
        papers = library.stats().papers
        library.index.update([], delete_ids=[pid])  # the database keeps the paper
        assert library.search("title:ELECTRA").total == 0
    code, out, _ = run(capsys, lib, "check", "--repair")
    assert code == 0
    assert out.splitlines() == [
        f"repaired: rebuilt the search index ({papers} papers; it held {papers - 1} of "
        f"{papers} papers)",
        "ok: database intact, search index in step",
    ]
    assert run(capsys, lib, "check") == (0, "ok: database intact, search index in step\n", "")
    found = run_json(capsys, lib, "search", "title:ELECTRA", "--json")
    assert [hit["id"] for hit in found["hits"]] == [pid]


def test_version_and_cold_start_without_qt(tmp_path: Path) -> None:
    env = {**os.environ, "PAPERSHELF_LIBRARY": str(tmp_path / "envlib")}
    version = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("papershelf ")
    probe = "import sys, app.cli as c; c.main(['stats']); print('PySide6' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("False")  # the command line never loads Qt
    assert (tmp_path / "envlib" / "library.db").exists()  # PAPERSHELF_LIBRARY picked the folder


def test_a_database_error_reaching_the_command_line_exits_1(
    lib: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sqlite3 error no storage path turned into a LibraryError still gives one line and
    exit 1 (a damaged, full or read-only database is not a success)."""
    import sqlite3

    from app.cli import run as cli_run

    def damaged(_library: object, _args: object) -> int:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setitem(cli_run.COMMANDS, "stats", damaged)
    code, out, err = run(capsys, lib, "stats")
    assert code == 1
    assert "Traceback" not in err
    assert "library.db" in err
