"""Pieces the human-readable exports share: links, author lines, facts, dates (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from storage.records import NoteRecord, PaperRecord, normalize_arxiv, normalize_doi, split_page

SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Link:
    """One link of a paper: a label ("DOI"), the text to show, and a safe URL or None."""

    label: str
    text: str
    url: str | None


def is_web_url(value: str | None) -> bool:
    """True for an absolute http(s) URL without spaces or control characters."""
    if not value:
        return False
    text = value.strip()
    return (
        text.lower().startswith(SAFE_SCHEMES)
        and len(text) > 8
        and not any(ch.isspace() or ord(ch) < 32 or ch in '<>"' for ch in text)
    )


def doi_url(doi: str) -> str:
    """https://doi.org/… with the DOI percent-encoded where a URL needs it."""
    return "https://doi.org/" + quote(normalize_doi(doi) or doi.strip(), safe="/:;()._-~,")


def arxiv_url(arxiv_id: str) -> str:
    return "https://arxiv.org/abs/" + quote(
        normalize_arxiv(arxiv_id) or arxiv_id.strip(), safe="/.-"
    )


def paper_links(record: PaperRecord) -> list[Link]:
    """DOI, arXiv, URL and code links in that order; URL/code only linked when http(s)."""
    links: list[Link] = []
    if record.doi and record.doi.strip():
        links.append(Link("DOI", record.doi.strip(), doi_url(record.doi)))
    if record.arxiv_id and record.arxiv_id.strip():
        links.append(Link("arXiv", record.arxiv_id.strip(), arxiv_url(record.arxiv_id)))
    for label, value in (("URL", record.url), ("Code", record.code_url)):
        if value and value.strip():
            text = value.strip()
            links.append(Link(label, text, text if is_web_url(text) else None))
    return links


def author_names(record: PaperRecord) -> list[str]:
    return [a.display for a in record.authors if a.display]


def one_line(text: str | None) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join((text or "").split())


def facts_line(record: PaperRecord) -> str:
    """'2020 · EMNLP' (whatever of year and venue is known)."""
    return " · ".join(
        part for part in (str(record.year or "") or None, one_line(record.venue)) if part
    )


def status_line(record: PaperRecord) -> str:
    """'read · ★★★★☆' ; empty for an unread, unrated paper."""
    parts = []
    if record.status and record.status != "unread":
        parts.append(record.status)
    if record.rating:
        parts.append("★" * record.rating + "☆" * (5 - record.rating))
    return " · ".join(parts)


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def count_text(count: int) -> str:
    return f"{count} paper{'' if count == 1 else 's'}"


def entry_notes_for(
    records: Sequence[PaperRecord], entry_notes: Sequence[str | None] | None
) -> Sequence[str | None]:
    """One reading-list note per record (None where there is none); checks the lengths match."""
    if entry_notes is None:
        return [None] * len(records)
    if len(entry_notes) != len(records):
        raise ValueError("entry_notes must have one item per record")
    return entry_notes


def is_highlight(note: NoteRecord) -> bool:
    """A note made by highlighting words of a PDF (it has a place on a page)."""
    return bool(note.rects)


def split_notes(notes: Sequence[NoteRecord]) -> tuple[list[NoteRecord], list[NoteRecord]]:
    """(notes, highlights): the notes in the order written, the highlights in reading order
    (by page, then top to bottom and left to right on the page)."""

    def place(note: NoteRecord) -> tuple[float, float, float]:
        page, _label = split_page(note.page)
        x0, _y0, _x1, y1 = note.rects[0] if note.rects else (0.0, 0.0, 0.0, 0.0)
        return (page if page is not None else float("inf"), -y1, x0)

    plain = [note for note in notes if not is_highlight(note)]
    return plain, sorted((note for note in notes if is_highlight(note)), key=place)
