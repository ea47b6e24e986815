"""BibTeX import and export, wrapping bibtexparser 2 (TeX to Unicode, @string macros, `#`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from itertools import islice

import bibtexparser
from bibtexparser import BibtexFormat
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
    String,
)

from storage.formats.bibtex_fields import FieldTooLong, Macros, full_title, inherit, unglue
from storage.formats.bibtex_names import ROLES, entry_people, name_field, role_field, stands_in
from storage.formats.bibtex_repair import repair_entry_heads
from storage.formats.common import (
    MONTHS,
    arxiv_from_text,
    citation_keys,
    fill_ids_from_url,
    normalize_newlines,
    parse_year,
    placeholder_title,
    set_doi,
    split_keywords,
    tidy_line,
    tidy_paragraphs,
)
from storage.formats.entry_types import bibtex_type
from storage.formats.tex import (
    decode_tex,
    decode_venue,
    decode_verbatim,
    escape_tex,
    escape_verbatim,
    protect_case,
)
from storage.records import (
    FormatError,
    NoteRecord,
    PaperRecord,
    ParseResult,
    ParseWarning,
    normalize_arxiv,
)

# bibtexparser logs every broken block; we report them as ParseWarnings instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("pylatexenc").addHandler(logging.NullHandler())

_BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")
_LINE_START_BLOCK = re.compile(r"^[ \t]*@\w*[ \t]*[{(]", re.MULTILINE)
MAX_BLOCKS = 200_000  # a "BibTeX" file with more block starts is junk (or beyond a reading list)
_ENTRY_KEY = re.compile(r"@\w*\s*[{(]\s*([^,\s]*)")
_VERBATIM_FIELDS = {"url", "doi", "eprint", "file", "pdf", "code"}
_VENUE_FIELDS = ("journal", "journaltitle", "booktitle")
_FIELD_NAME = re.compile(r"[A-Za-z][\w:+.-]*")
OTHERS_KEY = "author_others"  # extra flag: the author list ended in `and others`
MAX_TITLE = 4000  # characters of a decoded title; longer ones are cut (and reported)


# --- reading ---------------------------------------------------------------------------------


def _entry_values(entry: Entry, macros: Macros, notes: list[ParseWarning]) -> dict[str, str]:
    """An entry's fields, macros expanded; fields glued on by a missing comma are split off.

    What is mended or left out on the way is noted in `notes` (the entry itself is kept)."""
    line = (entry.start_line or 0) + 1
    values: dict[str, str] = {}
    for field in entry.fields:
        key = field.key.strip().lower()
        if key in values:
            continue  # BibTeX keeps the first of repeated fields
        at = (field.start_line or 0) + 1 if field.start_line is not None else line
        head, glued = unglue(str(field.value))
        if glued:
            name, _, lines = glued[0]
            notes.append(
                ParseWarning(
                    at + lines,
                    f"missing comma before field {name!r} in entry {entry.key!r}; "
                    f"{key!r} and {name!r} read as separate fields",
                )
            )
        for name, raw in [(key, head)] + [(name, raw) for name, raw, _ in glued]:
            if name in values:
                continue
            try:
                value, undefined = macros.evaluate(raw)
            except FieldTooLong as error:
                notes.append(
                    ParseWarning(line, f"field {name!r} of entry {entry.key!r} refused: {error}")
                )
                continue
            if undefined:
                notes.append(ParseWarning(line, f"undefined macro {undefined[0]!r} in {name!r}"))
            values[name] = value
    return values


def _entry_record(entry: Entry, values: dict[str, str], notes: list[ParseWarning]) -> PaperRecord:
    """A paper from an entry's values; an untitled entry gets a placeholder title (noted)."""
    line = (entry.start_line or 0) + 1
    title = tidy_line(decode_tex(full_title(values, entry.entry_type.lower()))) or ""
    if len(title) > MAX_TITLE:
        notes.append(
            ParseWarning(line, f"title of entry {entry.key!r} cut to {MAX_TITLE} characters")
        )
        title = title[:MAX_TITLE].rstrip() + "…"
    record = PaperRecord(title=title, citation_key=entry.key or None, line=line)
    record.entry_type = entry.entry_type.lower() or None
    authors, others, roles = entry_people(values)  # no author: the editors (kept as editor)
    record.authors = authors
    record.extra.update(roles)
    if others:
        record.extra[OTHERS_KEY] = "true"
    year_text = values.pop("year", None)
    record.year = parse_year(year_text) if year_text else parse_year(values.get("date"))
    if year_text and record.year is None:
        record.extra["year"] = tidy_line(decode_tex(year_text)) or year_text
    for key in _VENUE_FIELDS:
        if key in values:
            record.venue = tidy_line(decode_venue(values.pop(key)))
            break
    record.abstract = tidy_paragraphs(decode_tex(values.pop("abstract", ""), math=False))
    set_doi(record, decode_verbatim(values.pop("doi", "")))
    record.url = decode_verbatim(values.pop("url", "")) or None
    record.code_url = decode_verbatim(values.pop("code", "")) or None
    record.tags = split_keywords(decode_tex(values.pop("keywords", "")))
    eprint = decode_verbatim(values.get("eprint", ""))
    prefix = (values.get("archiveprefix") or values.get("eprinttype") or "").strip("{} ").lower()
    if eprint and (prefix == "arxiv" or (not prefix and arxiv_from_text(f"arXiv:{eprint}"))):
        record.arxiv_id = normalize_arxiv(eprint)
        for key in ("eprint", "archiveprefix", "eprinttype"):
            values.pop(key, None)
    for key in ("annote", "annotation"):
        body = decode_tex(values.pop(key, ""), math=False).strip()
        if body:
            record.notes.append(NoteRecord(body=body))
    for key, value in values.items():
        decoded = (
            decode_verbatim(value) if key in _VERBATIM_FIELDS else tidy_line(decode_tex(value))
        )
        if decoded:
            record.extra[key] = decoded
    if not record.arxiv_id:
        record.arxiv_id = arxiv_from_text(record.venue) or arxiv_from_text(record.extra.get("note"))
    fill_ids_from_url(record)
    if not record.title:
        record.title = placeholder_title(record)
        notes.append(
            ParseWarning(line, f"entry {entry.key!r} has no title; imported as {record.title!r}")
        )
    return record


