"""A PaperRecord as JSON text and back, for the merge provenance kept in SQLite."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime

from storage.records import AuthorRecord, FileRecord, NoteRecord, PaperRecord

_TIMES = ("added_at", "updated_at", "created_at")


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def record_to_json(record: PaperRecord, extra_tags: list[str]) -> str:
    """The record as it arrived, plus the tags the import added to every paper (--tag)."""
    data = _plain(asdict(record))
    assert isinstance(data, dict)
    data["import_tags"] = list(extra_tags)
    return json.dumps(data, ensure_ascii=False)


def record_from_json(text: str) -> tuple[PaperRecord, list[str]]:
    """(record, import tags) back from record_to_json's text; unknown keys are ignored."""
    data = json.loads(text)
    known = {f.name for f in fields(PaperRecord)}
    values = {k: v for k, v in data.items() if k in known}
    values["authors"] = [AuthorRecord(**a) for a in data.get("authors") or []]
    values["notes"] = [
        NoteRecord(
            **{
                **note,
                "created_at": _time(note.get("created_at")),
                "updated_at": _time(note.get("updated_at")),
            }
        )
        for note in data.get("notes") or []
    ]
    values["files"] = [FileRecord(**f) for f in data.get("files") or []]
    for name in _TIMES[:2]:
        values[name] = _time(data.get(name))
    return PaperRecord(**values), list(data.get("import_tags") or [])
