"""Plain-text paper listings (title line, then one abstract paragraph), as web pages dump them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from storage.records import FormatError, PaperRecord, ParseResult, ParseWarning

# Page chrome of the Hugging Face daily-papers page; longest first so prefixes strip greedily.
CHROME_LINES = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "byAK and the research community",
    "Subscribe",
    "new",
)
_CHROME_FOLDED = {line.casefold() for line in CHROME_LINES}
_GLUED_CHROME = tuple(line for line in CHROME_LINES if len(line) > 3)
_DATE_LINE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?",
    re.IGNORECASE,
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_HAS_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_URL = re.compile(
    r"https?://[^\s<>\"'{}\[\]|\\^`]+"
    r"|(?<![\w./@-])(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/[^\s<>\"'{}\[\]|\\^`]+",
    re.IGNORECASE,
)
_CODE_HOSTS = (
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "huggingface.co",
    "gitee.com",
    "codeberg.org",
    "sr.ht",
    "sourceforge.net",
)
_TRAILING_PUNCT = ".,;:!?'\")]}*>"
TITLE_MAX = 400  # longer lines are never titles (and are not scored further)
WRAP_MAX = 150  # lines up to this long may be hard-wrapped prose


@dataclass
class _Unit:
    line: int
    text: str
    block: int
    score: int = 0
    kind: str = ""  # "title", "abstract" or "junk"


def _strip_chrome(text: str) -> str | None:
    """The line without page chrome; None when the whole line is chrome."""
    while True:
        folded = text.casefold()
        if folded in _CHROME_FOLDED or _DATE_LINE.fullmatch(text):
            return None
        for chrome in _GLUED_CHROME:
            rest = text[len(chrome) :]
            # `SubscribeStealing …` is chrome glued to a title; `Subscriber …` is a word.
            if folded.startswith(chrome.casefold()) and rest and not rest[0].islower():
                text = rest.strip()
                break
        else:
            return text


def title_score(text: str) -> int:
    """How much a line looks like a paper title (>= 1) rather than prose (< 1)."""
    size = len(text)
    if size > TITLE_MAX:
        return -10
    score = 2 if size <= 160 else (1 if size <= 250 else -2)
    words = text.split()
    if len(words) > 30:
        score -= 2
    if text.endswith("."):
        score -= 2
    breaks = len(_SENTENCE_BREAK.findall(text))
    score -= 0 if breaks == 0 else 1 + 3 * (breaks - 1)
    if _HAS_URL.search(text):
        score -= 2
    first = words[0] if words else ""
    if first[:1].islower() and not any(c.isupper() or c.isdigit() for c in first):
        score -= 2
    long_words = [w for w in words if len(w) > 3]
    if long_words and sum(w[0].isupper() for w in long_words) * 2 >= len(long_words):
        score += 1
    if ":" in text[: max(1, size // 2)]:
        score += 1
    return score


def _is_junk(text: str) -> bool:
    alnum = sum(c.isalnum() for c in text[:1000])
    return alnum < 3 or alnum * 10 < min(len(text), 1000) * 3


def _classified(unit: _Unit) -> _Unit:
    if _is_junk(unit.text):
        unit.kind = "junk"
    else:
        unit.score = title_score(unit.text)
        unit.kind = "title" if unit.score >= 1 else "abstract"
    return unit


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines as (line number, tidy text), page chrome left out."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text.lstrip("\ufeff")), start=1):
        line = " ".join(raw.split()) if len(raw) <= 100_000 else raw.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        stripped = _strip_chrome(line) if len(line) <= 200 else line
        if stripped is not None:
            current.append((number, stripped))
    if current:
        blocks.append(current)
    return blocks


def _block_units(
    block: list[tuple[int, str]], index: int, spaced: bool, entries: bool
) -> list[_Unit]:
    """One unit per line, or, for a hard-wrapped paragraph, the joined lines (title apart).

    `entries`: blocks are whole entries (title line, then the wrapped abstract)."""
    # Lines after the first longer than WRAP_MAX: not hard-wrapped, one entry part per line.
    if len(block) == 1 or not spaced or any(len(text) > WRAP_MAX for _, text in block[1:]):
        return [_classified(_Unit(number, text, index)) for number, text in block]
    (first_line, first), rest = block[0], block[1:]
    joined = " ".join(text for _, text in block)
    if not entries and len(block) <= 3 and title_score(joined) >= 2:
        return [_classified(_Unit(first_line, joined, index))]  # a title wrapped over lines
    score = title_score(first)
    widths = [len(text) for _, text in rest[:-1]]
    next_word = rest[0][1].split(" ", 1)[0]
    # Greedy wrapping would have put the next word on the first line if it had fit.
    looks_wrapped = bool(widths) and len(first) + 1 + len(next_word) > max(widths)
    if entries:
        looks_wrapped = False
    if score >= 4 or (score >= 1 and not looks_wrapped and not next_word[:1].islower()):
        body = _Unit(rest[0][0], " ".join(text for _, text in rest), index)
        return [_classified(_Unit(first_line, first, index)), _classified(body)]
    return [_classified(_Unit(first_line, joined, index))]


def _units(text: str) -> list[_Unit]:
    blocks = _blocks(text)
    spaced = len(blocks) > 1  # blank lines separate things: a block may be one wrapped paragraph
    # When no block is a title on its own, each block is a whole entry: title, then its text.
    alone = sum(1 for b in blocks if title_score(" ".join(t for _, t in b)[: TITLE_MAX + 1]) >= 1)
    entries = spaced and alone * 3 < len(blocks)
    return [
        unit
        for index, block in enumerate(blocks)
        for unit in _block_units(block, index, spaced, entries)
    ]


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on a hard-wrapped `previous` line rather than starting anew."""
    ended = previous.endswith((".", "!", "?", ".)", '."'))
    return len(previous) <= WRAP_MAX and (not ended or line[:1].islower())


