"""Papershelf's own full-fidelity JSON: every paper field, notes, statuses and reading lists.

Shape (version 1)::

    {"format": "papershelf", "version": 1, "exported_at": "2026-01-31T12:00:00+00:00",
     "papers": [{"title", "authors": [{"family", "given", "literal"}], "year", "venue",
                 "abstract", "doi", "arxiv_id", "url", "code_url", "citation_key",
                 "entry_type", "status", "rating", "added_at", "updated_at",
                 "tags": [str], "extra": {str: str},
                 "notes": [{"body", "quote", "page", "created_at", "updated_at",
                            "color", "rects", "file_sha256", "source"}],
                 "files": [{"name", "sha256", "pages", "bytes", "status"}],
                 "reading": {"file_sha256", "page", "updated_at"} | null}],
     "lists": [{"name", "description", "created_at",
                "entries": [{"paper": <index into papers>, "note"}]}],
     "tags": [str],
     "inbox": [<index into papers>],
     "rejections": [{"paper": <index>, "tag": str} | {"paper": <index>, "list": str}],
     "smart_lists": [{"name", "query", "scope", "created_at", "updated_at"}]}

`inbox` names the papers waiting in the Inbox, `rejections` the suggestions turned down for a
tag or list, `smart_lists` the saved searches (a file without these keys, written before they
existed, puts no paper in the Inbox). `tags` names the tags that no exported paper carries
(a tag whose papers were all untagged still exists in the library); a backup of an empty
library has no papers and reads back as nothing, without an error. `files` are records of the
attached PDFs: the bytes stay in the library's files/ folder, and an import re-links the files
it finds there.

A note's `page` is text as written ("12", "iv"). A highlight also has its `color` (a palette
name), `rects` ([[x0, y0, x1, y1], ...] in PDF points on that page) and `file_sha256` (the
attached file it is on; linked again when that file is); `source` is the identity of an
annotation imported from the PDF, so that importing it again adds nothing. `reading` is where
the reader left the paper: a page of the file with that SHA-256.

Every key is always written (absent values are null); times are ISO 8601 to the second, with
their UTC offset when they have one. Readers accept missing keys as null, ignore unknown keys,
and refuse a higher `version` than they know.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from storage.formats.csl_json import iter_json_items, may_hold_surrogates, without_lone_surrogates
from storage.highlights.palette import COLOR_HEX, BadValue
from storage.highlights.rects import clean_rects
from storage.records import (
    STATUSES,
    AuthorRecord,
    FileRecord,
    FormatError,
    ListEntryRecord,
    ListRecord,
    NoteRecord,
    PaperRecord,
    ParseResult,
    ParseWarning,
    ReadingRecord,
    RoutineRecord,
    SmartListRecord,
    normalize_tag,
)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
FORMAT_NAME = "papershelf"
VERSION = 1
_TEXT_FIELDS = ("venue", "abstract", "doi", "arxiv_id", "url", "code_url", "citation_key",
                "entry_type")  # fmt: skip


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _paper(record: PaperRecord) -> dict:
    paper: dict = {
        "title": record.title,
        "authors": [{"family": a.family, "given": a.given, "literal": a.literal}
                    for a in record.authors],
        "year": record.year,
    }  # fmt: skip
    paper.update({name: getattr(record, name) for name in _TEXT_FIELDS})
    paper.update(
        status=record.status,
        rating=record.rating,
        added_at=_time(record.added_at),
        updated_at=_time(record.updated_at),
        tags=list(record.tags),
        extra=dict(record.extra),
        notes=[
            {"body": n.body, "quote": n.quote, "page": n.page,
             "created_at": _time(n.created_at), "updated_at": _time(n.updated_at),
             "color": n.color, "rects": n.rects, "file_sha256": n.file_sha256,
             "source": n.source_key}
            for n in record.notes
        ],
        files=[
            {"name": f.name, "sha256": f.sha256, "pages": f.pages, "bytes": f.bytes,
             "status": f.status}
            for f in record.files
        ],
        reading=None if record.reading is None else {
            "file_sha256": record.reading.file_sha256, "page": record.reading.page,
            "updated_at": _time(record.reading.updated_at)},
    )  # fmt: skip
    return paper


def write_papershelf_json(
    records: list[PaperRecord],
    lists: list[ListRecord] | None = None,
    tags: list[str] | None = None,
    routine: RoutineRecord | None = None,
) -> str:
    """The whole library as Papershelf JSON; list entries refer to positions in `records`,
    `tags` are the tags without papers."""
    document = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "exported_at": _time(datetime.now(UTC)),
        "papers": [_paper(record) for record in records],
        "lists": [
            {
                "name": item.name,
                "description": item.description,
                "created_at": _time(item.created_at),
                "entries": [{"paper": e.record_index, "note": e.note} for e in item.entries],
            }
            for item in lists or []
        ],
        "tags": list(tags or []),
        **_routine(routine or RoutineRecord()),
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _routine(routine: RoutineRecord) -> dict:
    return {
        "inbox": list(routine.inbox),
        "rejections": [{"paper": index, kind: name} for index, kind, name in routine.rejections],
        "smart_lists": [
            {"name": item.name, "query": item.query, "scope": item.scope,
             "created_at": _time(item.created_at), "updated_at": _time(item.updated_at)}
            for item in routine.smart_lists
        ],
    }  # fmt: skip


class _Reader:
    """Checks one document field by field; doubtful values become None plus a warning."""

    def __init__(self) -> None:
        self.warnings: list[ParseWarning] = []  # what was skipped
        self.notes: list[ParseWarning] = []  # what was dropped or replaced from a kept item

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(ParseWarning(None, f"{where}: {message}"))

    def note(self, where: str, message: str) -> None:
        self.notes.append(ParseWarning(None, f"{where}: {message}"))

    def storable(self, value: object, where: str) -> object:
        """`value` with lone surrogates (invalid Unicode SQLite cannot store) made U+FFFD."""
        value, replaced = without_lone_surrogates(value)
        if replaced:
            self.note(where, "invalid Unicode (a lone surrogate escape) replaced with U+FFFD")
        return value

    def text(self, data: dict, key: str, where: str) -> str | None:
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.note(where, f"{key} is not text; dropped")
        return None

    def time(self, data: dict, key: str, where: str) -> datetime | None:
        value = self.text(data, key, where)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.note(where, f"{key} {value!r} is not an ISO 8601 time; dropped")
            return None

    def integer(self, data: dict, key: str, where: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.note(where, f"{key} {value!r} is not a whole number from {low} to {high}; dropped")
        return None

    def strings(self, value: object, key: str, where: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.note(where, f"{key} is not a list of text; dropped")
        return []

    def paper(self, data: dict, where: str) -> PaperRecord | None:
        title = self.text(data, "title", where)
        if not title or not title.strip():
            self.warn(where, "paper without a title; skipped")
            return None
        record = PaperRecord(title=title)
        for name in _TEXT_FIELDS:
            setattr(record, name, self.text(data, name, where))
        record.year = self.integer(data, "year", where, -9999, 9999)
        record.rating = self.integer(data, "rating", where, 0, 5)
        record.status = self.text(data, "status", where)
        if record.status is not None and record.status not in STATUSES:
            self.note(where, f"status {record.status!r} is unknown; dropped")
            record.status = None
        record.added_at = self.time(data, "added_at", where)
        record.updated_at = self.time(data, "updated_at", where)
        record.tags = self.strings(data.get("tags"), "tags", where)
        extra = data.get("extra") or {}
        if isinstance(extra, dict) and all(isinstance(v, str) for v in extra.values()):
            record.extra = dict(extra)
        else:
            self.note(where, "extra is not a text mapping; dropped")
        for author in data.get("authors") or []:
            parts = {k: author.get(k) for k in ("family", "given", "literal")} if isinstance(
                author, dict) else {}  # fmt: skip
            if parts and all(v is None or isinstance(v, str) for v in parts.values()):
                record.authors.append(AuthorRecord(**parts))
            else:
                self.note(where, f"author {author!r} is not understood; dropped")
        for note in data.get("notes") or []:
            body = note.get("body") if isinstance(note, dict) else None
            if not isinstance(body, str):
                self.note(where, "note without a body; dropped")
                continue
            record.notes.append(
                NoteRecord(
                    body=body,
                    quote=self.text(note, "quote", where),
                    page=self.page(note, where),
                    created_at=self.time(note, "created_at", where),
                    updated_at=self.time(note, "updated_at", where),
                    color=self.color(note, where),
                    rects=self.rects(note, where),
                    file_sha256=self.sha256(note, "file_sha256", where),
                    source_key=self.text(note, "source", where),
                )
            )
        for item in data.get("files") or []:
            self.file(record, item, where)
        self.reading(record, data.get("reading"), where)
        return record

    def page(self, note: dict, where: str) -> str | None:
        value = note.get("page")
        if isinstance(value, int) and not isinstance(value, bool):  # a hand-written number
            return str(value)
        return self.text(note, "page", where)

    def color(self, note: dict, where: str) -> str | None:
        value = self.text(note, "color", where)
        if value is not None and value not in COLOR_HEX:
            self.note(where, f"highlight colour {value!r} is unknown; dropped")
            return None
        return value

    def rects(self, note: dict, where: str) -> list[list[float]] | None:
        value = note.get("rects")
        if value is None:
            return None
        try:
            return [list(rect) for rect in clean_rects(value)]
        except (BadValue, TypeError):
            self.note(where, "highlight rects are not [[x0, y0, x1, y1], ...]; dropped")
            return None

    def sha256(self, data: dict, key: str, where: str) -> str | None:
        value = self.text(data, key, where)
        if value is not None and not _SHA256.match(value):
            self.note(where, f"{key} is not a SHA-256; dropped")
            return None
        return value

    def reading(self, record: PaperRecord, item: object, where: str) -> None:
        if item is None:
            return
        sha = self.sha256(item, "file_sha256", where) if isinstance(item, dict) else None
        page = self.integer(item, "page", where, 1, 10**7) if isinstance(item, dict) else None
        if sha is None or page is None:
            self.note(where, "reading position without a file and a page; dropped")
            return
        assert isinstance(item, dict)
        record.reading = ReadingRecord(sha, page, self.time(item, "updated_at", where))

    def file(self, record: PaperRecord, item: object, where: str) -> None:
        sha = item.get("sha256") if isinstance(item, dict) else None
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(sha, str) or not _SHA256.match(sha) or not isinstance(name, str):
            self.warn(where, "file without a SHA-256 and a name; dropped")
            return
        assert isinstance(item, dict)
        record.files.append(
            FileRecord(
                name=name,
                sha256=sha,
                pages=self.integer(item, "pages", where, 0, 10**7) or 0,
                status=self.text(item, "status", where),
                bytes=self.integer(item, "bytes", where, 0, 2**53) or 0,
            )
        )

    def reading_list(self, data: dict, where: str, positions: dict[int, int]) -> ListRecord | None:
        name = self.text(data, "name", where)
        if not name or not name.strip():
            self.warn(where, "list without a name; skipped")
            return None
        item = ListRecord(name=name, description=self.text(data, "description", where))
        item.created_at = self.time(data, "created_at", where)
        for entry in data.get("entries") or []:
            paper = entry.get("paper") if isinstance(entry, dict) else None
            if not isinstance(paper, int) or isinstance(paper, bool) or paper not in positions:
                self.note(where, f"entry {entry!r} refers to no paper in this file; dropped")
                continue
            note = self.text(entry, "note", where)
            item.entries.append(ListEntryRecord(record_index=positions[paper], note=note))
        return item


def _index(value: object, positions: dict[int, int]) -> int | None:
    """The record index of a paper index in the file (None: no such usable paper)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return positions.get(value)
    return None


