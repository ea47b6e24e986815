"""The stored papers' work keys in memory, for one import: candidates by DOI, arXiv id, title."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from storage.identity.rules import TITLE, WorkKey, family_key, same_work, stored_key
from storage.models import AUTHOR, MERGE_BLOCK, PAPER
from storage.records import AuthorRecord


@dataclass
class IdentityIndex:
    """Several candidates per key (papers may share a title); the first that agrees wins."""

    by_doi: dict[str, list[int]] = field(default_factory=dict)
    by_arxiv: dict[str, list[int]] = field(default_factory=dict)
    by_title: dict[str, list[int]] = field(default_factory=dict)
    works: dict[int, WorkKey] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)  # citation keys in use, case-folded
    blocked: set[tuple[int, str]] = field(default_factory=set)  # (paper, record fingerprint)

    @classmethod
    def load(cls, conn: Connection) -> IdentityIndex:
        index = cls()
        first = AUTHOR.alias("first_author")
        rows = conn.execute(
            select(
                PAPER.c.id,
                PAPER.c.doi,
                PAPER.c.arxiv_id,
                PAPER.c.title_key,
                PAPER.c.title,
                PAPER.c.year,
                PAPER.c.citation_key,
                first.c.family,
                first.c.literal,
            )
            .select_from(PAPER)
            .outerjoin(first, and_(first.c.paper_id == PAPER.c.id, first.c.position == 0))
            .order_by(PAPER.c.id)
        )
        for pid, doi, arxiv, title_key, title, year, key, family, literal in rows:
            author = AuthorRecord(family=family, literal=literal)
            work = stored_key(doi, arxiv, title_key, family_key(author), year, title, key)
            index.remember(pid, work, key)
        index.blocked = {
            (int(pid), fp)
            for pid, fp in conn.execute(select(MERGE_BLOCK.c.paper_id, MERGE_BLOCK.c.fingerprint))
        }
        return index

    def remember(self, pid: int, work: WorkKey, citation_key: str | None = None) -> None:
        """Add a paper (or update one a merge has filled) under each of its keys."""
        self.works[pid] = work
        for table, value in (
            (self.by_doi, work.doi),
            (self.by_arxiv, work.arxiv),
            (self.by_title, work.title),
        ):
            if value:
                found = table.setdefault(value, [])
                if pid not in found:
                    found.append(pid)
        if citation_key:
            self.keys.add(citation_key.casefold())

    def absorb(self, pid: int, incoming: WorkKey) -> None:
        """A record merged into pid: later records also find the paper by what it filled."""
        self.remember(pid, self.works.get(pid, WorkKey()).absorb(incoming))

    def find(
        self,
        work: WorkKey,
        skip: AbstractSet[int] = frozenset(),
        not_by_title: AbstractSet[int] = frozenset(),
    ) -> tuple[int, str] | None:
        """(paper id, rule) of the first stored paper that is this work, or None; papers in
        skip are never found, those in not_by_title only by DOI or arXiv id."""
        fingerprint = work.fingerprint() if self.blocked else ""
        seen: set[int] = set()
        for table, value in (
            (self.by_doi, work.doi),
            (self.by_arxiv, work.arxiv),
            (self.by_title, work.title),
        ):
            for pid in table.get(value, ()) if value else ():
                if pid in seen or pid in skip:
                    continue
                seen.add(pid)
                if fingerprint and (pid, fingerprint) in self.blocked:
                    continue
                rule = same_work(work, self.works[pid])
                if rule == TITLE and pid in not_by_title:
                    continue
                if rule is not None:
                    return pid, rule
        return None
