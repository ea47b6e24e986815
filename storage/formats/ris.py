"""RIS import and export, wrapping rispy (records found and numbered here, fields mapped there)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import rispy

from storage.formats.common import (
    MONTHS,
    arxiv_from_text,
    doi_from_url,
    normalize_newlines,
    parse_year,
    placeholder_title,
    set_doi,
    split_keywords,
    tidy_line,
    tidy_paragraphs,
)
from storage.formats.entry_types import ris_type, stored_type
from storage.formats.listing import find_code_url
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

# `TY  - JOUR`; lenient about the spaces around the dash, as real exports are.
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])[ \t]{1,3}-(?:[ \t]?(.*))?")
_ARXIV_ACCESSION = re.compile(r"arxiv:\s*(\S+)", re.IGNORECASE)
# RIS dates: `2019/05/03/other`, `2019///`, `2019-05-03`; also `2019 May 3` (PubMed, Ovid).
_NUMERIC_DATE = re.compile(r"\s*(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2}))?)?")
_MONTH_NAMES = {name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)}
_NAMED_DATE = re.compile(r"\s*(\d{4})[\s,]+([A-Za-z]{3})[a-z]*\.?(?:[\s,]+(\d{1,2}))?")
_DATE_KEYS = ("date", "publication_year", "year")  # DA, Y1, PY: ties go to the first
_BOOK_TYPES = frozenset({"BOOK", "EBOOK", "EDBOOK", "MANSCPT"})  # `BT` is their own title
_VENUE_KEYS = (
    "alternate_title3",
    "secondary_title",
    "journal_name",
    "alternate_title2",
    "alternate_title1",
)
# rispy field name -> our extra key (BibTeX-like names, shared with the other formats)
_EXTRA_KEYS = {
    "volume": "volume",
    "number": "number",
    "publisher": "publisher",
    "place_published": "address",
    "issn": "issn",
    "language": "language",
    "edition": "edition",
    "note": "note",
    "date": "date",
    "tertiary_title": "series",
    "secondary_authors": "editor",
    "accession_number": "accession",
    "label": "label",
}
_USED_KEYS = {
    "type_of_reference", "id", "title", "primary_title", "short_title", "authors", "year",
    "publication_year", "abstract", "notes_abstract", "doi", "urls", "keywords", "notes",
    "start_page", "end_page", "unknown_tag", *_VENUE_KEYS,
}  # fmt: skip
MAX_LINE = 1_000_000  # longer "lines" are no RIS


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the `1.` numbering line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def _records(lines: list[str], result: ParseResult) -> list[tuple[int, list[str], bool]]:
    """(start line, normalised lines, closed by ER) for each `TY … ER` record."""
    found: list[tuple[int, list[str], bool]] = []
    current: list[str] | None = None
    start = 0
    stray_reported = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        match = _TAG_LINE.fullmatch(line) if len(line) < MAX_LINE else None
        tag = match.group(1) if match else None
        value = (match.group(2) or "").strip() if match else line.strip()
        if tag == "TY":
            if current is not None:
                found.append((start, current, False))
            current, start = [f"TY  - {value}"], number
        elif current is None:
            if tag and not stray_reported:
                result.warnings.append(ParseWarning(number, f"`{tag}` line outside a record"))
                stray_reported = True
        elif tag == "ER":
            found.append((start, current, True))
            current = None
        elif tag:
            # `A1` (first authors) and `AU` are one list in the order written: rispy would
            # split them into two lists and lose how they interleave.
            current.append(f"{'AU' if tag == 'A1' else tag}  - {value}")
        elif value:
            current.append(value)  # a continuation line
    if current is not None:
        found.append((start, current, False))
    return found


def _author(name: str) -> AuthorRecord | None:
    name = tidy_line(name) or ""
    if not name:
        return None
    if "," not in name:
        return AuthorRecord(literal=name)  # RIS people are `Family, Given`: this is a group
    family, given, *suffix = (part.strip() for part in name.split(","))
    suffix = [s for s in suffix if s]
    if suffix and given:  # `Costa, P. T., Jr.`: the suffix stays with the given name (Zotero)
        given = ", ".join([given, *suffix])
    elif suffix:
        family = ", ".join([family, *suffix])
    return AuthorRecord(family=family or None, given=given or None)


def _first(entry: dict, *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _date_parts(value: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a RIS date; month and day None where not given (`2019///`)."""
    match = _NUMERIC_DATE.match(value)
    named = _NAMED_DATE.match(value)
    if named and named.group(2).lower() in _MONTH_NAMES:
        day = int(named.group(3)) if named.group(3) else None
        return int(named.group(1)), _MONTH_NAMES[named.group(2).lower()], day
    if not match or not int(match.group(1)):
        year = parse_year(value)
        return (year, None, None) if year else None
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) and month else None
    if month is not None and not 1 <= month <= 12:
        month = day = None
    if day is not None and not 1 <= day <= 31:
        day = None
    return int(match.group(1)), month, day


