"""The paper_file and file_page rows: reading them as FileViews, writing one file, counting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from storage.database import inserted_id
from storage.highlights.imported import import_found
from storage.highlights.rows import link_to_files
from storage.models import FILE_PAGE, PAPER_FILE, utcnow
from storage.pdf import FAILED, PdfText
from storage.views import FileView

__all__ = [
    "PENDING",
    "drop_file",
    "file_views",
    "find_file",
    "insert_file",
    "page_texts",
    "paper_pages",
    "referenced",
    "remove_file",
    "replace_text",
]

PENDING = "pending"
_BATCH = 500


def _view(row: object, root: Path) -> FileView:
    sha = row.sha256  # type: ignore[attr-defined]
    return FileView(
        id=row.id,  # type: ignore[attr-defined]
        paper_id=row.paper_id,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        pages=row.pages,  # type: ignore[attr-defined]
        bytes=row.bytes,  # type: ignore[attr-defined]
        sha256=sha,
        text=row.text_status,  # type: ignore[attr-defined]
        reason=row.reason,  # type: ignore[attr-defined]
        path=root / sha[:2] / f"{sha}.pdf",
        added_at=row.added_at,  # type: ignore[attr-defined]
    )


def file_views(conn: Connection, paper_ids: Sequence[int] | None, root: Path) -> list[FileView]:
    """The files of these papers (all papers for None), by paper then in the order added."""
    query = select(PAPER_FILE).order_by(PAPER_FILE.c.paper_id, PAPER_FILE.c.id)
    if paper_ids is not None:
        query = query.where(PAPER_FILE.c.paper_id.in_(list(paper_ids)))
    return [_view(row, root) for row in conn.execute(query)]


def find_file(conn: Connection, file_id: int, root: Path) -> FileView | None:
    row = conn.execute(select(PAPER_FILE).where(PAPER_FILE.c.id == file_id)).first()
    return None if row is None else _view(row, root)


def referenced(conn: Connection, sha256: str) -> bool:
    """Whether any file row still points at these stored bytes."""
    found = conn.execute(select(PAPER_FILE.c.id).where(PAPER_FILE.c.sha256 == sha256).limit(1))
    return found.first() is not None


def _pages_rows(file_id: int, pages: Iterable[str]) -> list[dict[str, object]]:
    return [
        {"file_id": file_id, "page": number, "text": text}
        for number, text in enumerate(pages, start=1)
    ]


def _insert_pages(conn: Connection, file_id: int, pages: list[str]) -> None:
    rows = _pages_rows(file_id, pages)
    for start in range(0, len(rows), _BATCH):
        conn.execute(insert(FILE_PAGE), rows[start : start + _BATCH])


def insert_file(
    conn: Connection, paper_id: int, sha256: str, name: str, size: int, text: PdfText
) -> int | None:
    """Attach the stored bytes to the paper with their text; None when already attached."""
    existing = conn.execute(
        select(PAPER_FILE.c.id).where(
            PAPER_FILE.c.paper_id == paper_id, PAPER_FILE.c.sha256 == sha256
        )
    ).first()
    if existing is not None:
        return None
    file_id = inserted_id(
        conn.execute(
            insert(PAPER_FILE).values(
                paper_id=paper_id,
                sha256=sha256,
                name=name,
                bytes=size,
                pages=text.page_count or len(text.pages),
                text_status=text.status,
                reason=text.reason or None,
                added_at=utcnow(),
            )
        )
    )
    if text.status != FAILED:
        _insert_pages(conn, file_id, text.pages)
    link_to_files(conn, [paper_id])  # highlights of these bytes, kept when they were detached
    import_found(conn, paper_id, file_id, text.annotations)  # made in other programs
    return file_id


def replace_text(conn: Connection, file_id: int, text: PdfText) -> None:
    """A re-extraction's result in place of the file's pages and status."""
    conn.execute(delete(FILE_PAGE).where(FILE_PAGE.c.file_id == file_id))
    conn.execute(
        PAPER_FILE.update()
        .where(PAPER_FILE.c.id == file_id)
        .values(
            pages=text.page_count or len(text.pages),
            text_status=text.status,
            reason=text.reason or None,
        )
    )
    if text.status != FAILED:
        _insert_pages(conn, file_id, text.pages)
    if text.annotations:  # read now that the file could be read (check --repair)
        owner = conn.execute(select(PAPER_FILE.c.paper_id).where(PAPER_FILE.c.id == file_id))
        import_found(conn, owner.scalar_one(), file_id, text.annotations)


def remove_file(conn: Connection, paper_id: int, file_id: int) -> str | None:
    """Delete the file row (its pages go with it); its sha256, or None when not the paper's."""
    sha = conn.execute(
        select(PAPER_FILE.c.sha256).where(
            PAPER_FILE.c.id == file_id, PAPER_FILE.c.paper_id == paper_id
        )
    ).scalar()
    if sha is None:
        return None
    conn.execute(delete(PAPER_FILE).where(PAPER_FILE.c.id == file_id))
    return str(sha)


def drop_file(conn: Connection, file_id: int) -> None:
    conn.execute(delete(PAPER_FILE).where(PAPER_FILE.c.id == file_id))


def paper_pages(conn: Connection, paper_id: int) -> list[tuple[int, int, str]]:
    """(file id, page, text) of every page of the paper's files, file by file, in order."""
    rows = conn.execute(
        select(FILE_PAGE.c.file_id, FILE_PAGE.c.page, FILE_PAGE.c.text)
        .join(PAPER_FILE, PAPER_FILE.c.id == FILE_PAGE.c.file_id)
        .where(PAPER_FILE.c.paper_id == paper_id)
        .order_by(PAPER_FILE.c.id, FILE_PAGE.c.page)
    )
    return [(file_id, page, text) for file_id, page, text in rows]


def page_texts(conn: Connection, sha256: str) -> tuple[str, int, list[str]] | None:
    """(status, page count, pages) of bytes already extracted for another paper, if any."""
    row = conn.execute(
        select(PAPER_FILE.c.id, PAPER_FILE.c.text_status, PAPER_FILE.c.pages, PAPER_FILE.c.reason)
        .where(PAPER_FILE.c.sha256 == sha256, PAPER_FILE.c.text_status != FAILED)
        .where(PAPER_FILE.c.text_status != PENDING)
        .order_by(PAPER_FILE.c.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    pages = conn.execute(
        select(FILE_PAGE.c.text).where(FILE_PAGE.c.file_id == row.id).order_by(FILE_PAGE.c.page)
    ).scalars()
    return row.text_status, row.pages, list(pages)
