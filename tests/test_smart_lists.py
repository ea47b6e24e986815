"""Smart lists: saved searches with a scope and live counts; rename, edit, delete, export."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.exporting import ExportSelection
from storage.library import EditError, Library, NotFound
from storage.search import QueryError
from tests.routine_support import ids_of, write_corpus


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(tmp_path / "lib") as lib:
        lib.import_file(write_corpus(tmp_path))
        yield lib


def test_create_counts_and_lists_a_saved_search(library: Library) -> None:
    change = library.create_smart_list("Experts", "router experts")
    assert change.smart_lists == {"Experts"} and not change.paper_ids
    assert library.smart_count("experts") == len(ids_of("experts"))  # names ignore case
    assert sorted(library.smart_ids("Experts")) == sorted(library.paper_ids(query="router experts"))
    (counted,) = library.smart_counts()
    assert (counted.name, counted.query, counted.scope, counted.count) == (
        "Experts",
        "router experts",
        None,
        4,
    )
    assert counted.as_json() == {"name": "Experts", "query": "router experts", "papers": 4}


def test_a_scope_limits_the_search_and_counts_follow_edits(library: Library) -> None:
    retrieval = ids_of("retrieval")
    library.set_status(retrieval[:2], "read")
    library.create_smart_list("Unread retrieval", "passages", scope="status:unread")
    assert library.smart_count("Unread retrieval") == len(retrieval) - 2
    library.set_status(retrieval[2:3], "read")
    assert library.smart_count("Unread retrieval") == len(retrieval) - 3
    library.add_tags(retrieval[:1], ["dpr"])
    library.edit_smart_list("Unread retrieval", scope="tag:dpr")
    assert library.smart_ids("Unread retrieval") == retrieval[:1]
    library.edit_smart_list("Unread retrieval", scope=None, query="passages NOT status:read")
    assert library.smart_list("Unread retrieval").scope is None
    assert sorted(library.smart_ids("Unread retrieval")) == retrieval[3:]


def test_a_scope_follows_its_tag_or_list_when_that_is_renamed(library: Library) -> None:
    retrieval = ids_of("retrieval")
    library.add_tags(retrieval[:2], ["dpr"])
    library.create_list("Group")
    library.add_to_list("Group", retrieval[2:3])
    library.create_smart_list("By tag", "passages", scope="tag:dpr")
    library.create_smart_list("By list", "passages", scope="list:group")  # names ignore case
    change = library.rename_tag("dpr", "dense")
    assert change.smart_lists == {"By tag"}
    assert library.smart_list("By tag").scope == "tag:dense"
    assert sorted(library.smart_ids("By tag")) == sorted(retrieval[:2])
    change = library.edit_list("Group", new_name="Reading group")
    assert change.smart_lists == {"By list"}
    assert library.smart_list("By list").scope == "list:Reading group"
    assert library.smart_ids("By list") == retrieval[2:3]
    library.rename_tag("dense", "passages-tag")  # onto no existing tag: still followed
    library.add_tags(retrieval[3:4], ["other"])
    library.rename_tag("passages-tag", "other")  # merged onto an existing tag
    assert library.smart_list("By tag").scope == "tag:other"
    assert sorted(library.smart_ids("By tag")) == sorted(retrieval[:2] + retrieval[3:4])


def test_bad_queries_names_and_scopes_are_refused_with_the_reason(library: Library) -> None:
    with pytest.raises(QueryError, match="is never closed"):
        library.create_smart_list("Recent", "year:[2019 TO")
    with pytest.raises(QueryError):
        library.create_smart_list("Empty", "   ")
    with pytest.raises(EditError, match="scope"):
        library.create_smart_list("Odd", "experts", scope="folder:x")
    with pytest.raises(EditError, match="status"):
        library.create_smart_list("Odd", "experts", scope="status:archived")
    library.create_smart_list("Experts", "experts")
    with pytest.raises(EditError, match="exists already"):
        library.create_smart_list("EXPERTS", "router")  # names ignore case
    assert library.smart_lists()[0].query == "experts"


def test_rename_delete_and_restore(library: Library) -> None:
    library.create_smart_list("Experts", "experts")
    library.create_smart_list("Bytes", "bytes")
    with pytest.raises(EditError, match="exists already"):
        library.rename_smart_list("Experts", "bytes")
    assert library.rename_smart_list("Experts", "MoE").smart_lists == {"Experts", "MoE"}
    change, saved = library.delete_smart_list("moe")
    assert change.smart_lists == {"MoE"}
    with pytest.raises(NotFound):
        library.smart_list("MoE")
    library.restore_smart_list(saved)
    assert library.smart_list("MoE") == saved  # the same times and query


def test_a_smart_list_exports_like_a_reading_list(library: Library, tmp_path: Path) -> None:
    library.create_smart_list("Tokens", "tokenizer")
    report = library.export(ExportSelection.smart("Tokens"), "markdown", tmp_path / "t.md")
    text = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert report.papers == library.smart_count("Tokens") == len(library.smart_ids("Tokens")) > 0
    assert text.startswith("# Tokens")
    with pytest.raises(NotFound):
        library.export(ExportSelection.smart("None such"), "markdown", tmp_path / "x.md")
