"""A big BibTeX file read in chunks by several processes gives exactly parse_bibtex's result."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.corpus import bibtex_entry, generate

from storage.formats import bibtex_chunks, parse
from storage.formats.bibtex import ReadWhole, parse_bibtex

REPEATED_FIELDS = "@article{twice,\n  title = {Twice},\n  title = {Again},\n  year = 2021\n}\n\n"
UNTITLED = "@misc{untitled,\n  author = {Doe, Jane},\n  year = 2020\n}\n\n"
BROKEN = "@article{broken2,\n  title = {Never closed,\n  year = 2020\n\n"
# A line inside an abstract that looks like the start of a block (bibtexparser reads it as
# one, and the enclosing entry as broken).
FAKE_BLOCK = (
    "@article{fake,\n  title = {Quoting BibTeX},\n  abstract = {Write it as\n"
    "@article{inner,\n  title = x} and so on},\n  year = 2019\n}\n\n"
)


def corpus(count: int = 400, broken: bool = False, slips: bool = True) -> str:
    """Generated entries with, in the second half, repeated fields, an untitled entry and a
    key used in the first half (entries[3] again; none of these with slips=False); broken:
    also a broken entry and block-like lines in fields."""
    entries = [bibtex_entry(paper) for paper in generate(count, seed=4)]
    half = count // 2
    extra = [REPEATED_FIELDS, UNTITLED, entries[3]] if slips else [UNTITLED]
    if broken:
        extra.append(BROKEN)
        for at in (count // 3, 2 * count // 3):
            entries.insert(at, FAKE_BLOCK.replace("fake", f"fake{at}"))
    entries[half + 20 : half + 20] = extra
    return "".join(entries)


def whole_read_refused(_text: str) -> None:
    raise AssertionError("read in one piece")


@pytest.fixture
def chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex_chunks, "CHUNKED_FROM_CHARS", 1000)


@pytest.mark.parametrize("processes", [2, 3])
def test_chunks_give_what_one_parse_gives(
    chunked: None, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = corpus()
    bounds = bibtex_chunks.chunk_bounds(text, processes)
    assert len(bounds) == processes + 1  # really cut
    assert all(text[cut:].startswith("@") for cut in bounds[1:-1])
    assert text.index("@article{twice") > bounds[1]
    whole = parse_bibtex(text)
    assert any("already used on line" in n.message for n in whole.notes)
    assert any("repeated field" in n.message for n in whole.notes)
    assert any("no title" in n.message for n in whole.notes)
    monkeypatch.setattr(bibtex_chunks, "read_blocks", whole_read_refused)
    read = bibtex_chunks.parse_bibtex_file(text, processes=processes)
    assert read.records == whole.records
    assert read.warnings == whole.warnings
    assert read.notes == whole.notes


def test_a_key_repeated_across_chunks_is_noted_with_both_lines(chunked: None) -> None:
    text = corpus()
    read = parse("\r\n".join(text.split("\n")), "bibtex")  # as detect.parse calls it
    repeated = [n for n in read.notes if "already used on line" in n.message]
    assert len(repeated) == 1
    lines = text.split("\n")
    assert lines[repeated[0].line - 1].startswith("@")
    first = int(repeated[0].message.split("line ")[1].split(";")[0])
    key = repeated[0].message.split("'")[1]
    assert lines[first - 1].startswith("@") and key in lines[first - 1]
    assert [r.citation_key for r in read.records].count(key) == 1


def test_macros_or_crossrefs_are_read_in_one_piece(
    chunked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args):
        raise AssertionError("read in chunks")

    monkeypatch.setattr(bibtex_chunks, "_read_in_chunks", refuse)
    text = corpus(60)
    for head in ("@string{jml = {Journal of ML}}\n\n", "@STRING (x = {y})\n\n"):
        assert bibtex_chunks.parse_bibtex_file(head + text, 2) == parse_bibtex(head + text)
    with_crossref = text + "@inproceedings{child,\n  title = {C},\n  crossref = {fake20}\n}\n"
    read = bibtex_chunks.parse_bibtex_file(with_crossref, 2)
    assert read == parse_bibtex(with_crossref)


def test_macros_or_crossrefs_in_any_spelling_are_found_in_the_chunks(chunked: None) -> None:
    """The quick look before reading knows common spellings only: the chunks' own blocks
    catch the others, and the file is read whole."""
    parent = "@proceedings{conf,\n  title = {The Conference},\n  year = 2019\n}\n\n"
    child = "@inproceedings{kid,\n  title = {A Child},\n  cRoSsReF = {conf}\n}\n\n"
    macro = "@sTrInG{jml = {Journal of ML}}\n\n"
    user = "@article{uses,\n  title = {Uses It},\n  journal = jml\n}\n\n"
    for first, last in ((parent, child), (macro, user)):
        text = first + corpus(200, slips=False) + last
        assert bibtex_chunks._whole_file_only(text) == (first == macro)  # any case of @string
        assert len(bibtex_chunks.chunk_bounds(text, 2)) == 3
        with pytest.raises(ReadWhole):
            bibtex_chunks._read_in_chunks(text, bibtex_chunks.chunk_bounds(text, 2))
        whole = parse_bibtex(text)
        assert bibtex_chunks.parse_bibtex_file(text, processes=2) == whole
    inherited = {r.citation_key: r for r in whole.records}
    assert inherited["uses"].venue == "Journal of ML"


def test_a_head_to_mend_anywhere_reads_the_file_in_one_piece(chunked: None) -> None:
    """A broken block in one chunk has read_blocks mend the heads of the whole text."""
    text = corpus(broken=True)
    no_comma = "@article{nocomma\n  title = {No comma after the key},\n  year = 2018\n}\n\n"
    text = no_comma + text  # in the first chunk; the broken entries are in later ones
    assert len(bibtex_chunks.chunk_bounds(text, 3)) >= 3
    whole = parse_bibtex(text)
    assert any("broken" in w.message for w in whole.warnings)
    assert any("missing comma after the citation key" in n.message for n in whole.notes)
    assert "No comma after the key" in [r.title for r in whole.records]
    with pytest.raises(ReadWhole):
        bibtex_chunks._read_in_chunks(text, bibtex_chunks.chunk_bounds(text, 3))
    assert bibtex_chunks.parse_bibtex_file(text, processes=3) == whole


def test_a_broken_block_has_heads_mended_in_chunks_that_read_well(chunked: None) -> None:
    """A chunk that reads well but holds a head that read_blocks would mend (here inside a
    comment), while a later chunk has a broken block (repeated fields): read whole."""
    comment = "@comment{Template: @article{ title = {x}}}\n\n"
    text = comment + corpus()
    bounds = bibtex_chunks.chunk_bounds(text, 2)
    assert text.index("@article{twice") > bounds[1]
    whole = parse_bibtex(text)
    assert any("no citation key" in n.message for n in whole.notes)
    with pytest.raises(ReadWhole):
        bibtex_chunks._read_in_chunks(text, bounds)
    assert bibtex_chunks.parse_bibtex_file(text, processes=2) == whole
    # Without the repeated fields and keys nothing is mended: the chunks are read as they are.
    clean = comment + corpus(slips=False)
    read = bibtex_chunks._read_in_chunks(clean, bibtex_chunks.chunk_bounds(clean, 2))
    assert read == parse_bibtex(clean)
    # A key repeated in another chunk is a broken block to bibtexparser's read of the whole.
    again = clean + bibtex_entry(list(generate(4, seed=4))[3])
    assert any("no citation key" in n.message for n in parse_bibtex(again).notes)
    with pytest.raises(ReadWhole):
        bibtex_chunks._read_in_chunks(again, bibtex_chunks.chunk_bounds(again, 2))
    assert bibtex_chunks.parse_bibtex_file(again, processes=2) == parse_bibtex(again)


def test_a_failing_helper_process_falls_back_to_one_piece(
    chunked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoProcesses:
        def __init__(self, *args, **kwargs) -> None:
            raise OSError("no processes here")

    monkeypatch.setattr(bibtex_chunks, "ProcessPoolExecutor", NoProcesses)
    text = corpus(120)
    assert bibtex_chunks.parse_bibtex_file(text, 2) == parse_bibtex(text)


def test_small_files_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args):
        raise AssertionError("read in chunks")

    monkeypatch.setattr(bibtex_chunks, "_read_in_chunks", refuse)
    text = corpus(40)
    assert len(text) < bibtex_chunks.CHUNKED_FROM_CHARS
    assert bibtex_chunks.parse_bibtex_file(text, 4) == parse_bibtex(text)


def test_a_file_of_one_block_cannot_be_cut(chunked: None, tmp_path: Path) -> None:
    text = "@article{one,\n  title = {Alone},\n  abstract = {" + "words " * 400 + "}\n}\n"
    assert bibtex_chunks.chunk_bounds(text, 3) == [0, len(text)]
    assert bibtex_chunks.parse_bibtex_file(text, 3).records[0].title == "Alone"
