"""Schema 5: a schema-4 library (built from its recorded schema) is migrated: note pages become
numbers where they are numbers, other pages stay readable, ids and text are kept, and the
migration can run twice."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from highlight_support import line_rect, pdf_bytes
from sqlalchemy import create_engine

from storage import database
from storage.library import Library

SCHEMA_V4 = Path(__file__).resolve().parent.parent / "fixtures" / "schema-v4.sql"
NOW = "2024-03-01 10:00:00.000000"
PAGES = {  # as a schema-4 library may hold them -> (page, page_label) after the migration
    1: ("12", 12, None),
    2: ("p. 7", 7, None),
    3: ("iv", None, "iv"),
    4: ("12–13", None, "12–13"),
    5: (None, None, None),
    6: ("  ", None, None),
    7: ("0", None, "0"),
    8: ("Page 3", 3, None),
}


def old_library(folder: Path) -> Path:
    """A library folder whose database is at schema 4 with a paper, its notes and a file."""
    folder.mkdir(mode=0o700)
    db = folder / "library.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(SCHEMA_V4.read_text(encoding="utf-8"))
        conn.execute(
            "INSERT INTO paper (id, title, title_key, authors_text, citation_key, status, rating,"
            " added_at, updated_at) VALUES (1, 'Wombat Burrows', 'wombat burrows', '',"
            " 'wombat2024', 'unread', 0, ?, ?)",
            (NOW, NOW),
        )
        for note_id, (page, _number, _label) in PAGES.items():
            conn.execute(
                "INSERT INTO note (id, paper_id, body, quote, page, created_at, updated_at)"
                " VALUES (?, 1, ?, ?, ?, ?, ?)",
                (note_id * 10, f"note {note_id}", f"quote {note_id}", page, NOW, NOW),
            )
        conn.execute("PRAGMA user_version=4")
        conn.commit()
    return folder


def test_a_schema_4_library_is_migrated_keeping_every_note(tmp_path: Path) -> None:
    folder = old_library(tmp_path / "old")
    with Library(folder) as library:
        notes = library.paper(1).notes
        assert [n.id for n in notes] == [note_id * 10 for note_id in PAGES]
        for note, (_page, number, label) in zip(notes, PAGES.values(), strict=True):
            assert (note.page, note.page_label) == (number, label)
            assert (note.color, note.file_id, note.rects) == (None, None, ())
        assert [n.body for n in notes] == [f"note {i}" for i in PAGES]
        assert library.search("note:quote").total == 1
        # the migrated library takes highlights and reading positions
        pdf = tmp_path / "w.pdf"
        pdf.write_bytes(pdf_bytes())
        (file_id,) = library.attach(1, [pdf]).file_ids
        library.add_highlight(1, file_id, 1, [line_rect(0)], "Wombats dig", "blue")
        library.set_reading_position(1, file_id, 2)
        assert library.reading_position(1).page == 2
    with closing(sqlite3.connect(folder / "library.db")) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == database.SCHEMA_VERSION
        kinds = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(note)")}
        assert kinds["page"] == "INTEGER" and kinds["page_label"] == "VARCHAR"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "note_v4" not in tables and "reading_position" in tables
    (backup,) = (folder / "backups").glob("library-v4-*.db")
    with closing(sqlite3.connect(backup)) as conn:  # the copy made before is still schema 4
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4


def test_the_migration_step_runs_twice_without_harm(tmp_path: Path) -> None:
    folder = old_library(tmp_path / "old")
    Library(folder).close()
    engine = create_engine(f"sqlite:///{folder / 'library.db'}")
    try:
        with engine.begin() as connection:
            before = connection.exec_driver_sql("SELECT * FROM note ORDER BY id").all()
            database.MIGRATIONS[4](connection)  # as if the integrator renumbered the steps
            after = connection.exec_driver_sql("SELECT * FROM note ORDER BY id").all()
    finally:
        engine.dispose()
    assert after == before and len(after) == len(PAGES)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("12", (12, None)), ("p.12", (12, None)), ("pp. 3", (3, None)), ("xii", (None, "xii")),
     ("3-4", (None, "3-4")), ("", (None, None)), (None, (None, None)), (5, (5, None)),
     (0, (None, "0")), ("-2", (None, "-2"))],
)  # fmt: skip
def test_pages_split_into_number_and_label(written, expected) -> None:
    from storage.records import split_page

    assert split_page(written) == expected
