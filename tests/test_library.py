"""Library use cases on a real SQLite file and Whoosh index: import, dedupe, edits, repair."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage.database import SCHEMA_VERSION, LibraryError
from storage.library import ImportCancelled, ImportFailed, Library, NotFound
from storage.records import normalize_title


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


@pytest.fixture
def loaded(library: Library, fixtures_dir: Path) -> Library:
    for name in ("lib_papers.bib", "lib_papers.ris", "lib_papers.csl.json"):
        library.import_file(fixtures_dir / name)
    return library


def snapshot(lib: Library) -> tuple:
    """Everything a user could see, to prove an operation changed nothing."""
    ids = lib.paper_ids(sort="title")
    return (
        lib.stats(),
        [lib.paper(pid) for pid in ids],
        lib.tag_counts(),
        lib.lists(),
        lib.index.doc_count(),
    )


# --- import and dedupe ----------------------------------------------------------------------


def test_import_dedupes_by_doi_arxiv_and_title(loaded: Library) -> None:
    titles = sorted(loaded.rows(loaded.paper_ids()).values(), key=lambda r: r.title)
    assert [r.title for r in titles] == [
        "Curriculum Tokenization for Low-Resource Languages",
        "Dense Passage Retrieval for Open-Domain Question Answering",
        "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators",
        "Scaling Mamba Backbones for Remote Sensing Imagery",
        "Sparse Attention for Long Documents",
    ]
    sparse = loaded.paper(loaded.resolve("muller2019sparse"))
    assert sparse.doi == "10.1234/abc.5678"  # prefix dropped, lower case
    # the RIS duplicate (same DOI, other case) added its keyword but not its abstract
    assert "attention" in sparse.tags
    assert sparse.abstract.startswith("We prune attention heads")
    assert sparse.authors == ("Jörg Müller", "Open Research Consortium")
    # the CSL duplicate (title differing only in case and punctuation) filled the empty venue
    dpr = loaded.paper(loaded.resolve("karpukhin2020dense"))
    assert dpr.venue == "EMNLP"
    electra = loaded.paper(loaded.resolve("clark2020electra"))
    assert electra.arxiv_id == "2003.10555"


def test_reimport_changes_nothing(loaded: Library, fixtures_dir: Path) -> None:
    before = snapshot(loaded)
    for name in ("lib_papers.bib", "lib_papers.ris", "lib_papers.csl.json"):
        report = loaded.import_file(fixtures_dir / name)
        assert report.new_ids == [] and report.merged_ids == []
        assert report.unchanged_ids
    assert snapshot(loaded) == before


def test_duplicate_never_overwrites_what_the_user_wrote(loaded: Library, tmp_path: Path) -> None:
    pid = loaded.resolve("muller2019sparse")
    loaded.set_status([pid], "read")
    loaded.set_rating([pid], 4)
    loaded.add_note(pid, "My own *note*")
    loaded.remove_tags([pid], ["attention"])
    bib = tmp_path / "again.bib"
    bib.write_text(
        "@article{x, title={Sparse attention for long documents}, doi={10.1234/abc.5678},"
        " year={1999}, journal={Other Venue}}\n",
        encoding="utf-8",
    )
    loaded.import_file(bib)
    detail = loaded.paper(pid)
    assert (detail.status, detail.rating, detail.year) == ("read", 4, 2019)
    assert detail.venue != "Other Venue"
    assert [n.body for n in detail.notes] == ["My own *note*"]


def test_import_options_tag_and_list(library: Library, fixtures_dir: Path) -> None:
    report = library.import_file(
        fixtures_dir / "lib_papers.bib", tags=["seminar"], list_name="Friday"
    )
    assert len(report.new_ids) == 3
    assert {t.name: t.count for t in library.tag_counts()}["seminar"] == 3
    entries = library.list_detail("Friday").entries
    assert [e.paper_id for e in entries] == report.new_ids


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe\x00junk" * 50, "text"),
        (b'[{"title": "x",', "1"),
    ],
)
def test_bad_files_fail_cleanly_and_change_nothing(
    loaded: Library, tmp_path: Path, content: bytes, expected: str
) -> None:
    before = snapshot(loaded)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ImportFailed) as failure:
        loaded.import_file(bad)
    assert str(bad) in str(failure.value)
    assert expected in str(failure.value)
    assert snapshot(loaded) == before


def test_directory_and_missing_path(library: Library, tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "nope.bib"):
        with pytest.raises(ImportFailed, match=str(path)):
            library.import_file(path)


def test_partly_bad_bibtex_imports_the_good_entries(library: Library, tmp_path: Path) -> None:
    bib = tmp_path / "partial.bib"
    bib.write_text(
        "@article{good1, title={A Good Paper}, year={2021}}\n\n"
        "@article{broken, title={Never closed, year={2020}\n\n"
        "@article{good2, title={Another Good Paper}, year={2022}}\n",
        encoding="utf-8",
    )
    try:
        report = library.import_file(bib)
    except ImportFailed:
        pytest.fail("a file with some good entries must import them")
    titles = {r.title for r in library.rows(library.paper_ids()).values()}
    assert "A Good Paper" in titles
    assert report.warnings and all(w.startswith(f"{bib}:") for w in report.warnings)


def test_cancel_rolls_back_the_whole_file(loaded: Library, tmp_path: Path) -> None:
    before = snapshot(loaded)
    bib = tmp_path / "many.bib"
    bib.write_text(
        "\n".join(
            f"@article{{k{i}, title={{Generated Paper Number {i}}}, year={{2020}}}}"
            for i in range(600)
        ),
        encoding="utf-8",
    )
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 3  # after a few hundred records were already written

    with pytest.raises(ImportCancelled):
        loaded.import_file(bib, cancel=cancel)
    assert calls["n"] > 3
    assert snapshot(loaded) == before


def test_killed_import_leaves_library_as_before(loaded: Library, tmp_path: Path) -> None:
    """A process killed in the middle of a file (os._exit, no cleanup) writes nothing."""
    before = snapshot(loaded)
    folder = loaded.folder
    loaded.close()
    bib = tmp_path / "many.bib"
    bib.write_text(
        "\n".join(f"@article{{k{i}, title={{Killed Paper {i}}}}}" for i in range(1000)),
        encoding="utf-8",
    )
    script = textwrap.dedent(
        f"""
        import os
        from storage.library import Library
        lib = Library({str(folder)!r})
        def progress(done, total):
            if done >= 400:
                os._exit(9)
        lib.import_file({str(bib)!r}, progress=progress)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent.parent)
    assert result.returncode == 9
    reopened = Library(folder)
    try:
        assert snapshot(reopened) == before
    finally:
        reopened.close()


