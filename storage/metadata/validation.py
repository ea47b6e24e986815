"""The rules a paper's edited metadata must meet, shared by the window and the command line."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from storage.formats.entry_types import BIBTEX_TYPES, CSL_TYPES, RIS_TYPES, stored_type
from storage.records import AuthorRecord, normalize_arxiv, normalize_doi

FIELDS = (
    "title",
    "authors",
    "year",
    "venue",
    "abstract",
    "doi",
    "arxiv_id",
    "url",
    "code_url",
    "citation_key",
    "entry_type",
)
YEAR_MIN = 1000
YEAR_AHEAD = 5  # a year up to five years from now (papers "to appear")

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}$")
_ARXIV_OLD = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}$")
_BAD_KEY = re.compile(r'[\s,{}()"#%\'=~\\]')
ENTRY_TYPES = BIBTEX_TYPES | CSL_TYPES | RIS_TYPES  # RIS types are kept upper-case


class EditError(ValueError):
    """An edit that cannot be made (unknown paper, list or tag, bad value); user-facing message."""


class InvalidValue(EditError):
    """An edited value that breaks a rule; the message is one line for the user."""


def _text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def split_authors(text: str) -> list[str]:
    """Split on semicolons outside braces."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            raise InvalidValue(f"authors: a closing brace without an opening one in {text!r}")
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth:
        raise InvalidValue(f"authors: an opening brace is never closed in {text!r}")
    parts.append("".join(current))
    return [" ".join(part.split()) for part in parts if part.strip()]


def parse_author(name: str) -> AuthorRecord:
    """`Family, Given`; `{Literal Name}` kept whole; `Given Family` without a comma is split at
    the last space (as BibTeX does); a single word is a literal name (`OpenAI`)."""
    if name.startswith("{") and name.endswith("}") and "}" not in name[1:-1]:
        literal = " ".join(name[1:-1].split())
        if not literal:
            raise InvalidValue("authors: {} holds no name")
        return AuthorRecord(literal=literal)
    if "{" in name or "}" in name:
        raise InvalidValue(f"authors: braces go around a whole literal name, as in {{{name}}}")
    if name.count(",") > 1:
        raise InvalidValue(
            f"authors: {name!r} has more than one comma; write Family, Given or {{Literal Name}}"
        )
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        if not family:
            raise InvalidValue(f"authors: {name!r} has no family name before the comma")
        return AuthorRecord(family=family, given=given or None)
    return AuthorRecord.from_display(name)


def parse_authors(value: object) -> list[AuthorRecord]:
    """Authors from `Family, Given; Given Family; {Literal Name}; …` or from AuthorRecords."""
    if value is None:
        return []
    if isinstance(value, str):
        return [parse_author(name) for name in split_authors(value)]
    if isinstance(value, Sequence):
        authors = []
        for item in value:
            if isinstance(item, AuthorRecord):
                cleaned = AuthorRecord(_text(item.family), _text(item.given), _text(item.literal))
                if cleaned.given and not (cleaned.family or cleaned.literal):
                    raise InvalidValue(f"authors: {cleaned.given!r} has no family name")
                if cleaned.display:
                    authors.append(cleaned)
            else:
                authors.extend(parse_authors(str(item)))
        return authors
    raise InvalidValue(f"authors: cannot read {value!r}")


def check_year(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    latest = datetime.now(UTC).year + YEAR_AHEAD
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise InvalidValue(f"year must be a number such as 2017, not {text!r}")
    year = int(text)
    if not YEAR_MIN <= year <= latest:
        raise InvalidValue(f"year must be between {YEAR_MIN} and {latest}, not {year}")
    return year


def check_doi(value: object) -> str | None:
    doi = normalize_doi(_text(value))
    if doi is not None and not _DOI.match(doi):
        raise InvalidValue(f"DOI must look like 10.1234/suffix, not {_text(value)!r}")
    return doi


def check_arxiv(value: object) -> str | None:
    arxiv = normalize_arxiv(_text(value))
    if arxiv is not None and not (_ARXIV_NEW.match(arxiv) or _ARXIV_OLD.match(arxiv)):
        raise InvalidValue(
            f"arXiv id must look like 1706.03762 or hep-th/9901001, not {_text(value)!r}"
        )
    return arxiv


def check_url(value: object, label: str) -> str | None:
    url = _text(value)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise InvalidValue(f"{label} must be an http:// or https:// address, not {url!r}")
    return url


def check_key(value: object) -> str | None:
    """A citation key's form (its uniqueness needs the library); None asks for a generated one."""
    key = str(value).strip() if value is not None else ""
    if not key:
        return None
    bad = sorted(set(_BAD_KEY.findall(key)))
    if bad:
        shown = " ".join("space" if c.isspace() else c for c in bad)
        raise InvalidValue(
            f"citation key {key!r} cannot hold {shown} (keys have no spaces, commas, braces, "
            "quotes or # % = ~ \\)"
        )
    return key


def check_entry_type(value: object) -> str | None:
    kind = _text(value)
    if kind is None:
        return None
    stored = stored_type(kind)
    if stored is None:
        raise InvalidValue(
            f"unknown entry type {kind!r}: use a BibTeX type (article, inproceedings, book, "
            "incollection, phdthesis, techreport, misc, …), a CSL type (article-journal, …) "
            "or a RIS type (JOUR, CPAPER, …)"
        )
    return stored


def clean_values(values: Mapping[str, object]) -> dict[str, object]:
    """Values checked and normalised as stored (authors as AuthorRecords; None clears);
    raises InvalidValue for the first that breaks a rule."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidValue(f"cannot edit {', '.join(sorted(unknown))}")
    clean: dict[str, object] = {}
    for name, value in values.items():
        if name == "title":
            title = _text(value)
            if not title:
                raise InvalidValue("a paper needs a title")
            clean[name] = title
        elif name == "authors":
            clean[name] = parse_authors(value)
        elif name == "year":
            clean[name] = check_year(value)
        elif name == "doi":
            clean[name] = check_doi(value)
        elif name == "arxiv_id":
            clean[name] = check_arxiv(value)
        elif name in ("url", "code_url"):
            clean[name] = check_url(value, "URL" if name == "url" else "code URL")
        elif name == "citation_key":
            clean[name] = check_key(value)
        elif name == "entry_type":
            clean[name] = check_entry_type(value)
        elif name == "abstract":
            clean[name] = str(value).strip() or None if value is not None else None
        else:
            clean[name] = _text(value)
    return clean
