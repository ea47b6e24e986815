"""Per-page text, page count and metadata of one PDF, with PDFium (pypdfium2), never raising."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from storage.pdf.annotations import MAX_ANNOTATIONS, FoundAnnotation, page_annotations

__all__ = [
    "FAILED",
    "INDEXED",
    "MAX_CHARS",
    "MAX_CHARS_PER_PAGE",
    "MAX_PAGES",
    "NO_TEXT",
    "PdfOpenError",
    "PdfText",
    "clean_text",
    "extract_text",
    "open_pdf",
    "source_name",
]

INDEXED, NO_TEXT, FAILED = "indexed", "no-text", "failed"
MAX_PAGES = 5_000
MAX_CHARS_PER_PAGE = 200_000
MAX_CHARS = 20_000_000  # in all, about 40 MB of text; later pages are left out
METADATA_KEYS = ("Title", "Author", "Subject", "Keywords")
# The header may sit after some junk, but within the first 1024 bytes (ISO 32000-1, annex H).
_HEADER_WINDOW = 1024

Source = bytes | str | os.PathLike[str]

_LIGATURES = dict(
    zip(
        "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06",
        ["ff", "fi", "fl", "ffi", "ffl", "st", "st"],
        strict=True,
    )
)
_LIGATURE = re.compile("[\ufb00-\ufb06]")
# PDFium marks a hyphen it removed at a line end with U+FFFE, or U+0002 where the file gave it
# that code (the two lines are already joined).
_PDFIUM_HYPHEN = re.compile(r"(?<=\w)[\ufffe\x02](?=(\w?))")
# A hyphen left at a line end, the word going on in lower case on the next line.
_LINE_END_HYPHEN = re.compile(r"[-\u2010\u00ad][ \t]*\n[ \t]*(?=([^\W\d_]))")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n)|[ \t]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class PdfOpenError(Exception):
    """The PDF cannot be opened; the message is one line naming the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PdfText:
    """What a PDF says: text per page (reading order of PDFium), metadata, and how it went."""

    name: str
    status: str  # INDEXED (some page has text), NO_TEXT (a scan), FAILED (could not be read)
    pages: list[str] = field(default_factory=list)
    page_count: int = 0  # pages in the file; more than len(pages) when capped at MAX_PAGES
    metadata: dict[str, str] = field(default_factory=dict)  # Title, Author, Subject, Keywords
    reason: str = ""  # one line naming the file: why it failed, has no text, or was capped
    capped: bool = False  # pages or characters were left out (the reason says which)
    # highlights, underlines and sticky notes made in other programs (storage.pdf.annotations)
    annotations: list[FoundAnnotation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != FAILED


def source_name(source: Source, name: str | None = None) -> str:
    """The name messages use: the caller's, else the path, else `<bytes>`."""
    if name:
        return name
    if isinstance(source, bytes | bytearray):
        return "<bytes>"
    return os.fspath(source)


def _join_hyphen(match: re.Match[str]) -> str:
    following = match.group(1)
    # "hyphen-ated" was one word; "Self-Supervised" keeps its hyphen.
    return "" if following and following.islower() else "-"


def _rejoin(match: re.Match[str], text: str) -> str:
    start = match.start()
    after_letter = start > 0 and text[start - 1].isalpha()
    return "" if after_letter and match.group(1).islower() else match.group(0)


def clean_text(text: str) -> str:
    """Newline-separated lines, words split at line ends rejoined, ligatures spelled out, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufffe" in text or "\x02" in text:
        text = _PDFIUM_HYPHEN.sub(_join_hyphen, text)
    lines = text
    text = _LINE_END_HYPHEN.sub(lambda match: _rejoin(match, lines), lines)
    if _LIGATURE.search(text):
        text = _LIGATURE.sub(lambda m: _LIGATURES[m.group(0)], text)
    text = _TRAILING_SPACE.sub("", _CONTROL.sub("", text))
    return unicodedata.normalize("NFC", text).replace("\u00ad", "")


def _check_header(head: bytes, name: str) -> None:
    if not head:
        raise PdfOpenError(f"{name}: empty file (0 bytes), not a PDF")
    if b"%PDF-" not in head[:_HEADER_WINDOW]:
        raise PdfOpenError(f"{name}: not a PDF (no %PDF- header)")


def _read_head(path: Path, name: str) -> bytes:
    try:
        info = path.stat()
    except OSError as error:
        raise PdfOpenError(f"{name}: cannot read the file ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise PdfOpenError(f"{name}: not a regular file")
    try:
        with path.open("rb") as handle:
            return handle.read(_HEADER_WINDOW)
    except OSError as error:
        raise PdfOpenError(f"{name}: cannot read the file ({error.strerror or error})") from None


def _load_error_code(target: bytes | Path) -> int | None:
    """Load again to learn why loading failed: PDFium's last error is stale when the document
    itself loaded but has no page. None when it loads (so it has no pages)."""
    if isinstance(target, bytes):
        handle = pdfium_c.FPDF_LoadMemDocument64(target, len(target), None)
    else:
        handle = pdfium_c.FPDF_LoadDocument((os.fspath(target) + "\x00").encode("utf-8"), None)
    if handle:
        pdfium_c.FPDF_CloseDocument(handle)
        return None
    return pdfium_c.FPDF_GetLastError()


def _load_error(target: bytes | Path, name: str) -> str:
    code = _load_error_code(target)
    if code is None:
        return f"{name}: the PDF has no pages"
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return f"{name}: encrypted, a password is needed to open it"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return f"{name}: encrypted with an unsupported security scheme"
    if code == pdfium_c.FPDF_ERR_FILE:
        return f"{name}: cannot read the file"
    if code == pdfium_c.FPDF_ERR_FORMAT:
        return f"{name}: damaged PDF, PDFium cannot parse it"
    return f"{name}: damaged PDF, PDFium cannot open it (error {code})"


@contextlib.contextmanager
def open_pdf(source: Source, name: str | None = None) -> Iterator[pypdfium2.PdfDocument]:
    """The open document (closed on exit), or PdfOpenError with a one-line message."""
    label = source_name(source, name)
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        _check_header(data[:_HEADER_WINDOW], label)
        target: bytes | Path = data
    else:
        target = Path(source)
        _check_header(_read_head(target, label), label)
    try:
        document = pypdfium2.PdfDocument(target)
    except pypdfium2.PdfiumError:
        raise PdfOpenError(_load_error(target, label)) from None
    except (OSError, ValueError) as error:
        raise PdfOpenError(f"{label}: cannot read the file ({error})") from None
    try:
        yield document
    finally:
        document.close()


def _metadata(document: pypdfium2.PdfDocument) -> dict[str, str]:
    values: dict[str, str] = {}
    for key in METADATA_KEYS:
        try:
            raw = document.get_metadata_value(key)
        except (pypdfium2.PdfiumError, UnicodeError, ValueError):
            continue
        value = " ".join(_CONTROL.sub("", unicodedata.normalize("NFC", raw)).split())
        if value:
            values[key] = value
    return values


def _page_text(
    document: pypdfium2.PdfDocument,
    index: int,
    max_chars: int,
    annotations: list[FoundAnnotation] | None = None,
) -> tuple[str, bool]:
    """The page's cleaned text and whether it was cut at max_chars; PdfiumError when unreadable.
    Its markup annotations are added to `annotations` (an unreadable one is left out)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            raw = textpage.get_text_range(0, min(count, max_chars)) if count > 0 else ""
        finally:
            textpage.close()
        if annotations is not None and len(annotations) < MAX_ANNOTATIONS:
            room = MAX_ANNOTATIONS - len(annotations)
            with contextlib.suppress(pypdfium2.PdfiumError, ValueError, OSError):
                annotations.extend(page_annotations(document, page, index, room))
    finally:
        page.close()
    return clean_text(raw), count > max_chars


def extract_text(
    source: Source,
    name: str | None = None,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_CHARS_PER_PAGE,
    max_total: int = MAX_CHARS,
) -> PdfText:
    """Read a PDF (bytes or a path); every problem becomes a FAILED result with a reason."""
    label = source_name(source, name)
    try:
        with open_pdf(source, label) as document:
            return _read(document, label, (max_pages, max_chars, max_total))
    except PdfOpenError as error:
        return PdfText(label, FAILED, reason=error.message)
    except Exception as error:  # PDFium surprises must not escape as a traceback
        return PdfText(label, FAILED, reason=f"{label}: could not be read ({type(error).__name__})")


def _read(document: pypdfium2.PdfDocument, label: str, limits: tuple[int, int, int]) -> PdfText:
    max_pages, max_chars, max_total = limits
    page_count = len(document)
    pages: list[str] = []
    annotations: list[FoundAnnotation] = []
    cut = broken = total = 0
    for index in range(min(page_count, max_pages)):
        if total >= max_total:
            break
        try:
            text, was_cut = _page_text(document, index, max_chars, annotations)
        except (pypdfium2.PdfiumError, ValueError):
            text, was_cut = "", False
            broken += 1
        pages.append(text)
        cut += was_cut
        total += len(text)
    result = PdfText(label, INDEXED, pages, page_count, _metadata(document))
    result.annotations = annotations
    if pages and broken == len(pages):
        result.status, result.pages = FAILED, []
        result.reason = f"{label}: damaged PDF, none of its {page_count} pages can be read"
        return result
    notes = []
    if len(pages) < min(page_count, max_pages):
        notes.append(f"stopped after {len(pages)} of {page_count} pages at {max_total} characters")
    elif page_count > max_pages:
        notes.append(f"read the first {max_pages} of {page_count} pages")
    if cut:
        notes.append(f"{cut} page(s) cut at {max_chars} characters")
    if broken:
        notes.append(f"{broken} damaged page(s) left empty")
    if not any(text.strip() for text in pages):
        result.status = NO_TEXT
        notes.insert(0, "no text layer (a scan?); attach it, search will not find its words")
    result.capped = len(pages) < page_count or cut > 0
    result.reason = f"{label}: {'; '.join(notes)}" if notes else ""
    return result