# --- index in step with the database ---------------------------------------------------------


def test_index_follows_every_write(loaded: Library) -> None:
    pid = loaded.resolve("clark2020electra")
    assert loaded.search("tag:favourite").total == 0
    loaded.add_tags([pid], ["favourite"])
    assert [h.id for h in loaded.search("tag:favourite").hits] == [pid]
    loaded.set_status([pid], "read")
    assert pid in [h.id for h in loaded.search("status:read").hits]
    note_id = loaded.add_note(pid, "Compare with the generator ablation in section four")
    assert [h.id for h in loaded.search("note:ablation").hits] == [pid]
    loaded.update_note(note_id, body="nothing here now")
    assert loaded.search("note:ablation").total == 0
    loaded.delete_papers([pid])
    assert loaded.search("title:ELECTRA").total == 0


def test_missing_index_is_rebuilt_at_open(loaded: Library) -> None:
    folder = loaded.folder
    loaded.close()
    shutil.rmtree(folder / "index")
    reopened = Library(folder)
    try:
        assert reopened.index.doc_count() == 5
        assert reopened.search("title:ELECTRA").total == 1
        assert reopened.check().ok
    finally:
        reopened.close()


def test_stale_index_is_repaired_at_open(loaded: Library) -> None:
    """A write committed to SQLite whose index update never ran (crash) is replayed at open."""
    folder = loaded.folder
    loaded.close()
    with sqlite3.connect(folder / "library.db") as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        pid = conn.execute("SELECT id FROM paper WHERE citation_key='clark2020electra'").fetchone()[
            0
        ]
        conn.execute("UPDATE paper SET title='Quokka Discriminators' WHERE id=?", (pid,))
        conn.execute("INSERT INTO index_queue (paper_id) VALUES (?)", (pid,))
        conn.execute("DELETE FROM paper WHERE citation_key='roma2025'")
    reopened = Library(folder)
    try:
        assert [h.id for h in reopened.search("quokka").hits] == [pid]
        assert reopened.index.doc_count() == 4
        assert reopened.check().problems == ()
    finally:
        reopened.close()


