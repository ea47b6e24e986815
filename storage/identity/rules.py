"""When an incoming record is the same work as a stored paper: DOI, arXiv id, then title."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace

from storage.formats.common import UNTITLED
from storage.formats.ids import ID_TITLE
from storage.records import (
    AuthorRecord,
    PaperRecord,
    normalize_arxiv,
    normalize_doi,
    normalize_title,
)

# Rules, strongest first; a merge records which one matched.
DOI, ARXIV, TITLE = "doi", "arxiv", "title"
PREPRINT_YEARS = 2  # a preprint and its published version may be this many years apart

_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def arxiv_from_doi(doi: str | None) -> str | None:
    """The arXiv id inside an arXiv DOI (10.48550/arXiv.2101.00001), else None."""
    found = _ARXIV_DOI.match(doi or "")
    return normalize_arxiv(found.group(1)) if found else None


def family_key(author: AuthorRecord | None) -> str | None:
    """A first author's family name (or literal name) without accents, case or punctuation."""
    if author is None:
        return None
    name = author.family or author.literal or ""
    flat = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
    return _NOT_ALNUM.sub("", flat) or None


@dataclass(frozen=True)
class WorkKey:
    """What identifies a work: DOI, arXiv id, title key, first author's family name, year."""

    doi: str | None = None
    arxiv: str | None = None
    title: str = ""
    family: str | None = None
    year: int | None = None
    untitled: bool = False  # the title is a placeholder an importer made up
    entry_key: str | None = None  # citation key, case-folded: tells untitled entries apart

    @property
    def real_doi(self) -> str | None:
        """The DOI unless it is only arXiv's own DOI for the preprint."""
        return None if self.doi is None or arxiv_from_doi(self.doi) else self.doi

    @property
    def is_preprint(self) -> bool:
        """An arXiv record with no DOI of a published version."""
        return bool(self.arxiv) and self.real_doi is None

    def fingerprint(self) -> str:
        """A stable text form, for the do-not-merge pairs a split leaves behind."""
        return json.dumps([self.doi, self.arxiv, self.title, self.family, self.year])

    def absorb(self, other: WorkKey) -> WorkKey:
        """This key after a merge filled its empty parts from other (titles are never filled)."""
        return replace(
            self,
            doi=self.doi or other.doi,
            arxiv=self.arxiv or other.arxiv,
            family=self.family or other.family,
            year=self.year or other.year,
        )


def is_placeholder(title: str | None) -> bool:
    """Whether a title is a stand-in an importer made up (`[Untitled] Smith 2019`, or the id
    of a paper pasted as an arXiv id or DOI: `arXiv:2305.12345`)."""
    if title is None:
        return False
    return title.lstrip().startswith(UNTITLED) or bool(ID_TITLE.fullmatch(title.strip()))


def work_key(record: PaperRecord) -> WorkKey:
    """The record's key (a placeholder title is marked: see same_work)."""
    doi = normalize_doi(record.doi)
    return WorkKey(
        doi=doi,
        arxiv=normalize_arxiv(record.arxiv_id) or arxiv_from_doi(doi),
        title=normalize_title(record.title),
        family=family_key(record.authors[0] if record.authors else None),
        year=record.year,
        untitled=is_placeholder(record.title),
        entry_key=record.citation_key.casefold() if record.citation_key else None,
    )


def stored_key(
    doi: str | None,
    arxiv: str | None,
    title_key: str,
    family: str | None,
    year: int | None,
    title: str | None = None,
    citation_key: str | None = None,
) -> WorkKey:
    """The key of a stored paper from its columns (family already normalised).

    Pass the paper's `title` and citation key too: a placeholder title is marked, as in
    work_key."""
    return WorkKey(
        doi,
        arxiv or arxiv_from_doi(doi),
        title_key or "",
        family,
        year,
        untitled=is_placeholder(title),
        entry_key=citation_key.casefold() if citation_key else None,
    )


def same_work(incoming: WorkKey, stored: WorkKey) -> str | None:
    """The rule by which incoming is stored's work (DOI, ARXIV or TITLE), or None."""
    if incoming.doi and incoming.doi == stored.doi:
        return DOI
    if incoming.real_doi and stored.real_doi and incoming.real_doi != stored.real_doi:
        return None  # two different DOIs are two works, whatever else agrees
    if incoming.arxiv and incoming.arxiv == stored.arxiv:
        return ARXIV
    if not incoming.title or incoming.title != stored.title:
        return None
    if incoming.untitled or stored.untitled:
        # a made-up title says little: only the same entry imported again (both untitled, the
        # same citation key where both have one) is the same work; the importer never lets
        # two untitled entries of one file meet
        if not (incoming.untitled and stored.untitled):
            return None
        if incoming.entry_key and stored.entry_key and incoming.entry_key != stored.entry_key:
            return None
    if incoming.arxiv and stored.arxiv:
        return None  # two different arXiv ids
    if incoming.family and stored.family and incoming.family != stored.family:
        return None
    if incoming.year and stored.year and incoming.year != stored.year:
        published = incoming.is_preprint != stored.is_preprint
        same_author = bool(incoming.family) and incoming.family == stored.family
        if not (published and same_author and abs(incoming.year - stored.year) <= PREPRINT_YEARS):
            return None
    return TITLE