def _count(pattern: re.Pattern[str], text: str, limit: int) -> int:
    """How often `pattern` occurs in `text`, counting no further than `limit`."""
    return sum(1 for _ in islice(pattern.finditer(text), limit))


def parse_bibtex(text: str) -> ParseResult:
    """Papers from BibTeX; broken entries become warnings with the line they start on.

    Remarks on entries that were imported (mended slips, repeated fields or keys, undefined
    macros, placeholder titles, crossref parents not found) are `notes`, not warnings."""
    text = normalize_newlines(text)
    check_blocks(text)
    return finish(read_blocks(text))


def check_blocks(text: str) -> None:
    """FormatError unless text (newlines normalised) looks like BibTeX at all."""
    starts = _count(_BLOCK_START, text, MAX_BLOCKS + 1) if "@" in text else 0
    if not starts:
        raise FormatError("no BibTeX entries found (nothing like `@article{…`)")
    if starts > MAX_BLOCKS:
        raise FormatError(f"not a usable BibTeX file: over {MAX_BLOCKS} `@…{{` blocks")
    if starts > 1000 and _count(_LINE_START_BLOCK, text, starts // 10) < starts // 10:
        raise FormatError("not a usable BibTeX file: most `@…{` do not start a line")


class ReadWhole(Exception):
    """read_part() met what needs the whole file: an entry head to mend (one mended head
    anywhere has the whole text read again, mended), an `@string` macro (used by entries in
    other parts) or a `crossref` field (its parent may be in another part)."""


def read_blocks(text: str) -> ParseResult:
    """Every entry of text (newlines normalised) as a record, with its warnings and notes
    sorted by line; no error when none could be read (finish() says so)."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    result = ParseResult()
    if _has_failed_blocks(library):
        repaired, result.notes = repair_entry_heads(text)
        if result.notes:  # a missing key or comma: read the mended text instead
            library = bibtexparser.parse_string(repaired, parse_stack=[])
    return _records(library, result)


def read_part(text: str) -> tuple[ParseResult, bool]:
    """read_blocks() of a part of a file, and whether the part has a broken block (repeated
    fields count): ReadWhole when the part cannot be read apart from the rest."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    failed = _has_failed_blocks(library)
    if (failed and would_mend(text)) or _needs_other_parts(library):
        raise ReadWhole
    return _records(library, ParseResult()), failed


def _needs_other_parts(library: Library) -> bool:
    """Whether the blocks define macros or name crossref parents (other parts may use them)."""
    for block in library.blocks:
        kept = (
            block.ignore_error_block
            if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock)
            else block
        )
        if isinstance(kept, String):
            return True
        if isinstance(kept, Entry) and any(
            field.key.strip().lower() == "crossref" for field in kept.fields
        ):
            return True
    return False


