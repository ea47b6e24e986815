"""Exporting: pick the papers, render them chunk by chunk, and replace the file only when done."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage import reading
from storage.database import LibraryError
from storage.editing import existing_ids
from storage.formats.csv_export import csv_header, csv_rows
from storage.formats.export_common import count_text
from storage.formats.html_export import html_footer, html_header, html_paper
from storage.formats.markdown_export import markdown_header, markdown_paper
from storage.models import Tag
from storage.records import ListRecord, PaperRecord

if TYPE_CHECKING:
    from storage.library import Library

__all__ = [
    "CHUNK",
    "EXPORT_FORMATS",
    "ExportCancelled",
    "ExportError",
    "ExportReport",
    "ExportSelection",
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


class ExportError(LibraryError):
    """The export could not be written (message names the path); nothing was changed there."""


class ExportCancelled(Exception):
    """The user cancelled; the destination is exactly as it was and no temporary file is left."""


@dataclass(frozen=True)
class ExportSelection:
    """Which papers to export: everything, one reading list, a tag, a query, or given ids."""

    kind: str  # "all" | "list" | "tag" | "query" | "ids"
    value: str | None = None  # the list name, tag or query
    ids: tuple[int, ...] = ()
    title: str | None = None  # a heading instead of the one the kind implies

    KINDS = ("all", "list", "tag", "query", "ids")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown selection kind {self.kind!r}")
        if self.kind in ("list", "tag", "query") and not (self.value and self.value.strip()):
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

    def summary(self) -> str:
        return f"exported {count_text(self.papers)} to {self.path} ({self.format})"


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


# --- choosing the papers ---------------------------------------------------------------------


def _plan(library: Library, conn: Connection, selection: ExportSelection, fmt: str) -> _Plan:
    from storage.library import NotFound

    oldest_first = {"sort": "added", "descending": False}
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
        tag = conn.execute(select(Tag.__table__.c.name).where(Tag.__table__.c.name == value))
        name = tag.scalar()
        if name is None:
            raise NotFound(f"no tag named {value!r}")
        plan = _Plan(reading.filtered_ids(conn, tag=name, **oldest_first), f"Papers tagged {name}")
    elif kind == "query":
        found = library.paper_ids(query=value, sort="relevance")  # search.QueryError when bad
        plan = _Plan(existing_ids(conn, found), f"Papers matching {value}")
    elif kind == "ids":
        wanted = list(dict.fromkeys(selection.ids))
        present = existing_ids(conn, wanted)
        plan = _Plan(present, "Selected papers", missing=len(wanted) - len(present))
    else:
        plan = _Plan(reading.filtered_ids(conn, **oldest_first), "All papers")
    if selection.title:
        plan.title = selection.title
    if fmt == "json":  # the backup format carries reading lists; see docs/export.md
        if kind == "all":
            plan.lists = reading.list_records(conn, plan.ids, keep_empty=True)
        elif kind == "list":
            plan.lists = reading.list_records(
                conn, plan.ids, [plan.list_name or ""], keep_empty=True
            )
        else:
            plan.lists = reading.list_records(conn, plan.ids)
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

    def begin(self) -> str:
        plan, total = self.plan, len(self.plan.ids)
        if self.fmt == "markdown":
            return markdown_header(plan.title, plan.description, total)
        if self.fmt == "html":
            return html_header(plan.title, plan.description, total)
        if self.fmt == "csv":
            return csv_header()
        if self.fmt == "csl-json":
            return "[\n" if total else "[]\n"
        if self.fmt == "json":
            from storage.formats.papershelf_json import write_papershelf_json

            empty = write_papershelf_json([], plan.lists)
            if not total:
                return empty
            document = json.loads(empty)
            document["papers"] = [_SLOT]  # header, lists and layout exactly as the writer has them
            head, _, tail = _dumps(document).partition(json.dumps(_SLOT))
            self.tail = tail + "\n"
            return head.rstrip(" ")
        return ""

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
            return csv_rows(records)
        if self.fmt == "bibtex":
            from storage.formats.bibtex import write_bibtex

            return _separated(write_bibtex(records), first=start == 0)
        if self.fmt == "ris":
            from storage.formats.ris import write_ris

            return _separated(write_ris(records), first=start == 0)
        if self.fmt == "csl-json":
            from storage.formats.csl_json import write_csl_json

            text = write_csl_json(records).strip()  # "[ item, item ]" as the writer lays it out
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


# --- writing safely ------------------------------------------------------------------------------


def check_destination(path: Path | str) -> Path:
    """The absolute file to write (a symlink's target), or ExportError saying why it cannot be."""
    target = Path(os.path.abspath(Path(path).expanduser()))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; export to a file name inside it")
    folder = target.parent
    if not folder.exists():
        raise ExportError(f"{target}: cannot write there, the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"{target}: cannot write there, {folder} is not a folder")
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError(f"{target}: the file is read-only; nothing was written")
    return target


class _AtomicFile:
    """A temporary file beside the target that replaces it only on a clean, complete exit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.temp: Path | None = None
        self.file: BinaryIO | None = None

    def __enter__(self) -> _AtomicFile:
        stem = self.target.name[:180]
        for _ in range(100):
            temp = self.target.with_name(f".{stem}.{secrets.token_hex(4)}.part")
            try:  # O_EXCL: never clobber anything; mode 0o666 lets the umask decide, as for cp
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                fd = os.open(temp, flags, 0o666)
            except FileExistsError:
                continue
            except OSError as error:
                raise _write_error(self.target, error) from None
            self.temp, self.file = temp, os.fdopen(fd, "wb")
            return self
        raise ExportError(f"{self.target}: could not create a temporary file beside it")

    def write(self, data: bytes) -> None:
        assert self.file is not None
        self.file.write(data)

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, _tb: object) -> None:
        assert self.file is not None and self.temp is not None
        try:
            if exc_type is None:
                self._commit()
                return
        except OSError as error:
            self._discard()
            raise _write_error(self.target, error) from None
        self._discard()
        if isinstance(exc, OSError):
            raise _write_error(self.target, exc) from None

    def _commit(self) -> None:
        assert self.file is not None and self.temp is not None
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        with contextlib.suppress(FileNotFoundError):  # an existing file keeps its permissions
            os.chmod(self.temp, stat.S_IMODE(os.stat(self.target).st_mode))
        os.replace(self.temp, self.target)
        self.temp = None
        _sync_folder(self.target.parent)

    def _discard(self) -> None:
        if self.file is not None and not self.file.closed:
            with contextlib.suppress(OSError):
                self.file.close()
        if self.temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temp)
            self.temp = None


def _write_error(target: Path, error: OSError) -> ExportError:
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        reason = "permission denied"
    return ExportError(f"{target}: could not be written ({reason}); nothing was changed there")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    target = check_destination(path)
    with _snapshot(library) as conn:
        plan = _plan(library, conn, selection, fmt)
        total = len(plan.ids)
        renderer = _Renderer(fmt, plan)
        with _AtomicFile(target) as out:
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
    return ExportReport(target, fmt, total, len(plan.lists), plan.missing)
