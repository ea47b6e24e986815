"""Merge provenance (issue 10): list a paper's merges, split one back off (library, CLI),
and a later import does not silently merge the split pair again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from storage.database import SCHEMA_VERSION
from storage.library import Library
from storage.merges import SplitError

# Two entries the old title rule merged and the new one still does (nothing contradicts):
# the second has no author and fills the empty year, venue, DOI; each has its own tag and note.
BIB = """@article{first,
  title = {Nicaragua},
  author = {Walker, Thomas},
  keywords = {history},
  annote = {Walker's own survey}
}

@book{second,
  title = {Nicaragua!},
  year = {2003},
  publisher = {Westview},
  journal = {Westview Press},
  doi = {10.4324/nic.2003},
  keywords = {geography, history},
  annote = {Read chapter two}
}
"""


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "nic.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def test_split_restores_both_papers_and_the_index_finds_both(library: Library, bib: Path) -> None:
    report = library.import_file(bib)
    (survivor,) = report.new_ids
    (event,) = report.merges
    merged = library.paper(survivor)
    assert (merged.year, merged.doi) == (2003, "10.4324/nic.2003")
    assert set(merged.tags) == {"history", "geography"}
    assert len(merged.notes) == 2
    library.add_tags([survivor], ["mine"])  # the user's own edits stay where they are
    library.update_paper(survivor, venue="Edited by me")
    (view,) = library.merges(survivor)
    assert (view.id, view.rule, view.title, view.line) == (event.merge_id, "title", "Nicaragua!", 8)

    change = library.split(survivor, event.merge_id)
    (new_id,) = change.paper_ids - {survivor}
    kept, split = library.paper(survivor), library.paper(new_id)
    assert (kept.title, kept.year, kept.doi) == ("Nicaragua", None, None)
    assert kept.venue == "Edited by me"
    assert set(kept.tags) == {"history", "mine"}
    assert [n.body for n in kept.notes] == ["Walker's own survey"]
    assert kept.authors == ("Thomas Walker",)
    assert (split.title, split.year, split.doi) == ("Nicaragua!", 2003, "10.4324/nic.2003")
    assert set(split.tags) == {"geography", "history"}
    assert [n.body for n in split.notes] == ["Read chapter two"]
    assert library.paper_ids(query="chapter") == [new_id]
    assert library.paper_ids(query="survey") == [survivor]
    assert set(library.paper_ids(query="nicaragua")) == {survivor, new_id}
    assert library.merges(survivor)[0].split_paper_id == new_id
    with pytest.raises(SplitError, match="split off already"):
        library.split(survivor, event.merge_id)
    with pytest.raises(SplitError, match="no merge"):
        library.split(new_id, event.merge_id)
    assert library.check().ok

    again = library.import_file(bib)  # the same file once more: no silent re-merge
    assert again.new_ids == [] and again.merges == []
    assert sorted(again.unchanged_ids) == sorted([survivor, new_id])
    assert library.stats().papers == 2


def test_split_keeps_a_tag_another_merge_also_brought(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "three.bib"
    path.write_text(
        "@article{a, title={Graphs}, author={Ore, O}}\n"
        "@article{b, title={Graphs}, year={1962}, keywords={classic}}\n"
        "@article{c, title={Graphs}, keywords={classic}}\n",
        encoding="utf-8",
    )
    report = library.import_file(path)
    first, second = report.merges
    library.split(first.paper_id, first.merge_id)
    assert "classic" in library.paper(first.paper_id).tags
    assert library.paper(first.paper_id).year is None


def test_a_field_two_merges_brought_survives_splitting_one(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "abstracts.bib"
    path.write_text(
        "@article{a, title={Trees}, author={Ore, O}}\n"
        "@article{b, title={Trees}, abstract={First abstract.}}\n"
        "@article{c, title={Trees}, abstract={Second abstract.}}\n",
        encoding="utf-8",
    )
    first, second = library.import_file(path).merges
    pid = first.paper_id
    assert library.paper(pid).abstract == "First abstract."
    library.split(pid, first.merge_id)
    assert library.paper(pid).abstract == "Second abstract."  # the other merge's value
    library.split(pid, second.merge_id)  # which that merge now takes back when split
    assert library.paper(pid).abstract is None
    assert library.stats().papers == 3


def test_cli_verbose_merges_and_split(tmp_path: Path, bib: Path, capsys) -> None:
    lib = tmp_path / "cli"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--library", str(lib), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("import", str(bib), "--verbose")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        f'{bib}:8: "Nicaragua!" merged into paper 1 "Nicaragua" (same title; merge 1)'
    )
    assert lines[1].endswith("1 new, 1 merged, 0 already present, 0 skipped")
    code, out, _ = run("import", str(bib))
    assert code == 0 and "0 merged, 2 already present" in out and "merged into" not in out

    code, out, _ = run("merges", "1", "--json")
    listed = json.loads(out)
    assert listed["paper"] == 1
    assert [(m["id"], m["rule"], m["line"], m["split_into"]) for m in listed["merges"]] == [
        (1, "title", 8, None)
    ]
    assert listed["merges"][0]["doi"] == "10.4324/nic.2003"
    code, out, _ = run("merges", "1")
    assert code == 0 and "Nicaragua! (2003; 10.4324/nic.2003)" in out

    code, out, err = run("split", "1", "1")
    assert (code, out.strip()) == (0, "merge 1 split off paper 1 as paper 2"), err
    code, _, err = run("split", "1", "1")
    assert code == 1 and "split off already" in err and "Traceback" not in err
    code, _, err = run("split", "1", "99")
    assert code == 1 and err.strip() == "papershelf: paper 1 has no merge 99"
    code, out, _ = run("merges", "1")
    assert "[split off as paper 2]" in out
    code, out, _ = run("stats", "--json")
    assert json.loads(out)["papers"] == 2


def test_a_version_1_library_gains_the_merge_tables(tmp_path: Path, bib: Path) -> None:
    Library(tmp_path / "old").close()
    with sqlite3.connect(tmp_path / "old" / "library.db") as conn:
        conn.execute("DROP TABLE paper_merge")
        conn.execute("DROP TABLE merge_block")
        conn.execute("PRAGMA user_version=1")
    with Library(tmp_path / "old") as library:
        report = library.import_file(bib)
        assert len(library.merges(report.new_ids[0])) == 1
    with sqlite3.connect(tmp_path / "old" / "library.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert list((tmp_path / "old" / "backups").glob("library-v1-*.db"))
