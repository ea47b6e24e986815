"""The index at scale: exact totals, bulk and single-paper writes, merges, restricted search."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from test_search import paper
from whoosh import fields, formats
from whoosh.analysis import SpaceSeparatedTokenizer, StemmingAnalyzer
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from storage.search import IndexDoc, SearchIndex, postings_cache, whoosh_compat
from storage.search import matching as search_matching
from storage.search import writing as search_writing
from storage.search.query import make_parser, parse
from storage.search.schema import INDEX_NAME, WordSetField, build_schema, doc_fields

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "theta",
    "kappa",
    "lambda",
    "sigma",
    "omega",
]


def generated(count: int, seed: int = 5, start: int = 1) -> list[IndexDoc]:
    rng = random.Random(seed)
    return [
        paper(
            n,
            " ".join(rng.choice(WORDS) for _ in range(4)),
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40))),
            authors=[rng.choice(["Ann Lee", "Bo Chen", "Cy Díaz"])],
            year=rng.randint(2000, 2020),
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "index", lock_timeout=0.5)
    index.rebuild(generated(400))
    yield index
    index.close()


def test_total_counts_every_match_not_only_those_scored(tmp_path: Path) -> None:
    # Whoosh's top-N collector stops scoring sub-queries that cannot reach the top N; the
    # papers only they match must still be counted (it reported 21 of 48 here).
    from bench.corpus import generate

    docs = [
        IndexDoc(
            id=p.index + 1,
            title=p.title,
            authors=[f"{given} {family}" for given, family in p.authors],
            abstract=p.abstract,
            venue=p.venue,
            year=p.year,
            status="unread",
            tags=p.tags,
        )
        for p in generate(300, seed=4)
    ]
    with SearchIndex(tmp_path / "generated") as index:
        index.rebuild(docs)
        for query in ("question answering", "dense retrieval", "retrieval", "title:survey"):
            everything = index.ids_matching(query)
            result = index.search(query, limit=5)
            assert result.total == len(everything) > 5
            assert [hit.id for hit in result.hits] == everything[:5]


def test_restricted_search_skips_to_few_papers_with_the_same_scores(index: SearchIndex) -> None:
    allowed = list(range(1, 400, 9))
    assert len(allowed) <= search_matching.FEW_DOCS
    for query in ("alpha", "beta gamma", '"alpha beta"', "alph*", "gamme~", "NOT zeta"):
        fast = index.search(query, limit=10, restrict_ids=allowed)
        search_matching.FEW_DOCS, saved = -1, search_matching.FEW_DOCS
        try:
            slow = index.search(query, limit=10, restrict_ids=allowed)
        finally:
            search_matching.FEW_DOCS = saved
        assert fast.total == slow.total
        assert [(h.id, round(h.score, 9)) for h in fast.hits] == [
            (h.id, round(h.score, 9)) for h in slow.hits
        ]


def test_bulk_replace_of_new_and_known_papers(index: SearchIndex) -> None:
    fresh = generated(1500, seed=9, start=1000)
    again = [paper(7, "Renamed sevenfold"), paper(8, "Renamed eightfold")]
    ids = [doc.id for doc in fresh] + [7, 8, 9]  # 9: deleted (no document comes for it)
    assert index.replace(ids, iter([*fresh, *again])) == len(fresh) + 2
    assert index.doc_count() == 400 + 1500 - 1
    assert sorted(index.ids_matching("renamed")) == [7, 8]
    assert 9 not in index.indexed_ids()
    assert index.ids_matching("sevenfold") == [7]


def test_single_paper_edits_keep_segments_few_and_cheap(index: SearchIndex) -> None:
    for round_ in range(60):
        pid = 1 + round_ % 10
        index.update([paper(pid, f"Edited version{round_}", "alpha")])
        assert index.doc_count() == 400
    assert index.segment_count() <= 2 * search_writing.MERGE_FACTOR
    assert sorted(index.ids_matching("version59")) == [10]
    assert index.ids_matching("version0") == []
    assert len(index.indexed_ids()) == 400


def test_merge_choice_by_level() -> None:
    class Seg:
        def __init__(self, n: int) -> None:
            self.n = n

        def doc_count_all(self) -> int:
            return self.n

    assert search_writing.level(1) == 0 and search_writing.level(4) == 1
    assert search_writing.level(100_000) == 8
    big = Seg(100_000)
    three_small = [Seg(1), Seg(1), Seg(2)]
    chosen, later = search_writing.choose_merge([big, *three_small], budget=150)
    assert set(chosen) == set(three_small) and not later  # with the new one: four at level 0
    chosen, later = search_writing.choose_merge([big, Seg(1), Seg(1)], budget=150)
    assert chosen == [] and not later
    level_one = [Seg(30), Seg(40), Seg(50)]
    chosen, later = search_writing.choose_merge([big, *three_small, *level_one], budget=100)
    assert set(chosen) == set(three_small) and later  # the next level is over the budget


def all_postings(ix) -> list:
    """Every term of every field with its postings (document, weight, value), in order."""
    found = []
    with ix.reader() as reader:
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found.append((fieldname, btext, postings))
    return found


@pytest.mark.parametrize("limitmb", [128, 0.04])  # 0.04: the postings spill to ~12 run files
def test_fast_writer_writes_what_whooshs_writer_writes(tmp_path: Path, limitmb: float) -> None:
    docs = generated(300, seed=11)
    written = []
    for writer_class in (SegmentWriter, whoosh_compat.FastSegmentWriter):
        folder = tmp_path / writer_class.__name__
        folder.mkdir()
        ix = FileStorage(str(folder)).create_index(build_schema(), indexname=INDEX_NAME)
        writer = writer_class(ix, limitmb=limitmb)
        for doc in docs[:200]:
            writer.add_document(**doc_fields(doc))
        writer.commit()
        writer = writer_class(ix, limitmb=limitmb)  # new papers, and the first segment merged
        writer.delete_document(3)
        for doc in docs[200:]:
            writer.add_document(**doc_fields(doc))
        if writer_class is whoosh_compat.FastSegmentWriter:
            assert len(writer.pool.runs) > (10 if limitmb < 1 else -1)
        writer.commit(optimize=True)
        parser = make_parser(ix.schema)
        with ix.searcher() as searcher:
            scores = [
                [(n, round(s, 9)) for s, n in searcher.search(parse(parser, q), limit=None).top_n]
                for q in ("alpha", "beta gamma", '"delta epsilon"', "author:chen")
            ]
        written.append((all_postings(ix), scores))
        assert not list((folder).glob("*.run")) and not list(folder.rglob("*.run"))
        shutil.rmtree(folder)
    assert written[0] == written[1]
    assert len(written[0][0]) > 50 and all(written[0][1])


FAST_QUERIES = (
    "alpha",
    "alpha beta",
    "alpha OR beta",
    "alpha NOT beta",
    '"alpha beta"',
    '"beta gamma delta"',
    "title:omega",
    "author:chen",
    "alph*",
    "gamme~",
    "year:[2005 TO 2010] alpha",
    "year:[2001 TO 2019] beta",
    "year:[TO 2003] OR year:[2018 TO]",
    "year:2007 gamma",
    "year:[2005 TO 2010]^2 alpha",
    "(alpha OR beta) AND gamma",
    "NOT zeta",
    "alpha^3 sigma",
)


def test_set_at_a_time_evaluation_matches_whooshs_matchers(index: SearchIndex) -> None:
    index.update([paper(3, "alpha alpha beta", "beta gamma delta alpha")], delete_ids=[5])
    searcher = index._current_searcher()
    for text in FAST_QUERIES:
        q = parse(index._parser, text)
        fast = search_matching.top_docs(searcher, q, None, None, index._lengths)
        whoosh = search_matching.top_docs(searcher, q, None, None, None)
        assert fast[0] == whoosh[0], text
        assert [d for _, d in fast[1]] == [d for _, d in whoosh[1]], text
        assert [round(s, 9) for s, _ in fast[1]] == [round(s, 9) for s, _ in whoosh[1]], text
        top = search_matching.top_docs(searcher, q, 7, None, index._lengths)
        assert top[1] == fast[1][:7], text


def test_a_title_prefix_is_boosted_even_with_one_stem(tmp_path: Path) -> None:
    with SearchIndex(tmp_path / "boost") as index:
        index.rebuild([paper(1, "Zebrafish", "other words"), paper(2, "Other words", "zebrafish")])
        assert index.ids_matching("zebraf*") == [1, 2]  # the title match counts three times
        (title, abstract) = (index.search("zebraf*", 2).hits[i].score for i in (0, 1))
        assert title > 2 * abstract


def test_merges_beyond_an_edits_budget_run_in_the_background(index: SearchIndex) -> None:
    for round_ in range(150):
        index.update([paper(1 + round_ % 50, f"Edited version{round_}", "alpha")])
    index.wait_for_merges()
    # Each size level keeps fewer than MERGE_FACTOR segments; without merges beyond the
    # edit budget, segments of 64+ papers would pile up.
    assert index.segment_count() <= 2 + 3 * (search_writing.MERGE_FACTOR - 1)
    assert index.doc_count() == 400
    assert sorted(index.ids_matching("version149")) == [50]


def test_phrases_in_pdf_text_match_whooshs_matchers(tmp_path: Path) -> None:
    rng = random.Random(11)
    docs = generated(120, seed=9)
    for doc in docs[::2]:  # half of them have a PDF: long pages, words repeated
        doc.pages = [" ".join(rng.choice(WORDS) for _ in range(300)) for _ in range(3)]
    with SearchIndex(tmp_path / "index") as index:
        index.rebuild(docs)
        searcher = index._current_searcher()
        for text in (
            '"alpha beta"',
            '"beta gamma delta"',
            'text:"kappa kappa"',
            "text:sigma",
            '"omega alpha" zeta',
            'text:"delta epsilon zeta theta"',
        ):
            q = parse(index._parser, text)
            fast = search_matching.top_docs(searcher, q, None, None, index._lengths)
            whoosh = search_matching.top_docs(searcher, q, None, None, None)
            assert fast[0] == whoosh[0] > 0, text
            assert [d for _, d in fast[1]] == [d for _, d in whoosh[1]], text
            assert [round(s, 9) for s, _ in fast[1]] == [round(s, 9) for s, _ in whoosh[1]], text


@pytest.mark.parametrize("max_bytes", [64 * 1024 * 1024, 3000])  # 3000: lists come and go
def test_kept_posting_lists_score_as_whooshs_matchers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_bytes: int
) -> None:
    cache = postings_cache.PostingsCache(max_bytes=max_bytes, min_postings=1)
    monkeypatch.setattr(postings_cache, "shared", cache)
    rng = random.Random(4)
    docs = generated(150, seed=3)
    for doc in docs[::3]:
        doc.pages = [" ".join(rng.choice(WORDS) for _ in range(200))]
    with SearchIndex(tmp_path / "index") as index:
        index.rebuild(docs)
        index.update([paper(3, "alpha beta gamma", "beta gamma delta")], delete_ids=[5, 6])
        searcher = index._current_searcher()
        queries = (*FAST_QUERIES, 'text:"kappa sigma"', '"gamma delta" NOT alpha')
        for round_ in range(2):  # the second round from the kept lists
            for text in queries:
                q = parse(index._parser, text)
                fast = search_matching.top_docs(searcher, q, None, None, index._lengths)
                whoosh = search_matching.top_docs(searcher, q, None, None, None)
                assert fast[0] == whoosh[0], (round_, text)
                assert [d for _, d in fast[1]] == [d for _, d in whoosh[1]], text
                assert [round(s, 9) for s, _ in fast[1]] == [round(s, 9) for s, _ in whoosh[1]]
    assert cache.hits > 50
    assert cache.size <= max_bytes


def segment_files(folder: Path) -> dict[str, bytes]:
    """The files of the one segment in folder, by extension."""
    found = {}
    for path in folder.iterdir():
        if path.name.startswith(INDEX_NAME + "_") and "." in path.name and "LOCK" not in path.name:
            segment_id, _dot, rest = path.name.partition(".")
            found[segment_id[len(INDEX_NAME) + 30 :] + rest] = path.read_bytes()
    return found


@pytest.mark.parametrize("limitmb", [128, 0.05])
def test_fast_writer_writes_the_same_bytes(tmp_path: Path, limitmb: float) -> None:
    docs = generated(250, seed=12)
    for doc in docs[::4]:
        doc.pages = [" ".join(random.Random(doc.id).choice(WORDS) for _ in range(300))]
    written = []
    for writer_class in (SegmentWriter, whoosh_compat.FastSegmentWriter):
        folder = tmp_path / writer_class.__name__
        folder.mkdir()
        ix = FileStorage(str(folder)).create_index(build_schema(), indexname=INDEX_NAME)
        writer = writer_class(ix, limitmb=limitmb)
        for doc in docs:
            writer.add_document(**doc_fields(doc))
        writer.compound = False  # the segment's files apart, to compare them one by one
        writer.commit()
        written.append(segment_files(folder))
    assert written[0].keys() == written[1].keys()
    assert {"trm", "pst"} <= written[0].keys() and len(written[0]["pst"]) > 50_000
    for ext in written[0]:
        assert written[0][ext] == written[1][ext], ext


def test_word_set_field_indexes_as_an_existence_field_of_spaced_words() -> None:
    """WordSetField's one-step index gives exactly the postings Whoosh's own Existence field
    with a space tokenizer gives (the word lists of doc_fields, PDF words included)."""
    plain = fields.FieldType(
        format=formats.Existence(), analyzer=SpaceSeparatedTokenizer(), scorable=True
    )
    fast = build_schema()["words"]
    assert isinstance(fast, WordSetField) and isinstance(build_schema()["textwords"], WordSetField)
    docs = generated(50, seed=3) + [paper(99, "Ünïcode Straße naïve naïve", "x" * 3)]
    docs[0].pages = ["tokenization and tokenizers; tokenizer again", "page two words"]
    checked = 0
    for doc in docs:
        for name in ("words", "textwords"):
            value = doc_fields(doc).get(name)
            if value is None:
                continue
            assert sorted(fast.index(value)) == sorted(plain.index(value))
            checked += 1
    assert checked > len(docs)
    assert (
        sorted(fast.index("b a b"))
        == sorted(plain.index("b a b"))
        == [
            (b"a", 1, 1.0, b""),
            (b"b", 1, 1.0, b""),
        ]
    )


def test_year_ranges_and_comparisons_find_every_paper_in_them(tmp_path: Path) -> None:
    """One term a year (no numeric trie): ranges, open ranges and comparisons find exactly the
    papers whose year is in them, across several segments and with papers without a year."""
    rng = random.Random(8)
    years = {
        n: rng.choice([None, -44, 0, 1687, 1999, 2000, 2019, 2020, 2021, 2024])
        for n in range(1, 301)
    }
    docs = [paper(n, f"paper {n}", "common words here", year=year) for n, year in years.items()]
    index = SearchIndex(tmp_path / "index")
    try:
        index.rebuild(docs[:150])
        index.replace([d.id for d in docs[150:]], docs[150:])
        cases = {
            "year:2020": lambda y: y == 2020,
            "year:[2019 TO 2021]": lambda y: 2019 <= y <= 2021,
            "year:{2019 TO 2021]": lambda y: 2019 < y <= 2021,
            "year:[2019 TO 2021}": lambda y: 2019 <= y < 2021,
            "year:>2019": lambda y: y > 2019,
            "year:>=2019": lambda y: y >= 2019,
            "year:<2000": lambda y: y < 2000,
            "year:<=0": lambda y: y <= 0,
            "year:[TO 1999]": lambda y: y <= 1999,
            "year:[2021 TO]": lambda y: y >= 2021,
            "year:[-100 TO 1700]": lambda y: -100 <= y <= 1700,
            "common year:[2019 TO 2021]": lambda y: 2019 <= y <= 2021,
        }
        for query, wanted in cases.items():
            expected = {n for n, year in years.items() if year is not None and wanted(year)}
            assert expected, query
            assert set(index.ids_matching(query)) == expected, query
            assert index.search(query, limit=5).total == len(expected), query
    finally:
        index.close()


def test_fast_writer_writes_spelling_words_as_whooshs_writer(tmp_path: Path) -> None:
    """A field with separate spelling words (not in the paper schema, but a schema could
    gain one): the block writer writes the same files as Whoosh's own."""
    schema = fields.Schema(t=fields.TEXT(analyzer=StemmingAnalyzer(), spelling=True))
    written = []
    for writer_class in (SegmentWriter, whoosh_compat.FastSegmentWriter):
        folder = tmp_path / writer_class.__name__
        folder.mkdir()
        ix = FileStorage(str(folder)).create_index(schema, indexname=INDEX_NAME)
        writer = writer_class(ix)
        for text in ("running runners run", "the runner ran", "jumping"):
            writer.add_document(t=text)
        writer.compound = False
        writer.commit()
        with ix.searcher() as searcher:
            assert b"runners" in list(searcher.reader().lexicon("spell_t"))
        written.append(segment_files(folder))
    assert written[0].keys() == written[1].keys() and "pst" in written[0]
    assert written[0] == written[1]
