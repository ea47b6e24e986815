"""Exporting: pick the papers, render them chunk by chunk, and replace the file only when done.

Order: a reading list in list order (with its entry notes, name and description); a query in
relevance order, best first (as `search`; a smart list likewise, within its scope); everything
else oldest first (added time, then id); explicit ids in the order given (duplicates and papers
deleted meanwhile left out).

The `json` backup also carries which papers wait in the Inbox and the suggestions turned down
(for the exported papers), and, for `all`, the smart lists.

Reading lists in the `json` backup: `all` carries every list, empty ones too, and every tag
that no paper carries; `list` carries that list only; `tag`, `query` and `ids` carry each list
that holds an exported paper, cut down to the exported papers (in list order, with their
entry notes), so importing the file puts those papers back where they were without inventing
list members that were not exported.

CSV is written as UTF-8 with a BOM (Excel needs it to read UTF-8; LibreOffice and Python's
`utf-8-sig` accept it), CRLF line ends and RFC 4180 quoting.

Everything is read inside one SQLite read transaction, so an export is a consistent snapshot
even while the window keeps editing; the file is written beside the destination, fsynced and
renamed over it only when complete. A device or pipe (`/dev/null`, a FIFO, `-` for standard
output) is written straight through instead, and a symlink keeps its link while the file it
points to is replaced (storage.atomic_write.resolve_destination).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage import reading
from storage.atomic_write import WriteError, check_destination, resolve_destination
from storage.database import LibraryError
from storage.editing import existing_ids
from storage.formats.csv_export import csv_header, csv_rows
from storage.formats.export_common import count_text
from storage.formats.html_export import html_footer, html_header, html_paper
from storage.formats.markdown_export import markdown_header, markdown_paper
from storage.models import TAG
from storage.records import ListRecord, PaperRecord, RoutineRecord
from storage.triage.backup import routine_record

if TYPE_CHECKING:
    from storage.library import Library

__all__ = [
    "CHUNK",
    "EXPORT_FORMATS",
    "ExportCancelled",
    "ExportError",
    "ExportReport",
    "ExportSelection",
    "check_destination",
    "export",
]

CHUNK = 2000  # papers read (and rendered) per step; progress and cancel are checked between
EXPORT_FORMATS = ("markdown", "html", "bibtex", "ris", "csl-json", "csv", "json")
SUFFIXES = {
    "markdown": ".md",
    "html": ".html",
    "bibtex": ".bib",
    "ris": ".ris",
    "csl-json": ".json",
    "csv": ".csv",
    "json": ".json",
}
UTF8_BOM = b"\xef\xbb\xbf"
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ExportError(WriteError):
    """The export could not be written (message names the path); nothing was changed there."""


class ExportCancelled(Exception):
    """The user cancelled; the destination is exactly as it was and no temporary file is left."""


@dataclass(frozen=True)
class ExportSelection:
    """Which papers to export: everything, one reading list, a tag, a query, or given ids."""

    kind: str  # "all" | "list" | "tag" | "query" | "smart" | "ids"
    value: str | None = None  # the list name, tag, query or smart list name
    ids: tuple[int, ...] = ()
    title: str | None = None  # a heading instead of the one the kind implies

    KINDS = ("all", "list", "tag", "query", "smart", "ids")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown selection kind {self.kind!r}")
        if self.kind in ("list", "tag", "query", "smart") and not (
            self.value and self.value.strip()
        ):
            raise ValueError(f"a {self.kind} selection needs a non-empty value")

    @classmethod
    def everything(cls) -> ExportSelection:
        return cls("all")

    @classmethod
    def reading_list(cls, name: str) -> ExportSelection:
        return cls("list", name)

    @classmethod
    def tagged(cls, tag: str) -> ExportSelection:
        return cls("tag", tag)

    @classmethod
    def matching(cls, query: str) -> ExportSelection:
        return cls("query", query)

    @classmethod
    def smart(cls, name: str) -> ExportSelection:
        """A smart list's papers, best match first (as `smart show`)."""
        return cls("smart", name)

    @classmethod
    def papers(cls, ids: Sequence[int], title: str | None = None) -> ExportSelection:
        return cls("ids", ids=tuple(ids), title=title)


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    format: str
    papers: int
    lists: int = 0  # reading lists written (the json format only)
    missing: int = 0  # explicitly chosen ids that were no longer in the library
    shown: str | None = None  # the destination for messages (a link, standard output)
    streamed: bool = False  # written straight into a device, pipe or standard output

    def summary(self) -> str:
        where = self.shown or str(self.path)
        return f"exported {count_text(self.papers)} to {where} ({self.format})"


