"""The Inbox: new papers of each import wait there; keep, dismiss, undo; dismissed papers hidden."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.database import SCHEMA_VERSION
from storage.library import Library
from tests.routine_support import write_corpus

LISTING = """Sparse attention for long documents
We sparsify attention so that transformers read long documents at linear cost.

Tokenization without a vocabulary
We model bytes and drop the tokenizer of the language model.
"""


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(tmp_path / "lib") as lib:
        yield lib


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_each_import_puts_its_new_papers_in_the_inbox_newest_first(
    library: Library, tmp_path: Path
) -> None:
    first = library.import_file(write_corpus(tmp_path))
    second = library.import_file(write(tmp_path / "daily.txt", LISTING), "listing")
    assert first.batch_id is not None and second.batch_id is not None
    assert second.batch_id > first.batch_id
    inbox = library.inbox()
    assert inbox.total == len(first.new_ids) + 2 == library.inbox_count()
    # newest import first, then in the order the file lists them
    assert [p.id for p in inbox.papers] == [*second.new_ids, *first.new_ids]
    assert library.inbox_ids() == [p.id for p in inbox.papers]
    assert {p.batch_id for p in inbox.papers[:2]} == {second.batch_id}
    assert library.inbox(limit=3).total == inbox.total and len(library.inbox(limit=3).papers) == 3


def test_keep_and_dismiss_leave_the_inbox_and_undo_puts_them_back(
    library: Library, tmp_path: Path
) -> None:
    report = library.import_file(write(tmp_path / "daily.txt", LISTING), "listing")
    sparse, tokens = report.new_ids
    kept = library.keep([sparse])
    assert kept.paper_ids == {sparse} and library.paper(sparse).status == "unread"
    dismissed = library.dismiss([tokens])
    assert library.paper(tokens).status == "dismissed"
    assert library.inbox_count() == 0
    library.undo_triage(dismissed.previous)
    assert library.paper(tokens).status == "unread" and library.inbox_ids() == [tokens]
    library.undo_triage(kept.previous)
    assert library.inbox_ids() == [sparse, tokens]  # back in its place, in file order
    # keep of a dismissed paper brings it back as unread; a paper already kept is left alone
    library.dismiss([tokens])
    assert library.keep([tokens, sparse]).paper_ids == {tokens, sparse}
    assert library.paper(tokens).status == "unread"
    assert library.keep([tokens]).paper_ids == frozenset()


def test_undoing_a_delete_puts_a_paper_back_in_its_inbox_place(
    library: Library, tmp_path: Path
) -> None:
    report = library.import_file(write(tmp_path / "daily.txt", LISTING), "listing")
    sparse, tokens = report.new_ids
    before = library.inbox()
    _change, snapshot = library.delete_papers([sparse])
    assert library.inbox_ids() == [tokens]
    library.restore_papers(snapshot)
    after = library.inbox()
    assert after.total == 2 and [p.id for p in after.papers] == [sparse, tokens]
    assert [p.batch_id for p in after.papers] == [p.batch_id for p in before.papers]
    kept = library.keep([tokens])  # a kept paper deleted and restored stays out of the Inbox
    assert kept.paper_ids == {tokens}
    _change, snapshot = library.delete_papers([tokens])
    library.restore_papers(snapshot)
    assert library.inbox_ids() == [sparse]


def test_keep_leaves_a_status_set_during_triage(library: Library, tmp_path: Path) -> None:
    (sparse, _tokens) = library.import_file(write(tmp_path / "d.txt", LISTING), "listing").new_ids
    library.set_status([sparse], "reading")
    library.keep([sparse])
    assert library.paper(sparse).status == "reading"


def test_dismissed_papers_are_hidden_but_searchable_and_never_come_back(
    library: Library, tmp_path: Path
) -> None:
    listing = write(tmp_path / "daily.txt", LISTING)
    sparse, tokens = library.import_file(listing, "listing").new_ids
    library.dismiss([tokens])
    assert library.paper_ids() == [sparse]  # All papers
    assert library.paper_ids(include_dismissed=True) == [tokens, sparse]
    assert library.paper_ids(status="dismissed") == [tokens]
    assert library.search("tokenizer").total == 0
    assert [h.id for h in library.search("tokenizer status:dismissed").hits] == [tokens]
    assert library.paper_ids(query="tokenizer") == []
    assert library.status_counts()["dismissed"] == 1
    # re-importing the same listing merges into the stored papers: nothing new, nothing back
    again = library.import_file(listing, "listing")
    assert again.new_ids == [] and sorted(again.unchanged_ids) == [sparse, tokens]
    assert library.inbox_ids() == [sparse]
    assert library.paper(tokens).status == "dismissed"


def test_a_status_change_to_dismissed_hides_an_inbox_paper_until_undone(
    library: Library, tmp_path: Path
) -> None:
    sparse, tokens = library.import_file(write(tmp_path / "d.txt", LISTING), "listing").new_ids
    library.set_status([tokens], "dismissed")
    assert library.inbox_ids() == [sparse]
    library.set_status([tokens], "unread")  # the window's undo of a status change
    assert library.inbox_ids() == [sparse, tokens]


def test_a_merge_into_a_kept_paper_does_not_put_it_back(library: Library, tmp_path: Path) -> None:
    library.import_file(write(tmp_path / "d.txt", LISTING), "listing")
    library.keep(library.inbox_ids())
    richer = write(
        tmp_path / "more.bib",
        "@article{x, title={Sparse attention for long documents}, year={2023}, doi={10.1/xyz}}",
    )
    report = library.import_file(richer)
    assert report.merged_ids and library.inbox_count() == 0


def test_inbox_sorted_by_score_puts_papers_like_the_kept_ones_first(
    library: Library, tmp_path: Path
) -> None:
    library.import_file(write_corpus(tmp_path))
    library.keep(library.inbox_ids())
    library.add_tags([1, 2, 3], ["retrieval"])  # what the user cares about
    daily = library.import_file(
        write(
            tmp_path / "daily.txt",
            "Land cover from satellite images\nRemote sensing images of land cover, segmented.\n\n"
            "Dense retrieval of passages for questions\nA dual encoder retrieves passages for "
            "open-domain questions with dense retrieval.\n",
        ),
        "listing",
    )
    satellite, dense = daily.new_ids
    assert library.inbox().papers[0].id == satellite  # import order
    ranked = library.inbox(sort="score")
    assert [p.id for p in ranked.papers] == [dense, satellite]
    assert ranked.papers[0].score is not None and ranked.papers[0].score > ranked.papers[1].score


def test_a_library_from_schema_4_starts_with_an_empty_inbox(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    with Library(folder) as library:
        library.import_file(write(tmp_path / "d.txt", LISTING), "listing")
        library.create_smart_list("Sparse", "sparse")
    with sqlite3.connect(folder / "library.db") as conn:
        for table in ("inbox_item", "tag_rejection", "list_rejection", "smart_list"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("PRAGMA user_version=4")
    with Library(folder) as library:
        assert library.inbox_count() == 0 and library.smart_lists() == []
        assert library.stats().papers == 2
        library.create_smart_list("Sparse", "sparse")  # the tables are there
    with sqlite3.connect(folder / "library.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")  # as if renumbered
    with Library(folder) as library:  # the step runs again over the tables it made: no harm
        assert [s.name for s in library.smart_lists()] == ["Sparse"]


def test_the_inbox_as_a_table_filter_in_its_order_or_a_column_s(
    library: Library, tmp_path: Path
) -> None:
    first = library.import_file(write_corpus(tmp_path))
    second = library.import_file(write(tmp_path / "daily.txt", LISTING), "listing")
    library.dismiss([first.new_ids[0]])
    library.keep([first.new_ids[1]])
    waiting = library.inbox_ids()
    assert library.paper_ids(inbox=True, sort="inbox") == waiting
    assert waiting[:2] == second.new_ids and first.new_ids[0] not in waiting
    by_title = library.paper_ids(inbox=True, sort="title", descending=False)
    assert sorted(by_title) == sorted(waiting) and by_title != waiting
    assert library.paper_ids(inbox=True, query="sparsify") == [second.new_ids[0]]
    library.dismiss([second.new_ids[0]])
    assert library.paper_ids(inbox=True, query="sparsify") == []
    waiting = library.inbox_ids()
    assert library.paper_ids(inbox=True, query="retrieval", sort="inbox") == [
        pid for pid in waiting if pid in set(library.paper_ids(query="retrieval"))
    ]


def test_inbox_batches_say_how_many_of_each_import_wait(
    library: Library, tmp_path: Path
) -> None:
    first = library.import_file(write_corpus(tmp_path))
    second = library.import_file(write(tmp_path / "daily.txt", LISTING), "listing")
    pasted = library.import_text("2305.12345")
    library.dismiss([second.new_ids[0]])
    batches = library.inbox_batches()
    assert [(b.id, b.waiting) for b in batches] == [
        (pasted.batch_id, 1),
        (second.batch_id, 1),
        (first.batch_id, len(first.new_ids)),
    ]
    assert [Path(b.source or "").name for b in batches] == ["Clipboard", "daily.txt", "corpus.bib"]
    assert batches[1].format == "listing" and batches[0].started_at is not None
    library.keep(library.inbox_ids())
    assert library.inbox_batches() == []
