"""Which paper a PDF is: arXiv id, DOI, title and authors found in its name, metadata and text."""

from __future__ import annotations

import math
import re
import statistics
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import pypdfium2
import pypdfium2.raw as pdfium_c

from storage.pdf.extract import PdfOpenError, PdfText, Source, clean_text, extract_text, open_pdf
from storage.records import AuthorRecord, PaperRecord, normalize_doi, normalize_title

__all__ = [
    "PdfIdentity",
    "arxiv_from_name",
    "arxiv_from_text",
    "doi_from_text",
    "identify",
    "plausible_title",
    "split_authors",
    "title_by_font",
]

# Archives of the old arXiv scheme (before April 2007): `hep-th/9901001`, `math.GT/0309136`.
_OLD_ARCHIVES = (
    "acc-phys",
    "adap-org",
    "alg-geom",
    "ao-sci",
    "astro-ph",
    "atom-ph",
    "bayes-an",
    "chao-dyn",
    "chem-ph",
    "cmp-lg",
    "comp-gas",
    "cond-mat",
    "cs",
    "dg-ga",
    "funct-an",
    "gr-qc",
    "hep-ex",
    "hep-lat",
    "hep-ph",
    "hep-th",
    "math",
    "math-ph",
    "mtrl-th",
    "nlin",
    "nucl-ex",
    "nucl-th",
    "patt-sol",
    "physics",
    "plasm-ph",
    "q-alg",
    "q-bio",
    "q-fin",
    "quant-ph",
    "solv-int",
    "stat",
    "supr-con",
    ").split(",
)
_ARCHIVE = "|".join(sorted(map(re.escape, _OLD_ARCHIVES), key=len, reverse=True))
_NEW_ID = r"(?<![\d.])(?P<new>\d{4}\.\d{4,5})(?:v\d+)?(?!\d)"
_OLD_ID = (
    rf"(?<![A-Za-z-])(?P<arch>{_ARCHIVE})(?P<cls>\.[A-Za-z]{{2}})?[/_ ]?"
    r"(?P<num>\d{7})(?:v\d+)?(?!\d)"
)
_NAME_ID = re.compile(f"{_NEW_ID}|{_OLD_ID}", re.IGNORECASE)
_STAMP = re.compile(rf"arXiv:\s*(?:{_NEW_ID}|{_OLD_ID})\s*\[[\w.\-]+\]", re.IGNORECASE)
_TEXT_ID = re.compile(rf"arXiv:\s*(?:{_NEW_ID}|{_OLD_ID})", re.IGNORECASE)

_DOI = re.compile(r"10\.\d{4,9}(?:/|%2F)[^\s\"]+", re.IGNORECASE)
_DOI_LABEL = re.compile(r"(?:doi\s*:?\s*|doi\.org/)$", re.IGNORECASE)
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}  # SICI DOIs hold `(`, `<` and `>`

_JUNK_TITLE = re.compile(
    r"^(?:untitled|title|paper|main|manuscript|draft|article|submission|none|null|unknown"
    r"|anonymous|document|doc|slide|presentation|template|abstract)[\s\d_.\-]*$"
    r"|^untitled\b|^(?:microsoft\s+\w+|word|powerpoint)\s+-\s"
    r"|\.(?:pdf|docx?|rtf|odt|tex|dvi|e?ps|pptx?|indd|qxd|txt|html?)$"
    r"|^(?:arxiv:|doi:|10\.\d{4,9}/|https?://)",
    re.IGNORECASE,
)
_JUNK_AUTHOR = re.compile(
    r"^(?:administrator|admin|user|owner|author|authors|unknown|anonymous|microsoft office user"
    r"|editor|root|default|guest)$",
    re.IGNORECASE,
)
_FOOTNOTE_MARKS = re.compile(r"[\s*\u2217\u22c6\u2020\u2021\u00a7\u00b6]+$")  # `Title ∗`, `Title†`
_MAX_TITLE = 300
_MAX_TITLE_LINES = 4
_MAX_FIRST_PAGE_CHARS = 20_000


