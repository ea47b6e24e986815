"""Database safety: private files, daily verified backups, restore, and one-line SQLite errors."""

from storage.safety.backups import list_backups, newest_backup
from storage.safety.errors import (
    DatabaseDamaged,
    DatabaseFull,
    DatabaseLost,
    DatabaseProblem,
    DatabaseReadOnly,
    is_busy,
    sqlite_error,
)
from storage.safety.guard import DatabaseGuard
from storage.safety.restore import RestoreReport, restore_backup

__all__ = [
    "DatabaseDamaged",
    "DatabaseFull",
    "DatabaseGuard",
    "DatabaseLost",
    "DatabaseProblem",
    "DatabaseReadOnly",
    "RestoreReport",
    "is_busy",
    "list_backups",
    "newest_backup",
    "restore_backup",
    "sqlite_error",
]
