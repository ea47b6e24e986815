"""A search that finds nothing explains itself: unknown words, "did you mean" corrections from
the index's own words (metadata and PDF text), and the papers with most of the words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_search import CORPUS, paper, texts

from app.cli import main
from storage.search import SearchIndex
from storage.searchhelp import explain, split_query


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("help-index"))
    pdf = paper(12, "Scanned Lecture Notes", pages=["Nothing but quaternions on this page."])
    index.rebuild([*CORPUS, pdf])
    yield index
    index.close()


def test_a_typo_gets_a_correction_that_finds_papers(index: SearchIndex) -> None:
    assert index.search("tokenizaton").total == 0
    help_ = explain(index, "tokenizaton")
    assert help_.unknown == ("tokenizaton",)
    assert help_.summary() == "No paper has “tokenizaton”."
    (first, *_others) = help_.corrections
    assert (first.query, first.words) == ("tokenization", (("tokenizaton", "tokenization"),))
    assert first.total == index.search("tokenization").total > 0
    assert help_.partial == ()


def test_corrections_keep_the_rest_of_the_query_and_its_case(index: SearchIndex) -> None:
    help_ = explain(index, 'title:Tokenizaton "byte level" year:2022')
    assert [c.query for c in help_.corrections] == ['title:Tokenization "byte level" year:2022']
    assert help_.corrections[0].total == 1


def test_words_from_the_pdf_text_are_offered_too(index: SearchIndex) -> None:
    help_ = explain(index, "quaternoins")
    assert [c.query for c in help_.corrections] == ["quaternions"]


def test_a_correction_that_finds_nothing_is_not_offered(index: SearchIndex) -> None:
    help_ = explain(index, "title:quaternoins")  # the word is only in a PDF, not in a title
    assert help_.corrections == ()


def test_papers_with_most_of_the_words_come_first(index: SearchIndex) -> None:
    query = "dense retrieval pruning"
    assert index.search(query).total == 0
    help_ = explain(index, query, texts=texts)
    assert help_.words == ("dense", "retrieval", "pruning")
    assert (help_.best, help_.best_total) == (2, 2)  # papers 6 and 7 have dense and retrieval
    assert help_.partial_total == 4  # and papers 8 and 9 have pruning
    assert [hit.id for hit in help_.partial[:2]] in ([6, 7], [7, 6])
    assert {hit.id for hit in help_.partial[2:]} == {8, 9}
    assert help_.partial[0].missing == ("pruning",)
    assert help_.partial[-1].missing == ("dense", "retrieval")
    assert "<b>" in help_.partial[0].snippet
    assert help_.summary() == (
        "No paper has all 3 words (dense, retrieval, pruning); 2 papers have 2 of them."
    )
    assert len(explain(index, query, limit=1).partial) == 1


def test_the_closest_papers_respect_not_and_the_scope(index: SearchIndex) -> None:
    help_ = explain(index, "dense retrieval pruning NOT negatives")
    assert {hit.id for hit in help_.partial} == {6, 7, 8, 9} - {6, 7}  # both mention negatives
    scoped = explain(index, "dense retrieval pruning", restrict_ids={7, 9})
    assert [hit.id for hit in scoped.partial] == [7, 9]
    assert scoped.partial_total == 2


def test_stop_words_and_or_queries(index: SearchIndex) -> None:
    assert explain(index, "the").summary() == (
        "“the” alone is too common to be searched: add a more specific word."
    )
    help_ = explain(index, "atention OR retreival")
    assert help_.alternatives and help_.partial == ()
    assert help_.summary() == "No paper has any of atention, retreival."
    assert help_.corrections[0].query == "attention OR retrieval"


def test_split_query_keeps_phrases_groups_ranges_and_fields_whole() -> None:
    clauses = split_query('a "b c" title: d (e OR f) year:[2019 TO 2021] NOT g AND h')
    assert [p.text for p in clauses.required] == [
        "a", '"b c"', "title: d", "(e OR f)", "year:[2019 TO 2021]", "h",
    ]  # fmt: skip
    assert [p.text for p in clauses.excluded] == ["g"]
    assert not clauses.alternatives


# --- the command line ------------------------------------------------------------------------

BIB = r"""
@article{vaswani2017, title={Attention Is All You Need}, author={Vaswani, Ashish}, year={2017},
  abstract={The Transformer relies on attention alone. Tokenization matters.}}