def _date(entry: dict) -> tuple[int | None, int | None]:
    """(year, month) from `DA`, `Y1` and `PY`: the most specific date wins (`PY  - 2019` with
    `DA  - 2019/05/03` gives May 2019); on a tie DA, then Y1, then PY, as Zotero, which keeps
    PY only as a fallback for a missing DA/Y1."""
    best: tuple[int, int | None, int | None] | None = None
    for key in _DATE_KEYS:
        for value in _as_list(entry.get(key)):
            parts = _date_parts(value)
            if parts and (best is None or _known(parts) > _known(best)):
                best = parts
    return (best[0], best[1]) if best else (None, None)


def _known(parts: tuple[int, int | None, int | None]) -> int:
    return sum(part is not None for part in parts)


def _has_content(record: PaperRecord) -> bool:
    """Whether an untitled record says enough to be told apart (more than a type and an id)."""
    return bool(record.authors or record.year or record.venue or record.doi or record.arxiv_id
                or record.url or record.abstract)  # fmt: skip


def _record(entry: dict, line: int) -> PaperRecord:
    """The entry as a record; its title is empty when the entry has none (nor a short title)."""
    tags = entry.get("unknown_tag")
    unknown: dict = tags if isinstance(tags, dict) else {}
    kind = (_first(entry, "type_of_reference") or "").upper()
    # Zotero's fallbacks: `CT` is a title, `BT` the title of a book, `ST` stands in for none;
    # like Zotero, HTML markup and entities in them (`&amp;`, `<sub>`) become plain text.
    titles = [
        _first(entry, "title", "primary_title"),
        _first(unknown, "CT"),
        _first(unknown, "BT") if kind in _BOOK_TYPES else None,
        _first(entry, "short_title"),
    ]
    title = next((t for t in (tidy_line(plain_text(t)) for t in titles) if t), None)
    record = PaperRecord(title=title or "", line=line)
    short = tidy_line(_first(entry, "short_title"))
    if short and short != title:
        record.extra["shorttitle"] = short
    written = _first(entry, "type_of_reference")
    record.entry_type = stored_type(written) or written
    record.citation_key = _first(entry, "id")
    record.authors = [a for a in map(_author, _as_list(entry.get("authors"))) if a]
    record.year, month = _date(entry)
    if month:
        record.extra["month"] = MONTHS[month - 1]
    record.venue = tidy_line(plain_text(_first(entry, *_VENUE_KEYS)))
    record.abstract = tidy_paragraphs(_first(entry, "abstract", "notes_abstract"))
    set_doi(record, _first(entry, "doi"))
    urls = [u.strip() for u in _as_list(entry.get("urls")) if u.strip()]
    record.code_url = next((u for u in urls if find_code_url(u) == u.rstrip("/")), None)
    record.url = next((u for u in urls if u != record.code_url), None)
    accession = _ARXIV_ACCESSION.match(_first(entry, "accession_number") or "")
    if accession:
        record.arxiv_id = normalize_arxiv(accession.group(1))
        entry.pop("accession_number", None)
    else:
        record.arxiv_id = next((a for a in map(arxiv_from_text, urls) if a), None)
    if not record.doi:
        record.doi = next((d for d in map(doi_from_url, urls) if d), None)
    record.tags = split_keywords(_as_list(entry.get("keywords")))
    record.notes = [NoteRecord(body=n.strip()) for n in _as_list(entry.get("notes")) if n.strip()]
    pages = "–".join(p for p in (_first(entry, "start_page"), _first(entry, "end_page")) if p)
    if pages:
        record.extra["pages"] = pages
    for key, value in entry.items():
        name = _EXTRA_KEYS.get(key)
        text = "; ".join(_as_list(value))
        if name and text.strip():
            record.extra[name] = text.strip()
        elif key == "unknown_tag" and isinstance(value, dict):
            for tag, values in value.items():
                if isinstance(tag, str) and _as_list(values):
                    record.extra[tag.lower()] = "; ".join(_as_list(values))
        elif key not in _USED_KEYS and text.strip():
            record.extra[key] = text.strip()
    return record


