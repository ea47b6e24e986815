"""Papers as CSV for spreadsheets: one row per paper, RFC 4180 quoting, CRLF line ends."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from storage.formats.export_common import author_names
from storage.records import NoteRecord, PaperRecord

__all__ = ["CSV_COLUMNS", "LIST_COLUMNS", "csv_header", "csv_rows", "write_csv"]

CSV_COLUMNS = (
    "citation_key",
    "title",
    "authors",
    "year",
    "venue",
    "doi",
    "arxiv_id",
    "url",
    "code_url",
    "status",
    "rating",
    "tags",
    "abstract",
    "notes",
    "added_at",
)
LIST_COLUMNS = ("list_position", "list_note")  # after the others, in a reading list's export
JOIN = "; "
NOTE_SEPARATOR = "\n\n---\n\n"
# A cell starting with one of these is a formula to Excel and LibreOffice; an apostrophe in
# front keeps it text (OWASP's advice against CSV injection from imported titles or abstracts).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _note_text(note: NoteRecord) -> str:
    parts = []
    if note.quote and note.quote.strip():
        page = f" (p. {note.page.strip()})" if note.page and note.page.strip() else ""
        parts.append("> " + note.quote.strip().replace("\n", "\n> ") + page)
    elif note.page and note.page.strip():
        parts.append(f"p. {note.page.strip()}")
    if note.body.strip():
        parts.append(note.body.strip())
    return "\n".join(parts)


def _row(record: PaperRecord) -> list[str]:
    values: dict[str, object] = {
        "citation_key": record.citation_key,
        "title": record.title,
        "authors": JOIN.join(author_names(record)),
        "year": record.year,
        "venue": record.venue,
        "doi": record.doi,
        "arxiv_id": record.arxiv_id,
        "url": record.url,
        "code_url": record.code_url,
        "status": record.status,
        "rating": record.rating,
        "tags": JOIN.join(record.tags),
        "abstract": record.abstract,
        "notes": NOTE_SEPARATOR.join(t for t in map(_note_text, record.notes) if t),
        # UTC as stored, in the form both Excel and LibreOffice read as a date and time.
        "added_at": record.added_at.strftime("%Y-%m-%d %H:%M:%S") if record.added_at else None,
    }
    return [_cell(values[column]) for column in CSV_COLUMNS]


def _write(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


def csv_header(list_columns: bool = False) -> str:
    """The header row; list_columns adds `list_position` and `list_note` (a reading list)."""
    return _write([[*CSV_COLUMNS, *(LIST_COLUMNS if list_columns else ())]])


def csv_rows(
    records: Sequence[PaperRecord], entries: Sequence[tuple[int, str | None]] | None = None
) -> str:
    """Data rows only (for writing a large export chunk by chunk after csv_header()).

    entries: each record's (1-based position, note) in the reading list being exported."""
    if entries is None:
        return _write([_row(record) for record in records])
    return _write(
        [
            [*_row(record), str(position), _cell(note)]
            for record, (position, note) in zip(records, entries, strict=True)
        ]
    )


def write_csv(records: Sequence[PaperRecord]) -> str:
    """Header row plus one row per paper. The exporter saves it as UTF-8 with a BOM."""
    return csv_header() + csv_rows(records)
