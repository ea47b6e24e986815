"""Plain dataclasses that importers produce and exporters consume (no database, no Qt)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count, product
from string import ascii_lowercase

STATUSES = ("unread", "reading", "read", "dismissed")  # dismissed: hidden from the default views


@dataclass
class AuthorRecord:
    """One author: a person (given + family) or a literal name such as a consortium."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @property
    def display(self) -> str:
        """'Given Family', or the literal name; a suffix kept with the given name as Zotero
        keeps it (`Michael, III`) goes after the family name: 'Michael von Hicks, III'."""
        if self.literal:
            return self.literal
        given, _, suffix = (self.given or "").rpartition(", ")
        if given and suffix and self.family:
            return f"{given} {self.family}, {suffix}"
        return " ".join(part for part in (self.given, self.family) if part)

    @classmethod
    def from_display(cls, name: str) -> AuthorRecord:
        """Best-effort split of 'Given Family' (or 'Family, Given') into parts."""
        name = " ".join(name.split())
        if "," in name:
            family, _, given = name.partition(",")
            return cls(family=family.strip() or None, given=given.strip() or None)
        parts = name.rsplit(" ", 1)
        if len(parts) == 1:
            return cls(literal=name) if name else cls()
        return cls(given=parts[0], family=parts[1])


@dataclass
class NoteRecord:
    """A Markdown note on a paper, with an optional quoted passage and page; a highlight also
    has a colour, its rectangles on the page (PDF points) and the SHA-256 of its file."""

    body: str
    quote: str | None = None
    page: str | None = None  # as written: "12", or "iv", "12–13" (see split_page)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    color: str | None = None
    rects: list[list[float]] | None = None  # [[x0, y0, x1, y1], ...]
    file_sha256: str | None = None
    source_key: str | None = None  # an annotation imported from the PDF: its identity


@dataclass
class FileRecord:
    """A file a paper had (a JSON backup keeps these; the bytes stay in the library's files/)."""

    name: str
    sha256: str
    pages: int = 0
    status: str | None = None  # indexed | no-text | failed | pending
    bytes: int = 0


@dataclass
class ReadingRecord:
    """Where the reader left a paper: the page of the file with these bytes, and when."""

    file_sha256: str
    page: int
    updated_at: datetime | None = None


@dataclass
class PaperRecord:
    """Everything a file can say about one paper."""

    title: str
    authors: list[AuthorRecord] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    abstract: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    url: str | None = None
    code_url: str | None = None
    citation_key: str | None = None
    entry_type: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    rating: int | None = None
    notes: list[NoteRecord] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    reading: ReadingRecord | None = None
    added_at: datetime | None = None
    updated_at: datetime | None = None
    line: int | None = None  # where the entry starts in its source file (1-based), for messages


@dataclass
class ListEntryRecord:
    """One paper of a reading list, referred to by its position in ParseResult.records."""

    record_index: int
    note: str | None = None


@dataclass
class ListRecord:
    """A reading list as a file describes it (only the project's own JSON carries lists)."""

    name: str
    description: str | None = None
    entries: list[ListEntryRecord] = field(default_factory=list)
    created_at: datetime | None = None


@dataclass
class SmartListRecord:
    """A saved search as the project's own JSON carries it."""

    name: str
    query: str
    scope: str | None = None  # "status:read", "tag:NAME", "list:NAME"
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class RoutineRecord:
    """The daily-routine state in the project's own JSON: papers waiting in the Inbox and
    suggestions turned down (record indices), and the smart lists."""

    inbox: list[int] = field(default_factory=list)
    rejections: list[tuple[int, str, str]] = field(default_factory=list)  # (index, tag|list, name)
    smart_lists: list[SmartListRecord] = field(default_factory=list)


@dataclass
class ParseWarning:
    """A skipped entry (in ParseResult.warnings) or a remark on an imported one (in
    ParseResult.notes): the line it starts on and why."""

    line: int | None
    message: str

    def format(self, source: str, label: str = "") -> str:
        """`FILE:LINE: reason` (or `FILE: reason` without a line); label: e.g. "note: "."""
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {label}{self.message}"


@dataclass
class ParseResult:
    """What an importer read from one file."""

    records: list[PaperRecord] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)  # what was skipped
    notes: list[ParseWarning] = field(default_factory=list)  # remarks on what was imported
    lists: list[ListRecord] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # tags the file holds with no paper (json)
    routine: RoutineRecord | None = None  # json only; None: the file says nothing of it


