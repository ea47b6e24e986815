"""A deterministic synthetic corpus of research papers (seeded, no network) for the benchmarks.

`generate(n, seed)` yields BenchPaper values: ML/IR/NLP titles, 1–6 authors (some Unicode,
some TeX-accented in BibTeX), 1–2 KB abstracts with code URLs and TeX bits, years, venues,
DOIs (~60 %), arXiv ids (~30 %), keywords and notes (~5 %). `write_bibtex` writes them (plus
~1 % duplicate entries that exercise dedupe and merge); `write_plain` writes the same text as
JSON lines for the FTS5 baseline. `ensure_corpus` caches both files in a folder.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.vocabulary import (
    ADJECTIVES,
    FAMILY,
    FILLER,
    GEN_ADJ,
    GEN_NOUNS,
    GEN_VERBS,
    GIVEN,
    NOTE_TEMPLATES,
    NOUNS,
    PROPERTIES,
    SENTENCES,
    SYLLABLES,
    TAGS,
    TASKS,
    TEX_ACCENTS,
    TEX_BITS,
    VENUES,
    VERBS,
)

CORPUS_VERSION = 2  # bump when the generator changes: cached files are then regenerated


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    total, cum = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        cum.append(total)
    return cum


def _words(text: str) -> str:
    return text.replace("-", " ") if "-" in text and text not in ADJECTIVES else text


class _Picker:
    """Zipf-weighted draws from a list (common words common, a long tail of rare ones)."""

    def __init__(self, rng: random.Random, items: list[str], s: float = 0.9) -> None:
        self.rng = rng
        self.items = list(items)
        rng.shuffle(self.items)
        self.cum = _zipf_cum(len(self.items), s)
        self.total = self.cum[-1]

    def __call__(self) -> str:
        return self.items[bisect.bisect_left(self.cum, self.rng.random() * self.total)]


@dataclass
class BenchPaper:
    """One synthetic paper: the BibTeX spelling of its text and the plain one."""

    index: int
    key: str
    entry_type: str
    title: str
    authors: list[tuple[str, str]]  # (given, family), plain Unicode
    authors_tex: list[str]  # "Family, Given" as the BibTeX file spells them
    year: int
    venue: str
    abstract: str  # plain text
    abstract_tex: str  # as written in the BibTeX file
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None

    def plain(self) -> dict[str, object]:
        """The searchable text as the FTS5 baseline loads it."""
        return {
            "id": self.index + 1,
            "title": self.title,
            "authors": ", ".join(f"{g} {f}" for g, f in self.authors),
            "abstract": self.abstract,
            "tags": ", ".join(self.tags),
            "notes": self.note or "",
            "venue": self.venue,
            "year": self.year,
        }


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.adj = _Picker(rng, ADJECTIVES)
        self.noun = _Picker(rng, NOUNS)
        self.task = _Picker(rng, TASKS)
        self.verb = _Picker(rng, VERBS)
        self.prop = _Picker(rng, PROPERTIES)
        self.given = _Picker(rng, GIVEN, 0.6)
        self.family = _Picker(rng, FAMILY, 0.6)
        self.tag = _Picker(rng, TAGS, 1.1)
        names = sorted(
            {
                (a + b + c).capitalize() + suffix
                for a, b, c in itertools.product(SYLLABLES, repeat=3)
                for suffix in ("", "-2", "XL")
            }
        )
        rng.shuffle(names)
        self.name = _Picker(rng, names[:20_000], 1.05)  # model names: a long tail
        datasets = [n.upper() if len(n) <= 7 else n + "-QA" for n in names[20_000:30_000]]
        self.dataset = _Picker(rng, datasets, 1.05)
        self.titles: set[str] = set()
        self.gnoun = _Picker(rng, GEN_NOUNS, 0.7)
        self.gverb = _Picker(rng, GEN_VERBS, 0.7)
        self.gadj = _Picker(rng, GEN_ADJ, 0.7)
        self.topic_words: dict[str, list[str]] = {}

    def topic(self) -> None:
        """A paper is about a few things: its topical words come mostly from a small set."""
        self.topic_words = {
            "adj": [_words(self.adj()) for _ in range(3)],
            "noun": [_words(self.noun()) for _ in range(3)],
            "task": [_words(self.task()) for _ in range(2)],
            "Name": [self.name() for _ in range(2)],
            "dataset": [self.dataset() for _ in range(2)],
        }

    def _topical(self, kind: str, pick) -> str:
        if self.rng.random() < 0.85:
            return self.rng.choice(self.topic_words[kind])
        return _words(pick()) if kind in ("adj", "noun", "task") else pick()

    def slots(self) -> dict[str, str]:
        r = self.rng
        adj = self._topical("adj", self.adj)
        return {
            "adj": adj,
            "Adj": adj[:1].upper() + adj[1:],
            "adj2": self._topical("adj", self.adj),
            "noun": self._topical("noun", self.noun),
            "noun2": self._topical("noun", self.noun),
            "task": self._topical("task", self.task),
            "verb": self.verb(),
            "prop": _words(self.prop()),
            "Name": self._topical("Name", self.name),
            "Name2": self.name(),
            "Name3": self.name(),
            "dataset": self._topical("dataset", self.dataset),
            "dataset2": self.dataset(),
            "num": str(r.randint(2, 97)),
            "count": f"{r.randint(2, 900)},{r.randint(0, 999):03d}",
            "gnoun": self.gnoun(),
            "gnoun2": self.gnoun(),
            "gnoun3": self.gnoun(),
            "gverb": self.gverb(),
            "gverb2": self.gverb(),
            "gadj": self.gadj(),
            "gadj2": self.gadj(),
        }

    def title(self) -> str:
        s = self.slots()
        r = self.rng.random()
        t = _title_case
        if r < 0.22:
            return f"{s['Name']}: {t(s['Adj'])} {t(s['noun'])} for {t(s['task'])}"
        if r < 0.40:
            return f"{t(s['Adj'])} {t(s['noun'])} for {t(s['task'])}"
        if r < 0.50:
            return f"Towards {t(s['adj'])} {t(s['task'])}"
        if r < 0.58:
            return f"On the {t(s['prop'])} of {t(s['noun'])} in {t(s['task'])}"
        if r < 0.64:
            return f"{t(s['noun'])} Is All You Need for {t(s['task'])}"
        if r < 0.72:
            return f"Learning to {t(s['verb'])} {t(s['noun'])} with {t(s['noun2'])}"
        if r < 0.80:
            return f"Rethinking {t(s['noun'])} for {t(s['adj'])} {t(s['task'])}"
        if r < 0.85:
            return f"A Survey of {t(s['adj'])} {t(s['noun'])}"
        if r < 0.93:
            return f"{t(s['Adj'])} and {t(s['adj2'])} {t(s['noun'])} via {t(s['noun2'])}"
        return f"When Do {t(s['noun'])} Help {t(s['task'])}? An Empirical Study"

    def abstract(self, code_url: str | None) -> tuple[str, str]:
        r = self.rng
        target = r.randint(1000, 2000)
        plain: list[str] = []
        tex: list[str] = []
        size = 0
        with_tex = r.random() < 0.25
        while size < target:
            s = self.slots()
            sentence = r.choice(SENTENCES if r.random() < 0.45 else FILLER).format(**s)
            if with_tex and r.random() < 0.2:
                bit_tex, bit_plain = r.choice(TEX_BITS)
                head = sentence[:-1]
                plain.append(f"{head} {bit_plain.replace('{num}', s['num'])}.")
                tex.append(f"{head} {bit_tex.replace('{num}', s['num'])}.")
            else:
                plain.append(sentence)
                tex.append(sentence.replace("%", "\\%"))
            size += len(plain[-1]) + 1
        if code_url:
            plain.append(f"Code is available at {code_url}.")
            tex.append(f"Code is available at {code_url}.")
        return " ".join(plain), " ".join(tex)

    def note(self) -> str:
        return self.rng.choice(NOTE_TEMPLATES).format(**self.slots())

    def author(self) -> tuple[tuple[str, str], str]:
        given, family = self.given(), self.family().replace("~", " ")
        spelled_given, spelled_family = given, family
        if self.rng.random() < 0.3:  # a third of files spell accents the TeX way
            spelled_given = "".join(TEX_ACCENTS.get(c, c) for c in given)
            spelled_family = "".join(TEX_ACCENTS.get(c, c) for c in family)
        if " " in spelled_family:
            spelled_family = "{" + spelled_family + "}"
        return (given, family), f"{spelled_family}, {spelled_given}"

    def paper(self, index: int) -> BenchPaper:
        r = self.rng
        self.topic()
        authors, authors_tex = [], []
        for _ in range(r.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))):
            plain, tex = self.author()
            authors.append(plain)
            authors_tex.append(tex)
        year = min(2025, max(1995, int(r.gauss(2019, 4))))
        u = r.random()
        entry_type = "inproceedings" if u < 0.6 else "article" if u < 0.8 else "misc"
        venue = r.choice(VENUES[entry_type])
        code_url = None
        if r.random() < 0.15:
            code_url = f"https://github.com/{self.name().lower()}/{self.dataset().lower()}"
        abstract, abstract_tex = self.abstract(code_url)
        title = self.title()
        while _title_key(title) in self.titles:  # distinct papers have distinct titles
            title = f"{self.name()}: {title.split(': ', 1)[-1]}"
        self.titles.add(_title_key(title))
        doi = arxiv = url = None
        if r.random() < 0.6:
            doi = f"10.{1000 + index % 9000}/{venue.split()[0].lower()}.{year}.{index:06d}"
        if r.random() < 0.3:
            arxiv = f"{year % 100:02d}{1 + index % 12:02d}.{index:05d}v{r.randint(1, 3)}"
            url = f"https://arxiv.org/abs/{arxiv}"
        elif doi and r.random() < 0.5:
            url = f"https://doi.org/{doi}"
        tags = sorted({self.tag() for _ in range(r.choice((0, 1, 1, 2, 2, 3, 4)))})
        note = self.note() if r.random() < 0.05 else None
        family = authors[0][1].split()[-1].lower()
        ascii_family = "".join(c for c in family if c.isascii() and c.isalnum()) or "anon"
        first_word = next(
            (w.lower() for w in title.replace(":", " ").split() if len(w) > 3), "paper"
        )
        key = f"{ascii_family}{year}{''.join(c for c in first_word if c.isalnum())}{index}"
        return BenchPaper(
            index=index,
            key=key,
            entry_type=entry_type,
            title=title,
            authors=authors,
            authors_tex=authors_tex,
            year=year,
            venue=venue if entry_type != "misc" else f"arXiv preprint arXiv:{arxiv or index}",
            abstract=abstract,
            abstract_tex=abstract_tex,
            doi=doi,
            arxiv=arxiv,
            url=url,
            tags=tags,
            note=note,
        )


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def _title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "for", "in", "on", "and", "with", "via", "to"}
    words = text.split()
    return " ".join(
        w if (i and w in small) or not w[:1].islower() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


def generate(n: int, seed: int = 1) -> Iterator[BenchPaper]:
    """n distinct papers, the same ones for the same (n, seed)."""
    gen = _Generator(seed)
    for index in range(n):
        yield gen.paper(index)


# --- files ------------------------------------------------------------------------------------


def _bib_escape(text: str) -> str:
    return text.replace("%", "\\%").replace("&", "\\&").replace("#", "\\#")


def bibtex_entry(paper: BenchPaper, *, key: str | None = None, variant: int = 0) -> str:
    """One BibTeX entry; variant > 0 is a duplicate spelling of the same paper (dedupe)."""
    fields = [("title", "{" + _bib_escape(paper.title) + "}")]
    fields.append(("author", " and ".join(paper.authors_tex)))
    fields.append(("year", str(paper.year)))
    if paper.entry_type == "inproceedings":
        fields.append(("booktitle", f"Proceedings of {paper.venue}"))
    elif paper.entry_type == "article":
        fields.append(("journal", paper.venue))
    else:
        fields.append(("howpublished", paper.venue))
    doi, arxiv = paper.doi, paper.arxiv
    if variant and doi:
        doi = "https://doi.org/" + doi.upper()  # the same DOI, spelled differently
    if variant and arxiv:
        arxiv = arxiv[:-1] + str(int(arxiv[-1]) % 3 + 1)  # another version
    if doi:
        fields.append(("doi", doi))
    if arxiv:
        fields.append(("eprint", arxiv))
        fields.append(("archiveprefix", "arXiv"))
    if paper.url:
        fields.append(("url", paper.url))
    tags = list(paper.tags) + (["duplicate-seen"] if variant else [])
    if tags:
        fields.append(("keywords", ", ".join(tags)))
    fields.append(("abstract", paper.abstract_tex))
    if paper.note and not variant:
        fields.append(("annote", _bib_escape(paper.note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{paper.entry_type}{{{key or paper.key},\n{body}\n}}\n"


def write_bibtex(papers: list[BenchPaper], path: Path, seed: int = 1) -> int:
    """The papers as BibTeX, with ~1 % duplicate entries mixed in; returns the entry count."""
    rng = random.Random(seed + 7)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for paper in papers:
            out.write(bibtex_entry(paper))
            out.write("\n")
            count += 1
            if paper.index > 100 and rng.random() < 0.01:
                earlier = papers[rng.randrange(paper.index)]
                if earlier.doi or earlier.arxiv:
                    out.write(bibtex_entry(earlier, key=f"{earlier.key}dup", variant=1))
                    out.write("\n")
                    count += 1
    return count


def write_plain(papers: list[BenchPaper], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for paper in papers:
            out.write(json.dumps(paper.plain(), ensure_ascii=False))
            out.write("\n")


def iter_plain(path: Path) -> Iterator[dict[str, object]]:
    """The plain text of every paper, one dict at a time (for the baseline)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


