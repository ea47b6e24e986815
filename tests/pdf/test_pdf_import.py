"""Importing PDFs: matched by arXiv id, DOI or title, else new papers; folders; bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from make_pdf import Line, Page, column, make_pdf
from pdf_library_support import FIXTURES, paper_like_pdf, run, run_json, simple_pdf, stored_files

from storage.library import ImportFailed, Library


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(capsys, folder, "import", str(FIXTURES / "lib_papers.bib"))
    assert code == 0, err
    return folder


def test_matched_by_arxiv_name_doi_and_title(lib: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    (folder / "deep" / "er").mkdir(parents=True)
    (folder / "2003.10555v2.pdf").write_bytes(simple_pdf(["Some text", "about tokens"]))
    (folder / "deep" / "sparse.pdf").write_bytes(
        simple_pdf(["A preprint", "doi: 10.1234/abc.5678."], ["page two"])
    )
    (folder / "deep" / "er" / "dpr.PDF").write_bytes(
        make_pdf(
            [
                Page(
                    [Line("Dense Passage Retrieval for", y=700, size=18)]
                    + [Line("Open-Domain Question Answering", y=676, size=18)]
                    + column(["Vladimir Karpukhin", "We retrieve passages."], top=640)
                )
            ]
        )
    )
    (folder / "notes.txt").write_text("not a pdf, not walked\n")
    code, out, err = run(capsys, lib, "import", str(folder))
    assert code == 0, err
    assert out.strip().splitlines() == [  # papers 1, 2, 3: ELECTRA, Sparse Attention, DPR
        f"{folder / '2003.10555v2.pdf'}: matched paper 1 by arXiv id in the file name",
        f"{folder / 'deep' / 'sparse.pdf'}: matched paper 2 by DOI",
        f"{folder / 'deep' / 'er' / 'dpr.PDF'}: matched paper 3 by title (similarity 1.00)",
        f"{folder}: 0 new, 3 matched, 0 already present, 0 not imported",
    ]
    assert run_json(capsys, lib, "stats", "--json")["papers"] == 3
    assert run_json(capsys, lib, "files", "2", "--json")[0]["name"] == "sparse.pdf"


def test_arxiv_id_on_the_first_page(lib: Path, tmp_path: Path, capsys) -> None:
    pdf = tmp_path / "download.pdf"
    pdf.write_bytes(simple_pdf(["arXiv:2003.10555v1 [cs.CL] 23 Mar 2020", "Body text."]))
    code, out, err = run(capsys, lib, "import", str(pdf))
    assert code == 0, err
    assert out.strip() == f"{pdf}: matched paper 1 by arXiv id"


def test_unmatched_pdf_becomes_a_new_paper(lib: Path, tmp_path: Path, capsys) -> None:
    pdf = tmp_path / "2401.00001v1.pdf"
    pdf.write_bytes(paper_like_pdf())
    code, out, err = run(capsys, lib, "import", str(pdf), "--tag", "pdfs")
    assert code == 0, err
    assert out.strip() == f'{pdf}: new paper 4 "Quokka Networks for Marsupial Vision"'
    shown = run_json(capsys, lib, "show", "4", "--json")
    assert shown["arxiv_id"] == "2401.00001" and shown["tags"] == ["pdfs"]
    assert shown["files"][0]["pages"] == 5 and shown["files"][0]["text"] == "indexed"
    # the same bytes again: already there, nothing new
    code, out, err = run(capsys, lib, "import", str(pdf))
    assert code == 0 and out.strip() == f"{pdf}: already attached to paper 4"
    assert run_json(capsys, lib, "stats", "--json")["papers"] == 4


def test_two_new_pdfs_of_one_paper_in_one_import_make_one_paper(lib: Path, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(simple_pdf(["one"], title="A Wholly New Paper Title"))
    (folder / "b.pdf").write_bytes(simple_pdf(["two"], title="A Wholly New Paper Title"))
    with Library(lib) as library:
        report = library.import_file(folder)
        assert report.new_ids == [4] and report.merged_ids == [4]
        assert [f.name for f in library.files(4)] == ["a.pdf", "b.pdf"]


def test_new_papers_never_repeat_a_key_taken_during_the_import(lib: Path, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, title in (("a", "Deep Today"), ("b", "Again"), ("c", "Once More")):
        (folder / f"{name}.pdf").write_bytes(simple_pdf([name], title=f"Gannets Diving {title}"))
    with Library(lib) as library:

        def progress(done: int, _total: int) -> None:
            if done == 1:  # another window takes the key the next new paper would get
                library.update_paper(1, citation_key="GannetsA")

        report = library.import_pdfs(sorted(folder.glob("*.pdf")), progress)
        keys = [library.paper(pid).citation_key for pid in report.new_ids]
        assert keys == ["gannets", "gannetsb", "gannetsc"]
        assert library.paper(1).citation_key == "GannetsA"


def test_bad_pdfs_in_a_folder_one_line_each(lib: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "locked.pdf").write_bytes(make_pdf([Page()], user_password="pw"))
    (folder / "cut.pdf").write_bytes(simple_pdf(["cut"])[:300])
    (folder / "good.pdf").write_bytes(simple_pdf(["fine"], title="A Good Readable Paper"))
    (folder / "scan.pdf").write_bytes(make_pdf([Page(image=True)]))
    code, out, err = run(capsys, lib, "import", str(folder))
    assert code == 1 and "Traceback" not in err
    errors = err.strip().splitlines()
    assert errors == [  # the files left out, then the one imported with a remark
        f"{folder / 'cut.pdf'}: damaged PDF, PDFium cannot parse it; not imported",
        f"{folder / 'empty.pdf'}: empty file (0 bytes), not a PDF",
        f"{folder / 'locked.pdf'}: encrypted, a password is needed to open it; not imported",
        f"{folder / 'scan.pdf'}: no text layer (a scan?); attach it, search will not find its"
        " words",
    ]
    assert f"{folder}: 2 new, 0 matched, 0 already present, 3 not imported, 1 note" in out
    assert len(stored_files(lib)) == 2  # nothing of the refused ones is kept
    assert run_json(capsys, lib, "stats", "--json")["files"] == 2


def test_one_bad_pdf_fails_the_import(lib: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n garbage")
    with Library(lib) as library:
        with pytest.raises(ImportFailed, match=r"x\.pdf: damaged PDF"):
            library.import_file(pdf)
        assert library.stats().files == 0


def test_format_pdf_and_auto_detection_by_content(lib: Path, tmp_path: Path, capsys) -> None:
    disguised = tmp_path / "paper.bib"
    disguised.write_bytes(simple_pdf(["text"], title="Disguised As BibTeX Paper"))
    code, out, err = run(capsys, lib, "import", str(disguised))
    assert code == 0 and "new paper 4" in out, err
    code, _, err = run(capsys, lib, "import", "--format", "pdf", str(FIXTURES / "lib_papers.bib"))
    assert code == 1 and "not a PDF (no %PDF- header)" in err


def test_a_folder_without_pdfs(lib: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, lib, "import", str(tmp_path / "empty"))
    assert code == 1 and err.strip().endswith("a folder without PDF files")


def test_cancel_keeps_the_pdfs_done_and_no_stray_copies(lib: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, word in enumerate(("Walruses", "Penguins", "Narwhals", "Puffins")):
        title = f"Cancelled Import of {word} in Cold Water"
        (folder / f"p{number}.pdf").write_bytes(simple_pdf([f"page of {number}"], title=title))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with Library(lib) as library:
        report = library.import_pdfs(sorted(folder.glob("*.pdf")), cancel=cancel)
        assert report.new_ids == [4, 5]
        assert library.search("cancelled").total == 2  # the index caught up at the end
    assert len(stored_files(lib)) == 2
