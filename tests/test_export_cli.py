"""`papershelf export`: every format and selection, messages and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from export_support import annotated_library

from app.cli import main

LIST_KEYS = ["karpukhin2020dense", "muller2019sparse", "oneil2021why"]


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--library", str(lib), *args])
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "lib"
    library, _ = annotated_library(folder)
    library.close()
    return folder


def keys(fmt: str, path: Path) -> list[str]:
    """Citation keys in file order, read with an independent parser for each format."""
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "bibtex":
        return [entry.key for entry in bibtexparser.parse_string(text).entries]
    if fmt == "ris":
        return [entry["id"] for entry in rispy.loads(text)]
    if fmt == "csl-json":
        return [item["id"] for item in json.loads(text)]
    if fmt == "json":
        return [paper["citation_key"] for paper in json.loads(text)["papers"]]
    if fmt == "csv":
        return [row["citation_key"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    if fmt == "markdown":
        return re.findall(r"^## \d+\. (.+)$", text, flags=re.MULTILINE)  # titles
    return re.findall(r'<h2><span class="num">\d+\.</span> ([^<]+)</h2>', text)  # titles


FORMATS = ["markdown", "html", "bibtex", "ris", "csl-json", "csv", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_list_in_every_format(lib: Path, tmp_path: Path, capsys, fmt: str) -> None:
    target = tmp_path / f"list.{fmt}"
    code, out, err = run(
        capsys, lib, "export", "--list", "Reading group", "--format", fmt, "-o", str(target)
    )
    assert code == 0, err
    assert out == f"exported 3 papers to {target} ({fmt})\n"
    found = keys(fmt, target)
    if fmt in ("html", "markdown"):
        assert found[0].startswith("Dense Passage") and found[1].startswith("Sparse Attention")
        assert len(found) == 3
    else:
        assert found == LIST_KEYS


@pytest.mark.parametrize(
    ("selection", "count"),
    [
        (("--all",), 5),
        (("--tag", "attention"), 2),
        (("--query", "attention"), 2),
        (("--query", "year:2020"), 2),
    ],
)
@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_export_selections(lib, tmp_path, capsys, selection, count: int, fmt: str) -> None:
    target = tmp_path / "out"
    code, out, err = run(capsys, lib, "export", *selection, "--format", fmt, "-o", str(target))
    assert code == 0, err
    noun = "paper" if count == 1 else "papers"
    assert out == f"exported {count} {noun} to {target} ({fmt})\n"
    if fmt != "markdown":
        assert len(keys(fmt, target)) == count


def test_export_relative_path_is_reported_absolute(lib, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, lib, "export", "--all", "--format", "bibtex", "-o", "all.bib")
    assert code == 0
    assert out == f"exported 5 papers to {tmp_path / 'all.bib'} (bibtex)\n"


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (("--list", "Nope"), "no reading list named 'Nope'"),
        (("--tag", "nope"), "no tag named 'nope'"),
    ],
)
def test_unknown_list_or_tag_exits_1(lib, tmp_path, capsys, selection, message: str) -> None:
    target = tmp_path / "x.md"
    code, out, err = run(
        capsys, lib, "export", *selection, "--format", "markdown", "-o", str(target)
    )
    assert code == 1 and out == ""
    assert err == f"papershelf: {message}\n"
    assert not target.exists()


@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_unwritable_destination_exits_1_naming_it(lib, tmp_path, capsys, where: str) -> None:
    target = tmp_path / "no" / "list.md" if where == "missing folder" else tmp_path
    code, out, err = run(capsys, lib, "export", "--all", "--format", "markdown", "-o", str(target))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and str(target) in err and "Traceback" not in err


def test_existing_file_is_replaced_whole(lib, tmp_path, capsys) -> None:
    target = tmp_path / "list.md"
    target.write_text("x" * 100_000, encoding="utf-8")
    code, _, _ = run(capsys, lib, "export", "--list", "Reading group", "--format", "markdown",
                     "-o", str(target))  # fmt: skip
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Reading group") and "xxxx" not in text


@pytest.mark.parametrize(
    "args",
    [
        ("--query", "year:abc"),  # a bad query, as for search
        ("--query", "   "),
        ("--list", ""),
        ("--tag", " "),
        ("--all", "--tag", "x"),  # exactly one selection
        ("--format", "markdown"),  # no selection at all
    ],
)
def test_usage_errors_exit_2(lib, tmp_path, capsys, args: tuple[str, ...]) -> None:
    target = tmp_path / "x.md"
    extra = () if "--format" in args else ("--format", "markdown")
    code, out, err = run(capsys, lib, "export", *args, *extra, "-o", str(target))
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert not target.exists()


def test_unknown_format_exits_2(lib, tmp_path, capsys) -> None:
    code, _, err = run(
        capsys, lib, "export", "--all", "--format", "docx", "-o", str(tmp_path / "x")
    )
    assert code == 2 and "invalid choice" in err
