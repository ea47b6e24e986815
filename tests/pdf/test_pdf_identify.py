"""A PDF's arXiv id, DOI, title and authors, from its name, metadata, text and type sizes."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from make_pdf import Line, Page, column, make_pdf, text_pages

from storage.pdf import identify
from storage.pdf.identify import (
    arxiv_from_name,
    arxiv_from_text,
    doi_from_text,
    plausible_title,
    split_authors,
    title_by_font,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
STAMP = "arXiv:2305.12345v2 [cs.CL] 3 Jun 2023"


def paper_page(title: list[str], body: list[str] | None = None, stamp: bool = True) -> Page:
    lines = [Line(text, y=700 - i * 24, size=18, bold=True) for i, text in enumerate(title)]
    lines.append(Line("Ada Lovelace, Charles Babbage", y=640, size=12))
    lines += column(body or ["Abstract. We study engines.", "They compute numbers."], top=600)
    if stamp:
        lines.append(Line(STAMP, x=30, y=220, size=20, rotate=True))
    return Page(lines)


@pytest.mark.parametrize(
    ("name", "arxiv"),
    [
        ("2305.12345v2.pdf", "2305.12345"),
        ("arXiv_2305.12345.pdf", "2305.12345"),
        ("arxiv-1706.03762v7 (1).pdf", "1706.03762"),
        ("0704.0001.pdf", "0704.0001"),
        ("Smith 2014 - 1412.6980v9.PDF", "1412.6980"),
        ("hep-th_9901001v1.pdf", "hep-th/9901001"),
        ("hep-th9901001.pdf", "hep-th/9901001"),
        ("math.gt_0309136.pdf", "math.GT/0309136"),
        ("report-2023.pdf", None),
        ("1234.5678.pdf", None),  # month 34
        ("2305.1234.pdf", None),  # four digits after the dot ended in 2014
        ("1412.12345.pdf", None),  # five digits began in 2015
        ("0703.1234.pdf", None),  # the scheme began in April 2007
        ("scan_20230512345.pdf", None),
        ("physics-9913001.pdf", None),  # month 13
    ],
)
def test_arxiv_from_name(name: str, arxiv: str | None) -> None:
    assert arxiv_from_name(name) == arxiv


def test_arxiv_from_text() -> None:
    assert arxiv_from_text(f"Title\n{STAMP}\nbody") == "2305.12345"
    assert arxiv_from_text("arXiv:hep-th/9901001v1 [hep-th] 4 Jan 1999") == "hep-th/9901001"
    # the stamp wins over a citation before it; a lone `arXiv:` id is taken
    assert arxiv_from_text(f"see arXiv:2101.00001\n{STAMP}") == "2305.12345"
    assert arxiv_from_text("Preprint arXiv: 2101.00001v3, 2021") == "2101.00001"
    # several ids without a stamp are citations, not the paper's own
    assert arxiv_from_text("cf. arXiv:2101.00001 and arXiv:2102.00002") is None
    assert arxiv_from_text("page 2305.12345 of nothing") is None


def test_identify_reads_the_stamp_but_the_name_wins() -> None:
    data = make_pdf([paper_page(["Engines of Difference"])])
    from_text = identify(data, name="engines.pdf")
    assert (from_text.arxiv_id, from_text.arxiv_from) == ("2305.12345", "text")
    from_name = identify(data, name="1706.03762v7.pdf")
    assert (from_name.arxiv_id, from_name.arxiv_from) == ("1706.03762", "name")


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("DOI: 10.1145/3292500.3330701.", "10.1145/3292500.3330701"),
        ("(see https://doi.org/10.1000/XYZ123), next", "10.1000/xyz123"),
        ("https://dx.doi.org/10.1000%2Fabc;", "10.1000/abc"),
        ("“10.5555/12345678”", "10.5555/12345678"),
        ("[doi:10.1038/nphys1170]", "10.1038/nphys1170"),
        (
            "doi:10.1002/(SICI)1097-0258(19980815)17:15<1661::AID-SIM968>3.0.CO;2-2).",
            "10.1002/(sici)1097-0258(19980815)17:15<1661::aid-sim968>3.0.co;2-2",
        ),
        ("version 10.2 of the tool", None),
        ("10.1234/", None),
    ],
)
def test_doi_trimming(text: str, doi: str | None) -> None:
    assert doi_from_text(text) == doi


def test_labelled_doi_wins_and_only_two_pages_count() -> None:
    assert doi_from_text("cites 10.1000/other; doi: 10.1000/own") == "10.1000/own"
    cited_first = [["Cites 10.1000/cited and more"], ["doi:10.1000/own"]]
    assert identify(make_pdf(text_pages(*cited_first))).doi == "10.1000/own"
    second = [["No identifiers here"], ["Published as 10.1000/second."]]
    assert identify(make_pdf(text_pages(*second))).doi == "10.1000/second"
    third = [["nothing"], ["still nothing"], ["doi:10.1000/third"]]
    assert identify(make_pdf(text_pages(*third))).doi is None
    subject = make_pdf(text_pages(["plain"]), info={"Subject": "Nature 5, doi:10.1038/x1"})
    assert identify(subject).doi == "10.1038/x1"


@pytest.mark.parametrize(
    "junk",
    [
        "untitled",
        "Untitled document",
        "Microsoft Word - final paper v3.docx",
        "paper.dvi",
        "main.tex",
        "ms_final_v3",
        "1-s2.0-S0893608019301234-main",
        "Document1",
        "C:\\Users\\me\\paper",
        "arXiv:2305.12345v2",
        "10.1145/3292500",
        "  ",
        "abc",
        "2305.12345v2",
    ],
)
def test_junk_metadata_titles(junk: str) -> None:
    assert not plausible_title(junk, "2305.12345v2.pdf")


def test_plausible_titles() -> None:
    assert plausible_title("Attention Is All You Need")
    assert plausible_title("Word2Vec Explained: Deriving Negative-Sampling")
    assert not plausible_title("engine notes", "Engine_Notes.pdf")  # the file name again


def test_title_by_font_size_over_junk_metadata() -> None:
    page = paper_page(["Self-Supervised Engines of", "Difference and Analysis"])
    data = make_pdf([page], info={"Title": "Microsoft Word - draft.docx", "Author": "admin"})
    found = identify(data, name="draft.pdf")
    assert found.title == "Self-Supervised Engines of Difference and Analysis"
    assert found.title_from == "font"
    assert found.authors == []  # "admin" is not a person


def test_plausible_metadata_title_is_used() -> None:
    info = {"Title": "Engines of Difference", "Author": "Ada Lovelace and Charles Babbage"}
    found = identify(make_pdf([paper_page(["Something Set Large"])], info=info))
    assert (found.title, found.title_from) == ("Engines of Difference", "metadata")
    assert found.authors == ["Ada Lovelace", "Charles Babbage"]


def test_title_with_a_scaled_unit_font_and_without_a_larger_type() -> None:
    scaled = Page([Line("Scaled Title Text", size=17, unit_font=True, y=700)] + column(["body"]))
    with pypdfium2.PdfDocument(make_pdf([scaled])) as document:
        assert title_by_font(document[0]) == "Scaled Title Text"
    uniform = make_pdf(text_pages(["Just a letter", "in one size", "of type"]))
    with pypdfium2.PdfDocument(uniform) as document:
        assert title_by_font(document[0]) is None
    assert identify(uniform).title is None


def test_footnote_marks_after_the_title_are_dropped() -> None:
    page = paper_page(["Bi-criteria Scheduling on Clusters \u2217"], stamp=False)
    assert identify(make_pdf([page])).title == "Bi-criteria Scheduling on Clusters"


def test_title_after_a_cover_image() -> None:
    data = make_pdf([Page(image=True), paper_page(["Engines Behind a Cover"])])
    found = identify(data)
    assert (found.title, found.arxiv_id) == ("Engines Behind a Cover", "2305.12345")


def test_title_of_a_real_pdf() -> None:
    found = identify(FIXTURES / "crazyones.pdf")
    assert (found.title, found.title_from) == ("The Crazy Ones", "font")


def test_failed_pdf_keeps_what_its_name_says() -> None:
    found = identify(b"not a pdf", name="2305.12345v2.pdf")
    assert found.arxiv_id == "2305.12345" and found.title is None and found.doi is None
    locked = identify(FIXTURES / "r6-user-password.pdf")
    assert (locked.arxiv_id, locked.title, locked.doi) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Ada Lovelace, Charles Babbage", ["Ada Lovelace", "Charles Babbage"]),
        ("Lovelace, Ada; Babbage, Charles", ["Lovelace, Ada", "Babbage, Charles"]),
        ("A. Turing and J. von Neumann & K. Gödel", ["A. Turing", "J. von Neumann", "K. Gödel"]),
        ("Administrator", []),
        ("ibm", []),
        ("Hatem; Ada Lovelace", ["Ada Lovelace"]),
        ("user1234", []),
        ("", []),
        (None, []),
    ],
)
def test_split_authors(value: str | None, names: list[str]) -> None:
    assert split_authors(value) == names


def test_an_unmatched_pdf_becomes_a_record() -> None:
    info = {"Author": "Lovelace, Ada; Charles Babbage"}
    found = identify(make_pdf([paper_page(["Engines of Difference"])], info=info), "x.pdf")
    record = found.to_record("x.pdf")
    assert (record.title, record.arxiv_id, record.url) == (
        "Engines of Difference",
        "2305.12345",
        None,
    )
    assert [author.display for author in record.authors] == ["Ada Lovelace", "Charles Babbage"]
    assert (record.authors[0].family, record.authors[1].family) == ("Lovelace", "Babbage")
    bare = identify(make_pdf(text_pages(["plain words"]))).to_record("my_scanned_paper.pdf")
    assert (bare.title, bare.authors, bare.doi, bare.url) == ("my scanned paper", [], None, None)