def would_mend(text: str) -> bool:
    """Whether read_blocks would mend an entry head of text, had it a broken block."""
    return bool(repair_entry_heads(text)[1])


def _has_failed_blocks(library: Library) -> bool:
    return any(isinstance(block, ParsingFailedBlock) for block in library.blocks)


def _records(library: Library, result: ParseResult) -> ParseResult:
    """The library's entries as records into result, with warnings and notes by line."""
    macros = Macros()
    entries: list[tuple[Entry, dict[str, str], int, set[str]]] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, String
        ):
            block = block.ignore_error_block
        if isinstance(block, String):
            macros.define(block.key, block.value, line, result.warnings)
        elif isinstance(block, (Entry, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
            entry = block if isinstance(block, Entry) else block.ignore_error_block
            if isinstance(entry, Entry):
                repeated = (
                    block.duplicate_keys if isinstance(block, DuplicateFieldKeyBlock) else set()
                )
                entries.append((entry, _entry_values(entry, macros, result.notes), line, repeated))
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            key = _ENTRY_KEY.match(block.raw or "")
            name = f" {key.group(1)!r}" if key and key.group(1) else ""
            result.warnings.append(
                ParseWarning(line, f"broken BibTeX entry{name} skipped: {tidy_line(reason)}")
            )
    _resolve_crossrefs(entries, result.notes)
    first_key_line: dict[str, int] = {}
    for entry, values, line, repeated in entries:
        record = _entry_record(entry, values, result.notes)
        if repeated:
            fields = ", ".join(sorted(repeated))
            result.notes.append(ParseWarning(line, f"repeated field(s) {fields}; kept the first"))
        folded = (record.citation_key or "").casefold()
        if folded and folded in first_key_line:
            result.notes.append(
                ParseWarning(
                    line,
                    f"citation key {record.citation_key!r} already used on line "
                    f"{first_key_line[folded]}; imported without a key",
                )
            )
            record.citation_key = None
        elif folded:
            first_key_line[folded] = line
        result.records.append(record)
    result.warnings.sort(key=lambda warning: warning.line or 0)
    result.notes.sort(key=lambda note: note.line or 0)
    return result


def finish(result: ParseResult) -> ParseResult:
    """result, or FormatError when it holds no paper at all."""
    if not result.records:
        reason = result.warnings[0].message if result.warnings else "no entries"
        raise FormatError(f"no usable BibTeX entries ({reason})", line=_first_line(result))
    return result


def _resolve_crossrefs(
    entries: list[tuple[Entry, dict[str, str], int, set[str]]], notes: list[ParseWarning]
) -> None:
    """Children take missing fields from their `crossref` parent, wherever it is in the file."""
    wanted = {
        values["crossref"].strip().casefold()
        for _, values, _, _ in entries
        if values.get("crossref")
    }
    if not wanted:
        return
    parents: dict[str, tuple[dict[str, str], str]] = {}
    for entry, values, _, _ in entries:
        folded = (entry.key or "").casefold()
        if folded in wanted and folded not in parents:
            parents[folded] = (dict(values), entry.entry_type.lower())  # as written, not inherited
    for entry, values, line, _ in entries:
        target = values.get("crossref", "").strip()
        if not target:
            continue
        parent = parents.get(target.casefold())
        if parent is None:
            notes.append(
                ParseWarning(
                    line, f"crossref {target!r} of entry {entry.key!r} is not in this file"
                )
            )
        elif target.casefold() != (entry.key or "").casefold():
            inherit(values, *parent)


def _first_line(result: ParseResult) -> int | None:
    return result.warnings[0].line if result.warnings else None


# --- writing ---------------------------------------------------------------------------------


def _month_field(value: str) -> Field:
    folded = value.strip().lower()
    for index, month in enumerate(MONTHS, start=1):
        if folded in (month.lower(), month[:3].lower(), str(index)):
            field = Field("month", month[:3].lower())
            field.enclosing = "no-enclosing"
            return field
    return Field("month", escape_tex(value))


def _entry(record: PaperRecord, key: str, list_note: str | None = None) -> Entry:
    kind = bibtex_type(record)
    fields: list[Field] = [Field("title", protect_case(escape_tex(record.title)))]
    stand_in = stands_in(record.authors, record.extra)  # written as their own role only
    names = [] if stand_in else [name_field(a) for a in record.authors if a.display]
    if record.extra.get(OTHERS_KEY) and names:
        names.append("others")
    if names:
        fields.append(Field("author", " and ".join(names)))
    if record.year is not None:
        fields.append(Field("year", str(record.year)))
    if record.venue:
        venue_key = (
            "booktitle" if kind in ("inproceedings", "incollection", "conference") else "journal"
        )
        fields.append(Field(venue_key, escape_tex(record.venue)))
    if record.doi:
        fields.append(Field("doi", escape_verbatim(record.doi)))
    if record.arxiv_id:
        fields.append(Field("eprint", escape_verbatim(record.arxiv_id)))
        fields.append(Field("archiveprefix", "arXiv"))
    for name, link in (("url", record.url), ("code", record.code_url)):
        if link:
            fields.append(Field(name, escape_verbatim(link)))
    if record.tags:
        fields.append(Field("keywords", escape_tex(", ".join(record.tags))))
    if record.abstract:
        fields.append(Field("abstract", escape_tex(record.abstract)))
    notes = [list_note.strip() if list_note else ""] + [
        n.body.strip() if not n.quote else f"> {n.quote.strip()}\n\n{n.body.strip()}"
        for n in record.notes
    ]
    if any(notes):
        fields.append(Field("annote", escape_tex("\n\n".join(n for n in notes if n))))
    taken = {field.key for field in fields} | {OTHERS_KEY, "author", "title"}
    for name, value in record.extra.items():
        name = name.strip().lower()
        if name in taken or not value or not _FIELD_NAME.fullmatch(name):
            continue
        taken.add(name)
        if name == "month":
            fields.append(_month_field(value))
        elif name in ROLES:
            fields.append(Field(name, role_field(value)))
        elif name in _VERBATIM_FIELDS:
            fields.append(Field(name, escape_verbatim(value)))
        else:
            fields.append(Field(name, escape_tex(str(value))))
    return Entry(entry_type=kind, key=key, fields=fields)


def write_bibtex(
    records: list[PaperRecord],
    used_keys: set[str] | None = None,
    list_notes: Sequence[str | None] | None = None,
) -> str:
    """BibTeX for `records` (UTF-8 text, special characters escaped, unique citation keys).

    Pass the same `used_keys` set to successive calls to keep keys unique across chunks.
    list_notes: a reading list's note on each record, written first in its `annote`."""
    keys = citation_keys(records, used_keys)
    notes = list_notes if list_notes is not None else [None] * len(records)
    library = Library(
        [_entry(record, key, note) for record, key, note in zip(records, keys, notes, strict=True)]
    )
    stack = [
        AddEnclosingMiddleware(
            reuse_previous_enclosing=False, enclose_integers=False, default_enclosing="{"
        )
    ]
    layout = BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n"
    return bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=layout)
