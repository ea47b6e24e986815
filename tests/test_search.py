"""The Whoosh paper index: field queries, syntax, ranking, snippets, updates and rebuilds."""

from __future__ import annotations

import re

import pytest

from storage.search import IndexDoc, QueryError, SearchIndex, SearchResult


def paper(id: int, title: str, abstract: str | None = None, **kw) -> IndexDoc:
    kw.setdefault("authors", [])
    kw.setdefault("venue", None)
    kw.setdefault("year", None)
    kw.setdefault("status", "unread")
    return IndexDoc(id=id, title=title, abstract=abstract, **kw)


CORPUS = [
    paper(
        1,
        "Mamba Meets Remote Sensing: Selective State Spaces for Satellite Imagery",
        "We adapt the Mamba selective state space architecture to remote sensing. Linear-time "
        "scanning lets the model read whole satellite tiles (1024 px < 2048 px & no cropping) "
        "where attention runs out of memory.",
        authors=["Lena Fischer", "Tomás Ortega"],
        venue="IGARSS",
        year=2024,
        status="reading",
        tags=["remote sensing", "state space models"],
        notes=["Compare against the ViT baseline on page 4."],
        doi="10.5555/mamba.rs.2024",
        arxiv_id="2403.01234",
    ),
    paper(
        2,
        "Vision Transformers for Land Cover Classification",
        "Remote sensing benchmarks for land cover are dominated by convolutional networks. We "
        "show that plain vision transformers, pretrained on unlabeled aerial photographs, match "
        "them. Sensing conditions such as cloud cover matter more than the architecture.",
        authors=["Aiko Tanaka"],
        venue="CVPR",
        year=2023,
        status="read",
        tags=["remote sensing", "vision"],
    ),
    paper(
        3,
        "Efficient Sequence Modeling with Structured State Spaces",
        "Structured state space layers such as S4 and Mamba model long sequences in linear "
        "time. We compare them on language modeling and audio.",
        authors=["Omar Haddad"],
        year=2022,
        tags=["state space models"],
    ),
    paper(
        4,
        "ELECTRA Revisited: Replaced Token Detection at Scale",
        "Pretraining text encoders as discriminators rather than generators is sample "
        "efficient. We revisit replaced token detection with larger corpora.",
        authors=["Priya Raman", "Wei An"],
        venue="ACL",
        year=2021,
        status="read",
        tags=["nlp", "pretraining"],
    ),
    paper(
        5,
        "Byte-Level Tokenization Without Vocabularies",
        "Subword tokenization fixes a vocabulary before training. Our byte-level model learns "
        "its own segmentation, and tokenizers become unnecessary.",
        authors=["Grace Hopkins"],
        year=2022,
        tags=["nlp"],
    ),
    paper(
        6,
        "Dense Passage Retrieval for Open-Domain Question Answering, Revisited",
        "Dense passage retrieval with a dual encoder beats sparse BM25 on open-domain question "
        "answering when hard negatives are mined carefully.",
        authors=["Nina Petrova"],
        venue="EMNLP",
        year=2020,
        status="read",
        tags=["retrieval"],
    ),
    paper(
        7,
        "Hard Negatives Make Better Retrievers",
        "We study how retrieval of a passage by a dense model depends on negatives: mined "
        "negatives help dense encoders, random ones do not.",
        authors=["Nina Petrova", "Jonas Berg"],
        year=2023,
        tags=["retrieval"],
    ),
    paper(
        8,
        "Pruning Large Language Models in One Shot",
        "Pruning removes half of the weights of a large language model without retraining, "
        "with little loss in perplexity.",
        authors=["Marta Kowalska"],
        year=2023,
        tags=["compression"],
    ),
    paper(
        9,
        "Structured Sparsity Through Magnitude Pruning",
        "Magnitude pruning of whole channels gives structured sparsity; pruned networks run "
        "faster on commodity hardware.",
        authors=["Marta Kowalska"],
        year=2019,
        tags=["compression"],
    ),
    paper(
        10,
        "A Survey of Mixture of Experts",
        "Mixture of experts layers route each token to a few experts. We survey routing, load "
        "balancing and training instabilities.",
        authors=["Open Models Consortium"],
        venue="ACM Computing Surveys",
        year=2025,
        tags=["survey"],
    ),
    paper(
        11,
        "Notes on Graph Neural Networks",
        None,
        authors=["José Müller"],
        notes=["Key idea: message passing with attention. Reminds me of tokenization tricks."],
        tags=["to read"],
    ),
]
TEXTS = {
    doc.id: {"title": doc.title, "abstract": doc.abstract or "", "note": "\n\n".join(doc.notes)}
    for doc in CORPUS
}


def texts(ids: list[int]) -> dict[int, dict[str, str]]:
    return {pid: TEXTS[pid] for pid in ids if pid in TEXTS}


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> SearchIndex:
    """One index over CORPUS for the read-only tests."""
    index = SearchIndex(tmp_path_factory.mktemp("index"))
    index.rebuild(CORPUS)
    yield index
    index.close()


