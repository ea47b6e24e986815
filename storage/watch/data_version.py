"""SQLite's PRAGMA data_version on a read-only connection of its own: a cheap look, never a wait."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ChangeWatch:
    """Whether the database was committed to since the last look.

    SQLite changes PRAGMA data_version for a connection whenever any other connection (of this
    process or another) commits, so the watch has a connection of its own, opened read-only
    (it never writes, checkpoints or removes the WAL) with no busy timeout: while the database
    cannot be read at once (a rare WAL recovery), a look says "no change" and the change is
    seen at the next look. A look costs about as much as one tiny query; it takes no lock of
    the Library (its write lane) nor of the search index.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._conn: sqlite3.Connection | None = None
        self._missed = False  # a look failed: whatever happened meanwhile is unknown
        self._version = self._read()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(
                f"{self.db_path.absolute().as_uri()}?mode=ro",
                uri=True,
                timeout=0,
                check_same_thread=False,
                isolation_level=None,
            )
        return self._conn

    def _read(self) -> int | None:
        try:
            cursor = self._connect().execute("PRAGMA data_version")
            rows = cursor.fetchall()
            cursor.close()
        except sqlite3.Error:  # busy, locked, or the file is being replaced: look again later
            self.close()
            self._missed = True
            return None
        return int(rows[0][0]) if rows else None

    def changed(self) -> bool:
        """True once for each look that follows a commit made by another connection (and for
        the first look that could read the database again after one that could not)."""
        return self._look(unknown=False)

    def changed_or_unknown(self) -> bool:
        """changed(), but True also for a look that could not read the database: for callers
        that would rather compare for themselves than wait for the next look (the related
        papers' cache)."""
        return self._look(unknown=True)

    def _look(self, unknown: bool) -> bool:
        version = self._read()
        if version is None:
            return unknown
        if self._version is None or self._missed:  # a new connection counts anew
            self._version, self._missed = version, False
            return True
        if version == self._version:
            return False
        self._version = version
        return True

    def close(self) -> None:
        """Close the watch's connection (the next look opens it again)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
