"""What a binary file is, told by its first bytes, for the "not a text file" message."""

from __future__ import annotations

# Import accepts these; the message names them so a user who picked the wrong file knows why.
ACCEPTED = "listings, BibTeX, RIS, CSL-JSON, Papershelf JSON and PDFs"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument/EPUB file)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", "a Windows program"),
)


def describe_binary(data: bytes) -> str | None:
    """What `data` (a file's first bytes) is, as "a PNG image"; None when it is not recognised."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return what
    if data[4:8] == b"ftyp":
        return "a video or HEIC image (ISO media)"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    return None


def not_text_message(data: bytes, unknown: str = "it contains NUL bytes") -> str:
    """The one-line reason a binary file cannot be imported, naming what it is if known."""
    what = describe_binary(data)
    return f"not a text file ({f'it is {what}' if what else unknown}); import reads {ACCEPTED}"