@dataclass
class PdfIdentity:
    """What the file says about its paper; every part may be missing."""

    arxiv_id: str | None = None  # without version, e.g. `2305.12345` or `hep-th/9901001`
    doi: str | None = None  # lower case, no resolver prefix
    title: str | None = None
    authors: list[str] = field(default_factory=list)  # display names, from the metadata
    arxiv_from: str | None = None  # "name" or "text"
    title_from: str | None = None  # "metadata" or "font"

    def to_record(self, file_name: str) -> PaperRecord:
        """A new paper for an unmatched PDF; titled after the file when the PDF names none."""
        title = self.title or " ".join(re.sub(r"[_]+", " ", PurePath(file_name).stem).split())
        return PaperRecord(
            title=title or file_name,
            authors=[AuthorRecord.from_display(name) for name in self.authors],
            doi=self.doi,
            arxiv_id=self.arxiv_id,  # the window links arXiv from the id; no url is made up
        )


def _canonical(match: re.Match[str]) -> str | None:
    """The id a match names, or None when its date part cannot be an arXiv id."""
    if match.group("new"):
        value = match.group("new")
        yymm, number = int(value[:4]), value[5:]
        month = yymm % 100
        if not 1 <= month <= 12 or yymm < 704 or (len(number) == 5) != (yymm >= 1501):
            return None
        return value
    number = match.group("num")
    if not 1 <= int(number[2:4]) <= 12:
        return None
    subject = match.group("cls") or ""
    subject = subject[:1] + subject[1:].upper()
    return f"{match.group('arch').lower()}{subject}/{number}"


def arxiv_from_name(file_name: str) -> str | None:
    """The arXiv id in a file name such as `2305.12345v2.pdf` or `arXiv_hep-th_9901001.pdf`."""
    stem = PurePath(file_name).name
    stem = re.sub(r"\.pdf$", "", stem, flags=re.IGNORECASE)
    for match in _NAME_ID.finditer(stem):
        value = _canonical(match)
        if value:
            return value
    return None


def arxiv_from_text(text: str) -> str | None:
    """The id of the arXiv stamp (`arXiv:2305.12345v2 [cs.CL] 3 Jun 2023`) in a page's text,
    else the one id named as `arXiv:…` on it (none when it names several: those are citations)."""
    for match in _STAMP.finditer(text):
        value = _canonical(match)
        if value:
            return value
    found = {value for match in _TEXT_ID.finditer(text) if (value := _canonical(match))}
    return found.pop() if len(found) == 1 else None


def _trim_doi(value: str) -> str:
    value = urllib.parse.unquote(value) if "%" in value else value
    while value:
        last = value[-1]
        unbalanced = last in _CLOSERS and value.count(last) > value.count(_CLOSERS[last])
        if last in ".,;:!?'\u201d\u2019*" or unbalanced:
            value = value[:-1]
        else:
            break
    return value


def _dois(text: str) -> tuple[list[str], list[str]]:
    """(labelled DOIs, other DOIs) in order of appearance."""
    labelled: list[str] = []
    other: list[str] = []
    for match in _DOI.finditer(text):
        value = _trim_doi(match.group(0))
        if "/" not in value or value.endswith("/"):
            continue
        before = text[max(0, match.start() - 12) : match.start()]
        (labelled if _DOI_LABEL.search(before) else other).append(value)
    return labelled, other


def doi_from_text(*texts: str) -> str | None:
    """The first DOI labelled as one (`doi:`, `DOI`, `doi.org/`), else the first DOI at all,
    looking through the texts in turn; lower case, trailing punctuation trimmed."""
    for text in texts:
        labelled, other = _dois(text)
        if labelled or other:
            return normalize_doi((labelled or other)[0])
    return None


def plausible_title(value: str | None, file_name: str | None = None) -> bool:
    """Whether a metadata Title looks like a paper's title (not `untitled`, a file name, …)."""
    if not value:
        return False
    text = " ".join(value.split())
    if not 4 <= len(text) <= _MAX_TITLE or _JUNK_TITLE.search(text) or "\\" in text:
        return False
    if sum(char.isalpha() for char in text) < 4 or not re.search(r"[^\W\d_]{3}", text):
        return False
    if " " not in text and re.search(r"[\d_./]", text):  # `ms_final_v3`, `1-s2.0-S08…-main`
        return False
    if file_name:
        stem = PurePath(file_name).stem
        if normalize_title(stem) == normalize_title(text):
            return False
    return True


