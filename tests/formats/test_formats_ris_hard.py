"""Hard RIS cases from real exports (issue 10), each fixture written here, small."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.formats.detect import parse, read_source
from storage.formats.ris import parse_ris
from storage.records import AuthorRecord, FormatError


def test_a1_and_au_keep_their_order_as_written():
    # Reference Manager / EndNote exports mix `A1` and `AU` in one record (Zotero's RIS
    # translator reads both as authors, in file order); rispy alone puts all AU before all A1.
    text = (
        "TY  - JOUR\nTI  - Mixed Author Tags\nA1  - Alpha, Ann\nAU  - Beta, Ben\n"
        "A1  - Gamma, Gil\nAU  - Delta, Dee\nER  - \n"
    )
    (record,) = parse_ris(text).records
    assert [a.family for a in record.authors] == ["Alpha", "Beta", "Gamma", "Delta"]


@pytest.mark.parametrize(
    ("dates", "year", "month"),
    [
        # PubMed's RIS: `PY` a year, `DA` the full date
        ("PY  - 2019\nDA  - 2019/05/03\n", 2019, "May"),
        # Scopus RIS export shape: `PY` only, the year
        ("PY  - 2021\n", 2021, None),
        # an online-first paper: the full `DA` date wins over the bare issue year
        ("PY  - 2020\nDA  - 2019/12/11/\n", 2019, "December"),
        # Reference Manager's `Y1  - 2018///` (year, then empty month and day)
        ("Y1  - 2018///\n", 2018, None),
        ("Y1  - 2018/03//\nPY  - 2018\n", 2018, "March"),
        # equal detail: DA (then Y1) before PY, as Zotero keeps PY only as a fallback
        ("PY  - 2017\nY1  - 2016\n", 2016, None),
        # Ovid and Embase write month names
        ("PY  - 2015\nDA  - 2015 Jun 4\n", 2015, "June"),
        ("DA  - 2014/00/00\n", 2014, None),  # unknown parts given as 0
    ],
)
def test_most_specific_date_wins(dates, year, month):
    (record,) = parse_ris(f"TY  - JOUR\nTI  - Dated\n{dates}ER  - \n").records
    assert (record.year, record.extra.get("month")) == (year, month)


def test_untitled_records_get_a_placeholder_not_dropped():
    # Embase/Ovid exports hold conference abstracts with no `TI` (only authors, year, venue)
    text = (
        "TY  - CONF\nAU  - Moreau, Luc\nAU  - Ito, Ken\nPY  - 2022\nT2  - Proc. Things\n"
        "ER  - \n\nTY  - JOUR\nST  - Short Only\nER  - \n\nTY  - JOUR\nM3  - Article\nER  - \n"
    )
    result = parse_ris(text)
    assert [r.title for r in result.records] == [
        "[Untitled] Moreau et al. 2022, Proc. Things",
        "Short Only",  # Zotero: a short title stands in for a missing title
    ]
    placeholder = "'[Untitled] Moreau et al. 2022, Proc. Things'"
    assert [(w.line, w.message) for w in result.notes] == [
        (1, f"RIS record without a title imported as {placeholder}"),
    ]
    assert [(w.line, w.message) for w in result.warnings] == [
        (12, "RIS record without a title or anything else to name it skipped"),
    ]
    with pytest.raises(FormatError, match="no usable RIS records"):
        parse_ris("TY  - JOUR\nM3  - Article\nER  - \n")


RIS = "TY  - JOUR\r\nTI  - Übersicht der Methoden\r\nAU  - Müller, Jürgen\r\nER  - \r\n"


@pytest.mark.parametrize(
    "data",
    [
        RIS.encode("utf-16-le"),  # EndNote on Windows writes UTF-16 LE without a BOM
        RIS.encode("utf-16-be"),
        RIS.encode("utf-16"),  # with a BOM (little-endian here)
        b"\xfe\xff" + RIS.encode("utf-16-be"),
    ],
    ids=["le-no-bom", "be-no-bom", "bom-le", "bom-be"],
)
def test_utf16_files_with_and_without_bom(tmp_path: Path, data: bytes):
    path = tmp_path / "export.ris"
    path.write_bytes(data)
    text = read_source(path)
    assert "\r" not in text and "\ufeff" not in text
    (record,) = parse(text, filename=path.name).records
    assert record.title == "Übersicht der Methoden"
    assert record.authors == [AuthorRecord(family="Müller", given="Jürgen")]


def test_html_in_titles_becomes_text():
    # Web of Science and publisher RIS carry HTML entities and sub/sup tags in TI and T2
    text = (
        "TY  - JOUR\nTI  - CO<sub>2</sub> capture &amp; storage\nT2  - Energy &amp; Fuels\n"
        "ER  - \n"
    )
    (record,) = parse_ris(text).records
    assert (record.title, record.venue) == ("CO₂ capture & storage", "Energy & Fuels")


def test_binary_with_nul_bytes_is_still_refused(tmp_path: Path):
    path = tmp_path / "data.ris"
    path.write_bytes(b"\x00\x01\x02\x03" * 50)
    with pytest.raises(FormatError, match="not a text file"):
        read_source(path)
