"""Entry point of the format layer: read a file as text, tell its format, parse or write it."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path

from storage.formats.bibtex import parse_bibtex, write_bibtex
from storage.formats.common import normalize_newlines
from storage.formats.csl_json import parse_csl_json, write_csl_json
from storage.formats.listing import looks_like_listing, parse_listing
from storage.formats.papershelf_json import parse_papershelf_json, write_papershelf_json
from storage.formats.ris import parse_ris, write_ris
from storage.records import FormatError, ListRecord, PaperRecord, ParseResult

FORMATS = ("listing", "bibtex", "ris", "csl-json", "json")
WRITABLE = ("bibtex", "ris", "csl-json", "json")
_ALIASES = {
    "bib": "bibtex",
    "csl": "csl-json",
    "csljson": "csl-json",
    "csl_json": "csl-json",
    "papershelf": "json",
    "txt": "listing",
    "text": "listing",
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
    "bibtex": parse_bibtex,
    "ris": parse_ris,
    "csl-json": parse_csl_json,
    "json": parse_papershelf_json,
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
    """A file's text: BOM-aware UTF-8/16/32 with a Latin-1 fallback, newlines made `\\n`."""
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
        raise FormatError("not a text file (binary data); expected " + ", ".join(FORMATS))
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise FormatError(f"not a text file (broken {encoding} text)") from None
    if b"\x00" in data[:65536]:
        raise FormatError("not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Windows Latin-1: smart quotes where Latin-1 has controls
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _json_kind(text: str) -> str | None:
    """Which JSON format `text` is ("json" or "csl-json"); None when it is no JSON at all."""
    if not _JSON_START.match(text):
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
    if any(isinstance(i, dict) and _CSL_KEYS & i.keys() for i in items):
        return "csl-json"
    return "csl-json" if not items else None


def detect_format(text: str, filename: str | None = None) -> str:
    """The format of `text`: by content first, the file extension breaking ties."""
    by_extension = _EXTENSIONS.get(Path(filename).suffix.lower()) if filename else None
    json_kind = _json_kind(text)
    if json_kind:
        return json_kind
    found = []
    for name, pattern in (("bibtex", _BIBTEX_START), ("ris", _RIS_START)):
        match = pattern.search(text)
        if match:
            found.append((match.start(), name))
    if found:
        names = [name for _, name in sorted(found)]
        return by_extension if by_extension in names else names[0]
    if looks_like_listing(text):
        return "listing"
    if by_extension in ("bibtex", "ris", "csl-json"):
        return by_extension  # its parser says what is wrong with the file
    if by_extension == "json-family":
        return "csl-json"
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
