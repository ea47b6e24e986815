"""The Whoosh schema of the paper index: fields, analyzers, and IndexDoc -> indexable fields."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from whoosh import columns, fields, formats
from whoosh.analysis import (
    STOP_WORDS,
    CharsetFilter,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    SpaceSeparatedTokenizer,
)
from whoosh.support.charset import accent_map

from storage.search.analysis import Posting, TextAnalyzer

# Bump whenever the schema or an analyzer changes: an index of another version is
# recreated empty and SearchIndex.needs_rebuild tells the Library to feed it again.
# 2: the per-paper content fingerprint column; 3: PDF text; 4: the fused TextAnalyzer and
# the PDF text's words apart from the others (TEXT_WORDS); 5: PageTextField; 6: the year as
# one term a paper (no numeric trie), the word lists through WordSetField (issue 15).
SCHEMA_VERSION = 6
INDEX_NAME = f"papers_v{SCHEMA_VERSION}"

# One tokenizer pattern everywhere, so that the unstemmed word list (WORDS) holds exactly
# the words the stemmed fields were built from ("qwen2.5" stays one word, like "u.s.a").
WORD_PATTERN = r"\w+(?:\.?\w+)*"
_WORD_RE = re.compile(WORD_PATTERN)

# Fields whose analyzer stems: fuzzy, prefix and wildcard terms on them are expanded
# against the unstemmed WORDS field instead of against their own (stemmed) lexicon.
STEMMED_FIELDS = ("title", "abstract", "note", "text")
# Searched when a word names no field; title counts most (query-time boost, see query.py).
# The PDF text (`text`) is searched too but weighs least: BM25 caps a term's score in a field
# near (k1 + 1) = 2.2 times its idf, and one match in an abstract of average length scores
# about 1 idf, so at 0.3 a page full of the word stays below one mention in the abstract.
DEFAULT_FIELDS = ("title", "author", "abstract", "tag", "note", "venue", "text")
FIELD_BOOSTS = {"title": 3.0, "author": 1.5, "tag": 1.5, "text": 0.3}
# Between two pages of a paper's text in its `text` field (the snippet code finds the page).
PAGE_BREAK = "\n\f\n"
# Field holding every distinct unstemmed word of a paper's metadata and notes (for fuzzy/prefix
# and suggestions); the words of its PDF text are in their own field, TEXT_WORDS, so that an
# unfielded `word~` walks a lexicon as small as without PDFs (`text:word~` walks TEXT_WORDS).
WORDS = "words"
TEXT_WORDS = "textwords"
# Column holding a hash of everything indexed for a paper: `check` compares it with the
# same hash computed from the database, so a stale or garbled entry cannot pass unseen.
FINGERPRINT = "fp"


def _text_analyzer():
    """Words, lowercased, accents folded, English stop words dropped, Porter-stemmed."""
    return TextAnalyzer(WORD_PATTERN, cachesize=100_000)


class PageTextField(fields.TEXT):
    """fields.TEXT for the PDF text: the same terms, positions and lengths, computed in one
    loop (TextAnalyzer.postings) rather than through Whoosh's token chain. A value that
    doc_fields() already analysed (an AnalyzedText) is not analysed again."""

    def index(self, value, **kwargs):
        if isinstance(value, AnalyzedText) and not kwargs:
            return iter(value.postings)
        if self._fast(kwargs):
            return iter(self.analyzer.postings(value)[0])
        return super().index(value, **kwargs)

    def _fast(self, kwargs: dict) -> bool:
        fmt = self.format
        return (
            not kwargs
            and isinstance(self.analyzer, TextAnalyzer)
            and self.analyzer.fusable()
            and type(fmt) is formats.Positions
            and fmt.field_boost == 1.0
        )


class WordSetField(fields.FieldType):
    """The distinct words of a paper, given as doc_fields() makes them (normalised, distinct,
    space-separated): one posting each, without frequencies or positions (formats.Existence).
    Indexed in one step rather than through Whoosh's tokenizer and format, which cost ~10 % of
    an import's index time for ~half of its postings; queries analyse as before."""

    def __init__(self) -> None:
        super().__init__(
            format=formats.Existence(), analyzer=SpaceSeparatedTokenizer(), scorable=True
        )

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str) or self.format.field_boost != 1.0:
            return super().index(value, **kwargs)
        # As Existence.word_values: each distinct token once, frequency 1, weight 1.0.
        return [(word.encode("utf-8"), 1, 1.0, b"") for word in dict.fromkeys(value.split())]


class AnalyzedText(str):
    """A field value with its postings (TextAnalyzer.postings) already worked out."""

    postings: list[Posting]

    def __new__(cls, value: str, postings: list[Posting]) -> AnalyzedText:
        made = super().__new__(cls, value)
        made.postings = postings
        return made

    def __reduce__(self):  # pickled (job files of worker processes) as the plain text
        return (str, (str(self),))


