"""The yardstick: SQLite FTS5 (porter unicode61, bm25, snippet()) over the same papers and queries.

It loads the plain text the corpus generator writes (no BibTeX parsing, no dedupe: that is
Papershelf's extra work), and answers the benchmark's query mix: count of matches, the best
20 by bm25 with the same field weights Papershelf uses, each with a snippet. FTS5 has no
fuzzy operator, so `word~` is expanded from a table of the distinct unstemmed words (built
while loading, as Papershelf keeps its own word list): the words within one edit that share
the first letter, ORed. It has no numeric fields either, so years join a table.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh.support.levenshtein import damerau_levenshtein

from tests.bench.corpus import iter_plain
from tests.bench.queries import BenchQuery

COLUMNS = ("title", "authors", "abstract", "tags", "notes", "venue")
# Papershelf's query-time boosts: title 3, author 1.5, tag 1.5, the rest 1.
WEIGHTS = "3.0, 1.5, 1.0, 1.5, 1.0, 1.0"
SNIPPET = "snippet(papers, 2, '<b>', '</b>', '…', 24)"
_WORD = re.compile(r"\w+")


def load(db_path: Path, plain_path: Path, batch: int = 5000) -> dict[str, float]:
    """A fresh FTS5 database of every paper in plain_path; returns timing and size."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        f"CREATE VIRTUAL TABLE papers USING fts5({', '.join(COLUMNS)}, tokenize='porter unicode61')"
    )
    conn.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, year INTEGER)")
    conn.execute("CREATE INDEX meta_year ON meta (year)")
    conn.execute("CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID")
    rows, metas, count = [], [], 0
    words: set[str] = set()
    with conn:
        for paper in iter_plain(plain_path):
            rows.append((paper["id"], *(paper[c] for c in COLUMNS)))
            words.update(
                _WORD.findall(f"{paper['title']} {paper['abstract']} {paper['notes']}".lower())
            )
            metas.append((paper["id"], paper["year"]))
            if len(rows) >= batch:
                conn.executemany(
                    "INSERT INTO papers (rowid, title, authors, abstract, tags, "
                    "notes, venue) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                conn.executemany("INSERT INTO meta VALUES (?, ?)", metas)
                count += len(rows)
                rows, metas = [], []
        if rows:
            conn.executemany(
                "INSERT INTO papers (rowid, title, authors, abstract, tags, "
                "notes, venue) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany("INSERT INTO meta VALUES (?, ?)", metas)
            count += len(rows)
        conn.executemany("INSERT INTO words VALUES (?)", ((w,) for w in sorted(words)))
        conn.execute("INSERT INTO papers (papers) VALUES ('optimize')")
    conn.close()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "papers": count, "bytes": _size(db_path)}


def _size(db_path: Path) -> int:
    return sum(
        Path(str(db_path) + s).stat().st_size
        for s in ("", "-wal")
        if Path(str(db_path) + s).exists()
    )


@dataclass
class Hit:
    id: int
    title: str
    score: float
    snippet: str


class Fts5Searcher:
    """A warm connection (and vocabulary, for fuzzy terms) answering BenchQuery values."""

    def __init__(self, db_path: Path) -> None:
        self.conn = sqlite3.connect(db_path, check_same_thread=False)
        by_first: dict[str, list[str]] = {}
        for (word,) in self.conn.execute("SELECT word FROM words"):
            by_first.setdefault(word[:1], []).append(word)
        self._words = by_first

    def close(self) -> None:
        self.conn.close()

    def expand(self, word: str) -> str:
        """An FTS5 OR of the corpus words within one edit of word (same first letter)."""
        word = word.lower()
        found = [
            w
            for w in self._words.get(word[:1], ())
            if abs(len(w) - len(word)) <= 1 and damerau_levenshtein(w, word) <= 1
        ]
        return " OR ".join(f'"{w}"' for w in found) or f'"{word}"'

    def search(self, q: BenchQuery, limit: int = 20) -> tuple[int, list[Hit]]:
        match = self.expand(q.fuzzy) if q.fuzzy else q.fts
        join, params = "", [match]
        if q.years:
            join = " JOIN meta ON meta.id = papers.rowid AND meta.year BETWEEN ? AND ?"
            params = [q.years[0], q.years[1], match]
        where = f"FROM papers{join} WHERE papers MATCH ?"
        total = self.conn.execute(f"SELECT count(*) {where}", params).fetchone()[0]
        rows = self.conn.execute(
            f"SELECT papers.rowid, title, bm25(papers, {WEIGHTS}) AS score, {SNIPPET} "
            f"{where} ORDER BY score LIMIT ?",
            [*params, limit],
        ).fetchall()
        return total, [Hit(int(r[0]), r[1], -float(r[2]), r[3]) for r in rows]
