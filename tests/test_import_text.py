"""Library.import_text: pasted text imports like a file; ids become papers completed later."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.library import ImportFailed, Library

BIBTEX = """@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  year = {2017},
  eprint = {1706.03762},
  archivePrefix = {arXiv},
}
"""


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(tmp_path / "lib") as lib:
        yield lib


def test_pasted_ids_become_papers_in_the_inbox(library: Library) -> None:
    report = library.import_text("1706.03762\n10.1000/XYZ\n")
    assert report.format == "ids" and report.source == "Clipboard"
    assert len(report.new_ids) == 2 and report.batch_id is not None
    titles = {library.paper(pid).title for pid in report.new_ids}
    assert titles == {"arXiv:1706.03762", "doi:10.1000/xyz"}
    assert sorted(library.inbox_ids()) == sorted(report.new_ids)
    assert library.search("1706.03762").total == 1


def test_a_later_import_with_the_metadata_completes_the_paper(
    library: Library, tmp_path: Path
) -> None:
    pid = library.import_text("arXiv:1706.03762").new_ids[0]
    library.add_tags([pid], ["to-read"])
    bib = tmp_path / "arxiv.bib"
    bib.write_text(BIBTEX, encoding="utf-8")
    report = library.import_file(bib)
    assert report.new_ids == [] and report.merged_ids == [pid]
    paper = library.paper(pid)
    assert paper.title == "Attention Is All You Need"
    assert list(paper.authors) == ["Ashish Vaswani", "Noam Shazeer"] and paper.year == 2017
    assert list(paper.tags) == ["to-read"]  # what the user did stays
    assert library.search("attention").total == 1
    assert library.search('title:"arXiv"').total == 0
    # the merge can be split off again: the id title comes back
    merge = library.merges(pid)[0]
    library.split(pid, merge.id)
    assert library.paper(pid).title == "arXiv:1706.03762"


def test_a_real_title_is_never_replaced(library: Library, tmp_path: Path) -> None:
    bib = tmp_path / "arxiv.bib"
    bib.write_text(BIBTEX, encoding="utf-8")
    pid = library.import_file(bib).new_ids[0]
    report = library.import_text("1706.03762")
    assert report.new_ids == [] and pid in report.unchanged_ids + report.merged_ids
    assert library.paper(pid).title == "Attention Is All You Need"


def test_pasted_bibtex_and_listings_import_like_files(library: Library) -> None:
    assert library.import_text(BIBTEX).format == "bibtex"
    listing = "Sparse attention for long documents\nWe sparsify attention at linear cost.\n"
    report = library.import_text(listing, source="Pasted text")
    assert report.format == "listing" and len(report.new_ids) == 1
    assert library.stats().papers == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Clipboard: nothing to import"),
        ("   \n", "Clipboard: nothing to import"),
        ("just some words", "Clipboard: unrecognised format"),
        ("@article{a,\n  title = {Broken\n", "Clipboard:1: "),
    ],
)
def test_text_that_cannot_be_read_names_the_source(library: Library, text, message) -> None:
    with pytest.raises(ImportFailed) as failed:
        library.import_text(text)
    assert str(failed.value).startswith(message)
    assert "\n" not in str(failed.value)
    assert library.stats().papers == 0