def _name_analyzer():
    """Words, lowercased, accents folded; nothing dropped (names such as 'An' or 'Le')."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def _keyword_analyzer():
    """The whole value as one lowercase token (status, DOI, arXiv id)."""
    return IDTokenizer() | LowercaseFilter()


def build_schema() -> fields.Schema:
    """The schema: only the paper id and its fingerprint are kept; the rest is indexed only."""
    text = _text_analyzer()
    names = _name_analyzer()
    return fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        title=fields.TEXT(analyzer=text, phrase=True),
        author=fields.TEXT(analyzer=names, phrase=True),
        abstract=fields.TEXT(analyzer=text, phrase=True),
        tag=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        note=fields.TEXT(analyzer=text, phrase=True),
        # Every page of the paper's PDFs, one document per paper (see DESIGN/README: the
        # per-page layout measured slower to build and bigger for no faster search).
        text=PageTextField(analyzer=text, phrase=True),
        venue=fields.TEXT(analyzer=names, phrase=True),
        # One term a year (shift_step=0, no numeric trie): a year range spans a few dozen
        # terms at most, and the trie's 8 terms a paper cost ~12 % of the index time.
        year=fields.NUMERIC(int, bits=32, signed=True, shift_step=0),
        status=fields.ID(analyzer=_keyword_analyzer()),
        doi=fields.ID(analyzer=_keyword_analyzer()),
        arxiv=fields.ID(analyzer=_keyword_analyzer()),
        # Each distinct word once per paper, space-separated and already normalised by
        # spelling_words(): a lexicon with postings (so deleted papers' words fade away on
        # merge) but no frequencies or positions. Never scored, but marked scorable: Whoosh
        # then writes a length column, and without one its posting writer stat()s the
        # missing column file for every single posting (3x slower commits).
        words=WordSetField(),
        textwords=WordSetField(),
        fp=fields.COLUMN(columns.VarBytesColumn()),
    )


def same_schema(a: fields.Schema, b: fields.Schema) -> bool:
    """Whether two schemas index alike (Whoosh's own == trips over column and struct objects)."""
    if a.names() != b.names():
        return False
    for name in a.names():
        da, db = vars(a[name]), vars(b[name])
        if type(a[name]) is not type(b[name]) or da.keys() != db.keys():
            return False
        for key, value in da.items():
            if key in _BY_TYPE:
                if type(value) is not type(db[key]):
                    return False
            elif value != db[key]:
                return False
    return True


_BY_TYPE = {"column_type", "_struct"}  # objects without a meaningful ==


def fold(text: str) -> str:
    """Lowercase and fold accents, as every analyzer above does before stemming."""
    return text.lower().translate(accent_map)


def spelling_words(*texts: str | None) -> str:
    """The distinct unstemmed words of the texts, normalised, space-separated, no stop words."""
    words: set[str] = set()
    for text in texts:
        if text:
            words.update(_WORD_RE.findall(fold(text)))
    return " ".join(sorted(words - STOP_WORDS))


@dataclass
class IndexDoc:
    """One paper's searchable text, as the Library hands it to the index."""

    id: int
    title: str
    authors: list[str]  # display names, "Given Family" or literal
    abstract: str | None
    venue: str | None
    year: int | None
    status: str  # unread|reading|read
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # note bodies (+ quoted passages)
    doi: str | None = None
    arxiv_id: str | None = None
    pages: list[str] = field(default_factory=list)  # the text of its files' pages, in order


_PAGES = _text_analyzer()  # analyses the PDF text for doc_fields (the schema's own is alike)


def _values(doc: IndexDoc) -> dict[str, object]:
    """The indexed values of a paper by field; absent values are left out."""
    authors = "; ".join(a for a in doc.authors if a)
    notes = "\n\n".join(n for n in doc.notes if n)
    # Commas separate KEYWORD values, so a comma inside one tag becomes a space.
    tags = ",".join(" ".join(t.replace(",", " ").split()) for t in doc.tags if t.strip())
    values: dict[str, object] = {
        "id": str(doc.id),
        "title": doc.title or None,
        "author": authors or None,
        "abstract": doc.abstract or None,
        "tag": tags or None,
        "note": notes or None,
        "venue": doc.venue or None,
        "year": doc.year,
        "status": doc.status or None,
        "doi": doc.doi or None,
        "arxiv": doc.arxiv_id or None,
        "text": PAGE_BREAK.join(doc.pages) if any(p.strip() for p in doc.pages) else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def doc_fields(doc: IndexDoc) -> dict[str, object]:
    """The keyword arguments for writer.add_document(); absent values are left out.

    The PDF text is analysed here, once, for both its own field and its words (TEXT_WORDS).
    """
    kept = _values(doc)
    kept[FINGERPRINT] = fingerprint(kept)
    texts = (kept.get(name) for name in ("title", "abstract", "note", "author", "venue", "tag"))
    words = spelling_words(*texts)  # type: ignore[arg-type]
    if words:
        kept[WORDS] = words
    text = kept.get("text")
    if isinstance(text, str):
        postings, kept_words = _PAGES.postings(text)
        kept["text"] = AnalyzedText(text, postings)
        folded = {fold(word) for word in kept_words} - STOP_WORDS
        if folded:
            kept[TEXT_WORDS] = " ".join(sorted(folded))
    return kept


def fingerprint_of(doc: IndexDoc) -> bytes:
    """doc_fields(doc)[FINGERPRINT], without analysing anything."""
    return fingerprint(_values(doc))


def fingerprint(values: dict[str, object]) -> bytes:
    """8 bytes identifying a paper's indexed values (the words fields derive from them)."""
    derived = (WORDS, TEXT_WORDS, FINGERPRINT)
    text = repr(sorted((k, v) for k, v in values.items() if k not in derived))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