def find_code_url(text: str | None) -> str | None:
    """The first link in `text` to a code host (GitHub, GitLab, Hugging Face…), cleaned up."""
    if not text:
        return None
    for match in _URL.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING_PUNCT:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if "://" not in url:
            url = "https://" + url
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        host = (parts.hostname or "").lower()
        on_code_host = host.startswith("gitlab.") or any(
            host == h or host.endswith("." + h) for h in _CODE_HOSTS
        )
        if on_code_host and parts.path.strip("/"):
            return url.rstrip("/").removesuffix(".git")
    return None


def _paper(title: _Unit, abstract: str | None) -> PaperRecord:
    return PaperRecord(
        title=title.text,
        abstract=abstract,
        code_url=find_code_url(abstract),
        line=title.line,
    )


def parse_listing(text: str) -> ParseResult:
    """Papers from a plain-text listing; chrome dropped, stray paragraphs reported."""
    units = _units(text)
    result = ParseResult()
    pending: _Unit | None = None
    # Abstract of the last paper, while later lines of the same block may still continue it.
    open_abstract: list[str] | None = None
    open_block = -1

    def finish_title_only(title: _Unit) -> None:
        result.records.append(_paper(title, None))
        if title.score < 2:
            result.notes.append(
                ParseWarning(
                    title.line, f"title without an abstract looks doubtful: {title.text!r}"
                )
            )

    def close_abstract() -> None:
        nonlocal open_abstract
        if open_abstract is not None and len(open_abstract) > 1:
            record = result.records[-1]
            record.abstract = " ".join(open_abstract)
            record.code_url = find_code_url(record.abstract)
        open_abstract = None

    for index, unit in enumerate(units):
        if unit.kind == "junk":
            close_abstract()
            result.warnings.append(
                ParseWarning(
                    unit.line,
                    f"skipped a line that is neither title nor abstract: {unit.text[:60]!r}",
                )
            )
            continue
        if pending is None:
            if unit.kind == "title":
                close_abstract()
                pending = unit
            elif (
                open_abstract is not None
                and unit.block == open_block
                and _continues(open_abstract[-1], unit.text)
            ):
                open_abstract.append(unit.text)  # a hard-wrapped abstract goes on
            else:
                close_abstract()
                result.warnings.append(
                    ParseWarning(unit.line, "skipped a paragraph with no title before it")
                )
            continue
        if unit.kind == "title":
            following = units[index + 1] if index + 1 < len(units) else None
            if unit.score >= 3 or following is None or following.kind == "abstract":
                finish_title_only(pending)
                pending = unit
                continue
            # A short, prose-like line between two titles is the first one's abstract.
        result.records.append(_paper(pending, unit.text))
        pending = None
        open_abstract, open_block = [unit.text], unit.block
    close_abstract()
    if pending is not None:
        finish_title_only(pending)
    if not result.records:
        raise FormatError("no entries found (expected a title line followed by an abstract)")
    return result


def looks_like_listing(text: str) -> bool:
    """Whether `text` has title/abstract alternation (used by format detection)."""
    try:
        result = parse_listing(text)
    except FormatError:
        return False
    with_abstract = sum(1 for record in result.records if record.abstract)
    return with_abstract > 0 and with_abstract * 2 >= len(result.records)
