"""Entry types survive every importer -> library -> exporter path (BibTeX, RIS, CSL-JSON)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli import main
from storage.exporting import ExportSelection
from storage.formats.bibtex import parse_bibtex
from storage.formats.csl_json import parse_csl_json
from storage.formats.ris import parse_ris
from storage.library import Library

BIBTEX = r"""
@article{b1, title={B Journal}, author={Doe, Jane}, journal={J. Stuff}, year={2020}}
@inproceedings{b2, title={B Conf}, author={Doe, Jane}, booktitle={Proc. Conf}, year={2020}}
@book{b3, title={B Book}, author={Doe, Jane}, publisher={Pub}, year={2020}}
@phdthesis{b4, title={B Thesis}, author={Doe, Jane}, school={Uni}, year={2020}}
@techreport{b5, title={B Report}, author={Doe, Jane}, institution={Inst}, year={2020}}
@incollection{b6, title={B Chapter}, author={Doe, Jane}, booktitle={Coll}, year={2020}}
@misc{b7, title={B Misc}, author={Doe, Jane}, year={2020}}
@patent{b8, title={B Patent}, author={Doe, Jane}, year={2020}}
@online{b9, title={B Online}, author={Doe, Jane}, year={2020}, url={https://example.org}}
"""
RIS = "".join(
    f"TY  - {kind}\nTI  - R {title}\nAU  - Doe, Jane\nPY  - 2020\nT2  - Venue\nER  - \n\n"
    for kind, title in [
        ("JOUR", "Journal"),
        ("CONF", "Conf"),
        ("CPAPER", "Cpaper"),
        ("NEWS", "News"),
        ("BLOG", "Blog"),
        ("PAT", "Patent"),
    ]
)
CSL = [
    {"id": f"c{n}", "type": kind, "title": f"C {title}", "issued": {"date-parts": [[2020]]},
     "author": [{"family": "Doe", "given": "Jane"}]}
    for n, (kind, title) in enumerate([
        ("article-journal", "Journal"),
        ("paper-conference", "Conf"),
        ("article", "Preprint"),
        ("chapter", "Chapter"),
        ("patent", "Patent"),
        ("article-newspaper", "News"),
        ("post-weblog", "Blog"),
    ])
]  # fmt: skip

# title -> (BibTeX type, RIS TY, CSL type) the exports write
EXPECTED = {
    "B Journal": ("article", "JOUR", "article-journal"),
    "B Conf": ("inproceedings", "CPAPER", "paper-conference"),
    "B Book": ("book", "BOOK", "book"),
    "B Thesis": ("phdthesis", "THES", "thesis"),
    "B Report": ("techreport", "RPRT", "report"),
    "B Chapter": ("incollection", "CHAP", "chapter"),
    "B Misc": ("misc", "GEN", "article"),
    "B Patent": ("patent", "PAT", "patent"),
    "B Online": ("online", "ELEC", "webpage"),
    "R Journal": ("article", "JOUR", "article-journal"),
    "R Conf": ("inproceedings", "CONF", "paper-conference"),
    "R Cpaper": ("inproceedings", "CPAPER", "paper-conference"),
    "R News": ("article", "NEWS", "article-newspaper"),
    "R Blog": ("online", "BLOG", "post-weblog"),
    "R Patent": ("patent", "PAT", "patent"),
    "C Journal": ("article", "JOUR", "article-journal"),
    "C Conf": ("inproceedings", "CPAPER", "paper-conference"),
    "C Preprint": ("misc", "GEN", "article"),  # CSL's article is a preprint, not a journal's
    "C Chapter": ("incollection", "CHAP", "chapter"),
    "C Patent": ("patent", "PAT", "patent"),
    "C News": ("article", "NEWS", "article-newspaper"),
    "C Blog": ("online", "BLOG", "post-weblog"),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The three source files imported into one library, then exported in each format."""
    folder = tmp_path_factory.mktemp("types")
    (folder / "in.bib").write_text(BIBTEX, encoding="utf-8")
    (folder / "in.ris").write_text(RIS, encoding="utf-8")
    (folder / "in.json").write_text(json.dumps(CSL), encoding="utf-8")
    with Library(folder / "lib") as library:
        for name in ("in.bib", "in.ris", "in.json"):
            report = library.import_file(folder / name, "auto")
            assert not report.warnings, report.warnings
        texts = {}
        for fmt in ("bibtex", "ris", "csl-json"):
            library.export(ExportSelection.everything(), fmt, folder / f"out.{fmt}")
            texts[fmt] = (folder / f"out.{fmt}").read_text(encoding="utf-8")
    return texts


def test_bibtex_export_writes_each_papers_own_type(exported: dict[str, str]) -> None:
    records = parse_bibtex(exported["bibtex"]).records
    assert {r.title: r.entry_type for r in records} == {
        title: kinds[0] for title, kinds in EXPECTED.items()
    }
    # the venue goes where the type wants it
    assert re.search(r"@inproceedings\{[^@]*booktitle = \{Proc. Conf\}", exported["bibtex"])
    assert re.search(r"@article\{[^@]*journal = \{J. Stuff\}", exported["bibtex"])


def test_ris_export_writes_each_papers_own_type(exported: dict[str, str]) -> None:
    written = re.findall(r"^TY  - (\w+)\n(?:.*\n)*?TI  - (.*)$", exported["ris"], re.MULTILINE)
    assert {title: kind for kind, title in written} == {
        title: kinds[1] for title, kinds in EXPECTED.items()
    }
    assert len(parse_ris(exported["ris"]).records) == len(EXPECTED)


def test_csl_export_writes_each_papers_own_type(exported: dict[str, str]) -> None:
    items = json.loads(exported["csl-json"])
    assert {item["title"]: item["type"] for item in items} == {
        title: kinds[2] for title, kinds in EXPECTED.items()
    }
    again = parse_csl_json(exported["csl-json"]).records
    assert len(again) == len(EXPECTED)


def test_a_ris_type_can_be_set_by_edit_and_is_kept(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.ris"
    source.write_text(RIS, encoding="utf-8")
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "import", str(source)]) == 0
    assert main(["--library", lib, "edit", "1", "--type", "mgzn"]) == 0
    capsys.readouterr()
    assert main(["--library", lib, "show", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entry_type"] == "MGZN"
    assert main(["--library", lib, "edit", "1", "--type", "QQQQ"]) == 1  # as every bad value
    assert "unknown entry type 'QQQQ'" in capsys.readouterr().err