def _routine_of(reader: _Reader, document: dict, positions: dict[int, int]) -> RoutineRecord:
    """Inbox places, rejections and smart lists; what is not understood is dropped (noted)."""
    routine = RoutineRecord()
    inbox = document.get("inbox") or []
    for value in inbox if isinstance(inbox, list) else []:
        index = _index(value, positions)
        if index is not None:
            routine.inbox.append(index)
    rejections = document.get("rejections") or []
    for item in rejections if isinstance(rejections, list) else []:
        index = _index(item.get("paper"), positions) if isinstance(item, dict) else None
        kind = next((k for k in ("tag", "list") if isinstance(item, dict) and k in item), None)
        name = item.get(kind) if kind else None
        if index is None or not isinstance(name, str) or not name.strip():
            reader.note("rejections", f"{item!r} is not understood; dropped")
            continue
        routine.rejections.append((index, kind, name))  # type: ignore[arg-type]
    smart_lists = document.get("smart_lists") or []
    for number, item in enumerate(smart_lists if isinstance(smart_lists, list) else [], 1):
        where = f"smart list #{number}"
        data = item if isinstance(item, dict) else {}
        name, query = reader.text(data, "name", where), reader.text(data, "query", where)
        if not name or not name.strip() or not query or not query.strip():
            reader.note(where, "a smart list needs a name and a query; dropped")
            continue
        routine.smart_lists.append(
            SmartListRecord(
                name=name,
                query=query,
                scope=reader.text(data, "scope", where),
                created_at=reader.time(data, "created_at", where),
                updated_at=reader.time(data, "updated_at", where),
            )
        )
    return routine


