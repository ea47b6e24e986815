"""Highlights and the PDF files themselves.

The words of a page found and their rectangles, annotations made in other programs read, and a
copy written with the highlights in it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from storage.atomic_write import WriteError, resolve_destination
from storage.highlights.annotated import AnnotateError, Mark, annotated_pdf
from storage.highlights.isolated import IsolatedError, run_isolated
from storage.highlights.store import HighlightError
from storage.pdf import FAILED, PdfText, PdfWorker
from storage.pdfpages import PagesError, read_page_text
from storage.pdfpages.matching import find_spans, fold
from storage.views import FileView, NoteView, Rect

__all__ = [
    "AnnotatedPdf",
    "Located",
    "choose_file",
    "locate",
    "pages_with",
    "read_annotations",
    "write_annotated",
]


@dataclass(frozen=True)
class Located:
    """Words found on a page: their rectangles (one per line) and the text as the page has it;
    `matches` counts where else on the page they are (the first one is taken)."""

    file_id: int
    page: int
    rects: tuple[Rect, ...]
    quote: str
    matches: int = 1


@dataclass(frozen=True)
class AnnotatedPdf:
    """What an annotated copy holds and where it went (`shown` for messages)."""

    path: Path
    count: int
    shown: str

    def summary(self) -> str:
        plural = "" if self.count == 1 else "s"
        return f"wrote {self.shown} with {self.count} highlight{plural}"


def choose_file(paper_id: int, files: Sequence[FileView], file_id: int | None) -> FileView:
    """The file a highlight command means: the one named, else the paper's only PDF."""
    if file_id is not None:
        for view in files:
            if view.id == file_id:
                return view
        raise HighlightError(f"paper {paper_id} has no file with id {file_id}")
    if not files:
        raise HighlightError(
            f"paper {paper_id} has no PDF attached (attach one: papershelf attach {paper_id} FILE)"
        )
    if len(files) > 1:
        ids = ", ".join(str(view.id) for view in files)
        raise HighlightError(
            f"paper {paper_id} has {len(files)} files (ids {ids}); choose one with --file ID"
        )
    return files[0]


def _readable(view: FileView) -> None:
    if view.text == FAILED:
        raise HighlightError(f"{view.name}: cannot be read ({view.reason or 'failed'})")
    if not view.path.is_file():
        raise HighlightError(f"{view.name}: its stored copy {view.path} is missing")


def locate(view: FileView, page: int, words: str) -> Located:
    """The first place on page (from 1) of the file where the words are, any case, spacing,
    line break or line-end hyphen between them; HighlightError saying why not."""
    if not words.strip():
        raise HighlightError("give the words to highlight (--text)")
    if view.pages and not 1 <= page <= view.pages:
        raise HighlightError(f"{view.name} has {view.pages} pages, not {page}")
    _readable(view)
    try:
        text = read_page_text(view.path, page - 1, view.name)
    except PagesError as error:
        raise HighlightError(error.message) from None
    found = text.find(words)
    spans = [span for span in found if _whole_words(text.text, span.start, span.end)]
    if not spans:
        shown = " ".join(words.split())
        shown = shown if len(shown) <= 80 else shown[:77] + "…"
        where = f"page {page} of {view.name}"
        if found:  # only inside longer words: "burrow" in "burrows"
            part = text.text_of(_grown(text.text, found[0].start, found[0].end))
            raise HighlightError(f'the words "{shown}" are on {where} only as part of "{part}"')
        raise HighlightError(f'the words "{shown}" are not on {where}')
    rects = tuple(rect.as_tuple() for rect in text.rects(spans[0]))
    return Located(view.id, page, rects, text.text_of(spans[0]), len(spans))


def _whole_words(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins and ends at word boundaries (a command's exact words
    are whole words: "burrow" is not half of "burrows")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (
        after.isalnum() and text[end - 1].isalnum()
    )


def _grown(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to the whole words around it."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def pages_with(pages: Sequence[tuple[int, str]], words: str, limit: int = 3) -> list[int]:
    """The first pages (from the stored page texts) where the words are, for a hint."""
    found = []
    for number, text in pages:
        folded, origin = fold(text)
        if find_spans(folded, origin, words):
            found.append(number)
            if len(found) >= limit:
                break
    return found


def read_annotations(views: Sequence[FileView]) -> list[tuple[FileView, PdfText | str]]:
    """Each file read again in the extraction's worker process (time limit, memory cap): its
    text with the annotations in it, or a line saying why it could not be read."""
    results: list[tuple[FileView, PdfText | str]] = []
    with PdfWorker() as worker:
        for view in views:
            if not view.path.is_file():
                results.append((view, f"{view.name}: its stored copy {view.path} is missing"))
                continue
            text, _identity = worker.read(view.path, name=view.name)
            results.append((view, text.reason or f"{view.name}: failed")
                           if text.status == FAILED else (view, text))  # fmt: skip
    return results


def marks(view: FileView, highlights: Sequence[NoteView]) -> list[Mark]:
    """The file's highlights as marks to write; one imported from this very file keeps the
    key of its annotation there, so that the copy updates that one instead of adding one."""
    prefix_of = f"{view.sha256}:"
    out = []
    for note in highlights:
        origin = None
        if note.source_key and note.source_key.startswith(prefix_of):
            origin = note.source_key.split(":", 2)[2]
        out.append(
            Mark(note.id, note.page or 1, note.rects, note.color, note.body,
                 note.created_at, note.updated_at, origin)
        )  # fmt: skip
    return out


def write_annotated(
    view: FileView, highlights: Sequence[NoteView], path: Path | str, library_folder: Path
) -> AnnotatedPdf:
    """A copy of the stored file with its highlights as PDF annotations, written to path
    atomically (or into a pipe or device; see storage.atomic_write). The stored copy and
    anything else in the library folder is refused as a destination."""
    destination = resolve_destination(path, WriteError)
    real = Path(os.path.realpath(destination.path))
    inside = Path(os.path.realpath(library_folder))
    if destination.kind == "file" and (real == inside or inside in real.parents):
        raise WriteError(f"{real}: is inside the library folder; write the copy elsewhere")
    _readable(view)
    try:
        data = run_isolated(annotated_pdf, str(view.path), marks(view, highlights), view.name)
    except (IsolatedError, AnnotateError) as error:
        detail = str(error) if view.name in str(error) else f"{view.name}: {error}"
        raise HighlightError(f"{detail}; no annotated copy was written") from None
    with destination.open(WriteError) as out:
        out.write(data)
    return AnnotatedPdf(destination.path, len(highlights), destination.describe())