def test_check_reports_and_repairs_a_drifted_index(loaded: Library) -> None:
    loaded.index.update([], delete_ids=[loaded.resolve("clark2020electra")])
    report = loaded.check()
    assert not report.ok and any("missing from the search index" in p for p in report.problems)
    repaired = loaded.check(repair=True)
    assert repaired.ok and repaired.repaired
    assert loaded.check().problems == ()


# --- edits, notes, lists, undo ----------------------------------------------------------------


def test_tag_rename_merges_and_delete(loaded: Library) -> None:
    a, b = loaded.resolve("clark2020electra"), loaded.resolve("karpukhin2020dense")
    loaded.add_tags([a], ["nlp"])
    loaded.add_tags([b], ["NLP-retrieval"])
    change = loaded.rename_tag("NLP-retrieval", "nlp")
    assert change.paper_ids == {b}
    assert {t.name: t.count for t in loaded.tag_counts()}["nlp"] == 2
    assert loaded.search("tag:nlp").total == 2
    loaded.delete_tag("nlp")
    assert "nlp" not in {t.name for t in loaded.tag_counts()}
    assert loaded.search("tag:nlp").total == 0


def test_mutations_report_only_what_changed(loaded: Library) -> None:
    ids = loaded.paper_ids()
    first = loaded.set_status(ids[:2], "reading")
    assert first.paper_ids == set(ids[:2])
    assert loaded.set_status(ids[:3], "reading").paper_ids == {ids[2]}
    assert loaded.add_tags(ids[:1], ["x"]).paper_ids == {ids[0]}
    assert not loaded.add_tags(ids[:1], ["x"])


def test_delete_and_restore_papers(loaded: Library) -> None:
    pid = loaded.resolve("clark2020electra")
    loaded.add_note(pid, "keep me", quote="a quoted passage", page="4")
    loaded.create_list("Seminar")
    loaded.add_to_list("Seminar", [loaded.resolve("karpukhin2020dense"), pid], note="why")
    before = snapshot(loaded)
    change, undo = loaded.delete_papers([pid])
    assert change.paper_ids == {pid} and change.lists == {"Seminar"}
    with pytest.raises(NotFound):
        loaded.paper(pid)
    assert len(loaded.list_detail("Seminar").entries) == 1
    loaded.restore_papers(undo)
    assert snapshot(loaded) == before


def test_reading_list_order_and_entry_notes(loaded: Library) -> None:
    ids = loaded.paper_ids(sort="title", descending=False)
    loaded.create_list("Reading group", "papers for the autumn")
    loaded.add_to_list("Reading group", ids[:4])
    loaded.reorder_list("Reading group", [ids[3], ids[1]])
    loaded.set_list_entry_note("Reading group", ids[1], "discuss on Friday")
    loaded.remove_from_list("Reading group", [ids[0]])
    detail = loaded.list_detail("Reading group")
    assert [e.paper_id for e in detail.entries] == [ids[3], ids[1], ids[2]]
    assert [e.position for e in detail.entries] == [0, 1, 2]
    assert detail.entries[1].note == "discuss on Friday"
    assert loaded.paper_ids(list_name="Reading group", sort="position") == [ids[3], ids[1], ids[2]]
    loaded.delete_list("Reading group")
    assert loaded.stats().papers == 5