@pytest.fixture
def index(tmp_path) -> SearchIndex:
    """A fresh index over CORPUS that a test may change."""
    index = SearchIndex(tmp_path / "index")
    index.rebuild(CORPUS)
    yield index
    index.close()


def found(index: SearchIndex, query: str) -> set[int]:
    return set(index.ids_matching(query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:ELECTRA", {4}),
        ("title:electra", {4}),
        ("Title: ELECTRA", {4}),
        ("author:fischer", {1}),
        ("author:petrova", {6, 7}),
        ('author:"Nina Petrova"', {6, 7}),
        ("author:An", {4}),  # a surname that is also an English stop word
        ("author:muller", {11}),  # accents fold both ways
        ("author:ortega authors:tomas", {1}),
        ("abstract:satellite", {1}),
        ("abstract:mamba", {1, 3}),
        ("tag:nlp", {4, 5}),
        ('tag:"remote sensing"', {1, 2}),
        ('tag:"to read"', {11}),
        ("note:baseline", {1}),
        ("notes:message", {11}),
        ("venue:igarss", {1}),
        ('venue:"computing surveys"', {10}),
        ("year:2020", {6}),
        ("year:[2019 TO 2021]", {4, 6, 9}),
        ("year:>2023", {1, 10}),
        ("year:<2020", {9}),
        ("status:read", {2, 4, 6}),
        ("status:Reading", {1}),
        ("doi:10.5555/mamba.rs.2024", {1}),
        ("doi:10.5555/MAMBA.RS.2024", {1}),
        ("arxiv:2403.01234", {1}),
    ],
)
def test_field_queries(shared: SearchIndex, query: str, expected: set[int]) -> None:
    assert found(shared, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("consortium", {10}),  # default fields include author
        ("igarss", {1}),  # ... venue
        ("compression", {8, 9}),  # ... tag
        ("baseline", {1}),  # ... note
        ("state space", {1, 3}),  # words AND by default
        ("mixture of experts", {10}),  # stop words do not have to occur in every field
        ("pruning OR segmentation", {5, 8, 9}),
        ("pruning NOT magnitude", {8}),
        ("pruning AND NOT title:magnitude", {8}),
        ("(mamba OR transformers) AND sensing", {1, 2}),
        ("retrieval year:2023", {7}),
        ("nlp NOT status:read", {5}),
    ],
)
def test_default_fields_and_operators(shared: SearchIndex, query: str, expected: set[int]) -> None:
    assert found(shared, query) == expected


def test_phrase_needs_the_words_in_order(shared: SearchIndex) -> None:
    assert found(shared, "dense passage retrieval") == {6, 7}  # 7 has the words apart
    assert found(shared, '"dense passage retrieval"') == {6}
    assert found(shared, 'abstract:"dense passage retrieval"') == {6}
    assert found(shared, '"mixture of experts"') == {10}


def test_stemming(shared: SearchIndex) -> None:
    assert found(shared, "pruned") == {8, 9}
    assert found(shared, "retrievers") == {6, 7}
    assert found(shared, "title:retriever") == {6, 7}  # Retrieval, Retrievers
    # Porter is aggressive: 'tokenization' and 'token' share the stem 'token'
    assert found(shared, "tokenization") == {4, 5, 10, 11}


def test_prefix_matches_unstemmed_words(shared: SearchIndex) -> None:
    assert found(shared, "prun*") == {8, 9}
    # 'tokenizat' is no prefix of the stem 'token': it must match the original words,
    # and only those (not every paper saying 'token')
    assert found(shared, "tokenizat*") == {5, 11}
    assert found(shared, "tokeniz*") == {5, 11}
    assert found(shared, "title:retriev*") == {6, 7}
    assert found(shared, "author:kowal*") == {8, 9}
    assert found(shared, "tok?nization") == {5, 11}


def test_fuzzy_survives_stemming(shared: SearchIndex) -> None:
    assert found(shared, "tokenizaton") == set()  # the misspelling itself is nowhere
    assert found(shared, "tokenizaton~") == {5, 11}
    assert found(shared, "title:tokenizaton~") == {5}
    assert found(shared, "note:tokenizaton~") == {11}
    assert found(shared, "sattelite~2") == {1}
    assert found(shared, "author:fischr~") == {1}


def test_obvious_paper_ranks_first(shared: SearchIndex) -> None:
    result = shared.search("mamba remote sensing")
    assert [hit.id for hit in result.hits][:1] == [1]
    assert result.total == 1
    ranked = shared.ids_matching("mamba OR remote OR sensing")
    assert ranked[0] == 1 and set(ranked) == {1, 2, 3}
    assert shared.ids_matching("state space")[0] in {1, 3}
    assert shared.search("electra").hits[0].id == 4
    # a word in the title outweighs the same word in an abstract
    assert shared.ids_matching("tokenization")[0] == 5
    assert shared.ids_matching("tokenizaton~")[0] == 5


