"""A lost library.db is refused and restored from backups/; modes are private; read-only is one
line (issues 10 and 17, database parts)."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from db_safety_support import assert_one_line, build_library, copy_library, damage, digest, run

from storage.library import Library
from storage.safety import DatabaseLost, list_backups
from storage.safety.backups import KEEP_DAILY
from storage.safety.guard import MARKER


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("template")
    return build_library(work / "lib", work)


@pytest.fixture
def lib(template: Path, tmp_path: Path) -> Path:
    return copy_library(template, tmp_path / "lib")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- a lost database -----------------------------------------------------------------------


def test_closing_a_library_leaves_a_checked_backup(lib: Path) -> None:
    (backup,) = list_backups(lib / "backups")
    assert backup.name.startswith("library-daily-")
    with closing(sqlite3.connect(backup)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM paper").fetchone() == (120,)


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_a_lost_database_is_refused_pointing_to_the_newest_backup(
    lib: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = lib / "library.db"
    if how == "emptied":
        db.write_bytes(b"")
    else:
        db.unlink()
    (backup,) = list_backups(lib / "backups")
    with pytest.raises(DatabaseLost) as caught:
        Library(lib)
    assert caught.value.backup == backup
    assert "120 papers" in str(caught.value)
    code, out, err = run(capsys, lib, "stats")
    assert code == 1 and out == ""
    assert_one_line(err, str(db), str(backup), "papershelf restore")
    assert not db.exists() or db.stat().st_size == 0  # no empty library was started over it


def test_the_index_alone_is_enough_evidence(lib: Path) -> None:
    (lib / "library.db").unlink()
    (lib / MARKER).unlink()
    for backup in list_backups(lib / "backups"):
        backup.unlink()
    with pytest.raises(DatabaseLost, match="120 papers.*search index.*no backup"):
        Library(lib)


def test_a_new_or_never_filled_library_opens_empty(tmp_path: Path) -> None:
    with Library(tmp_path / "new") as library:
        assert library.stats().papers == 0
    (tmp_path / "new" / "library.db").unlink()  # it held nothing, so nothing is lost
    with Library(tmp_path / "new") as library:
        assert library.stats().papers == 0


def test_restore_puts_back_the_newest_backup_and_the_index_follows(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lib / "library.db").write_bytes(b"")
    code, out, err = run(capsys, lib, "restore")
    assert code == 0, err
    assert "restored 120 papers from" in out
    with Library(lib) as library:
        assert library.stats().papers == 120
        assert library.paper(2).notes[0].body == "a note worth keeping"
        assert [e.paper_id for e in library.list_detail("reading").entries] == [1, 3]
        assert library.search("careful study 0007").hits[0].id == 8
        assert library.check().ok
    assert mode(lib / "library.db") == 0o600


def test_restore_of_a_named_backup_keeps_the_replaced_database(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = lib / "library.db"
    damage(db, 8192)
    before = digest(db)
    (backup,) = list_backups(lib / "backups")
    code, out, err = run(capsys, lib, "restore", backup.name)
    assert code == 0, err
    (kept,) = (lib / "backups").glob("replaced-*/library.db")
    assert digest(kept) == before  # the damaged file is set aside, not thrown away
    code, out, err = run(capsys, lib, "check")
    assert code == 0, out + err
    assert run(capsys, lib, "tag", "5", "--add", "after")[0] == 0


def test_restore_refuses_a_damaged_backup_and_changes_nothing(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (backup,) = list_backups(lib / "backups")
    damage(backup, 4096 * 3)
    before = digest(lib / "library.db")
    code, _, err = run(capsys, lib, "restore", str(backup))
    assert code == 1
    assert_one_line(err, str(backup))
    assert digest(lib / "library.db") == before
    code, _, err = run(capsys, lib, "restore")  # the newest usable one: there is none
    assert code == 1
    assert_one_line(err, "backups")


def test_restore_with_no_backup_is_one_line(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, tmp_path / "none", "restore")
    assert code == 1
    assert_one_line(err, "no backup")


def test_daily_backups_rotate(lib: Path) -> None:
    backups = lib / "backups"
    (first,) = list_backups(backups)
    for day in range(1, 8):  # a week of older copies
        old = backups / f"library-daily-2026010{day}-120000.db"
        old.write_bytes(first.read_bytes())
        os.utime(old, (time.time() - 86400 * (10 - day),) * 2)
    os.utime(first, (time.time() - 86400 * 2,) * 2)
    with Library(lib):
        pass
    kept = list_backups(backups)
    assert len(kept) == KEEP_DAILY
    assert time.time() - kept[0].stat().st_mtime < 60  # a new one was made and is the newest
    assert backups / "library-daily-20260107-120000.db" in kept
    assert backups / "library-daily-20260101-120000.db" not in kept


# --- modes ---------------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_library_is_private_and_exports_follow_the_umask(
    tmp_path: Path, umask_022: None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = build_library(tmp_path / "lib", tmp_path, count=20)
    with Library(folder) as library:
        library.add_tags([1], ["open"])  # the -wal and -shm exist while it is open
        for name in ("library.db", "library.db-wal", "library.db-shm"):
            assert mode(folder / name) == 0o600, name
    assert mode(folder) == 0o700
    assert mode(folder / "backups") == 0o700
    assert mode(folder / MARKER) == 0o600
    for backup in list_backups(folder / "backups"):
        assert mode(backup) == 0o600
    out = tmp_path / "out.bib"
    assert run(capsys, folder, "export", "--all", "--format", "bibtex", "-o", str(out))[0] == 0
    assert mode(out) == 0o644


def test_a_library_made_world_readable_is_made_private_once(lib: Path) -> None:
    os.chmod(lib, 0o755)
    os.chmod(lib / "library.db", 0o644)
    (lib / MARKER).unlink()
    with Library(lib):
        pass
    assert (mode(lib), mode(lib / "library.db"), mode(lib / "index")) == (0o700, 0o600, 0o700)
    os.chmod(lib, 0o750)  # the user's own choice afterwards is left alone
    with Library(lib):
        pass
    assert mode(lib) == 0o750


# --- a read-only database ------------------------------------------------------------------


@pytest.fixture
def read_only(lib: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """library.db made read-only; as root (who may write anyway) SQLite is told so as well."""
    os.chmod(lib / "library.db", 0o444)
    if os.geteuid() == 0:
        import storage.database as database

        original = database._set_pragmas

        def read_only_pragmas(connection: sqlite3.Connection, record: object) -> None:
            original(connection, record)
            connection.execute("PRAGMA query_only=ON")

        monkeypatch.setattr(database, "_set_pragmas", read_only_pragmas)
    return lib


@pytest.mark.parametrize(
    "command",
    [
        ("tag", "1", "--add", "new"),
        ("note", "1", "--text", "a note"),
        ("status", "1", "read"),
        ("list", "create", "more"),
    ],
)
def test_a_read_only_database_is_one_line(
    read_only: Path, command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, read_only, *command)
    assert code == 1
    assert_one_line(err, str(read_only / "library.db"), "cannot be written")
    code, out, _ = run(capsys, read_only, "show", "1")  # reading still works
    assert code == 0 and "Careful study 0000" in out


def test_restore_never_replays_the_old_write_ahead_log(
    lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A -wal left by a crash holds frames for the old file; replayed onto the restored one they
    would bring back (or garble) what the backup does not have."""
    writer = sqlite3.connect(lib / "library.db")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    with writer:
        writer.executemany("INSERT INTO tag (name) VALUES (?)", [(f"late{i}",) for i in range(300)])
    crashed = copy_library(lib, tmp_path / "crashed")  # the files as a crash leaves them
    writer.close()
    assert (crashed / "library.db-wal").stat().st_size > 0
    code, out, err = run(capsys, crashed, "restore")
    assert code == 0, err
    (kept_wal,) = (crashed / "backups").glob("replaced-*/library.db-wal")
    assert kept_wal.stat().st_size > 0
    with Library(crashed) as library:
        assert library.stats().papers == 120
        assert not [t for t in library.tag_counts() if t.name.startswith("late")]
        assert library.check().ok


def test_a_killed_backup_leaves_no_part_file_behind_for_long(lib: Path) -> None:
    stale = lib / "backups" / ".library-daily-20260101-000000.db.4242.part"
    stale.write_bytes(b"half a copy")
    os.utime(stale, (time.time() - 7200,) * 2)
    for backup in list_backups(lib / "backups"):
        os.utime(backup, (time.time() - 86400 * 2,) * 2)  # so the next open makes one
    with Library(lib):
        pass
    assert not stale.exists()
    assert len(list_backups(lib / "backups")) == 2
