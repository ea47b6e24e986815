"""Lines of arXiv ids and DOIs (pasted or in a file).

One paper each, titled by its id until an import with the real metadata fills it in."""

from __future__ import annotations

import re

from storage.records import FormatError, PaperRecord, ParseResult, ParseWarning, normalize_doi

# arXiv: 2305.12345, 2305.12345v2, 0704.0001; old style hep-th/9901001, math.GT/0309136.
_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV = re.compile(
    rf"(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?({_ARXIV_ID})(?:\.pdf)?/?",
    re.IGNORECASE,
)
_DOI = re.compile(
    r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"'<>]+)", re.IGNORECASE
)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;]+")
_SHAPE_LINES = 200  # lines looked at to tell the format
# The title such a paper gets: `arXiv:2305.12345` or `doi:10.1000/xyz` (identity treats it as
# a placeholder, so the first import with a real title replaces it).
ID_TITLE = re.compile(r"(?:arXiv|doi):\S+")


def read_id(token: str) -> tuple[str, str] | None:
    """("arxiv", "2305.12345") or ("doi", "10.1000/xyz") for one token, else None."""
    token = token.strip().rstrip(".")
    found = _ARXIV.fullmatch(token)
    if found:
        return "arxiv", re.sub(r"v\d+$", "", found.group(1), flags=re.IGNORECASE)
    found = _DOI.fullmatch(token)
    if found:
        doi = normalize_doi(found.group(1).rstrip(".,;)"))
        if doi:
            arxiv = _ARXIV_DOI.fullmatch(doi)
            return ("arxiv", arxiv.group(1)) if arxiv else ("doi", doi)
    return None


def _tokens(line: str) -> list[str]:
    return [part for part in _SEPARATORS.split(line.strip()) if part]


def looks_like_ids(text: str) -> bool:
    """Whether every non-blank line (of the first few hundred) holds only ids; `#` comments
    are allowed. One unreadable token means it is something else."""
    seen = 0
    for line in text[:65536].split("\n"):
        line = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        tokens = _tokens(line)
        if not tokens:
            continue
        if not all(read_id(token) for token in tokens):
            return False
        seen += 1
        if seen == _SHAPE_LINES:
            break
    return seen > 0


def title_for(kind: str, value: str) -> str:
    return f"arXiv:{value}" if kind == "arxiv" else f"doi:{value}"


def parse_ids(text: str) -> ParseResult:
    """One record per id (repeats within the text skipped and reported); a token that is no
    id is reported with its line and skipped."""
    result = ParseResult()
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("#"):
            continue
        for token in _tokens(line):
            found = read_id(token)
            if found is None:
                shown = token if len(token) <= 80 else token[:77] + "…"
                result.warnings.append(ParseWarning(number, f"not an arXiv id or DOI: {shown}"))
                continue
            if found in seen:
                result.warnings.append(
                    ParseWarning(number, f"{title_for(*found)} is listed twice; imported once")
                )
                continue
            seen.add(found)
            kind, value = found
            record = PaperRecord(title=title_for(kind, value), line=number)
            if kind == "arxiv":
                record.arxiv_id = value
                record.url = f"https://arxiv.org/abs/{value}"
            else:
                record.doi = value
            result.records.append(record)
    if not result.records:
        raise FormatError("no arXiv id or DOI found")
    return result
