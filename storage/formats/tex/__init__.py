"""TeX in BibTeX values: decoding to Unicode text, and escaping plain text back."""

from storage.formats.tex.decode import decode_tex
from storage.formats.tex.escape import decode_verbatim, escape_tex, escape_verbatim, protect_case

__all__ = ["decode_tex", "decode_verbatim", "escape_tex", "escape_verbatim", "protect_case"]