def parse_papershelf_json(text: str) -> ParseResult:
    """Papers and reading lists from Papershelf JSON (the inverse of write_papershelf_json)."""
    items = list(iter_json_items(text))
    document = items[0][1] if len(items) == 1 else None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise FormatError('not a Papershelf JSON export (no "format": "papershelf")', line=1)
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(f"Papershelf JSON with an invalid version {version!r}", line=1)
    if version > VERSION:
        raise FormatError(
            f"Papershelf JSON version {version} is newer than this Papershelf reads "
            f"(up to {VERSION}); update Papershelf",
            line=1,
        )
    papers, lists = document.get("papers"), document.get("lists") or []
    if not isinstance(papers, list) or not isinstance(lists, list):
        raise FormatError('Papershelf JSON needs a "papers" list (and "lists", if any, a list)')
    reader = _Reader()
    result = ParseResult()
    check_surrogates = may_hold_surrogates(text)
    positions: dict[int, int] = {}
    for index, data in enumerate(papers):
        where = f"paper #{index + 1}"
        if check_surrogates:
            data = reader.storable(data, where)
        record = reader.paper(data, where) if isinstance(data, dict) else None
        if record is None:
            if not isinstance(data, dict):
                reader.warn(where, "not an object; skipped")
            continue
        positions[index] = len(result.records)
        result.records.append(record)
    for index, data in enumerate(lists):
        where = f"list #{index + 1}"
        if check_surrogates:
            data = reader.storable(data, where)
        item = reader.reading_list(data, where, positions) if isinstance(data, dict) else None
        if item is not None:
            result.lists.append(item)
        elif not isinstance(data, dict):
            reader.warn(where, "not an object; skipped")
    tags = document.get("tags")
    if check_surrogates:
        tags = reader.storable(tags, "tags")
    result.tags = [t for t in map(normalize_tag, reader.strings(tags, "tags", "tags")) if t]
    if any(key in document for key in ("inbox", "rejections", "smart_lists")):
        result.routine = _routine_of(reader, document, positions)
    result.warnings = reader.warnings
    result.notes = reader.notes
    if papers and not result.records and not result.lists:
        raise FormatError(f"no usable papers ({reader.warnings[0].message})")
    return result  # an empty library's backup gives an empty result: nothing to import
