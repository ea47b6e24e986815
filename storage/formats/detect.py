"""Entry point of the format layer: read a file as text, tell its format, parse or write it."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path

from storage.formats.bibtex import write_bibtex
from storage.formats.bibtex_chunks import parse_bibtex_file
from storage.formats.common import normalize_newlines
from storage.formats.csl_json import parse_csl_json, write_csl_json
from storage.formats.ids import looks_like_ids, parse_ids
from storage.formats.listing import looks_like_listing, parse_listing
from storage.formats.magic import not_text_message
from storage.formats.papershelf_json import parse_papershelf_json, write_papershelf_json
from storage.formats.ris import parse_ris, write_ris
from storage.records import FormatError, ListRecord, PaperRecord, ParseResult

FORMATS = ("listing", "bibtex", "ris", "csl-json", "json", "ids")  # ids: arXiv ids / DOIs
WRITABLE = ("bibtex", "ris", "csl-json", "json")
_ALIASES = {
    "bib": "bibtex",
    "csl": "csl-json",
    "csljson": "csl-json",
    "csl_json": "csl-json",
    "papershelf": "json",
    "txt": "listing",
    "text": "listing",
    "id": "ids",
    "arxiv": "ids",
    "doi": "ids",
}
_EXTENSIONS = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
    ".json": "json-family",
    ".csl": "csl-json",
    ".txt": "listing",
}
_PARSERS: dict[str, Callable[[str], ParseResult]] = {
    "listing": parse_listing,
    "bibtex": parse_bibtex_file,
    "ris": parse_ris,
    "csl-json": parse_csl_json,
    "json": parse_papershelf_json,
    "ids": parse_ids,
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_BIBTEX_START = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_RIS_START = re.compile(r"^TY[ \t]{1,3}-", re.MULTILINE)
_JSON_START = re.compile(r"\s*(?:\{\s*(?:\"|\})|\[\s*(?:[\[{\]\"]|-?\d|true|false|null))")
_LEADING_COMMENTS = re.compile(r"(?:\s*(?://[^\n]*|#[^\n]*|/\*.*?\*/))+", re.DOTALL)
# Lines of a JSON document cut anywhere: `"key": value,`, `"text",`, `}`, `],`, `{`, numbers.
_JSON_LINE = re.compile(
    r'\s*(?:"(?:[^"\\\n]|\\.)*"\s*(?::.*|,?)|[\[\]{}]+,?|-?\d[\d.eE+-]*,?|true,?|false,?|null,?)\s*'
)
_RIS_LINE = re.compile(r"[A-Z][A-Z0-9][ \t]{1,3}-(?:[ \t].*)?")
_BIBTEX_LINE = re.compile(r"\s*(?:[A-Za-z][\w:.+-]*\s*=\s*\S.*|[})],?)\s*")
_SHAPE_LINES = 40  # non-blank lines looked at to tell a cut file's format by its lines
_PAPERSHELF_MARK = re.compile(r"\"format\"\s*:\s*\"papershelf\"")
_CSL_KEYS = {"title", "type", "author", "issued", "id", "DOI", "URL", "container-title"}
_USAGE = "use --format " + "|".join(FORMATS)


def normalize_format(fmt: str) -> str:
    """A format name from the contract (aliases such as `bib` or `csl` accepted)."""
    name = fmt.strip().lower()
    name = _ALIASES.get(name, name)
    if name != "auto" and name not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; {_USAGE} (or auto)")
    return name


def read_source(path: Path) -> str:
    """A file's text: BOM-aware UTF-8/16/32 (UTF-16 also without a BOM) with a Windows-1252
    and Latin-1 fallback, newlines made `\\n`."""
    path = Path(path)
    if path.is_dir():
        raise FormatError("is a directory, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError("no such file") from None
    except OSError as error:
        raise FormatError(f"cannot read it ({error.strerror or error})") from None
    if not data.strip():
        raise FormatError("empty file")
    text = normalize_newlines(_decode(data))
    if not text.strip():
        raise FormatError("empty file")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) * 20 > len(sample):
        raise FormatError(not_text_message(data, "binary data"))
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise FormatError(f"not a text file (broken {encoding} text)") from None
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise FormatError(not_text_message(data))
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            raise FormatError(f"not a text file (broken {utf16} text)") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Windows Latin-1: smart quotes where Latin-1 has controls
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _head_lines(text: str) -> list[str]:
    lines: list[str] = []
    for line in text[:65536].split("\n"):
        if line.strip():
            lines.append(line)
            if len(lines) == _SHAPE_LINES:
                break
    return lines


def _mostly(lines: list[str], pattern: re.Pattern[str]) -> bool:
    """Whether more than 60% of `lines` (at least one) are lines of that format."""
    hits = sum(1 for line in lines if len(line) < 100_000 and pattern.fullmatch(line))
    return bool(lines) and hits * 5 > len(lines) * 3


def _looks_like_json(text: str) -> bool:
    """JSON, or JSON with a comment in front, or a JSON document with its start cut off."""
    head = text[:65536]
    comments = _LEADING_COMMENTS.match(head)
    if comments:
        head = head[comments.end() :]
    if _JSON_START.match(head):
        return True
    return _mostly(_head_lines(head), _JSON_LINE)


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when NUL bytes sit in every other byte, as in UTF-16 text
    of mostly Latin letters written without a byte-order mark (Windows tools do); else None."""
    sample = data[:65536]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls.count(0) * 2 >= len(nuls) and others.count(0) * 50 <= len(others):
            return encoding
    return None