def split_authors(value: str | None) -> list[str]:
    """Display names from a metadata Author: split on `;`, else on `,`, `and` and `&`; single
    words (account names such as `ibm`) and `Administrator`-like values left out."""
    if not value:
        return []
    parts = value.split(";") if ";" in value else re.split(r",|\band\b|&", value)
    names = []
    for part in parts:
        name = " ".join(part.split()).strip(" .")
        if _JUNK_AUTHOR.match(name) or re.search(r"[\d@/\\]", name):
            continue
        if len(re.findall(r"[^\W\d_]+", name)) < 2:  # `ibm`, `Hatem`: an account, not a name
            continue
        names.append(name)
    return names


@dataclass
class _TextLine:
    text: str
    size: float


def _lines(textpage: pypdfium2.PdfTextPage) -> list[_TextLine]:
    """Page lines in PDFium order with the median effective font size of their letters;
    turned lines (the arXiv stamp in the margin) are left out."""
    count = min(textpage.count_chars(), _MAX_FIRST_PAGE_CHARS)
    matrix = pdfium_c.FS_MATRIX()
    lines: list[_TextLine] = []
    chars: list[str] = []
    sizes: list[float] = []
    turned = 0

    def flush() -> None:
        nonlocal turned
        if chars and sizes and turned * 2 < len(sizes):
            lines.append(_TextLine("".join(chars).strip(), statistics.median(sizes)))
        chars.clear()
        sizes.clear()
        turned = 0

    for index in range(count):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 32)
        if char in "\r\n":
            flush()
            continue
        chars.append(char)
        if not char.isalpha() or not pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix):
            continue
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        sizes.append(round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * scale, 2))
        turned += abs(matrix.b) > abs(matrix.a)
    flush()
    return lines


def title_by_font(page: pypdfium2.PdfPage) -> str | None:
    """The line(s) set in the page's largest type, when that type is larger than the body's."""
    textpage = page.get_textpage()
    try:
        lines = [line for line in _lines(textpage) if sum(c.isalpha() for c in line.text) >= 3]
    finally:
        textpage.close()
    lines = [line for line in lines if not _STAMP.search(line.text)]
    if not lines:
        return None
    body = statistics.median(line.size for line in lines)
    largest = max(line.size for line in lines)
    if largest < body * 1.15:
        return None
    picked: list[str] = []
    for line in lines:
        if abs(line.size - largest) <= largest * 0.03:
            picked.append(line.text)
            if len(picked) == _MAX_TITLE_LINES:
                break
        elif picked:
            break
    title = _FOOTNOTE_MARKS.sub("", " ".join(clean_text("\n".join(picked)).split()))
    return title[:_MAX_TITLE] or None


def _font_title(source: Source, name: str | None, index: int) -> str | None:
    try:
        with open_pdf(source, name) as document:
            page = document[index]
            try:
                return title_by_font(page)
            finally:
                page.close()
    except (PdfOpenError, pypdfium2.PdfiumError, ValueError):
        return None


def identify(source: Source, name: str | None = None, text: PdfText | None = None) -> PdfIdentity:
    """Find the paper's identity; `text` is the file's extraction when the caller has it."""
    file_name = name or ("" if isinstance(source, bytes | bytearray) else Path(source).name)
    identity = PdfIdentity()
    identity.arxiv_id = arxiv_from_name(file_name) if file_name else None
    identity.arxiv_from = "name" if identity.arxiv_id else None
    if text is None:
        text = extract_text(source, name, max_pages=2)
    if not text.ok:
        return identity
    first, second = (text.pages + ["", ""])[:2]
    if identity.arxiv_id is None:
        identity.arxiv_id = arxiv_from_text(first or second)
        identity.arxiv_from = "text" if identity.arxiv_id else None
    meta = text.metadata
    labelled = doi_from_text(*(_labelled_only(part) for part in (first, second)))
    identity.doi = labelled or doi_from_text(
        first, meta.get("Subject", ""), meta.get("Keywords", ""), second
    )
    if plausible_title(meta.get("Title"), file_name):
        identity.title, identity.title_from = meta["Title"], "metadata"
    elif first.strip() or second.strip():  # a cover image first: the title is on page 2
        identity.title = _font_title(source, name, 0 if first.strip() else 1)
        identity.title_from = "font" if identity.title else None
    identity.authors = split_authors(meta.get("Author"))
    return identity


def _labelled_only(text: str) -> str:
    """Just the labelled DOIs of a text, so that they win over any unlabelled DOI before them."""
    return " ".join(_dois(text)[0])
