"""Damaged pages and a full disk: `check` catches the damage, writes are refused, every command
fails in one line naming the file, and a full disk leaves the library as it was (issues 10, 17)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from db_safety_support import (
    PAPERS,
    assert_one_line,
    bibtex,
    build_library,
    copy_library,
    damage,
    digest,
    run,
)

import storage.database as database
from storage.library import ImportFailed, Library, LibraryError
from storage.safety import DatabaseDamaged, DatabaseFull

PAGE = 4096


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("template")
    return build_library(work / "lib", work)


@pytest.fixture
def lib(template: Path, tmp_path: Path) -> Path:
    return copy_library(template, tmp_path / "lib")


def offsets(db: Path) -> list[int]:
    """The header, the schema page, and pages spread over the whole file."""
    pages = db.stat().st_size // PAGE
    assert pages > 40, "the test library should span many pages"
    return [0, 100, *sorted({PAGE * p for p in range(1, pages, max(1, pages // 12))})]


# --- damaged pages -------------------------------------------------------------------------


def test_random_bytes_anywhere_are_caught_and_never_crash(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command on a damaged copy: exit 0 with real output, or exit 1 with one line naming
    library.db; `check` never says ok; `tag` never changes the file."""
    for offset in offsets(template / "library.db"):
        lib = copy_library(template, tmp_path / f"at-{offset}")
        db = lib / "library.db"
        damage(db, offset)
        code, out, err = run(capsys, lib, "check")
        assert code == 1, (offset, out, err)
        assert "ok:" not in out, offset
        assert "papershelf restore" in out + err, (offset, out, err)
        if err:
            assert_one_line(err, str(db))
        before = digest(db)
        code, out, err = run(capsys, lib, "tag", "5", "--add", "written")
        assert code == 1, (offset, out, err)
        assert_one_line(err, str(db), "damaged", "papershelf restore")
        assert digest(db) == before, f"tag wrote into the damaged file (offset {offset})"
        target = tmp_path / f"export-{offset}.json"
        for command in (
            ("export", "--all", "--format", "json", "-o", str(target)),
            ("stats",),
            ("search", "storage"),
            ("show", "5"),
            ("lists",),
        ):
            code, out, err = run(capsys, lib, *command)
            assert code in (0, 1), (offset, command, err)
            if code == 1:
                assert_one_line(err, str(db))
            else:
                assert out.strip(), (offset, command)


def damaged_but_openable(template: Path, tmp_path: Path) -> Path:
    """A copy damaged in a page that opening the library does not read."""
    for offset in reversed(offsets(template / "library.db")):
        lib = copy_library(template, tmp_path / f"open-{offset}")
        damage(lib / "library.db", offset)
        try:
            Library(lib).close()
        except LibraryError:
            continue
        with closing(sqlite3.connect(lib / "library.db")) as connection:
            try:
                if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                    return lib
            except sqlite3.DatabaseError:
                return lib
    pytest.fail("no damaged copy could be opened")


def test_the_first_write_is_refused_without_a_check_first(template: Path, tmp_path: Path) -> None:
    lib = damaged_but_openable(template, tmp_path)
    before = digest(lib / "library.db")
    with Library(lib) as library, pytest.raises(DatabaseDamaged) as caught:
        library.add_tags([5], ["written"])
    message = str(caught.value)
    assert "\n" not in message and str(lib / "library.db") in message
    assert "papershelf restore" in message and "backups" in message
    assert digest(lib / "library.db") == before


def test_check_flags_damage_and_later_writes_are_refused(template: Path, tmp_path: Path) -> None:
    lib = damaged_but_openable(template, tmp_path)
    with Library(lib) as library:
        report = library.check()
        assert not report.ok
        assert any(p.startswith("integrity:") for p in report.problems)
        assert "papershelf restore" in report.problems[-1]
    with Library(lib) as library, pytest.raises(DatabaseDamaged, match="writes are refused"):
        library.add_note(5, "not into a damaged file")


# --- a full disk ---------------------------------------------------------------------------


