"""Searching PDF text: phrases across line breaks and hyphens, the page of a hit, ranking."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pdf_library_support import FIXTURES, paper_like_pdf, run, run_json, simple_pdf

from storage.library import Library
from storage.search import Snippet


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search") / "lib"
    pdfs = folder.parent / "in"
    pdfs.mkdir()
    (pdfs / "quokka.pdf").write_bytes(paper_like_pdf())
    # attention everywhere in this PDF (its paper, DPR, has it nowhere else)
    (pdfs / "dpr.pdf").write_bytes(
        simple_pdf(*[["attention attention attention", "pruning of attention mask mask"]] * 3)
    )
    with Library(folder) as library:
        library.import_file(FIXTURES / "lib_papers.bib")  # 1 ELECTRA, 2 Sparse Attention, 3 DPR
        library.attach(3, [pdfs / "dpr.pdf"])
        report = library.import_file(pdfs / "quokka.pdf")
        assert report.new_ids == [4]
    return folder


def _search(lib: Path, query: str) -> list[tuple[int, int | None]]:
    with Library(lib) as library:
        return [(hit.id, hit.page) for hit in library.search(query).hits]


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ('text:"echidna gradient estimator"', 5),  # a phrase across a line break
        ('text:"hyperparameter tuning"', 3),  # `hyper-` at a line end, `parameter` below
        ('text:"first column talks about hyperparameter"', 3),  # the left column, in order
        ('text:"second column holds the platypus"', 3),  # then the right one
        ("text:first", 3),  # the ligature ﬁ
        ("text:нейронных", 4),
        ("text:深度学习", 4),
        ("text:detector", 2),  # stemmed: `detectors` on the page
        ("kangaroo", 2),  # no field: the file text is searched too
        ("text:marsupial", 1),
    ],
)
def test_the_right_page(lib: Path, query: str, page: int) -> None:
    assert _search(lib, query) == [(4, page)]


@pytest.mark.parametrize(
    ("query", "sort"),
    [
        ('text:"echidna gradient estimator"', "relevance"),  # a file page's snippet
        ("kangaroo", "relevance"),
        ("attention", "relevance"),  # the abstract of one, a page of another
        ("attention", "title"),  # a column's order: the view's ids, the same words
        ("pruning OR electra", "relevance"),
        ("prun*", "relevance"),  # prefixes and fuzzy words: their expansions
        ("text:kangaro*", "relevance"),
        ("atention~", "relevance"),
        ("abstract:pruned", "added"),
    ],
)
def test_a_snippet_cut_from_the_views_matches_is_the_searchs(
    lib: Path, query: str, sort: str
) -> None:
    """The window's search worker reads a view's ids with the words the query matched
    (paper_matches: one evaluation); any row's snippet is cut from them without searching
    again, and is the one a search for that paper alone gives."""
    with Library(lib) as library:
        matches = library.paper_matches(query=query, sort=sort)
        assert matches.ids and matches.ids == library.paper_ids(query=query, sort=sort)
        cut = {pid: library.snippet(matches, pid) for pid in matches.ids}
        for pid in matches.ids:
            (hit,) = library.search(query, 1, restrict_ids=[pid]).hits
            assert cut[pid] == Snippet(hit.snippet, hit.page, hit.file_id)
        assert any("<b>" in snippet.text for snippet in cut.values() if snippet)
        others = set(library.paper_ids()) - set(matches.ids)
        assert others and all(library.snippet(matches, pid) is None for pid in others)


def test_text_field_searches_file_text_only(lib: Path) -> None:
    assert _search(lib, "abstract:pruned") == [(2, None)]  # `We prune attention heads`
    assert _search(lib, "text:pruned") == [(3, 1)]  # `pruning of attention`: stemmed
    assert _search(lib, "text:electra") == []  # a title word, in no file


def test_file_text_ranks_below_title_and_abstract(lib: Path) -> None:
    hits = _search(lib, "attention")
    # Sparse Attention (title and abstract) before DPR, whose PDF says it nine times
    assert hits == [(2, None), (3, 1)]


def test_many_mentions_in_a_file_rank_below_one_in_an_abstract(lib: Path) -> None:
    # ELECTRA's abstract says `mask` twice; DPR's PDF says it six times on three pages
    assert _search(lib, "mask") == [(1, None), (3, 1)]


def test_search_json_page_and_total(lib: Path, capsys) -> None:
    result = run_json(capsys, lib, "search", "attention OR kangaroo", "--json", "--limit", "2")
    assert result["total"] == 3  # papers, not pages
    assert [(h["id"], h["page"]) for h in result["hits"]] == [(2, None), (3, 1)]
    assert "<b>attention</b>" in result["hits"][1]["snippet"]
    code, out, _ = run(capsys, lib, "search", "text:platypus")
    assert code == 0 and "p. 3: " in out and "1 match" in out


def test_rebuilt_index_reads_the_text_from_sqlite(lib: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(lib, copy)
    shutil.rmtree(copy / "index")
    assert _search(copy, 'text:"echidna gradient"') == [(4, 5)]


def test_check_fingerprints_cover_the_file_text(lib: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(lib, copy)
    assert run(capsys, copy, "check")[0] == 0
    with sqlite3.connect(copy / "library.db") as conn:  # behind the index's back
        conn.execute("UPDATE file_page SET text = 'wombat' WHERE page = 2")
    code, out, _ = run(capsys, copy, "check")
    assert code == 1 and "index:" in out
    assert [pid for pid, _page in _search(copy, "text:wombat")] == [4]  # the old text
    code, out, _ = run(capsys, copy, "check", "--repair")
    assert code == 0 and "index: 2 papers differ" in out and "repaired: re-indexed" in out
    assert {pid for pid, _page in _search(copy, "text:wombat")} == {3, 4}


def test_detach_takes_the_text_out_of_the_index(lib: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(lib, copy)
    with Library(copy) as library:
        (view,) = library.files(4)
        library.detach(4, view.id)
        assert library.search("text:platypus").hits == []
        assert library.search("kangaroo").total == 0


def test_a_hit_says_which_of_two_files_its_page_is_in(tmp_path: Path, capsys) -> None:
    lib = tmp_path / "lib"
    main = tmp_path / "main.pdf"
    main.write_bytes(simple_pdf(["The wombat burrow study"], ["Results on burrows"]))
    extra = tmp_path / "supplement.pdf"
    extra.write_bytes(simple_pdf(["Appendix A"], ["Appendix B"], ["the bandicoot tables"]))
    with Library(lib) as library:
        library.import_file(FIXTURES / "lib_papers.bib")
        library.attach(2, [main, extra])
        first, second = (view.id for view in library.files(2))
        hit = library.search("bandicoot").hits[0]
        assert (hit.id, hit.page, hit.file_id) == (2, 3, second)
        matches = library.paper_matches(query="bandicoot")
        assert library.snippet(matches, 2) == Snippet(hit.snippet, 3, second)
        hit = library.search("wombat").hits[0]
        assert (hit.id, hit.page, hit.file_id) == (2, 1, first)
        hit = library.search("sparse").hits[0]  # the title and abstract: no file
        assert (hit.id, hit.page, hit.file_id) == (2, None, None)
    result = run_json(capsys, lib, "search", '"bandicoot tables"', "--json")
    assert [(h["page"], h["file_id"]) for h in result["hits"]] == [(3, second)]
    code, out, _ = run(capsys, lib, "search", "bandicoot")
    assert code == 0 and "p. 3 of supplement.pdf: " in out
    code, out, _ = run(capsys, lib, "search", "text:platypus OR text:wombat")
    assert "p. 1 of main.pdf: " in out


def test_a_single_file_needs_no_name(lib: Path, capsys) -> None:
    result = run_json(capsys, lib, "search", "text:platypus", "--json")
    (hit,) = result["hits"]
    with Library(lib) as library:
        (view,) = library.files(4)
    assert (hit["page"], hit["file_id"]) == (3, view.id)
    code, out, _ = run(capsys, lib, "search", "text:platypus")
    assert "p. 3: " in out and " of quokka.pdf" not in out
