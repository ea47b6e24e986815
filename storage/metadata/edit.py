"""One paper's metadata edited in place: values checked, authors rewritten, the key kept unique."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.metadata.keys import base_key, keys_like, stored_record, with_suffix
from storage.metadata.validation import EditError, clean_values
from storage.models import AUTHOR, PAPER, utcnow
from storage.records import AuthorRecord, normalize_title


def _authors_text(authors: list[AuthorRecord]) -> str:
    return ", ".join(a.display for a in authors if a.display)


def _check_unique(conn: Connection, pid: int, key: str) -> None:
    other = conn.execute(
        select(PAPER.c.id).where(
            func.lower(PAPER.c.citation_key) == key.casefold(), PAPER.c.id != pid
        )
    ).scalar()
    if other is not None:
        raise EditError(f"citation key {key!r} is taken by paper {other}")


def edit_paper(
    conn: Connection,
    pid: int,
    values: Mapping[str, object],
    key_generated: bool | None = None,
) -> list[str]:
    """Check and store values (storage.metadata.FIELDS; None or "" clears a field, and an
    empty citation key asks for a generated one); returns the columns that were given.

    A key given is the user's (never remade), unless key_generated says it was made up (an
    undo putting back a generated key)."""
    clean = clean_values(values)
    if conn.execute(select(PAPER.c.id).where(PAPER.c.id == pid)).first() is None:
        raise EditError(f"no paper with id {pid}")
    if clean.get("citation_key") is not None:
        _check_unique(conn, pid, str(clean["citation_key"]))  # before anything is written
    row: dict[str, object] = {k: v for k, v in clean.items() if k != "authors"}
    if "title" in clean:
        row["title_key"] = normalize_title(str(clean["title"]))
    if "authors" in clean:
        authors: list[AuthorRecord] = clean["authors"]  # type: ignore[assignment]
        conn.execute(delete(AUTHOR).where(AUTHOR.c.paper_id == pid))
        if authors:
            conn.execute(
                insert(AUTHOR),
                [
                    {"paper_id": pid, "position": i, **vars(author)}
                    for i, author in enumerate(authors)
                ],
            )
        row["authors_text"] = _authors_text(authors)
    if "citation_key" in clean:
        key = clean["citation_key"]
        if key is None:
            row.pop("citation_key")
        else:
            row["key_generated"] = bool(key_generated)  # the user's key: never remade
    conn.execute(update(PAPER).where(PAPER.c.id == pid).values(**row, updated_at=utcnow()))
    if "citation_key" in clean and clean["citation_key"] is None:
        base = base_key(stored_record(conn, pid))
        key = with_suffix(base, keys_like(conn, base, exclude=pid))
        conn.execute(
            update(PAPER).where(PAPER.c.id == pid).values(citation_key=key, key_generated=True)
        )
    return list(clean)
