"""Citation keys: `familyYEARword` in ASCII, a/b/c on collisions, and when a key may change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.database import SCHEMA_VERSION
from storage.formats.bibtex import write_bibtex
from storage.formats.common import citation_keys
from storage.library import Library
from storage.metadata import citation_key_for
from storage.records import AuthorRecord, PaperRecord


def key(title: str, *authors: AuthorRecord, year: int | None = None) -> str:
    return citation_key_for(PaperRecord(title=title, authors=list(authors), year=year), set())


def test_the_shape_is_family_year_first_significant_word() -> None:
    vaswani = AuthorRecord(family="Vaswani", given="Ashish")
    assert key("Attention Is All You Need", vaswani, year=2017) == "vaswani2017attention"
    assert key("The Case for Learned Index Structures", vaswani, year=2018) == "vaswani2018case"
    assert key("On the Opportunities of X", vaswani, year=2021) == "vaswani2021opportunities"


def test_accents_and_punctuation_become_ascii() -> None:
    godel = AuthorRecord(family="Gödel", given="Kurt")
    assert key("Über formal unentscheidbare Sätze", godel, year=1931) == "godel1931uber"
    assert key("Ça marche", AuthorRecord(family="Müller-Lüdenscheidt"), year=2001) == (
        "mullerludenscheidt2001ca"
    )
    assert key("Wait", AuthorRecord(family="O'Neil", given="Cathy"), year=2016) == "oneil2016wait"
    assert key("Łódź: a city", AuthorRecord(family="Nguyễn"), year=2020) == "nguyen2020odz"


def test_particles_are_dropped_and_a_literal_name_gives_its_first_word() -> None:
    assert key("Deep Nets", AuthorRecord(family="van der Berg", given="Jan"), year=2019) == (
        "berg2019deep"
    )
    assert key("Results", AuthorRecord(literal="The ATLAS Collaboration"), year=2012) == (
        "atlas2012results"
    )


def test_missing_parts_are_left_out() -> None:
    assert key("Attention Is All You Need", year=2017) == "2017attention"  # no authors
    assert key("Attention", AuthorRecord(family="Vaswani")) == "vaswaniattention"  # no year
    assert key("Attention") == "attention"
    assert key("The Of And", year=2020) == "2020"  # only stop words
    assert key("¿?") == "paper"


def test_collisions_take_a_b_c_case_insensitively() -> None:
    taken = {"vaswani2017attention"}
    record = PaperRecord(title="Attention", authors=[AuthorRecord(family="Vaswani")], year=2017)
    assert [citation_key_for(record, taken) for _ in range(3)] == [
        "vaswani2017attentiona",
        "vaswani2017attentionb",
        "vaswani2017attentionc",
    ]
    many = {"x"} | {f"x{chr(c)}" for c in range(ord("a"), ord("z") + 1)}
    assert citation_key_for(PaperRecord(title="X"), many) == "xaa"


# --- in a library: when a key is generated, remade on merge, or kept ---------------------------


@pytest.fixture
def library(tmp_path: Path):
    with Library(tmp_path / "lib") as lib:
        yield lib


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ris(title: str, *, key: str | None = None, year: int | None = None) -> str:
    lines = ["TY  - JOUR", f"TI  - {title}"]
    lines += [f"ID  - {key}"] if key else []
    lines += [f"PY  - {year}"] if year else []
    return "\n".join([*lines, "ER  - ", ""])


BIB = """@article{ignored2019key,
  title = {Sparse Attention for Long Documents},
  author = {M{\\"u}ller, J{\\"o}rg and Smith, Ann},
  year = {2019}
}
"""


def keys_of(library: Library) -> dict[str, str | None]:
    return {d.title: d.citation_key for d in (library.paper(pid) for pid in library.paper_ids())}


def test_a_generated_key_is_remade_when_a_merge_brings_authors_and_year(
    library: Library, tmp_path: Path
) -> None:
    library.import_file(write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents")))
    assert keys_of(library) == {"Sparse Attention for Long Documents": "sparse"}
    report = library.import_file(write(tmp_path / "b.bib", BIB))
    assert report.merged_ids
    assert keys_of(library) == {"Sparse Attention for Long Documents": "muller2019sparse"}
    assert library.resolve("MULLER2019SPARSE") == 1


def test_a_remade_key_stays_unique_and_a_split_puts_the_old_key_back(
    library: Library, tmp_path: Path
) -> None:
    library.import_file(write(tmp_path / "k.ris", ris("Other paper", key="muller2019sparse")))
    library.import_file(write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents")))
    library.import_file(write(tmp_path / "b.bib", BIB))
    pid = library.resolve("muller2019sparsea")
    assert pid == 2
    assert library.paper(pid).citation_key == "muller2019sparsea"
    merge = library.merges(pid)[0]
    library.split(pid, merge.id)
    assert library.paper(pid).citation_key == "sparse"


def test_a_year_alone_remakes_a_generated_key(library: Library, tmp_path: Path) -> None:
    library.import_file(write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents")))
    library.import_file(
        write(tmp_path / "b.ris", ris("Sparse attention for long documents", year=2021))
    )
    assert library.paper(1).citation_key == "2021sparse"


def test_an_imported_key_is_never_changed_by_a_merge(library: Library, tmp_path: Path) -> None:
    library.import_file(
        write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents", key="MyKey"))
    )
    library.import_file(write(tmp_path / "b.bib", BIB))
    detail = library.paper(1)
    assert (detail.citation_key, detail.year) == ("MyKey", 2019)


def test_a_key_the_user_set_is_never_changed_by_a_merge(library: Library, tmp_path: Path) -> None:
    library.import_file(write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents")))
    library.update_paper(1, citation_key="mine")
    library.import_file(write(tmp_path / "b.bib", BIB))
    detail = library.paper(1)
    assert (detail.citation_key, detail.authors[0]) == ("mine", "Jörg Müller")


def test_an_empty_key_edit_generates_one_that_merges_may_remake(
    library: Library, tmp_path: Path
) -> None:
    library.import_file(
        write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents", key="MyKey"))
    )
    library.update_paper(1, citation_key="")
    assert library.paper(1).citation_key == "sparse"
    library.import_file(write(tmp_path / "b.bib", BIB))
    assert library.paper(1).citation_key == "muller2019sparse"


def test_a_library_from_schema_3_marks_only_keys_of_the_generated_shape(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    with Library(folder) as library:
        library.import_file(write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents")))
        library.import_file(write(tmp_path / "c.ris", ris("Dense Passage Retrieval", key="DPR")))
        library.import_file(write(tmp_path / "d.ris", ris("Sparse Retrieval", key="sparse2")))
    with sqlite3.connect(folder / "library.db") as conn:
        conn.execute("ALTER TABLE paper DROP COLUMN key_generated")
        conn.execute("PRAGMA user_version=3")
    with Library(folder) as library:
        library.import_file(write(tmp_path / "b.bib", BIB))
        library.import_file(write(tmp_path / "e.ris", ris("Dense passage retrieval", year=2020)))
        library.import_file(write(tmp_path / "f.ris", ris("Sparse retrieval", year=2020)))
        assert [library.paper(pid).citation_key for pid in (1, 2, 3)] == [
            "muller2019sparse",  # "sparse" had the generated shape
            "DPR",  # a file's key: kept
            "sparse2",  # not the shape its paper would be given: kept
        ]
        assert [library.paper(pid).year for pid in (1, 2, 3)] == [2019, 2020, 2020]
    with sqlite3.connect(folder / "library.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert list((folder / "backups").glob("library-v3-*.db"))


def test_the_window_passes_authors_as_records_under_the_same_rules(
    library: Library, tmp_path: Path
) -> None:
    from storage.editing import EditError

    library.import_file(write(tmp_path / "a.ris", ris("Sparse Attention for Long Documents")))
    change = library.update_paper(
        1,
        authors=[AuthorRecord(family=" Lovelace ", given="Ada"), AuthorRecord(literal="OpenAI")],
        year=1843,
    )
    assert change.paper_ids == {1}
    assert library.paper(1).authors == ("Ada Lovelace", "OpenAI")
    assert library.search("lovelace").total == 1
    with pytest.raises(EditError, match="'Ada' has no family name"):
        library.update_paper(1, authors=[AuthorRecord(given="Ada")])
    with pytest.raises(EditError, match="year must be a number"):
        library.update_paper(1, year="1843a")
    with pytest.raises(EditError, match="cannot edit rating"):
        library.update_paper(1, rating=3)


def test_export_time_keys_have_the_shape_of_stored_keys() -> None:
    """A record without a key of its own is exported with the key a stored paper would get."""
    records = [
        PaperRecord(
            title="Is Attention Interpretable?", authors=[AuthorRecord("Serrano")], year=2019
        ),
        PaperRecord(title="Deep Nets", authors=[AuthorRecord("van der Berg", "Jan")], year=2019),
        PaperRecord(title="Results", authors=[AuthorRecord(literal="The ATLAS Collaboration")]),
        PaperRecord(title="Attention Is All You Need", year=2017),  # no author: no `anon`
        PaperRecord(title="¿?"),
        PaperRecord(title="Deep Nets, again", authors=[AuthorRecord("Berg")], year=2019),
    ]
    keys = citation_keys(records)
    assert keys == [
        "serrano2019attention",
        "berg2019deep",
        "atlasresults",
        "2017attention",
        "paper",
        "berg2019deepa",
    ]
    taken: set[str] = set()
    assert keys == [citation_key_for(record, taken) for record in records]
    written = write_bibtex(records[3:4])
    assert written.startswith("@misc{2017attention,")
