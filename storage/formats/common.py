"""Helpers the format modules share: text tidying, years, keywords, ids, types, citation keys."""

from __future__ import annotations

import re

from storage.records import (
    AuthorRecord,
    PaperRecord,
    base_key,
    normalize_arxiv,
    normalize_doi,
    normalize_tag,
    with_suffix,
)

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_NEWLINES = re.compile(r"\r\n?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_KEYWORD_SEPARATORS = re.compile(r"[;,\n]")
# New-style (2301.01234) and old-style (hep-th/9901001) arXiv identifiers.
ARXIV_ID = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5}|[a-z][a-z.-]{1,20}/\d{7})(v\d+)?(?![\w])")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+)", re.IGNORECASE)
_ARXIV_MENTION = re.compile(r"arxiv[:\s]\s*(\S+)", re.IGNORECASE)
# A DOI (`10.NNNN/…`), or a shortDOI (`10/fg6rf9`, or bare `fg6rf9` as APA examples write it).
_DOI_SHAPE = re.compile(r"^10\.\d+/|^(?:10/)?(?=[a-z]*\d)[a-z0-9]{4,10}$")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)


def normalize_newlines(text: str) -> str:
    """`\\r\\n` and lone `\\r` become `\\n`; a leading byte-order mark is dropped."""
    return _NEWLINES.sub("\n", text).removeprefix("\ufeff")


def tidy_line(value: str | None) -> str | None:
    """All whitespace runs collapsed to one space; None when nothing is left."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def tidy_paragraphs(value: str | None) -> str | None:
    """Whitespace collapsed inside paragraphs; blank-line paragraph breaks kept as `\\n\\n`."""
    if value is None:
        return None
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(value.strip()))
    value = "\n\n".join(p for p in paragraphs if p)
    return value or None


def parse_year(value: object) -> int | None:
    """The first four-digit year in `value` (`2020a`, `{2020}`, `2016/05/01` all work)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 10000 else None
    if not isinstance(value, str):
        return None
    match = _YEAR.search(value[:200])
    return int(match.group(1)) if match else None


def split_keywords(values: str | list[str] | None) -> list[str]:
    """Tags from keyword strings separated by commas, semicolons or newlines (deduplicated)."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        for part in _KEYWORD_SEPARATORS.split(value):
            tag = normalize_tag(part)
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
    return tags


def arxiv_from_text(value: str | None) -> str | None:
    """An arXiv id from an `arxiv.org/abs/…` URL or an `arXiv:…` mention; else None."""
    if not value:
        return None
    url = _ARXIV_URL.search(value)
    if url:
        return normalize_arxiv(url.group(1))
    for mention in _ARXIV_MENTION.finditer(value[:1000]):
        candidate = mention.group(1).rstrip(".,;)")
        if ARXIV_ID.fullmatch(candidate):
            return normalize_arxiv(candidate)
    return None


def doi_from_url(value: str | None) -> str | None:
    """The DOI of a `https://doi.org/…` URL; else None."""
    match = _DOI_URL.match(value.strip()) if value else None
    return normalize_doi(match.group(1)) if match else None


def set_doi(record: PaperRecord, value: str | None) -> None:
    """The record's DOI from a DOI field; text that is no DOI nor shortDOI (`n/a`, `DOI`) is
    kept in extra["doi"] instead, so that it neither names the paper nor merges it with another."""
    doi = normalize_doi(value)
    if doi and _DOI_SHAPE.search(doi):
        record.doi = doi
    elif doi:
        record.extra["doi"] = " ".join((value or "").split())


def fill_ids_from_url(record: PaperRecord) -> None:
    """Fill a missing DOI or arXiv id from the record's URL."""
    if record.url and not record.doi:
        record.doi = doi_from_url(record.url)
    if record.url and not record.arxiv_id:
        record.arxiv_id = arxiv_from_text(record.url)


# --- citation keys for export ---------------------------------------------------------------

_BAD_KEY_CHARS = re.compile(r'[\s,{}()"#%\'=~\\]')


def citation_keys(records: list[PaperRecord], used: set[str] | None = None) -> list[str]:
    """Unique keys: a record's own (sane, first come) key, else one in the shape of stored
    papers' generated keys (storage.records.base_key: `familyYEARword`) + a/b/c.

    `used` (casefolded keys) is updated, so that a caller writing in chunks keeps keys unique."""
    used = set() if used is None else used
    keys: list[str | None] = [None] * len(records)
    for index, record in enumerate(records):
        own = _BAD_KEY_CHARS.sub("", record.citation_key or "")
        if own and own.casefold() not in used:
            keys[index] = own
            used.add(own.casefold())
    for index, record in enumerate(records):
        if keys[index] is None:
            key = with_suffix(base_key(record), used)
            keys[index] = key
            used.add(key.casefold())
    return [key or "" for key in keys]


# --- people of other roles (editors, directors) as extra text -----------------------------


def names_text(people: list[AuthorRecord]) -> str:
    """People as the formats keep a role in `extra`: `Family, Given; Family, Given; Literal`."""
    return "; ".join(
        person.display if person.literal or not person.family
        else f"{person.family}, {person.given}" if person.given else person.family
        for person in people
    )  # fmt: skip


def names_from_text(text: str) -> list[AuthorRecord]:
    """The inverse of names_text: `Family, Given` is a person, anything else a literal name."""
    parts = (" ".join(part.split()) for part in text.split(";"))
    return [
        AuthorRecord.from_display(part) if "," in part else AuthorRecord(literal=part)
        for part in parts
        if part
    ]


# --- entries without a title ----------------------------------------------------------------

UNTITLED = "[Untitled]"


def placeholder_title(record: PaperRecord) -> str:
    """A stand-in title from what an untitled record has: `[Untitled] Smith et al. 2019, Venue`.

    Uses the first author's family (or literal) name, the year, the venue, and falls back to the
    DOI, arXiv id, URL or citation key; `[Untitled]` alone when the record has none of them."""
    first = record.authors[0] if record.authors else None
    name = (first.family or first.literal or first.given or "") if first else ""
    if name and len(record.authors) > 1:
        name += " et al."
    head = " ".join(part for part in (name, str(record.year or "")) if part)
    venue = tidy_line(record.venue) or ""
    described = ", ".join(part for part in (head, venue) if part)
    if not described:
        ident = record.doi or record.arxiv_id or record.url or record.citation_key or ""
        described = tidy_line(ident) or ""
    return f"{UNTITLED} {described[:300]}" if described else UNTITLED
