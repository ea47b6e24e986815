"""Stored papers' citation keys.

Made in Better BibTeX's shape (storage.records.base_key), kept unique in the library, and remade
after a merge only when they were generated."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from storage.models import AUTHOR, PAPER
from storage.records import AuthorRecord, PaperRecord, base_key, with_suffix


def citation_key_for(record: PaperRecord, taken: set[str]) -> str:
    """A unique generated key for record; it is added to taken (casefolded keys)."""
    key = with_suffix(base_key(record), taken)
    taken.add(key.casefold())
    return key


def key_is_generated(conn: Connection, pid: int) -> bool:
    """Whether paper pid's key was made up (False for a key the user set or a file brought)."""
    return bool(conn.execute(select(PAPER.c.key_generated).where(PAPER.c.id == pid)).scalar())


def keys_like(conn: Connection, base: str, exclude: int | None = None) -> set[str]:
    """The stored keys (casefolded) that start with base, other than paper exclude's."""
    query = select(PAPER.c.citation_key).where(
        func.lower(PAPER.c.citation_key).startswith(base.casefold(), autoescape=True)
    )
    if exclude is not None:
        query = query.where(PAPER.c.id != exclude)
    return {key.casefold() for key in conn.execute(query).scalars() if key}


def stored_record(conn: Connection, pid: int) -> PaperRecord:
    """The title, first author and year of a stored paper: what its key is made of."""
    row = conn.execute(select(PAPER.c.title, PAPER.c.year).where(PAPER.c.id == pid)).one()
    first = conn.execute(
        select(AUTHOR.c.family, AUTHOR.c.given, AUTHOR.c.literal)
        .where(AUTHOR.c.paper_id == pid)
        .order_by(AUTHOR.c.position)
        .limit(1)
    ).first()
    authors = [AuthorRecord(first.family, first.given, first.literal)] if first else []
    return PaperRecord(title=row.title, authors=authors, year=row.year)


def regenerate_key(conn: Connection, pid: int, taken: set[str] | None = None) -> str | None:
    """Give a paper whose key was generated a fresh one from what it holds now; a key the
    user set or a file brought is kept. Returns the new key, None when nothing changed.
    taken: every key in use (casefolded), as an import holds them; the new key joins it."""
    row = conn.execute(
        select(PAPER.c.citation_key, PAPER.c.key_generated).where(PAPER.c.id == pid)
    ).one()
    if not row.key_generated:
        return None
    base = base_key(stored_record(conn, pid))
    current = (row.citation_key or "").casefold()
    suffix = current[len(base) :]
    if current.startswith(base) and (not suffix or suffix.isalpha()):
        return None  # already this shape (with its a/b/c suffix, if any)
    # An import knows every key in use (IdentityIndex.keys); a lone call asks the database.
    used = taken if taken is not None else keys_like(conn, base, exclude=pid)
    key = with_suffix(base, used)
    conn.execute(update(PAPER).where(PAPER.c.id == pid).values(citation_key=key))
    if taken is not None:
        taken.add(key.casefold())
    return key


def mark_generated_keys(conn: Connection) -> int:
    """For a library from before key_generated: mark the keys that have the generated shape
    for what their paper holds (`familyYEARword` + a/b/c), so that merges may remake them;
    any other key stays the user's. Returns how many were marked."""
    first = AUTHOR.alias("first_author")
    rows = conn.execute(
        select(
            PAPER.c.id,
            PAPER.c.title,
            PAPER.c.year,
            PAPER.c.citation_key,
            first.c.family,
            first.c.given,
            first.c.literal,
        )  # fmt: skip
        .select_from(PAPER)
        .outerjoin(first, (first.c.paper_id == PAPER.c.id) & (first.c.position == 0))
    )
    marked = []
    for pid, title, year, key, family, given, literal in rows:
        authors = [AuthorRecord(family, given, literal)] if family or given or literal else []
        base = base_key(PaperRecord(title=title or "", authors=authors, year=year))
        suffix = (key or "")[len(base) :]
        if key and key.startswith(base) and (not suffix or suffix.isalpha() and suffix.islower()):
            marked.append(pid)
    for start in range(0, len(marked), 500):
        part = marked[start : start + 500]
        conn.execute(update(PAPER).where(PAPER.c.id.in_(part)).values(key_generated=True))
    return len(marked)