@dataclass
class _Plan:
    """The resolved selection, read inside one snapshot."""

    ids: list[int]
    title: str
    description: str | None = None
    entry_notes: list[str | None] | None = None  # only for a reading list
    lists: list[ListRecord] = field(default_factory=list)
    missing: int = 0
    list_name: str | None = None
    bare_tags: list[str] = field(default_factory=list)  # json of everything: tags with no paper
    routine: RoutineRecord | None = None  # json: Inbox places, rejections, smart lists


# --- choosing the papers ---------------------------------------------------------------------


def _plan(library: Library, conn: Connection, selection: ExportSelection, fmt: str) -> _Plan:
    from storage.library import NotFound

    kind, value = selection.kind, (selection.value or "").strip()
    if kind == "list":
        detail = reading.list_detail(conn, value)
        if detail is None:
            raise NotFound(f"no reading list named {value!r}")
        plan = _Plan(
            ids=[entry.paper_id for entry in detail.entries],
            title=detail.name,
            description=detail.description,
            entry_notes=[entry.note for entry in detail.entries],
            list_name=detail.name,
        )
    elif kind == "tag":
        tag = conn.execute(select(TAG.c.name).where(TAG.c.name == value))
        name = tag.scalar()
        if name is None:
            raise NotFound(f"no tag named {value!r}")
        ids = reading.filtered_ids(conn, tag=name, sort="added", descending=False)
        plan = _Plan(ids, f"Papers tagged {name}")
    elif kind == "query":
        found = library.paper_ids(query=value, sort="relevance")  # search.QueryError when bad
        plan = _Plan(existing_ids(conn, found), f"Papers matching {value}")
    elif kind == "smart":
        saved = library.smart_list(value)  # NotFound when there is none
        found = library.smart_ids(saved.name)  # search.QueryError when it cannot be read
        plan = _Plan(
            existing_ids(conn, found), saved.name, description=f"Papers matching {saved.query}"
        )
    elif kind == "ids":
        wanted = list(dict.fromkeys(selection.ids))
        present = existing_ids(conn, wanted)
        plan = _Plan(present, "Selected papers", missing=len(wanted) - len(present))
    else:
        plan = _Plan(reading.filtered_ids(conn, sort="added", descending=False), "All papers")
    if selection.title:
        plan.title = selection.title
    if fmt == "json":  # the backup carries reading lists (see the top)
        if kind == "all":
            plan.lists = reading.list_records(conn, plan.ids, keep_empty=True)
            plan.bare_tags = [tag.name for tag in reading.tag_counts(conn) if tag.count == 0]
        elif kind == "list":
            plan.lists = reading.list_records(
                conn, plan.ids, [plan.list_name or ""], keep_empty=True
            )
        else:
            plan.lists = reading.list_records(conn, plan.ids)
        plan.routine = routine_record(conn, plan.ids, everything=kind == "all")
    return plan


# --- rendering ---------------------------------------------------------------------------------