@article{karpukhin2020, title={Dense Passage Retrieval}, author={Karpukhin, Vladimir},
  year={2020}, abstract={Open-domain question answering with passage retrieval.}}
"""


@pytest.fixture
def lib(tmp_path: Path, capsys) -> str:
    (tmp_path / "in.bib").write_text(BIB, encoding="utf-8")
    folder = str(tmp_path / "lib")
    assert main(["--library", folder, "import", str(tmp_path / "in.bib")]) == 0
    capsys.readouterr()
    return folder


def test_cli_search_explains_an_empty_result_on_stderr(lib: str, capsys) -> None:
    assert main(["--library", lib, "search", "attention retrieval tokenizaton"]) == 0
    out, err = capsys.readouterr()
    assert out == "0 matches\n"  # stdout as before: scripts count on it
    assert err.splitlines()[0] == (
        "hint: No paper has all 3 words (attention, retrieval, tokenizaton); "
        "2 papers have 1 of them."
    )
    assert "did you mean" not in err  # `tokenization` would still find nothing
    assert "hint: closest: 2 papers with 1 of the 3 words:" in err
    assert "Attention Is All You Need  (without retrieval, tokenizaton)" in err
    assert "Dense Passage Retrieval  (without attention, tokenizaton)" in err
    assert main(["--library", lib, "search", "tokenizaton"]) == 0
    out, err = capsys.readouterr()
    assert out == "0 matches\n"
    assert err == "hint: No paper has “tokenizaton”.\nhint: did you mean: tokenization  (1 match)\n"


def test_cli_search_json_adds_did_you_mean_and_partial(lib: str, capsys) -> None:
    assert main(["--library", lib, "search", "attention tokenizaton", "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert list(data) == ["query", "total", "hits", "did_you_mean", "partial"]
    assert (data["total"], data["hits"]) == (0, [])
    assert data["did_you_mean"] == [{"query": "attention tokenization", "total": 1}]
    assert data["partial"]["words"] == ["attention", "tokenizaton"]
    assert (data["partial"]["most"], data["partial"]["total"]) == (1, 1)
    (hit,) = data["partial"]["hits"]
    assert (hit["title"], hit["missing"], hit["page"]) == (
        "Attention Is All You Need",
        ["tokenizaton"],
        None,
    )
    assert set(hit) == {"id", "title", "score", "snippet", "page", "missing"}
    assert err == ""  # JSON output: the hints are in the document
    assert main(["--library", lib, "search", "attention", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1
    assert list(data) == ["query", "total", "hits"]  # found something: the contract's keys only
    assert main(["--library", lib, "search", "zzyzx", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["did_you_mean"], data["partial"]) == ([], None)


def test_cli_malformed_query_exits_2_with_the_reason(lib: str, capsys) -> None:
    assert main(["--library", lib, "search", '"attention is all']) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "The quote before “attention” is never closed" in err
    assert err.count("\n") == 1


def test_a_not_that_leaves_out_every_paper_says_so(index: SearchIndex) -> None:
    help_ = explain(index, "dense retrieval NOT negatives")
    assert index.search("dense retrieval NOT negatives").total == 0
    assert help_.left_out == 2
    assert help_.summary() == (
        "2 papers have all of dense, retrieval, but NOT “negatives” leaves them out."
    )
    assert explain(index, "mamba NOT mamba").headline() == (
        "2 papers have mamba, but NOT “mamba” leaves them out."
    )
