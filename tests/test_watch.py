"""storage.watch: a look at PRAGMA data_version says when another connection committed."""

from __future__ import annotations

from pathlib import Path

from storage.library import Library


def _bib(path: Path) -> Path:
    path.write_text("@article{a1,\n title = {One},\n year = {2020}\n}\n", encoding="utf-8")
    return path


def test_a_commit_elsewhere_is_seen_once(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        watch = library.change_watch()
        assert not watch.changed()
        with Library(tmp_path / "lib") as other:
            other.import_file(_bib(tmp_path / "a.bib"))
            assert watch.changed()
            assert not watch.changed()  # once per commit seen
            other.add_tags(other.paper_ids(), ["x"])
            other.add_tags(other.paper_ids(), ["y"])
            assert watch.changed() and not watch.changed()  # two commits, one look
        library.set_status(library.paper_ids(), "read")  # this process's own writes count too
        assert watch.changed()
        watch.close()


def test_a_look_that_cannot_read_counts_as_a_change_later(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        watch = library.change_watch()
        watch.db_path = tmp_path / "missing" / "library.db"  # cannot be opened: no change seen
        watch.close()
        assert not watch.changed()
        watch.db_path = library.db_path
        assert watch.changed()  # what happened meanwhile is unknown: look again
        assert not watch.changed()
        watch.close()


def test_changed_or_unknown_says_so_for_a_look_that_cannot_read(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        watch = library.change_watch()
        assert not watch.changed_or_unknown()
        watch.db_path = tmp_path / "missing" / "library.db"
        watch.close()
        assert watch.changed_or_unknown()  # nothing is known: the caller compares for itself
        assert not watch.changed()  # (where changed() waits for the next look)
        watch.db_path = library.db_path
        assert watch.changed_or_unknown()  # and the next look still says so
        assert not watch.changed_or_unknown()
        library.import_file(_bib(tmp_path / "a.bib"))
        assert watch.changed_or_unknown()
        watch.close()
