"""Query parsing for the paper index: Whoosh syntax, gentle errors, fuzzy terms despite stemming."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.matching import FilterMatcher, NullMatcher
from whoosh.qparser import syntax
from whoosh.query.terms import ExpandingTerm

from storage.search.malformed import syntax_problem
from storage.search.schema import (
    DEFAULT_FIELDS,
    FIELD_BOOSTS,
    STEMMED_FIELDS,
    TEXT_WORDS,
    WORDS,
    fold,
)
from storage.search.whoosh_compat import expanded_words


class QueryError(ValueError):
    """A search that cannot be understood; the message is meant for the user."""


# Field names people type, mapped to the schema's names (matched case-insensitively).
FIELD_ALIASES = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "by": "author",
    "abstract": "abstract",
    "tag": "tag",
    "tags": "tag",
    "note": "note",
    "notes": "note",
    "text": "text",
    "fulltext": "text",
    "venue": "venue",
    "year": "year",
    "status": "status",
    "doi": "doi",
    "arxiv": "arxiv",
    "arxiv_id": "arxiv",
}
_FIELD_RE = re.compile(
    r"(?<![\w.:/])(" + "|".join(sorted(FIELD_ALIASES, key=len, reverse=True)) + r"):(\s*)",
    re.IGNORECASE,
)
# "a OR OR b" -> "a OR b" (Whoosh would read the second OR as a word).
_REPEATED_OPERATORS = re.compile(r"(?<!\S)(AND|OR)(?:\s+(?:AND|OR))+(?!\S)")
MAX_EDITS = 2
_KINDS = {query.FuzzyTerm: "fuzzy", query.Prefix: "prefix", query.Wildcard: "wildcard"}


class UnstemmedExpansion(ExpandingTerm):
    """A fuzzy, prefix or wildcard term on a stemmed field, matched against original words.

    A stemmed field's lexicon holds stems ('token' for 'tokenization'), so `tokenizaton~`
    or `tokenizat*` compared against it finds nothing. Instead the pattern is expanded in
    the WORDS field (each paper's original words, unstemmed). A paper matches when it
    contains one of those words (WORDS) and the word's stem in this field; only the field's
    terms are scored. So `tokenizaton~` finds 'tokenization' but not every paper that
    merely says 'token', which a plain stemmed search for 'tokenization' would.
    """

    def __init__(
        self,
        fieldname: str,
        text: str,
        kind: str,
        boost: float = 1.0,
        maxdist: int = 1,
        prefixlength: int = 0,
        constantscore: bool = False,
    ) -> None:
        self.fieldname = fieldname
        self.text = text
        self.kind = kind
        self.boost = boost
        self.maxdist = maxdist
        self.prefixlength = prefixlength
        self.constantscore = constantscore
        self._cache: dict[int, tuple[object, list[str], list[bytes]]] = {}

    def _key(self) -> tuple:
        return (self.fieldname, self.text, self.kind, self.boost, self.maxdist, self.prefixlength)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, {self.kind})"

    def __str__(self) -> str:
        suffix = {"fuzzy": "~", "prefix": "*", "wildcard": ""}[self.kind]
        return f"{self.fieldname}:{self.text}{suffix}"

    @property
    def lexicon(self) -> str:
        """The field of original words this one's pattern is expanded in."""
        return TEXT_WORDS if self.fieldname == "text" else WORDS

    def _word_query(self) -> query.Query:
        if self.kind == "fuzzy":
            return query.FuzzyTerm(
                self.lexicon, self.text, maxdist=self.maxdist, prefixlength=self.prefixlength
            )
        if self.kind == "prefix":
            return query.Prefix(self.lexicon, self.text)
        return query.Wildcard(self.lexicon, self.text)

    def expand(self, ixreader) -> tuple[list[str], list[bytes]]:
        """(original words matching the pattern, their stems present in this field)."""
        cached = self._cache.get(id(ixreader))
        if cached is not None and cached[0] is ixreader:
            return cached[1], cached[2]
        field = ixreader.schema[self.fieldname]
        words: list[str] = []
        stems: set[bytes] = set()
        for word in self._original_words(ixreader):
            found = [
                btext
                for btext in map(field.to_bytes, field.process_text(word, mode="query"))
                if (self.fieldname, btext) in ixreader
            ]
            if found:
                words.append(word)
                stems.update(found)
        result = (words, sorted(stems))
        self._cache[id(ixreader)] = (ixreader, *result)
        return result

    def _original_words(self, ixreader) -> list[str]:
        """The WORDS terms matching the pattern. An unfielded `word~` expands the same pattern
        for title, abstract and note: the lexicon is walked once per reader, not three times."""
        shared = ixreader.__dict__.setdefault("_papershelf_expansions", {})
        key = (self.lexicon, self.kind, self.text, self.maxdist, self.prefixlength)
        found = shared.get(key)
        if found is None:
            found = shared[key] = [
                bword.decode("utf-8") if isinstance(bword, bytes) else bword
                for bword in expanded_words(self._word_query(), ixreader)
            ]
        return found

    def _btexts(self, ixreader) -> list[bytes]:  # what Whoosh's MultiTerm methods expand to
        return self.expand(ixreader)[1]

    def expanded_terms(self, ixreader, phrases: bool = False):
        """(field, stem) of every stem the pattern stands for in this reader (snippets)."""
        return [(self.fieldname, btext) for btext in self.expand(ixreader)[1]]

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        words, stems = self.expand(reader)
        if not stems:
            return NullMatcher()
        # The boost goes on each term: Whoosh ignores an Or's own boost when it has only one
        # subquery (one stem), which left `title:` prefix and fuzzy words unboosted.
        scored = query.Or([query.Term(self.fieldname, stem, boost=self.boost) for stem in stems])
        # Papers that contain one of the original words, as a set: far cheaper than
        # stepping through a union of their posting lists next to the scored one.
        having: set[int] = set()
        for word in words:
            having.update(reader.postings(self.lexicon, word.encode("utf-8")).all_ids())
        return FilterMatcher(scored.matcher(searcher, context), having)


class _PaperParser(qparser.QueryParser):
    """Whoosh's parser, routing fuzzy/prefix/wildcard terms on stemmed fields through WORDS."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        kind = _KINDS.get(termclass)
        if kind and fieldname in STEMMED_FIELDS:
            word = fold(text).strip()
            return UnstemmedExpansion(fieldname, word, kind, boost=boost) if word else None
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class _DropStopWordsPlugin(qparser.Plugin):
    """Drops unfielded words that the text analyzer ignores ('of', 'the').

    Otherwise `mixture of experts` would require 'of' in a field that keeps stop words
    (author, venue, tag) and find nothing. Runs after field names are applied (100) and
    before the words are spread over the default fields (110).
    """

    def __init__(self, schema: Schema) -> None:
        self.field = schema["title"]

    def filters(self, parser):
        return [(self.drop, 105)]

    def drop(self, parser, group):
        keep = []
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.drop(parser, node)
            elif (
                type(node) is syntax.WordNode
                and node.fieldname is None
                and not list(self.field.process_text(node.text, mode="query"))
            ):
                continue
            keep.append(node)
        group.nodes = keep
        return group


_EXPANDING_NODES = (
    qparser.FuzzyTermPlugin.FuzzyTermNode,
    qparser.WildcardPlugin.WildcardNode,
    qparser.PrefixPlugin.PrefixNode,
)


class _MultifieldPlugin(qparser.MultifieldPlugin):
    """Spreads unfielded words over the default fields; fuzzy, prefix and wildcard words
    leave out the PDF text (`text:word~` still expands there): expanding them against
    every word of every PDF made them the slowest queries by far."""

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname is None:
                names = self.fieldnames
                if isinstance(node, _EXPANDING_NODES):
                    names = [name for name in names if name != "text"]
                newnodes = []
                for name in names:
                    newnode = copy.copy(node)
                    newnode.set_fieldname(name)
                    newnode.set_boost(self.boosts.get(name, 1.0))
                    newnodes.append(newnode)
                group[i] = self.group(newnodes)
        return group


def make_parser(schema: Schema) -> qparser.QueryParser:
    """A parser over the default fields with fuzzy terms, year comparisons and no stop words."""
    parser = _PaperParser(None, schema)
    parser.add_plugin(_MultifieldPlugin(DEFAULT_FIELDS, fieldboosts=FIELD_BOOSTS))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(_DropStopWordsPlugin(schema))
    return parser


def _normalise_fields(text: str) -> str:
    """`Title: word` -> `title:word`, `authors:x` -> `author:x`; a dangling `title:` is an error."""

    def fix(match: re.Match) -> str:
        name = FIELD_ALIASES[match.group(1).lower()]
        rest = text[match.end() :]
        if not rest.strip() or rest.lstrip()[:1] in (")",):
            raise QueryError(
                f"Nothing to look for after “{match.group(1)}:” — "
                f"try for example {name}:{_EXAMPLES.get(name, 'word')}."
            )
        return f"{name}:"

    return _FIELD_RE.sub(fix, text)


_EXAMPLES = {
    "year": "2020 or year:[2019 TO 2021]",
    "status": "read",
    "tag": "nlp",
    "author": "hinton",
    "title": "transformer",
}


def _errors(q: query.Query) -> Iterator[tuple[str | None, str]]:
    """(field, message) of every part the parser could not understand."""
    error = getattr(q, "error", None)
    if error:
        yield getattr(q, "fieldname", None), str(error)
    for child in q.children():
        yield from _errors(child)


def parse(parser: qparser.QueryParser, text: str) -> query.Query | None:
    """The query for the user's text, None when there is nothing to search, or QueryError."""
    text = (text or "").strip()
    if not text:
        return None
    problem = syntax_problem(text, FIELD_ALIASES)
    if problem:
        raise QueryError(problem)
    text = _REPEATED_OPERATORS.sub(r"\1", _normalise_fields(text))
    try:
        q = parser.parse(text, normalize=False)
    except Exception as exc:  # whoosh raises assorted errors on odd input
        raise QueryError(f"Could not understand the search “{text}”.") from exc
    for fieldname, message in _errors(q):
        if fieldname == "year" or "valid number" in message:
            raise QueryError("Years are numbers: try year:2020, year:>2019 or year:[2019 TO 2021].")
        raise QueryError(f"Could not understand part of the search “{text}”.")
    for leaf in q.leaves():
        if getattr(leaf, "maxdist", 0) > MAX_EDITS:  # `word~9` would match nearly anything
            leaf.maxdist = MAX_EDITS
    q = q.normalize()
    if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
        return None
    return without_dismissed(q)


def without_dismissed(q: query.Query) -> query.Query:
    """Dismissed papers (triage) are left out of a search unless it names a status
    (`status:dismissed` finds them)."""
    if any(getattr(leaf, "fieldname", None) == "status" for leaf in q.leaves()):
        return q
    return query.AndNot(q, query.Term("status", "dismissed"))
