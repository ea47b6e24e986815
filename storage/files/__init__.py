"""Files attached to papers: attach, detach, list, PDF import with matching, check and repair."""

from storage.files.checking import check_files
from storage.files.ops import FileOps
from storage.files.pdf_import import (
    PdfImportReport,
    PdfOutcome,
    import_pdfs,
    pdf_paths,
    walk_pdfs,
)
from storage.files.prepare import FileProblem, is_pdf
from storage.files.rows import paper_pages

__all__ = [
    "FileOps",
    "FileProblem",
    "check_files",
    "PdfImportReport",
    "PdfOutcome",
    "import_pdfs",
    "paper_pages",
    "pdf_paths",
    "is_pdf",
    "walk_pdfs",
]
