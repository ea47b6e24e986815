"""TeX in BibTeX values: decoding to Unicode text, and escaping plain text back."""

from storage.formats.tex.decode import decode_tex, decode_venue
from storage.formats.tex.escape import decode_verbatim, escape_tex, escape_verbatim, protect_case

__all__ = [
    "decode_tex",
    "decode_venue",
    "decode_verbatim",
    "escape_tex",
    "escape_verbatim",
    "protect_case",
]