def parse_ris(text: str) -> ParseResult:
    """Papers from RIS; records without `ER` or without a title are reported with their line."""
    result = ParseResult()
    for line, lines, closed in _records(normalize_newlines(text).split("\n"), result):
        try:
            entries = rispy.loads("\n".join([*lines, "ER  - "]))
        except Exception as error:  # rispy has no error type of its own
            result.warnings.append(ParseWarning(line, f"unreadable RIS record skipped: {error}"))
            continue
        record = _record(entries[0], line) if entries else None
        if record is None or not (record.title or _has_content(record)):
            message = "RIS record without a title or anything else to name it skipped"
            result.warnings.append(ParseWarning(line, message))
            continue
        if not record.title:
            record.title = placeholder_title(record)
            message = f"RIS record without a title imported as {record.title!r}"
            result.notes.append(ParseWarning(line, message))
        if not closed:
            result.notes.append(
                ParseWarning(line, "RIS record has no `ER` line (file cut short?); imported")
            )
        result.records.append(record)
    if not result.records:
        warning = result.warnings[0] if result.warnings else None
        reason = warning.message if warning else "no `TY  - ` record found"
        raise FormatError(
            f"no usable RIS records ({reason})", line=warning.line if warning else None
        )
    return result


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _entry(record: PaperRecord, list_note: str | None = None) -> dict:
    entry: dict = {"type_of_reference": ris_type(record)}
    if record.citation_key:
        entry["id"] = _one_line(record.citation_key)
    entry["title"] = _one_line(record.title)
    authors = []
    for author in record.authors:
        if author.literal or not author.family:
            authors.append(_one_line(author.display).replace(",", " "))
        else:
            authors.append(_one_line(f"{author.family}, {author.given or ''}").rstrip())
    if authors:
        entry["authors"] = authors
    if record.year is not None:
        entry["year"] = f"{record.year}///"
    if record.venue:
        entry["secondary_title"] = _one_line(record.venue)
    extra = record.extra
    for ours, theirs in (("volume", "volume"), ("number", "number"), ("publisher", "publisher"),
                         ("address", "place_published"), ("issn", "issn"),
                         ("language", "language"), ("note", "note")):  # fmt: skip
        if extra.get(ours):
            entry[theirs] = _one_line(extra[ours])
    if extra.get("pages"):
        pages = re.split(r"\s*[-–—]+\s*", extra["pages"].strip(), maxsplit=1)
        entry["start_page"] = _one_line(pages[0])
        if len(pages) > 1 and pages[1]:
            entry["end_page"] = _one_line(pages[1])
    if record.abstract:
        entry["abstract"] = _one_line(record.abstract)
    if record.doi:
        entry["doi"] = _one_line(record.doi)
    if record.arxiv_id:
        entry["accession_number"] = f"arXiv:{_one_line(record.arxiv_id)}"
    urls = [_one_line(u) for u in (record.url, record.code_url) if u]
    if urls:
        entry["urls"] = urls
    if record.tags:
        entry["keywords"] = [_one_line(t) for t in record.tags]
    notes = [list_note.strip()] if list_note and list_note.strip() else []
    notes += [n.body for n in record.notes if n.body.strip()]
    if notes:
        entry["notes"] = [_one_line(n) for n in notes]
    return entry


def write_ris(records: list[PaperRecord], list_notes: Sequence[str | None] | None = None) -> str:
    """RIS for `records` (notes as `N1`, tags as `KW`, arXiv id as `AN  - arXiv:…`).

    list_notes: a reading list's note on each record, written as its first `N1`."""
    notes = list_notes if list_notes is not None else [None] * len(records)
    entries = [_entry(record, note) for record, note in zip(records, notes, strict=True)]
    return rispy.dumps(entries, implementation=_RisWriter)
