"""Related papers and suggestions on a small library of four topics (real SQLite, real cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.library import EditError, Library, NotFound
from storage.related import Cancelled
from tests.routine_support import ids_of, write_corpus


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(tmp_path / "lib") as lib:
        lib.import_file(write_corpus(tmp_path))
        yield lib


@pytest.mark.parametrize("topic", ["retrieval", "tokenization", "experts", "vision"])
def test_related_papers_are_those_of_the_same_topic(library: Library, topic: str) -> None:
    group = ids_of(topic)
    for pid in group:
        hits = library.related(pid, limit=len(group) - 1)
        assert hits[0].id in group, library.paper(pid).title
        assert len({h.id for h in hits} & set(group)) >= len(group) - 2
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert all(0 < h.score <= 1 for h in hits)
        assert hits[0].title == library.paper(hits[0].id).title


def test_related_leaves_out_dismissed_papers_and_follows_edits(library: Library) -> None:
    first, second, *rest = ids_of("retrieval")
    assert second in {h.id for h in library.related(first, limit=3)}
    library.dismiss([second])
    assert second not in {h.id for h in library.related(first, limit=10)}
    # a note is evidence: a vision paper annotated about dense passage retrieval comes close
    satellite = ids_of("vision")[0]
    before = {h.id: h.score for h in library.related(first, limit=20)}.get(satellite, 0.0)
    library.add_note(satellite, "Compare with dense passage retrieval of questions and passages")
    after = {h.id: h.score for h in library.related(first, limit=20)}[satellite]
    assert after > before
    library.delete_papers(rest[:1])
    assert rest[0] not in {h.id for h in library.related(first, limit=20)}
    with pytest.raises(NotFound):
        library.related(9999)


def test_the_cache_is_written_and_read_by_the_next_library(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    with Library(folder) as library:
        library.import_file(write_corpus(tmp_path))
        expected = library.related(1, limit=5)
    cache = folder / "cache" / "related.arrays"
    assert cache.exists() and cache.stat().st_mode & 0o077 == 0
    with Library(folder) as library:
        assert library.related(1, limit=5) == expected
        library.update_paper(2, title="Segmenting satellite images of land cover")
        assert 2 not in {h.id for h in library.related(1, limit=3)}
    cache.write_bytes(b"not a cache")  # a damaged cache is only rebuilt
    with Library(folder) as library:
        assert library.related(1, limit=5)[0].id in ids_of("retrieval")


def test_suggestions_for_a_tag_come_from_its_topic_with_reasons(library: Library) -> None:
    tokens = ids_of("tokenization")
    library.add_tags(tokens[:2], ["tokens"])
    suggestions = library.recommend(tag="tokens", limit=2)
    assert {s.id for s in suggestions} == set(tokens[2:])
    assert all(s.why and all(isinstance(w, str) for w in s.why) for s in suggestions)
    assert any("token" in word for s in suggestions for word in s.why)
    assert suggestions[0].score >= suggestions[1].score


def test_rejected_and_accepted_suggestions(library: Library) -> None:
    experts = ids_of("experts")
    library.add_tags(experts[:2], ["moe"])
    top = library.recommend(tag="MoE", limit=1)[0].id  # tags ignore case
    assert top in experts[2:]
    change = library.reject_suggestions([top], tag="moe")
    assert change.paper_ids == {top} and change.tags == {"moe"}
    assert library.rejected_suggestions(tag="moe") == {top}
    assert top not in {s.id for s in library.recommend(tag="moe", limit=20)}
    library.unreject_suggestions([top], tag="moe")
    assert top in {s.id for s in library.recommend(tag="moe", limit=20)}
    library.accept_suggestions([top], tag="moe")
    assert "moe" in library.paper(top).tags
    assert top not in {s.id for s in library.recommend(tag="moe", limit=20)}


def test_suggestions_for_a_reading_list(library: Library) -> None:
    vision = ids_of("vision")
    library.create_list("Remote sensing")
    library.add_to_list("Remote sensing", vision[:2])
    suggestions = library.recommend(list_name="remote sensing", limit=1)
    assert [s.id for s in suggestions] == vision[2:]
    library.reject_suggestions(vision[2:], list_name="Remote sensing")
    assert vision[2] not in {s.id for s in library.recommend(list_name="Remote sensing")}
    library.accept_suggestions(vision[2:], list_name="Remote sensing")
    assert [e.paper_id for e in library.list_detail("Remote sensing").entries] == vision


def test_the_logistic_model_agrees_on_an_easy_topic(library: Library) -> None:
    retrieval = ids_of("retrieval")
    library.add_tags(retrieval[:3], ["dpr"])
    found = library.recommend(tag="dpr", limit=2, model="logistic")
    assert {s.id for s in found} == set(retrieval[3:])


def test_unknown_targets_and_cancel(library: Library) -> None:
    with pytest.raises(EditError, match="no tag named"):
        library.recommend(tag="nothing")
    with pytest.raises(EditError, match="no reading list"):
        library.recommend(list_name="nothing")
    with pytest.raises(ValueError):
        library.recommend()
    library.add_tags([1], ["one"])
    library.create_list("Empty")
    assert library.recommend(list_name="Empty") == []  # nothing to learn from
    fresh = Library(library.folder)  # a new process: the rows must be read again
    try:
        (fresh.folder / "cache" / "related.arrays").unlink(missing_ok=True)
        with pytest.raises(Cancelled):
            fresh.recommend(tag="one", cancel=lambda: True)
        assert fresh.recommend(tag="one", limit=3)  # nothing was left half-done
    finally:
        fresh.close()