def test_total_counts_beyond_limit(shared: SearchIndex) -> None:
    everything = shared.ids_matching("pruning OR retrieval OR nlp")
    result = shared.search("pruning OR retrieval OR nlp", limit=2)
    assert len(result.hits) == 2
    assert result.total == len(everything) == 6
    assert [hit.id for hit in result.hits] == everything[:2]
    assert all(a.score >= b.score for a, b in zip(result.hits, result.hits[1:], strict=False))
    assert shared.search("pruning", limit=0) == SearchResult("pruning", 2, [])


def test_restrict_ids(shared: SearchIndex) -> None:
    assert [h.id for h in shared.search("pruning", restrict_ids={9, 1}).hits] == [9]
    assert shared.search("pruning", restrict_ids={9, 1}).total == 1
    assert shared.search("pruning", restrict_ids=set()).total == 0
    assert shared.search("pruning", restrict_ids=[8, 999]).total == 1
    assert set(shared.ids_matching("remote OR pruning", restrict_ids=range(2, 9))) == {2, 8}


def _plain(snippet: str) -> str:
    return re.sub(r"</?b>", "", snippet)


def test_snippet_highlights_and_escapes(shared: SearchIndex) -> None:
    hit = shared.search("satellite tiles", texts=texts).hits[0]
    assert hit.id == 1
    assert "<b>satellite</b>" in hit.snippet and "<b>tiles</b>" in hit.snippet
    assert "&lt; 2048 px &amp; no" in hit.snippet
    assert "<" not in _plain(hit.snippet) and ">" not in _plain(hit.snippet)


def test_snippet_shows_stemmed_and_fuzzy_matches(shared: SearchIndex) -> None:
    hit = shared.search("pruned", texts=texts, restrict_ids={9}).hits[0]
    assert "<b>pruning</b>" in hit.snippet and "<b>pruned</b>" in hit.snippet
    hit = shared.search("title:byte tokenizaton~", texts=texts).hits[0]
    assert "<b>tokenization</b>" in hit.snippet


def test_snippet_from_note_then_abstract_start(shared: SearchIndex) -> None:
    note_hit = shared.search("message passing", texts=texts).hits[0]
    assert note_hit.id == 11
    assert "<b>message</b> <b>passing</b>" in note_hit.snippet
    # matched only in the title: the abstract's beginning stands in
    hit = shared.search("title:ELECTRA", texts=texts).hits[0]
    assert hit.snippet.startswith("Pretraining text encoders as discriminators")
    assert "<b>" not in hit.snippet
    # no texts callback, or no text for the paper: nothing to show
    assert shared.search("title:ELECTRA").hits[0].snippet == ""
    assert shared.search("title:ELECTRA", texts=lambda ids: {}).hits[0].snippet == ""


def test_long_abstract_snippet_is_a_fragment(index: SearchIndex) -> None:
    filler = "Nothing relevant is said in this sentence at all. " * 20
    abstract = filler + "Here the quokka finally appears. " + filler
    index.update([paper(50, "Long", abstract)])
    hit = index.search("quokka", texts=lambda ids: {50: {"abstract": abstract}}).hits[0]
    assert "<b>quokka</b>" in hit.snippet
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert len(hit.snippet) < 320


def test_suggest(shared: SearchIndex) -> None:
    assert shared.suggest("tokenizaton")[0] == "tokenization"
    assert "satellite" in shared.suggest("Sattelite")
    assert shared.suggest("pruninng") == ["pruning"]  # one letter too many
    assert shared.suggest("prune") == ["pruned"]  # a word the index has, one edit away
    # an indexed word is never its own suggestion, only its indexed neighbours are
    assert shared.suggest("encoders") == ["encoder"] and shared.suggest("encoder") == ["encoders"]
    assert shared.suggest("model") == ["models", "more"]  # distance 1 first, then common first
    assert shared.suggest("pruning") == []  # indexed, and nothing indexed is near it
    assert shared.suggest("xq") == []


def test_counts_and_ids(shared: SearchIndex) -> None:
    assert shared.doc_count() == len(CORPUS)
    assert shared.indexed_ids() == {doc.id for doc in CORPUS}
    assert not shared.needs_rebuild


def test_empty_and_stopword_queries_find_nothing(shared: SearchIndex) -> None:
    for query in ("", "   ", "the", "of the"):
        assert shared.search(query) == SearchResult(query, 0, []), query
        assert shared.ids_matching(query) == []


def test_operators_with_nothing_to_join_are_reported(shared: SearchIndex) -> None:
    for query, message in (("NOT", "“NOT” needs a word after it"), ("a OR", "“OR” needs a word")):
        with pytest.raises(QueryError, match=message):
            shared.search(query)


def test_every_paper(shared: SearchIndex) -> None:
    assert found(shared, "*") == {doc.id for doc in CORPUS}
