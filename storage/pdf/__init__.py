"""PDF files of papers: text extraction, identity, matching to a paper, and the file store."""

from storage.pdf.extract import FAILED, INDEXED, NO_TEXT, PdfText, extract_text
from storage.pdf.filestore import ALTERED, MISSING, OK, FileStore, FileStoreError
from storage.pdf.identify import PdfIdentity, identify
from storage.pdf.match import Candidate, Match, PaperIndex, match_paper, title_similarity
from storage.pdf.worker import PdfWorker, read_pdf

__all__ = [
    "ALTERED",
    "FAILED",
    "INDEXED",
    "MISSING",
    "NO_TEXT",
    "OK",
    "Candidate",
    "FileStore",
    "FileStoreError",
    "Match",
    "PaperIndex",
    "PdfIdentity",
    "PdfText",
    "PdfWorker",
    "extract_text",
    "identify",
    "match_paper",
    "read_pdf",
    "title_similarity",
]
