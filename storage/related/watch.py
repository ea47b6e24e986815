"""Whether anyone committed to the database since the last look: SQLite's PRAGMA data_version
on a read-only connection of its own (any other connection's commit, in this process or
another, changes it), so that an unchanged library is known in microseconds."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class CommitWatch:
    """A look says True when the database may have changed since the previous look: after a
    commit by another connection, at the first look, and whenever the look itself failed
    (busy, locked, missing: then nothing is known and the caller compares for itself)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._lock = threading.Lock()

    def look(self) -> bool:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(
                        f"{self.db_path.absolute().as_uri()}?mode=ro",
                        uri=True,
                        timeout=0,
                        check_same_thread=False,
                        isolation_level=None,
                    )
                row = self._conn.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                self._close()
                return True
            version = int(row[0])
            changed = version != self._version
            self._version = version
            return changed

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._version = None, None
