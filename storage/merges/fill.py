"""A record merging into a stored paper.

Fill what it lacks, never overwrite, and keep a provenance row (the record as it came, and what
it filled) so the merge can be undone."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from storage.database import inserted_id
from storage.identity import is_placeholder
from storage.merges.snapshot import record_to_json
from storage.metadata import regenerate_key
from storage.models import AUTHOR, PAPER, PAPER_MERGE, utcnow
from storage.paper_rows import (
    TagCache,
    add_tags,
    authors_text,
    clean_rating,
    clean_status,
    fillable_values,
    insert_authors,
    insert_notes,
)
from storage.records import PaperRecord, normalize_title

# Fields a duplicate may fill when the stored paper has them empty.
FILLABLE = ("year", "venue", "abstract", "doi", "arxiv_id", "url", "code_url", "entry_type")


@dataclass
class Filled:
    """What one merge put into the paper: {column: [before, after]}, authors, extra keys,
    tags and note ids. Empty (falsy) when the record brought nothing new."""

    fields: dict[str, list[object]] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)  # display names, when it filled them
    extra: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.authors or self.extra or self.tags or self.notes)

    def as_json(self) -> str:
        return json.dumps(
            {
                "fields": self.fields,
                "authors": self.authors,
                "extra": self.extra,
                "tags": self.tags,
                "notes": self.notes,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Filled:
        data = json.loads(text or "{}")
        return cls(**{k: data.get(k) or v for k, v in cls().__dict__.items()})


def merge_paper(
    conn: Connection,
    pid: int,
    record: PaperRecord,
    tags: TagCache,
    extra_tags: list[str],
    keys: set[str] | None = None,
) -> Filled:
    """Fill what the stored paper lacks; never overwrite (but a made-up title, `[Untitled] …`
    or `arXiv:2305.12345`, gives way to a real one). Returns what was filled. A generated
    citation key is remade when the merge brings authors or a year (keys: those in use)."""
    row = conn.execute(select(PAPER).where(PAPER.c.id == pid)).mappings().one()
    incoming = fillable_values(record)
    values: dict[str, object] = {
        name: incoming[name] for name in FILLABLE if row[name] in (None, "") and incoming[name]
    }
    title = (record.title or "").strip()
    if is_placeholder(row["title"]) and title and not is_placeholder(title):
        values.update(title=title, title_key=normalize_title(title))  # e.g. pasted as an id
    if row["status"] == "unread" and clean_status(record.status) not in (None, "unread"):
        values["status"] = record.status
    if not row["rating"] and clean_rating(record.rating):
        values["rating"] = record.rating
    filled = Filled(fields={name: [row[name], value] for name, value in values.items()})
    if record.extra:
        stored = json.loads(row["extra_json"]) if row["extra_json"] else {}
        filled.extra = {k: v for k, v in record.extra.items() if k not in stored}
        if filled.extra:
            values["extra_json"] = json.dumps({**record.extra, **stored}, ensure_ascii=False)
    has_authors = conn.execute(select(AUTHOR.c.position).where(AUTHOR.c.paper_id == pid).limit(1))
    if record.authors and has_authors.first() is None:
        insert_authors(conn, pid, record.authors)
        values["authors_text"] = authors_text(record.authors)
        filled.authors = [a.display for a in record.authors]
    filled.tags = add_tags(conn, tags, pid, [*record.tags, *extra_tags])
    filled.notes = insert_notes(conn, pid, record)
    if filled:
        values["updated_at"] = utcnow()
        conn.execute(update(PAPER).where(PAPER.c.id == pid).values(**values))
    if "year" in values or filled.authors:
        key = regenerate_key(conn, pid, keys)
        if key is not None:
            filled.fields["citation_key"] = [row["citation_key"], key]
    return filled


def record_merge(
    conn: Connection,
    pid: int,
    record: PaperRecord,
    extra_tags: list[str],
    filled: Filled,
    *,
    source: str,
    rule: str,
) -> int:
    """Store the provenance of one merge; returns its id."""
    result = conn.execute(
        insert(PAPER_MERGE).values(
            paper_id=pid,
            source=source,
            line=record.line,
            rule=rule,
            record_json=record_to_json(record, extra_tags),
            filled_json=filled.as_json(),
            merged_at=utcnow(),
        )
    )
    return inserted_id(result)
