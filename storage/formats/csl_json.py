"""CSL-JSON import and export (the citation format of Zotero, pandoc and citeproc)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

from storage.formats.common import (
    MONTHS,
    arxiv_from_text,
    citation_keys,
    fill_ids_from_url,
    names_from_text,
    names_text,
    parse_year,
    placeholder_title,
    set_doi,
    split_keywords,
    tidy_line,
    tidy_paragraphs,
)
from storage.formats.entry_types import csl_type, from_csl
from storage.formats.rich_text import plain_text
from storage.records import (
    AuthorRecord,
    FormatError,
    NoteRecord,
    PaperRecord,
    ParseResult,
    ParseWarning,
    normalize_arxiv,
)

# CSL variable -> our extra key (BibTeX-like names, shared with the other formats)
_EXTRA_KEYS = {
    "volume": "volume",
    "issue": "number",
    "page": "pages",
    "publisher": "publisher",
    "publisher-place": "address",
    "ISSN": "issn",
    "ISBN": "isbn",
    "language": "language",
    "edition": "edition",
    "note": "note",
    "collection-title": "series",
    "number": "report_number",
}
_TO_CSL = {ours: theirs for theirs, ours in _EXTRA_KEYS.items()}
# CSL name variables other than `author`, in the order one stands in for missing authors.
ROLES = ("editor", "director", "composer", "performer", "interviewer", "translator", "compiler",
         "container-author", "collection-editor", "editorial-director", "chair", "organizer",
         "curator", "host", "producer", "executive-producer", "script-writer", "series-creator",
         "illustrator", "narrator", "original-author", "reviewed-author", "recipient", "guest",
         "contributor")  # fmt: skip
_USED = {"id", "type", "title", "author", "issued", "DOI", "URL", "container-title", "abstract",
         "keyword", "keywords", "annote", "archive", "archive_location", *ROLES}  # fmt: skip
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _decode_error(error: json.JSONDecodeError) -> FormatError:
    reason, at = error.msg, error.doc[error.pos : error.pos + 2]
    if at in ("//", "/*") or at.startswith("#"):
        reason = "a comment, which JSON does not allow"
    elif reason == "Extra data" and at.startswith(":"):
        reason = "a member outside any object (is the start of the file missing?)"
    return FormatError(
        f"broken JSON: {reason} (line {error.lineno}, column {error.colno})", line=error.lineno
    )


def iter_json_items(text: str) -> Iterator[tuple[int, object]]:
    """(line, item) for each element of a top-level JSON array, or the one top-level value.

    Raises FormatError (with the line) when the JSON is broken."""
    decoder = json.JSONDecoder()
    text = text.removeprefix("\ufeff")
    pos = _skip_ws(text, 0)
    line = 1 + text.count("\n", 0, pos)
    try:
        if not text.startswith("[", pos):
            value, end = decoder.raw_decode(text, pos)
            if _skip_ws(text, end) < len(text):
                raise json.JSONDecodeError("Extra data", text, _skip_ws(text, end))
            yield line, value
            return
        pos += 1
        expect_item = True
        while True:
            skipped = _skip_ws(text, pos)
            line += text.count("\n", pos, skipped)
            pos = skipped
            if text.startswith("]", pos):
                if _skip_ws(text, pos + 1) < len(text):
                    raise json.JSONDecodeError("Extra data", text, _skip_ws(text, pos + 1))
                return
            if not expect_item:
                if not text.startswith(",", pos):
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
                pos += 1
                expect_item = True
                continue
            value, end = decoder.raw_decode(text, pos)
            yield line, value
            line += text.count("\n", pos, end)
            pos, expect_item = end, False
    except json.JSONDecodeError as error:
        raise _decode_error(error) from None
    except RecursionError:
        raise FormatError("JSON nested too deeply", line=line) from None


def without_lone_surrogates(value: object) -> tuple[object, bool]:
    """`value` with every lone surrogate (`"\\ud800"` in JSON, not storable as UTF-8) in its
    strings and keys replaced by U+FFFD; True when any was replaced."""
    if isinstance(value, str):
        fixed = _SURROGATE.sub("\ufffd", value)
        return fixed, fixed != value
    if isinstance(value, list):
        pairs = [without_lone_surrogates(v) for v in value]
        return [v for v, _ in pairs], any(changed for _, changed in pairs)
    if isinstance(value, dict):
        cleaned, changed = {}, False
        for key, item in value.items():
            new_key, key_changed = without_lone_surrogates(key)
            cleaned[new_key], item_changed = without_lone_surrogates(item)
            changed = changed or key_changed or item_changed
        return cleaned, changed
    return value, False


def may_hold_surrogates(text: str) -> bool:
    """Whether JSON `text` can decode to a lone surrogate (it has a `\\uD800`-`\\uDFFF` escape)."""
    return _SURROGATE_ESCAPE.search(text) is not None


def _authors(value: object) -> list[AuthorRecord]:
    authors: list[AuthorRecord] = []
    for person in value if isinstance(value, list) else []:
        if not isinstance(person, dict):
            continue
        text = {k: tidy_line(v) for k, v in person.items() if isinstance(v, str)}
        if text.get("literal"):
            authors.append(AuthorRecord(literal=text["literal"]))
            continue
        particles = (text.get("dropping-particle"), text.get("non-dropping-particle"))
        family = " ".join(p for p in (*particles, text.get("family")) if p) or None
        if family and text.get("suffix"):
            family = f"{family}, {text['suffix']}"
        if family or text.get("given"):
            authors.append(AuthorRecord(family=family, given=text.get("given")))
    return authors


def _issued(value: object) -> tuple[int | None, int | None]:
    """(year, month) from a CSL date: `date-parts`, `raw`, `literal`, or a plain string."""
    if isinstance(value, (str, int)):
        return parse_year(value if isinstance(value, int) else str(value)), None
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0]
        year = parse_year(first[0] if isinstance(first[0], int) else str(first[0]))
        month = first[1] if len(first) > 1 else None
        month = int(month) if isinstance(month, (int, str)) and str(month).isdigit() else None
        return year, month if month and 1 <= month <= 12 else None
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            return parse_year(value[key]), None
    return None, None


def _text(item: dict, key: str) -> str | None:
    value = item.get(key)
    if isinstance(value, list):  # some exporters give container-title as a list
        value = next((v for v in value if isinstance(v, str)), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return (value.strip() or None) if isinstance(value, str) else None


def _creators(item: dict, record: PaperRecord) -> None:
    """Authors from `author`. Every other role is kept as extra text under its CSL name
    (`Family, Given; …`, as RIS editors are); with no author, the people of the first role
    that has any (the editors of a book, the director of a film) are the authors too."""
    record.authors = _authors(item.get("author"))
    for role in ROLES:
        people = _authors(item.get(role))
        if people:
            record.extra[role] = names_text(people)
            if not record.authors:
                record.authors = people


def _rich(item: dict, key: str) -> str | None:
    return tidy_line(plain_text(_text(item, key)))


def _record(item: dict, line: int) -> PaperRecord:
    """The item as a record; its title is empty when the item has none."""
    title = _rich(item, "title") or _rich(item, "title-short")  # a short title stands in
    record = PaperRecord(title=title or "", line=line)
    record.citation_key = _text(item, "id")
    record.entry_type = from_csl(_text(item, "type"))
    _creators(item, record)
    record.year, month = _issued(item.get("issued"))
    if month:
        record.extra["month"] = MONTHS[month - 1]
    record.venue = _rich(item, "container-title")
    record.abstract = tidy_paragraphs(plain_text(_text(item, "abstract")))
    set_doi(record, _text(item, "DOI"))
    record.url = _text(item, "URL")
    keywords = item.get("keyword", item.get("keywords"))
    record.tags = split_keywords(keywords if isinstance(keywords, (str, list)) else None)
    annote = _text(item, "annote")
    if annote:
        record.notes.append(NoteRecord(body=annote))
    if (_text(item, "archive") or "").lower() == "arxiv":
        record.arxiv_id = normalize_arxiv(_text(item, "archive_location"))
    for key in item:
        text = _text(item, key)
        if key in _USED or not text:
            continue
        record.extra[_EXTRA_KEYS.get(key, key)] = text
    if record.extra.get("series"):
        record.extra["series"] = tidy_line(plain_text(record.extra["series"])) or ""
    if not record.arxiv_id:
        sources = (record.extra.get("note"), record.extra.get("report_number"), record.venue)
        record.arxiv_id = next((a for a in map(arxiv_from_text, sources) if a), None)
    fill_ids_from_url(record)
    return record


def _has_content(record: PaperRecord) -> bool:
    """Whether an untitled record says enough to be told apart (more than a key and a type)."""
    return bool(record.authors or record.year or record.venue or record.doi or record.arxiv_id
                or record.url or record.abstract)  # fmt: skip


def parse_csl_json(text: str) -> ParseResult:
    """Papers from a CSL-JSON array (or one item); broken JSON raises FormatError with a line.

    An item without a title is imported under a placeholder title (and reported) when it has
    anything else to go by; a lone surrogate (invalid Unicode) is replaced by U+FFFD."""
    result = ParseResult()
    check_surrogates = may_hold_surrogates(text)
    seen = 0
    for line, item in iter_json_items(text):
        seen += 1
        if check_surrogates:
            item, replaced = without_lone_surrogates(item)
            if replaced:
                message = "invalid Unicode (a lone surrogate escape) replaced with U+FFFD"
                result.notes.append(ParseWarning(line, message))
        if isinstance(item, dict) and item.get("format") == "papershelf":
            raise FormatError("this is a Papershelf JSON export; read it with --format json")
        if not isinstance(item, dict):
            result.warnings.append(ParseWarning(line, "not a CSL item; skipped"))
            continue
        record = _record(item, line)
        if not record.title:
            if not _has_content(record):
                message = "item without a title or anything else to name it; skipped"
                result.warnings.append(ParseWarning(line, message))
                continue
            record.title = placeholder_title(record)
            message = f"item without a title; imported as {record.title!r}"
            result.notes.append(ParseWarning(line, message))
        result.records.append(record)
    if not result.records:
        reason = result.warnings[-1].message if result.warnings else "empty list"
        raise FormatError(f"no usable CSL-JSON items ({reason})" if seen else
                          "no CSL-JSON items (the file holds an empty list)")  # fmt: skip
    return result


def _csl_name(author: AuthorRecord) -> dict:
    if author.literal or not author.family:
        return {"literal": author.display}
    return {k: v for k, v in (("family", author.family), ("given", author.given)) if v}


def _item(record: PaperRecord, key: str, list_note: str | None = None) -> dict:
    item: dict = {"id": key, "type": csl_type(record), "title": record.title}
    authors = [_csl_name(author) for author in record.authors]
    roles = {}
    for role in ROLES:
        names = names_from_text(record.extra.get(role) or "")
        if names:
            roles[role] = [_csl_name(name) for name in names]
    stand_in = next(iter(roles.values()), None)  # the role read as authors when none were
    if authors and authors != stand_in:
        item["author"] = authors
    item.update(roles)
    if record.year is not None:
        month = record.extra.get("month", "").strip().lower()
        months = [m.lower() for m in MONTHS]
        index = months.index(month) + 1 if month in months else None
        item["issued"] = {"date-parts": [[record.year, index] if index else [record.year]]}
    optional = (("container-title", record.venue), ("abstract", record.abstract),
                ("DOI", record.doi), ("URL", record.url))  # fmt: skip
    item.update({k: v for k, v in optional if v})
    if record.arxiv_id:
        item.update({"archive": "arXiv", "archive_location": record.arxiv_id})
    if record.tags:
        item["keyword"] = ", ".join(record.tags)
    bodies = [list_note or ""] + [n.body for n in record.notes]
    notes = "\n\n".join(b.strip() for b in bodies if b.strip())
    if notes:
        item["annote"] = notes
    for ours, value in record.extra.items():
        if ours in _TO_CSL and value:
            item[_TO_CSL[ours]] = value
    return item


def write_csl_json(
    records: list[PaperRecord], list_notes: Sequence[str | None] | None = None
) -> str:
    """A CSL-JSON array for `records` (ids are unique citation keys).

    list_notes: a reading list's note on each record, written first in its `annote`."""
    keys = citation_keys(records)
    notes = list_notes if list_notes is not None else [None] * len(records)
    items = [_item(r, k, n) for r, k, n in zip(records, keys, notes, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