class FormatError(ValueError):
    """The whole file cannot be read in this format (message says why; line when known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


# --- identity helpers shared by importers, the store and dedupe ---------------------------

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_VERSION = re.compile(r"v\d+$", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_doi(doi: str | None) -> str | None:
    """Lower-case DOI without a resolver prefix; None when empty."""
    if not doi:
        return None
    value = _DOI_PREFIX.sub("", doi.strip()).strip().lower()
    return value or None


def normalize_arxiv(arxiv_id: str | None) -> str | None:
    """arXiv id without URL prefix, `.pdf` suffix or version suffix; None when empty."""
    if not arxiv_id:
        return None
    value = _ARXIV_PREFIX.sub("", arxiv_id.strip()).strip()
    value = value.removesuffix(".pdf")
    value = _ARXIV_VERSION.sub("", value)
    return value or None


def normalize_title(title: str | None) -> str:
    """Title key for dedupe: NFKC, casefold, punctuation and spaces collapsed."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


_PAGE_NUMBER = re.compile(r"^(?:pp?\.?\s*|page\s+)?(\d{1,7})$", re.IGNORECASE)


def split_page(page: int | str | None) -> tuple[int | None, str | None]:
    """(page number, label): "12", "p. 12" and 12 are page 12; text that is no page number
    ("iv", "12–13") is kept as the label; blank is neither."""
    if page is None or isinstance(page, bool):
        return None, None
    if isinstance(page, int):
        return (page, None) if page >= 1 else (None, str(page))
    text = " ".join(page.split())
    if not text:
        return None, None
    match = _PAGE_NUMBER.match(text)
    if match and int(match.group(1)) >= 1:
        return int(match.group(1)), None
    return None, text


def page_text(page: int | None, label: str | None) -> str | None:
    """A note's page as shown: the number, else the label."""
    return str(page) if page is not None else label


def normalize_tag(tag: str) -> str:
    """A tag as stored: spaces collapsed, surrounding space and commas dropped."""
    return " ".join(tag.replace(",", " ").split())


# --- citation keys: one shape for stored papers' keys and export-time keys ------------------

_KEY_WORD = re.compile(r"[a-z0-9]+")
# Function words a title's first significant word skips (Better BibTeX's short-title rule).
KEY_STOPWORDS = frozenset([
    "a", "an", "the", "and", "or", "but", "nor", "of", "on", "in", "at", "by", "for", "from",
    "to", "with", "without", "into", "onto", "over", "under", "about", "as", "via", "vs", "is",
    "are", "be", "towards", "toward",
])  # fmt: skip
# Lower-case name particles before a family name ("van der Berg" -> "berg").
_PARTICLES = frozenset([
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "los", "ten",
    "ter", "zu", "dos", "das",
])  # fmt: skip
KEY_LIMIT = 40


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of text: accents dropped through NFKD (`Gödel` -> `godel`)."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _KEY_WORD.findall(flat.replace("'", "").replace("\u2019", ""))


def family_part(author: AuthorRecord | None) -> str:
    """The first author's family name as one ASCII word, particles dropped; a literal name
    (a consortium) gives its first significant word."""
    if author is None:
        return ""
    if author.family:
        raw = author.family.split()
        while len(raw) > 1 and raw[0] in _PARTICLES:
            raw = raw[1:]
        return "".join(ascii_words(" ".join(raw)))
    words = [w for w in ascii_words(author.literal or author.given or "") if w not in KEY_STOPWORDS]
    return words[0] if words else ""


def base_key(record: PaperRecord) -> str:
    """A citation key before any suffix, in Better BibTeX's shape `familyYEARword`
    (`vaswani2017attention`); a part that is missing is left out (`2017attention`,
    `vaswaniattention`), and `paper` stands in for an empty key."""
    family = family_part(record.authors[0] if record.authors else None)
    words = [w for w in ascii_words(record.title or "") if w not in KEY_STOPWORDS]
    year = str(record.year) if record.year else ""
    return (family[:20] + year + (words[0][:20] if words else ""))[:KEY_LIMIT] or "paper"


def with_suffix(base: str, taken: set[str]) -> str:
    """A citation key: base, else base + a, b, … z, aa, ab, …, the first not in taken
    (casefolded keys)."""
    if base.casefold() not in taken:
        return base
    for size in count(1):
        for letters in product(ascii_lowercase, repeat=size):
            key = base + "".join(letters)
            if key.casefold() not in taken:
                return key
    raise AssertionError("unreachable")