class _Renderer:
    """begin() + add(chunk) for every chunk + end(): the text of one export, piece by piece.

    Every format streams: memory holds one chunk, not the export. The JSON formats are built
    from their own writers' output for each chunk, spliced into one array (CSL-JSON) or into
    one document whose header and lists come from the writer too (Papershelf JSON)."""

    def __init__(self, fmt: str, plan: _Plan) -> None:
        self.fmt, self.plan, self.done = fmt, plan, 0
        self.tail = ""
        self.used_keys: set[str] = set()  # citation keys stay unique across chunks

    def begin(self) -> str:
        plan, total = self.plan, len(self.plan.ids)
        if self.fmt == "markdown":
            return markdown_header(plan.title, plan.description, total)
        if self.fmt == "html":
            return html_header(plan.title, plan.description, total)
        if self.fmt == "csv":
            return csv_header(list_columns=self.plan.entry_notes is not None)
        if self.fmt == "csl-json":
            return "[\n" if total else "[]\n"
        if self.fmt == "json":
            from storage.formats.papershelf_json import write_papershelf_json

            empty = write_papershelf_json([], plan.lists, plan.bare_tags, plan.routine)
            if not total:
                return empty
            document = json.loads(empty)
            document["papers"] = [_SLOT]  # header, lists and layout exactly as the writer has them
            head, _, tail = _dumps(document).partition(json.dumps(_SLOT))
            self.tail = tail + "\n"
            return head.rstrip(" ")
        return ""

    def _named(self, notes: Sequence[str | None]) -> list[str | None]:
        """Each list note as "LIST: note" (a note field does not say which list it is from)."""
        name = self.plan.list_name or self.plan.title
        return [f"{name}: {n.strip()}" if n and n.strip() else None for n in notes]

    def add(self, records: list[PaperRecord]) -> str:
        start, self.done = self.done, self.done + len(records)
        notes = self.plan.entry_notes
        chunk_notes = notes[start : self.done] if notes is not None else [None] * len(records)
        numbered = zip(range(start + 1, self.done + 1), records, chunk_notes, strict=True)
        joint = "" if start == 0 else ",\n"
        if self.fmt == "markdown":
            return "".join("\n" + markdown_paper(r, n, note) for n, r, note in numbered)
        if self.fmt == "html":
            return "".join(html_paper(r, n, note) for n, r, note in numbered)
        if self.fmt == "csv":
            if notes is None:
                return csv_rows(records)
            positions = range(start + 1, self.done + 1)
            return csv_rows(records, list(zip(positions, chunk_notes, strict=True)))
        if self.fmt == "bibtex":
            from storage.formats.bibtex import write_bibtex

            named = self._named(chunk_notes)
            return _separated(write_bibtex(records, self.used_keys, named), first=start == 0)
        if self.fmt == "ris":
            from storage.formats.ris import write_ris

            return _separated(write_ris(records, self._named(chunk_notes)), first=start == 0)
        if self.fmt == "csl-json":
            from storage.formats.csl_json import write_csl_json

            text = write_csl_json(
                records, self._named(chunk_notes)
            ).strip()  # "[ item, item ]" as the writer lays it out
            inner = text.removeprefix("[").removesuffix("]").strip("\n")
            return joint + inner if inner.strip() else ""
        from storage.formats.papershelf_json import write_papershelf_json

        papers = json.loads(write_papershelf_json(records, []))["papers"]
        return joint + ",\n".join(_indented(_dumps(paper), "  ") for paper in papers)

    def end(self) -> str:
        if self.fmt == "html":
            return html_footer()
        if self.fmt == "csl-json" and self.plan.ids:
            return "\n]\n"
        if self.fmt == "json":
            return self.tail
        return ""


_SLOT = "\u0000papers go here\u0000"  # cannot occur in the writer's own output


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _separated(text: str, *, first: bool) -> str:
    """Entries of a later chunk start after a blank line, like the entries within a chunk."""
    if not text.strip():
        return ""
    return text if first else "\n" + text.lstrip("\n")


@contextlib.contextmanager
def _snapshot(library: Library) -> Iterator[Connection]:
    """One connection in one read transaction: every read sees the same library, even while
    the window keeps editing (SQLite WAL lets writers go on meanwhile)."""
    with library.engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")  # pysqlite would not start a transaction for reads
        try:
            yield conn
        finally:
            conn.rollback()


# --- the use case --------------------------------------------------------------------------------


def export(
    library: Library,
    *,
    selection: ExportSelection,
    fmt: str,
    path: Path | str,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportReport:
    """Write the selected papers to path in fmt. Raises NotFound (list or tag), QueryError,
    ExportError (path) or ExportCancelled; on any of them the file at path is untouched."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    destination = resolve_destination(path, ExportError)
    target = destination.path
    with _snapshot(library) as conn:
        plan = _plan(library, conn, selection, fmt)
        total = len(plan.ids)
        renderer = _Renderer(fmt, plan)
        with destination.open(ExportError) as out:
            if fmt == "csv":  # Excel reads UTF-8 only with a BOM; LibreOffice accepts it too
                out.write(UTF8_BOM)
            out.write(renderer.begin().encode("utf-8"))
            for start in range(0, total, CHUNK):
                if cancel is not None and cancel():
                    raise ExportCancelled(str(target))
                part = plan.ids[start : start + CHUNK]
                records = reading.paper_records(conn, part)
                if len(records) != len(part):  # cannot happen inside one snapshot
                    raise LibraryError(f"{target}: papers vanished while exporting; try again")
                out.write(renderer.add(records).encode("utf-8"))
                if progress is not None:
                    progress(start + len(records), total)
            if cancel is not None and cancel():
                raise ExportCancelled(str(target))
            out.write(renderer.end().encode("utf-8"))
    if progress is not None and total == 0:
        progress(0, 0)
    return ExportReport(
        target,
        fmt,
        total,
        len(plan.lists),
        plan.missing,
        shown=destination.describe(),
        streamed=not destination.atomic,
    )
