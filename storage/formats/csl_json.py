"""CSL-JSON import and export (the citation format of Zotero, pandoc and citeproc)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from storage.formats.common import (
    MONTHS,
    arxiv_from_text,
    citation_keys,
    csl_type,
    fill_ids_from_url,
    parse_year,
    split_keywords,
    tidy_line,
    tidy_paragraphs,
)
from storage.records import (
    AuthorRecord,
    FormatError,
    NoteRecord,
    PaperRecord,
    ParseResult,
    ParseWarning,
    normalize_arxiv,
    normalize_doi,
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
_USED = {"id", "type", "title", "author", "issued", "DOI", "URL", "container-title", "abstract",
         "keyword", "keywords", "annote", "archive", "archive_location"}  # fmt: skip
_WS = re.compile(r"[ \t\n\r]*")


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _decode_error(error: json.JSONDecodeError) -> FormatError:
    return FormatError(
        f"broken JSON: {error.msg} (line {error.lineno}, column {error.colno})", line=error.lineno
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


def _record(item: dict, line: int) -> PaperRecord | None:
    title = tidy_line(_text(item, "title"))
    if not title:
        return None
    record = PaperRecord(title=title, line=line)
    record.citation_key = _text(item, "id")
    record.entry_type = _text(item, "type")
    record.authors = _authors(item.get("author"))
    record.year, month = _issued(item.get("issued"))
    if month:
        record.extra["month"] = MONTHS[month - 1]
    record.venue = tidy_line(_text(item, "container-title"))
    record.abstract = tidy_paragraphs(_text(item, "abstract"))
    record.doi = normalize_doi(_text(item, "DOI"))
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
    if not record.arxiv_id:
        sources = (record.extra.get("note"), record.extra.get("report_number"), record.venue)
        record.arxiv_id = next((a for a in map(arxiv_from_text, sources) if a), None)
    fill_ids_from_url(record)
    return record


def parse_csl_json(text: str) -> ParseResult:
    """Papers from a CSL-JSON array (or one item); broken JSON raises FormatError with a line."""
    result = ParseResult()
    for line, item in iter_json_items(text):
        if isinstance(item, dict) and item.get("format") == "papershelf":
            raise FormatError("this is a Papershelf JSON export; read it with --format json")
        record = _record(item, line) if isinstance(item, dict) else None
        if record is None:
            what = "item without a title" if isinstance(item, dict) else "not a CSL item"
            result.warnings.append(ParseWarning(line, f"{what}; skipped"))
            continue
        result.records.append(record)
    if not result.records:
        reason = result.warnings[0].message if result.warnings else "empty list"
        raise FormatError(f"no usable CSL-JSON items ({reason})")
    return result


def _item(record: PaperRecord, key: str) -> dict:
    item: dict = {"id": key, "type": csl_type(record), "title": record.title}
    authors = []
    for author in record.authors:
        if author.literal or not author.family:
            authors.append({"literal": author.display})
        else:
            authors.append(
                {k: v for k, v in (("family", author.family), ("given", author.given)) if v}
            )
    if authors:
        item["author"] = authors
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
    notes = "\n\n".join(n.body.strip() for n in record.notes if n.body.strip())
    if notes:
        item["annote"] = notes
    for ours, value in record.extra.items():
        if ours in _TO_CSL and value:
            item[_TO_CSL[ours]] = value
    return item


def write_csl_json(records: list[PaperRecord]) -> str:
    """A CSL-JSON array for `records` (ids are unique citation keys)."""
    keys = citation_keys(records)
    items = [_item(record, key) for record, key in zip(records, keys, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