def test_notes_round_trip_exactly(loaded: Library) -> None:
    pid = loaded.resolve("roma2025")
    body = "# Ünïcödé 数学\n\n```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    note_id = loaded.add_note(pid, body, quote="“quoted”", page="iv")
    note = loaded.paper(pid).notes[0]
    assert (note.id, note.body, note.quote, note.page) == (note_id, body, "“quoted”", None)
    assert (note.page_label, note.page_text) == ("iv", "iv")


def test_edit_errors_are_clear(loaded: Library) -> None:
    from storage.library import EditError

    with pytest.raises(EditError, match="status"):
        loaded.set_status(loaded.paper_ids()[:1], "finished")
    with pytest.raises(NotFound):
        loaded.resolve("no-such-key")
    with pytest.raises(EditError, match="no reading list"):
        loaded.add_to_list("Nope", loaded.paper_ids()[:1])


# --- the database file -------------------------------------------------------------------------


def test_pragmas_and_schema_version(library: Library) -> None:
    with library.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Library(tmp_path / "lib").close()
    with sqlite3.connect(tmp_path / "lib" / "library.db") as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    with pytest.raises(LibraryError, match="newer Papershelf"):
        Library(tmp_path / "lib")


def test_backup_is_taken_before_a_migration(loaded: Library) -> None:
    folder = loaded.folder
    loaded.close()
    with sqlite3.connect(folder / "library.db") as conn:
        conn.execute("PRAGMA user_version=0")
    Library(folder).close()
    backups = list((folder / "backups").glob("library-v0-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT count(*) FROM paper").fetchone()[0] == 5


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "library.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="library.db"):
        Library(tmp_path / "lib")


# --- the real seed listings ------------------------------------------------------------------


@pytest.mark.seeds
def test_seed_listings_give_390_papers(library: Library, seed_files: list[Path]) -> None:
    reports = [library.import_file(path) for path in seed_files]
    assert sum(len(r.new_ids) + len(r.merged_ids) + len(r.unchanged_ids) for r in reports) == 411
    assert library.stats().papers == 390
    titles = {r.title for r in library.rows(library.paper_ids()).values()}
    assert "Stealing User Prompts from Mixture of Experts" in titles
    chrome = {"new", "subscribe", "get trending papers in your email inbox"}
    assert not any(normalize_title(t) in chrome or t.startswith("Subscribe") for t in titles)
    again = [library.import_file(path) for path in seed_files]
    assert all(not r.new_ids and not r.merged_ids for r in again)
    assert library.stats().papers == 390
    assert library.index.doc_count() == 390


@pytest.fixture(scope="module")
def seed_library(tmp_path_factory: pytest.TempPathFactory, seed_files: list[Path]):
    lib = Library(tmp_path_factory.mktemp("seeds") / "lib")
    for path in seed_files:
        lib.import_file(path)
    yield lib
    lib.close()


@pytest.mark.seeds
def test_seed_searches_find_the_obvious_paper(seed_library: Library) -> None:
    first = seed_library.search("mamba remote sensing").hits[0]
    assert seed_library.paper(first.id).title.startswith("RoMA")
    electra = seed_library.search("title:ELECTRA").hits
    assert electra and "ELECTRA" in seed_library.paper(electra[0].id).title
    fuzzy = seed_library.search("tokenizaton~", limit=50)
    assert fuzzy.total >= 3
    assert all("tokeniz" in _text(seed_library, h.id) for h in fuzzy.hits[:3])


@pytest.mark.seeds
def test_seed_phrase_search_finds_every_paper_with_the_phrase(seed_library: Library) -> None:
    # stemming is on, so "Dense Passage Retriever" is the same phrase as "dense passage retrieval"
    phrase = re.compile(r"\bdense\W+passages?\W+retriev\w*")
    expected = {pid for pid in seed_library.paper_ids() if phrase.search(_text(seed_library, pid))}
    assert expected
    result = seed_library.search('"dense passage retrieval"', limit=1000)
    assert {h.id for h in result.hits} == expected
    assert result.total == len(expected)


def _text(lib: Library, pid: int) -> str:
    detail = lib.paper(pid)
    return " ".join([detail.title, detail.abstract or ""]).lower().replace("-", " ")
