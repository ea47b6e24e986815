"""Annotations made in other programs become highlight notes, once.

Each keeps the identity of its annotation, so reading the file again (a re-import, a re-attach)
adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage.highlights.palette import DEFAULT_COLOR, nearest_color
from storage.highlights.rects import rects_from_json
from storage.highlights.store import HighlightError, add_highlight
from storage.models import NOTE, PAPER_FILE
from storage.pdf.annotations import FoundAnnotation

__all__ = ["AnnotationImport", "import_found", "source_key"]


@dataclass
class AnnotationImport:
    """What reading a file's annotations did: notes added, annotations already present (as
    notes), annotations left out (one line each: a sticky note without text, a bad place)."""

    note_ids: list[int] = field(default_factory=list)
    present: int = 0
    skipped: list[str] = field(default_factory=list)

    def absorb(self, other: AnnotationImport) -> None:
        self.note_ids.extend(other.note_ids)
        self.present += other.present
        self.skipped.extend(other.skipped)


def source_key(sha256: str, found: FoundAnnotation) -> str:
    """The note's identity for an annotation: the file's bytes, the page, the annotation."""
    return f"{sha256}:{found.page}:{found.key}"


def _overlaps(some: Sequence[Sequence[float]], others: Sequence[Sequence[float]]) -> bool:
    """Whether any rectangle of one list overlaps any of the other."""
    return any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for a in some for b in others
    )


def import_found(
    conn: Connection, paper_id: int, file_id: int, found: Sequence[FoundAnnotation]
) -> AnnotationImport:
    """Add a highlight note for each annotation the paper has no note of yet: the same
    annotation (by its identity), or a highlight with the same words (a sticky note: the same
    text) over the same place on the same page (a copy Papershelf wrote with its highlights,
    attached again)."""
    report = AnnotationImport()
    if not found:
        return report
    row = conn.execute(
        select(PAPER_FILE.c.sha256, PAPER_FILE.c.name).where(PAPER_FILE.c.id == file_id)
    ).one()
    keys: set[str] = set()
    places: list[tuple[int, str, Sequence[Sequence[float]]]] = []
    for key, page, quote, body, rects in conn.execute(
        select(NOTE.c.source_key, NOTE.c.page, NOTE.c.quote, NOTE.c.body, NOTE.c.rects).where(
            NOTE.c.paper_id == paper_id
        )
    ):
        if key:
            keys.add(key)
        if rects and page is not None:  # the words under it, or a sticky note's text
            places.append((page, quote or body.strip(), rects_from_json(rects)))
    for item in found:
        key = source_key(row.sha256, item)
        quote = " ".join(item.quote.split())
        said = quote or item.contents
        if key in keys or any(
            page == item.page and text == said and _overlaps(item.rects, rects)
            for page, text, rects in places
        ):
            report.present += 1
            continue
        if item.kind == "text" and not item.contents:
            report.skipped.append(f"{row.name}: page {item.page}: a sticky note without text")
            continue
        color = nearest_color(*item.color) if item.color else DEFAULT_COLOR
        try:
            note_id = add_highlight(
                conn, paper_id, file_id, item.page, item.rects, quote or None, color,
                item.contents, source_key=key,
            )  # fmt: skip
        except HighlightError as error:
            report.skipped.append(f"{row.name}: page {item.page}: {error}")
            continue
        keys.add(key)
        report.note_ids.append(note_id)
    return report
