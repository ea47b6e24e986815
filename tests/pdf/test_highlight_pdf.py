"""Highlights and the PDF itself: `export-pdf` writes a copy with standard Highlight annotations
(read back with pypdfium2), and annotations other programs left in a PDF become notes, once."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from highlight_support import PAGE_ONE, PAGE_TWO, line_rect
from make_pdf import Markup, Page, column, make_pdf
from pdf_library_support import run, run_json

from storage.highlights import COLOR_HEX
from storage.library import Library
from storage.pdf.annotations import page_annotations
from storage.pdfpages import Rect, page_text

REPO_ROOT = Path(__file__).resolve().parents[2]
BIB = "@article{wombat2024, title = {Wombat Burrows}, year = {2024}}\n"


def marked_pdf() -> bytes:
    """The test PDF with annotations as other programs leave them: a highlight with a name, a
    comment and an author; an underline over a hyphenated line end (no name); a sticky note;
    a sticky note without text; a reply; a strike-out on page 2."""
    one = [
        Markup("Highlight", [line_rect(0, 17, 24)], color=(1.0, 0.83, 0.0), name="{a1-b2}",
               contents="Dig «deep»", author="Ann Other"),
        Markup("Underline", [line_rect(2, 29), line_rect(3, 0, 11)], color=(0.2, 0.6, 0.9)),
        Markup("Text", [(500, 700, 520, 720)], color=None, contents="Check the\ncitation."),
        Markup("Text", [(500, 650, 520, 670)], contents=None),
        Markup("Text", [(500, 600, 520, 620)], contents="A reply", reply_to=True),
    ]  # fmt: skip
    two = [Markup("StrikeOut", [line_rect(1, 4, 11, page=PAGE_TWO)], color=(0.9, 0.3, 0.3))]
    return make_pdf([Page(column(PAGE_ONE), markups=one), Page(column(PAGE_TWO), markups=two)])


def annotations_of(path: Path, index: int = 0) -> list:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return page_annotations(document, document[index], index, 100)
    finally:
        document.close()


@pytest.fixture
def lib(tmp_path: Path, capsys) -> Path:
    library = tmp_path / "lib"
    (tmp_path / "w.bib").write_text(BIB)
    assert run(capsys, library, "import", str(tmp_path / "w.bib"))[0] == 0
    return library


def attach(capsys, lib: Path, path: Path, data: bytes) -> int:
    path.write_bytes(data)
    assert run(capsys, lib, "attach", "wombat2024", str(path))[0] == 0
    return run_json(capsys, lib, "files", "wombat2024", "--json")[-1]["id"]


# --- export-pdf ---------------------------------------------------------------------------


def test_export_pdf_writes_standard_highlight_annotations(lib, capsys, tmp_path) -> None:
    from highlight_support import pdf_bytes

    attach(capsys, lib, tmp_path / "w.pdf", pdf_bytes())
    run(capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "marsupial burrow",
        "--color", "green", "--comment", "Cool *in summer*")  # fmt: skip
    run(capsys, lib, "highlight", "wombat2024", "--page", "2", "--text", "echidna")
    stored = Path(run_json(capsys, lib, "show", "wombat2024", "--json")["files"][0]["sha256"])
    (copy,) = (lib / "files").rglob(f"{stored}.pdf")
    before = copy.read_bytes()
    code, out, err = run(capsys, lib, "export-pdf", "wombat2024", "-o", str(tmp_path / "a.pdf"))
    assert (code, err) == (0, "")
    assert out == f"wrote {tmp_path / 'a.pdf'} with 2 highlights\n"
    written = (tmp_path / "a.pdf").read_bytes()
    assert copy.read_bytes() == before  # the stored file is never modified
    assert written.startswith(before)  # an incremental update: the original bytes first
    assert hashlib.sha256(before).hexdigest() == stored.name

    document = pypdfium2.PdfDocument(str(tmp_path / "a.pdf"))
    try:
        page = document[0]
        assert pdfium_c.FPDFPage_GetAnnotCount(page.raw) == 1
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, 0)
        assert pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_HIGHLIGHT
        assert pdfium_c.FPDFAnnot_CountAttachmentPoints(annot) == 2  # two lines
        quads = []
        for number in range(2):
            quad = pdfium_c.FS_QUADPOINTSF()
            assert pdfium_c.FPDFAnnot_GetAttachmentPoints(annot, number, quad)
            quads.append(Rect.of((quad.x3, quad.y3, quad.x2, quad.y2)))
            assert (quad.y1, quad.y2) == (quad.y2, quad.y1) and quad.y1 > quad.y3  # top first
        pdfium_c.FPDFPage_CloseAnnot(annot)
        text = page_text(document, 0)
        assert text.text_of(text.span_in(quads)) == "marsupial burrow"  # over the right words
        page.close()
    finally:
        document.close()
    (found,) = annotations_of(tmp_path / "a.pdf")
    assert (found.kind, found.contents, found.author, found.quote) == (
        "highlight", "Cool *in summer*", "Papershelf", "marsupial burrow"
    )
    green = COLOR_HEX["green"].lstrip("#")
    assert found.color == tuple(int(green[i : i + 2], 16) for i in (0, 2, 4))
    assert [a.quote for a in annotations_of(tmp_path / "a.pdf", 1)] == ["echidna"]


def test_export_pdf_refuses_the_library_folder_and_bad_papers(lib, capsys, tmp_path) -> None:
    from highlight_support import pdf_bytes

    code, _, err = run(capsys, lib, "export-pdf", "wombat2024", "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "has no PDF attached" in err and not (tmp_path / "x.pdf").exists()
    attach(capsys, lib, tmp_path / "w.pdf", pdf_bytes())
    (stored,) = (lib / "files").rglob("*.pdf")
    before = stored.read_bytes()
    code, _, err = run(capsys, lib, "export-pdf", "wombat2024", "-o", str(stored))
    assert code == 1 and "is inside the library folder; write the copy elsewhere" in err
    assert stored.read_bytes() == before
    code, _, err = run(capsys, lib, "export-pdf", "wombat2024", "-o", str(tmp_path / "no" / "x"))
    assert code == 1 and "the folder" in err and "does not exist" in err
    code, out, _ = run(capsys, lib, "export-pdf", "wombat2024", "-o", str(tmp_path / "none.pdf"))
    assert code == 0 and "with 0 highlights" in out  # a plain copy, no annotation added


def test_export_pdf_to_standard_output(lib, capsys, tmp_path) -> None:
    from highlight_support import pdf_bytes

    attach(capsys, lib, tmp_path / "w.pdf", pdf_bytes())
    run(capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "Wombats")
    command = [sys.executable, "-m", "app", "--library", str(lib), "export-pdf", "wombat2024"]
    done = subprocess.run(
        [*command, "-o", "-"], cwd=REPO_ROOT, capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-") and b"/Highlight" in done.stdout
    assert done.stderr == b"wrote standard output with 1 highlight\n"


def test_a_damaged_stored_copy_gives_one_line(lib, capsys, tmp_path) -> None:
    from highlight_support import pdf_bytes

    attach(capsys, lib, tmp_path / "w.pdf", pdf_bytes())
    run(capsys, lib, "highlight", "wombat2024", "--page", "1", "--text", "Wombats")
    (stored,) = (lib / "files").rglob("*.pdf")
    stored.chmod(0o600)
    stored.write_bytes(b"%PDF-1.4\n garbage")
    code, out, err = run(capsys, lib, "export-pdf", "wombat2024", "-o", str(tmp_path / "d.pdf"))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert "w.pdf: damaged PDF" in err and "no annotated copy was written" in err
    assert not (tmp_path / "d.pdf").exists() and not list(tmp_path.glob(".d.pdf*"))


# --- annotations made elsewhere -------------------------------------------------------------


def test_annotations_in_an_attached_pdf_become_notes_once(lib, capsys, tmp_path) -> None:
    file_id = attach(capsys, lib, tmp_path / "m.pdf", marked_pdf())
    notes = run_json(capsys, lib, "show", "wombat2024", "--json")["notes"]
    shown = [(n["quote"], n["page"], n["color"], n["body"], n["file_id"]) for n in notes]
    assert shown == [
        ("burrows", 1, "yellow", "Dig «deep»", file_id),
        (": the marsupial burrow", 1, "blue", "", file_id),
        (None, 1, "yellow", "Check the\ncitation.", file_id),  # a sticky note has no quote
        ("echidna", 2, "pink", "", file_id),
    ]
    listed = run_json(capsys, lib, "highlights", "list", "wombat2024", "--json")
    assert all(h["imported"] for h in listed)
    # on demand, again: nothing new
    code, out, err = run(capsys, lib, "highlights", "import", "wombat2024")
    assert code == 0
    assert out == "paper 1: 0 annotations imported as notes, 4 already present\n"
    assert err == "m.pdf: page 1: a sticky note without text\n"
    # detached and attached again (the same bytes): the notes come back to it, no copies
    run(capsys, lib, "detach", "wombat2024", str(file_id))
    assert [n["file_id"] for n in run_json(capsys, lib, "show", "1", "--json")["notes"]] == [
        None
    ] * 4
    again = attach(capsys, lib, tmp_path / "renamed.pdf", marked_pdf())
    notes = run_json(capsys, lib, "show", "1", "--json")["notes"]
    assert len(notes) == 4 and {n["file_id"] for n in notes} == {again}


def test_import_on_demand_after_deleting_one(lib, capsys, tmp_path) -> None:
    attach(capsys, lib, tmp_path / "m.pdf", marked_pdf())
    first = run_json(capsys, lib, "show", "1", "--json")["notes"][0]
    with Library(lib) as library:
        library.delete_note(first["id"])
    code, out, _ = run(capsys, lib, "highlights", "import", "wombat2024")
    assert out == "paper 1: 1 annotation imported as notes, 3 already present\n"
    notes = run_json(capsys, lib, "show", "1", "--json")["notes"]
    assert sorted(n["quote"] or "" for n in notes) == sorted(
        ["burrows", ": the marsupial burrow", "", "echidna"]
    )


def test_an_annotated_copy_attached_again_adds_no_copies(lib, capsys, tmp_path) -> None:
    file_id = attach(capsys, lib, tmp_path / "m.pdf", marked_pdf())
    run(capsys, lib, "highlight", "wombat2024", "--page", "2", "--text", "Platypus",
        "--color", "purple", "--comment", "mine")  # fmt: skip
    imported = run_json(capsys, lib, "show", "1", "--json")["notes"][0]
    with Library(lib) as library:  # the user recolours an imported highlight
        library.update_highlight(imported["id"], color="green", comment="edited here")
    out_path = tmp_path / "copy.pdf"
    assert run(capsys, lib, "export-pdf", "wombat2024", "-o", str(out_path))[0] == 0
    on_one = annotations_of(out_path)
    highlights = [a for a in on_one if a.kind == "highlight"]
    assert len(highlights) == 1  # updated in place, not added a second time
    assert (highlights[0].contents, highlights[0].quote) == ("edited here", "burrows")
    assert highlights[0].color == (95, 178, 54)
    assert [a.quote for a in annotations_of(out_path, 1)] == ["echidna", "Platypus"]
    # the copy, attached to the same paper, brings nothing new
    second = attach(capsys, lib, tmp_path / "copy-in.pdf", out_path.read_bytes())
    assert second != file_id
    assert len(run_json(capsys, lib, "show", "1", "--json")["notes"]) == 5


def test_the_json_backup_keeps_imported_identities(lib, capsys, tmp_path) -> None:
    attach(capsys, lib, tmp_path / "m.pdf", marked_pdf())
    backup = tmp_path / "b.json"
    assert run(capsys, lib, "export", "--all", "--format", "json", "-o", str(backup))[0] == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    import shutil

    shutil.copytree(lib / "files", fresh / "files")
    assert run(capsys, fresh, "import", str(backup))[0] == 0
    assert len(run_json(capsys, fresh, "show", "1", "--json")["notes"]) == 4
    code, out, _ = run(capsys, fresh, "highlights", "import", "1")
    assert out == "paper 1: 0 annotations imported as notes, 4 already present\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_import_of_a_folder_of_pdfs_reads_their_annotations(capsys, tmp_path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "marked.pdf").write_bytes(marked_pdf())
    lib = tmp_path / "lib"
    assert run(capsys, lib, "import", str(folder))[0] == 0
    (pid,) = [h["id"] for h in run_json(capsys, lib, "search", "burrows", "--json")["hits"]]
    assert len(run_json(capsys, lib, "show", str(pid), "--json")["notes"]) == 4