def _json_kind(text: str, json_file: bool) -> str | None:
    """Which JSON format `text` is ("json" or "csl-json"); None when it is no JSON at all.

    Text that looks like JSON but does not parse goes to the parser, which names the line."""
    if not (_looks_like_json(text) or json_file):
        return None
    if _PAPERSHELF_MARK.search(text[:4096]):
        return "json"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return "csl-json"  # broken JSON: the CSL parser reports where
    items = data if isinstance(data, list) else [data]
    if isinstance(data, dict) and data.get("format") == "papershelf":
        return "json"
    if json_file or not items or any(isinstance(i, dict) and _CSL_KEYS & i.keys() for i in items):
        return "csl-json"
    raise FormatError(f"unrecognised format (JSON, but no CSL-JSON items); {_USAGE}")


def _cut_format(text: str) -> str | None:
    """ "ris" or "bibtex" for text made of that format's lines without the line that starts
    a record (a file cut short at the front): its parser then says what is missing."""
    lines = _head_lines(text)
    if _mostly(lines, _RIS_LINE):
        return "ris"
    if _mostly(lines, _BIBTEX_LINE):
        return "bibtex"
    return None


def detect_format(text: str, filename: str | None = None) -> str:
    """The format of `text`: by content first, the file extension breaking ties.

    Text shaped like JSON, BibTeX or RIS (a `// comment` in front, its first lines cut off)
    is never read as a listing, and neither is a `.json` file: their parsers report why they
    cannot read it, with the line."""
    by_extension = _EXTENSIONS.get(Path(filename).suffix.lower()) if filename else None
    if looks_like_ids(text):  # before JSON: a bare arXiv id (2305.12345) reads as a number
        return "ids"
    found = []
    for name, pattern in (("bibtex", _BIBTEX_START), ("ris", _RIS_START)):
        match = pattern.search(text)
        if match:
            found.append((match.start(), name))
    json_kind = _json_kind(text, by_extension == "json-family" and not found)
    if json_kind:
        return json_kind
    if found:
        names = [name for _, name in sorted(found)]
        return by_extension if by_extension in names else names[0]
    cut = _cut_format(text)
    if cut:
        return cut
    if looks_like_listing(text):
        return "listing"
    if by_extension in ("bibtex", "ris", "csl-json"):
        return by_extension  # its parser says what is wrong with the file
    raise FormatError(f"unrecognised format; {_USAGE}")


def parse(text: str, fmt: str = "auto", filename: str | None = None) -> ParseResult:
    """Parse `text` in `fmt` ("auto" detects it); FormatError when nothing can be read."""
    name = normalize_format(fmt)
    if name == "auto":
        name = detect_format(text, filename)
    try:
        return _PARSERS[name](text)
    except FormatError:
        raise
    except (RecursionError, MemoryError) as error:
        raise FormatError(f"cannot read this file as {name}: {type(error).__name__}") from None
    except Exception as error:  # a library tripping over odd input must not crash an import
        raise FormatError(f"cannot read this file as {name}: {error}") from error


def write(records: list[PaperRecord], fmt: str, lists: list[ListRecord] | None = None) -> str:
    """`records` as text in `fmt` (bibtex, ris, csl-json or json; only json carries lists)."""
    name = normalize_format(fmt)
    if name == "bibtex":
        return write_bibtex(records)
    if name == "ris":
        return write_ris(records)
    if name == "csl-json":
        return write_csl_json(records)
    if name == "json":
        return write_papershelf_json(records, lists)
    raise FormatError(f"cannot write {fmt!r}; writable formats: {', '.join(WRITABLE)}")
