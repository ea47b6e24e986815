"""Whoosh's own "more like this": key terms of a text (Bo1 expansion), then an OR of them."""

from __future__ import annotations

from whoosh import query

from storage.search.opening import guarded_read
from storage.search.searching import IndexSearches


class IndexSimilar(IndexSearches):
    """Key-term queries on the index: the yardstick for related papers and a way to suggest
    papers for a tag (storage.related compares them with its TF-IDF models)."""

    @guarded_read
    def key_terms(
        self, text: str, fieldname: str = "abstract", numterms: int = 10
    ) -> list[tuple[str, float]]:
        """The `numterms` terms of text that best tell it from the index (Whoosh's Bo1)."""
        self._check_open()
        if not text.strip():
            return []
        with self._read_lock:
            searcher = self._current_searcher()
            return list(searcher.key_terms_from_text(fieldname, text, numterms=numterms))

    @guarded_read
    def more_like(
        self,
        text: str,
        limit: int = 10,
        *,
        exclude: frozenset[int] = frozenset(),
        fieldname: str = "abstract",
        numterms: int = 10,
    ) -> list[tuple[int, float]]:
        """(paper id, score) of the papers most like text, best first: Whoosh's more_like
        (an OR of the text's key terms, weighted), papers in exclude left out."""
        self._check_open()
        if not text.strip() or limit <= 0:
            return []
        with self._read_lock:
            searcher = self._current_searcher()
            terms = searcher.key_terms_from_text(fieldname, text, numterms=numterms)
            if not terms:
                return []
            q = query.Or([query.Term(fieldname, word, boost=weight) for word, weight in terms])
            results = searcher.search(q, limit=limit + len(exclude))
            top = [(hit.score, hit.docnum) for hit in results]
            ids = self._ids_of(searcher, [docnum for _score, docnum in top])
        found = [(pid, float(score)) for pid, (score, _d) in zip(ids, top, strict=True)]
        return [(pid, score) for pid, score in found if pid not in exclude][:limit]