@pytest.fixture
def full_disk(lib: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every connection may not grow the file: SQLite answers SQLITE_FULL, as on a full disk."""
    original = database._set_pragmas

    def capped(connection: sqlite3.Connection, record: object) -> None:
        original(connection, record)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(database, "_set_pragmas", capped)
    return lib


def snapshot(library: Library) -> tuple[object, ...]:
    return (
        library.stats(),
        library.paper(2).notes,
        library.paper(1).tags,
        library.lists(),
        library.paper(7).abstract,
    )


BIG = "x" * 300_000


@pytest.mark.parametrize(
    "write",
    [
        lambda lib: lib.add_tags(list(range(1, PAPERS + 1)), [f"t{i:03d}" for i in range(40)]),
        lambda lib: lib.add_note(2, BIG),
        lambda lib: lib.update_paper(7, abstract=BIG),
        lambda lib: lib.create_list("big", BIG),
        lambda lib: lib.add_to_list("reading", list(range(1, PAPERS + 1)), note=BIG[:3000]),
        lambda lib: lib.set_list_entry_note("reading", 1, BIG),
    ],
    ids=["tag", "note", "edit", "list-create", "list-add", "list-note"],
)
def test_a_full_disk_on_every_write_path_changes_nothing(full_disk: Path, write) -> None:
    with Library(full_disk) as library:
        before = snapshot(library)
        with pytest.raises(DatabaseFull) as caught:
            write(library)
        message = str(caught.value)
        assert "\n" not in message
        assert str(full_disk / "library.db") in message and "disk is full" in message
        assert snapshot(library) == before
        assert library.check().ok


def test_a_full_disk_on_import_changes_nothing(full_disk: Path, tmp_path: Path) -> None:
    source = tmp_path / "more.bib"
    source.write_text(bibtex(400, start=PAPERS), encoding="utf-8")
    with Library(full_disk) as library:
        before = snapshot(library)
        with pytest.raises(ImportFailed, match="database or disk is full.*nothing was imported"):
            library.import_file(source)
        assert snapshot(library) == before
        assert library.check().ok


@pytest.mark.parametrize(
    "command",
    [
        ("tag", *map(str, range(1, PAPERS + 1)), *(f"--add=t{i:03d}" for i in range(40))),
        ("note", "2", "--text", BIG),
        ("list", "create", "big", "--description", BIG),
        ("list", "add", "reading", *map(str, range(1, PAPERS + 1)), "--note", BIG[:3000]),
        ("import", "MORE"),
    ],
    ids=["tag", "note", "list-create", "list-add", "import"],
)
def test_a_full_disk_on_the_command_line_is_one_line(
    full_disk: Path, command: tuple[str, ...], tmp_path: Path, capsys
) -> None:
    source = tmp_path / "more.bib"
    source.write_text(bibtex(400, start=PAPERS), encoding="utf-8")
    command = tuple(str(source) if part == "MORE" else part for part in command)
    _, before, _ = run(capsys, full_disk, "stats", "--json")
    code, _, err = run(capsys, full_disk, *command)
    assert code == 1
    assert_one_line(err, "database or disk is full")
    assert str(full_disk / "library.db") in err or str(source) in err
    assert run(capsys, full_disk, "stats", "--json")[1] == before
    assert run(capsys, full_disk, "check")[0] == 0


def test_a_damaged_file_is_not_migrated_nor_copied_as_a_backup(
    template: Path, tmp_path: Path
) -> None:
    """An older-schema file is backed up before its migration: not when the copy is damaged."""
    from storage.models import MERGE_BLOCK, PAPER_MERGE

    lib = copy_library(template, tmp_path / "old")
    db = lib / "library.db"
    with closing(sqlite3.connect(db)) as connection:
        for table in (PAPER_MERGE, MERGE_BLOCK):
            connection.execute(f"DROP TABLE {table.name}")
        connection.execute(f"PRAGMA user_version={database.SCHEMA_VERSION - 1}")
        connection.commit()
    damage(db, db.stat().st_size - 3 * PAGE)
    before = digest(db)
    with pytest.raises(DatabaseDamaged) as caught:
        Library(lib)
    assert not list((lib / "backups").glob("library-v*.db"))
    assert digest(db) == before  # not migrated
    (daily,) = (lib / "backups").glob("library-daily-*.db")
    assert str(daily) in str(caught.value)  # the hint names the good backup