@dataclass
class CorpusFiles:
    size: int
    seed: int
    bibtex: Path
    plain: Path
    entries: int


def ensure_corpus(folder: Path, n: int, seed: int = 1) -> CorpusFiles:
    """The BibTeX and plain files of an (n, seed) corpus in folder, generated once."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"corpus-v{CORPUS_VERSION}-{n}-s{seed}"
    bib, plain, meta = (folder / f"{stem}{ext}" for ext in (".bib", ".jsonl", ".meta.json"))
    if bib.exists() and plain.exists() and meta.exists():
        entries = json.loads(meta.read_text())["entries"]
        return CorpusFiles(n, seed, bib, plain, entries)
    papers = list(generate(n, seed))
    tmp_bib, tmp_plain = (p.with_name(p.name + ".tmp") for p in (bib, plain))
    entries = write_bibtex(papers, tmp_bib, seed)
    write_plain(papers, tmp_plain)
    tmp_bib.replace(bib)
    tmp_plain.replace(plain)
    meta.write_text(json.dumps({"entries": entries, "papers": n}))
    return CorpusFiles(n, seed, bib, plain, entries)


if __name__ == "__main__":  # a look at a few entries: python -m tests.bench.corpus [N]
    import sys

    for p in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(bibtex_entry(p))
