"""A big BibTeX file read in chunks by one process per core, with parse_bibtex's own result.

Reading BibTeX is pure Python (bibtexparser's splitter, then TeX decoding and names): ~25 s
for a 100k-entry file on one core, a quarter of such an import. The entries of a file are
independent unless it defines `@string` macros or uses `crossref` (then it is read in one
piece: a quick look before, every chunk's blocks after), so the text is cut at block starts
into one chunk per core; this process reads the first, spawned processes the others. Line
numbers, repeated citation keys across chunks and the order of warnings and notes come out
as one parse_bibtex() call gives them. A broken block anywhere (whose mending changes how the
whole file is read), or anything going wrong in a helper process, and the file is read again
in one piece.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor

from storage.formats.bibtex import (
    ReadWhole,
    check_blocks,
    finish,
    read_blocks,
    read_part,
    would_mend,
)
from storage.formats.common import normalize_newlines
from storage.records import ParseResult, ParseWarning

__all__ = ["chunk_bounds", "parse_bibtex_file"]

CHUNKED_FROM_CHARS = 8_000_000  # ~4k entries with abstracts: below, start-up costs more
MAX_PROCESSES = 4
# A quick look for macros and crossrefs (read_part finds every one; this only spares a
# wasted read of the chunks in the common spellings): "@" is searched fast, a case-blind
# pattern over 100 MB is not (~2 s).
_STRING_BLOCK = re.compile(r"@[ \t]*[sS][tT][rR][iI][nN][gG][ \t]*[{(]")
_CROSSREF_SPELLINGS = ("crossref", "Crossref", "CrossRef", "CROSSREF")
_LINE_START_BLOCK = re.compile(r"^[ \t]*@\w+[ \t]*[{(]", re.MULTILINE)
_TRIES = 200  # block starts tried for each cut before giving up on it


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_bibtex_file(text: str, processes: int | None = None) -> ParseResult:
    """parse_bibtex(text); a big file (CHUNKED_FROM_CHARS) without macros or crossrefs is
    read in chunks by up to `processes` processes (default: one a core, up to 4)."""
    text = normalize_newlines(text)
    check_blocks(text)
    wanted = min(MAX_PROCESSES, processes or usable_cores())
    if wanted < 2 or len(text) < CHUNKED_FROM_CHARS or _whole_file_only(text):
        return finish(read_blocks(text))
    bounds = chunk_bounds(text, wanted)
    if len(bounds) < 3:
        return finish(read_blocks(text))
    try:
        merged = _read_in_chunks(text, bounds)
    except Exception:  # a broken block, or a helper process failed: read it in one piece
        merged = read_blocks(text)
    return finish(merged)


def _whole_file_only(text: str) -> bool:
    """Whether text plainly has `@string` macros or crossref fields (then it is read whole)."""
    return bool(_STRING_BLOCK.search(text)) or any(word in text for word in _CROSSREF_SPELLINGS)


def chunk_bounds(text: str, parts: int) -> list[int]:
    """Offsets [0, cut, …, len(text)] cutting text into about `parts` pieces, each cut at
    the start of a line that opens a block (`@type{`) outside every brace, right after the
    end of the block before it (`}` or `)`, then only blank space)."""
    bounds = [0]
    depth_at, depth = 0, 0
    for part in range(1, parts):
        target = max(bounds[-1] + 1, len(text) * part // parts)
        cut = None
        for tries, match in enumerate(_LINE_START_BLOCK.finditer(text, target)):
            if tries >= _TRIES:
                break
            start = match.start()
            depth += text.count("{", depth_at, start) - text.count("}", depth_at, start)
            depth_at = start
            if depth == 0 and _ends_a_block(text, start):
                cut = start
                break
        if cut is None:
            break
        bounds.append(cut)
    bounds.append(len(text))
    return bounds


def _ends_a_block(text: str, at: int) -> bool:
    """Whether the last non-blank character before `at` closes a block (`}` or `)`),
    looked for without copying the text before it."""
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at > 0 and text[at - 1] in "})"


def _read_chunk(chunk: str) -> tuple[ParseResult, bool]:
    """One chunk's records, warnings and notes, and whether it had a broken block (run in a
    helper process)."""
    return read_part(chunk)


def _read_in_chunks(text: str, bounds: list[int]) -> ParseResult:
    """read_blocks over each chunk (the first here, the others in spawned processes),
    merged as one read of the whole text would give it. ReadWhole when that read would
    mend an entry head: a broken block in one chunk has every chunk's heads mended."""
    chunks = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    context = multiprocessing.get_context("spawn")  # never fork: the window has threads
    with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=context) as pool:
        pending = [pool.submit(_read_chunk, chunk) for chunk in chunks[1:]]
        try:
            parts = [read_part(chunks[0])]
            parts += [future.result() for future in pending]
        finally:
            for future in pending:
                future.cancel()
    results = [result for result, _failed in parts]
    # A broken block anywhere (a key repeated across chunks is one to bibtexparser) has
    # read_blocks mend every head it can: any to mend, and the file is read whole.
    if any(failed for _result, failed in parts) or _keys_repeat(results):
        pairs = zip(chunks, parts, strict=True)
        if any(would_mend(chunk) for chunk, (_result, failed) in pairs if not failed):
            raise ReadWhole
    merged = ParseResult()
    for result, start in zip(results, bounds, strict=False):
        _shift_lines(result, text.count("\n", 0, start))
        merged.records.extend(result.records)
        merged.warnings.extend(result.warnings)
        merged.notes.extend(result.notes)
        merged.lists.extend(result.lists)
    _unrepeat_keys(merged)
    merged.warnings.sort(key=lambda warning: warning.line or 0)
    merged.notes.sort(key=lambda note: note.line or 0)
    return merged


def _keys_repeat(results: list[ParseResult]) -> bool:
    """Whether a citation key of one chunk is used in another one (case aside)."""
    seen: set[str] = set()
    for result in results:
        keys = {(r.citation_key or "").casefold() for r in result.records} - {""}
        if keys & seen:
            return True
        seen |= keys
    return False


def _shift_lines(result: ParseResult, lines: int) -> None:
    """Line numbers of a chunk's result counted from the start of the file."""
    if not lines:
        return
    for record in result.records:
        if record.line is not None:
            record.line += lines
    for said in (*result.warnings, *result.notes):
        if said.line is not None:
            said.line += lines


def _unrepeat_keys(merged: ParseResult) -> None:
    """A citation key already used in an earlier chunk: imported without a key, noted (as
    read_blocks does within one chunk)."""
    first_line: dict[str, int] = {}
    for record in merged.records:
        folded = (record.citation_key or "").casefold()
        if not folded:
            continue
        if folded in first_line:
            merged.notes.append(
                ParseWarning(
                    record.line,
                    f"citation key {record.citation_key!r} already used on line "
                    f"{first_line[folded]}; imported without a key",
                )
            )
            record.citation_key = None
        else:
            first_line[folded] = record.line or 0
