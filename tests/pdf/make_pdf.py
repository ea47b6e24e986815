"""A tiny PDF writer for tests: text lines at given places and font sizes, images, metadata."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

# The 32-byte padding string of the PDF standard security handler (ISO 32000-1, 7.6.3.3).
_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


@dataclass
class Line:
    """One line of text: its baseline starts at (x, y) in points from the bottom left."""

    text: str
    x: float = 72
    y: float = 720
    size: float = 11
    bold: bool = False
    unit_font: bool = False  # `1 Tf` scaled by the text matrix, as some generators write it
    rotate: bool = False  # turned 90 degrees, like the arXiv stamp in the left margin


@dataclass
class Markup:
    """A markup annotation as other programs write one: a Highlight, Underline, StrikeOut or
    Squiggly over (left, bottom, right, top) boxes (one quad each), or a Text sticky note at
    the first box; colour as 0-1 RGB; `reply_to` makes it a reply (/IRT) to the page's first
    markup."""

    subtype: str
    boxes: list[tuple[float, float, float, float]]
    color: tuple[float, float, float] | None = (1.0, 0.83, 0.0)
    contents: str | None = None
    name: str | None = None  # /NM, the annotation's unique name
    author: str | None = None  # /T
    reply_to: bool = False


@dataclass
class Page:
    """A page of lines, optionally with an image covering it (a scan has only the image)."""

    lines: list[Line] = field(default_factory=list)
    image: bool = False
    width: float = 612
    height: float = 792
    rotate: int = 0  # the page's /Rotate (clockwise degrees)
    # Link annotations: (left, bottom, right, top) and a 0-based page index or an address.
    links: list[tuple[tuple[float, float, float, float], int | str]] = field(default_factory=list)
    markups: list[Markup] = field(default_factory=list)


def column(texts: list[str], x: float = 72, top: float = 720, size: float = 11) -> list[Line]:
    """Lines set one under the other at a leading of 1.3 times the size."""
    return [Line(text, x=x, y=top - i * size * 1.3, size=size) for i, text in enumerate(texts)]


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


class _Encryption:
    """Revision 2 (40-bit RC4) of the standard security handler."""

    def __init__(self, user: str, owner: str, file_id: bytes) -> None:
        user_pad = (user.encode("latin-1") + _PAD)[:32]
        owner_pad = (owner.encode("latin-1") + _PAD)[:32]
        self.owner_entry = _rc4(hashlib.md5(owner_pad).digest()[:5], user_pad)
        self.permissions = -4  # everything allowed
        digest = hashlib.md5(
            user_pad + self.owner_entry + struct.pack("<i", self.permissions) + file_id
        ).digest()
        self.key = digest[:5]
        self.user_entry = _rc4(self.key, _PAD)

    def apply(self, number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(self.key + number.to_bytes(3, "little") + b"\0\0").digest()
        return _rc4(object_key[:10], data)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s> >>" % (
            self.permissions,
            self.owner_entry.hex().encode(),
            self.user_entry.hex().encode(),
        )


def _pdf_string(value: bytes) -> bytes:
    out = bytearray(b"(")
    for byte in value:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out + b")")


def _fmt(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


class _Encoding:
    """One-byte codes for every character used; ASCII keeps its own code, the rest get 128+."""

    def __init__(self, texts: list[str]) -> None:
        self.codes: dict[str, int] = {chr(c): c for c in range(32, 127)}
        for char in sorted({c for text in texts for c in text} - set(self.codes)):
            if len(self.codes) >= 95 + 127:
                raise ValueError("too many distinct characters for one test font")
            self.codes[char] = 128 + len(self.codes) - 95

    def encode(self, text: str) -> bytes:
        return bytes(self.codes[c] for c in text)

    def to_unicode(self) -> bytes:
        items = sorted((code, char) for char, code in self.codes.items())
        blocks = []
        for start in range(0, len(items), 100):
            chunk = items[start : start + 100]
            pairs = b"\n".join(
                b"<%02x> <%s>" % (code, char.encode("utf-16-be").hex().encode())
                for code, char in chunk
            )
            blocks.append(b"%d beginbfchar\n%s\nendbfchar" % (len(chunk), pairs))
        return (
            b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<00> <ff>\nendcodespacerange\n"
            + b"\n".join(blocks)
            + b"\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        )


def _content(page: Page, encoding: _Encoding) -> bytes:
    parts = []
    if page.image:
        parts.append(b"q %s 0 0 %s 0 0 cm /Im1 Do Q" % (_fmt(page.width), _fmt(page.height)))
    for line in page.lines:
        font = b"/F2" if line.bold else b"/F1"
        text = _pdf_string(encoding.encode(line.text))
        x, y, size = _fmt(line.x), _fmt(line.y), _fmt(line.size)
        if line.rotate:
            parts.append(b"BT %s %s Tf 0 1 -1 0 %s %s Tm %s Tj ET" % (font, size, x, y, text))
        elif line.unit_font:
            parts.append(b"BT %s 1 Tf %s 0 0 %s %s %s Tm %s Tj ET" % (font, size, size, x, y, text))
        else:
            parts.append(b"BT %s %s Tf %s %s Td %s Tj ET" % (font, size, x, y, text))
    return b"\n".join(parts)


def _info_value(value: str) -> bytes:
    try:
        return _pdf_string(value.encode("ascii"))
    except UnicodeEncodeError:
        return b"<feff%s>" % value.encode("utf-16-be").hex().encode()


# Helvetica's advance widths (AFM, per 1000 em) for the printable ASCII codes 32-126, so that a
# viewer spaces the letters as the font does (proportional_widths); 39 and 96 are the curly
# quotes of the standard encoding.
HELVETICA_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip


def text_width(text: str, size: float) -> float:
    """The width in points of ASCII text set in Helvetica at size (others count as 556)."""
    return sum(
        HELVETICA_WIDTHS[ord(c) - 32] if 32 <= ord(c) <= 126 else 556 for c in text
    ) * size / 1000


def _annots(page: Page, page_number: list[int]) -> bytes:
    """The page's link annotations, written inline; a page target jumps to its top."""
    annots = []
    for (left, bottom, right, top), target in page.links:
        rect = b" ".join(_fmt(v) for v in (left, bottom, right, top))
        if isinstance(target, int):
            action = b"/Dest [%d 0 R /XYZ 0 792 null]" % page_number[target]
        else:
            action = b"/A << /S /URI /URI %s >>" % _pdf_string(target.encode("ascii"))
        annots.append(b"<< /Type /Annot /Subtype /Link /Rect [%s] /Border [0 0 0] %s >>"
                      % (rect, action))  # fmt: skip
    annots.extend(_markup(markup, page) for markup in page.markups)
    return b" /Annots [%s]" % b" ".join(annots) if annots else b""


def _markup(markup: Markup, page: Page) -> bytes:
    """One markup annotation dictionary, written inline (no appearance stream, as many tools
    leave it to the viewer)."""
    left = min(b[0] for b in markup.boxes)
    bottom = min(b[1] for b in markup.boxes)
    right = max(b[2] for b in markup.boxes)
    top = max(b[3] for b in markup.boxes)
    parts = [b"/Type /Annot /Subtype /%s /F 4" % markup.subtype.encode()]
    if markup.subtype == "Text":
        x, y = markup.boxes[0][0], markup.boxes[0][3]
        parts.append(b"/Rect [%s %s %s %s] /Name /Comment" % (
            _fmt(x), _fmt(y - 20), _fmt(x + 20), _fmt(y)))  # fmt: skip
    else:
        parts.append(b"/Rect [%s]" % b" ".join(_fmt(v) for v in (left, bottom, right, top)))
        quads = [v for x0, y0, x1, y1 in markup.boxes for v in (x0, y1, x1, y1, x0, y0, x1, y0)]
        parts.append(b"/QuadPoints [%s]" % b" ".join(_fmt(v) for v in quads))
    if markup.color is not None:
        parts.append(b"/C [%s]" % b" ".join(_fmt(v) for v in markup.color))
    for key, value in (("Contents", markup.contents), ("NM", markup.name), ("T", markup.author)):
        if value is not None:
            parts.append(b"/%s %s" % (key.encode(), _info_value(value)))
    if markup.reply_to:
        parts.append(b"/IRT << /Type /Annot /Subtype /Text /Rect [0 0 1 1] >>")
    return b"<< %s >>" % b" ".join(parts)


def _outline(
    entries: list[tuple[str, int, int]], first: int, page_number: list[int]
) -> list[bytes]:
    """Outline objects numbered from `first` (the root) for (title, page index, level) entries
    in order, a level at most one deeper than the entry before it."""
    parents: list[int] = []
    parent_of: list[int] = []
    for index, (_title, _page, level) in enumerate(entries):
        del parents[level:]
        parent_of.append(parents[-1] if parents else -1)
        parents.append(index)
    number = [first + 1 + i for i in range(len(entries))]
    bodies = []
    for index, (title, page, _level) in enumerate(entries):
        siblings = [i for i in range(len(entries)) if parent_of[i] == parent_of[index]]
        kids = [i for i in range(len(entries)) if parent_of[i] == index]
        parent = number[parent_of[index]] if parent_of[index] >= 0 else first
        parts = [b"/Title %s /Parent %d 0 R" % (_info_value(title), parent)]
        parts.append(b"/Dest [%d 0 R /XYZ 0 792 null]" % page_number[page])
        place = siblings.index(index)
        if place:
            parts.append(b"/Prev %d 0 R" % number[siblings[place - 1]])
        if place + 1 < len(siblings):
            parts.append(b"/Next %d 0 R" % number[siblings[place + 1]])
        if kids:
            parts.append(b"/First %d 0 R /Last %d 0 R /Count %d"
                         % (number[kids[0]], number[kids[-1]], len(kids)))  # fmt: skip
        bodies.append(b"<< %s >>" % b" ".join(parts))
    top = [i for i in range(len(entries)) if parent_of[i] < 0]
    root = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
        number[top[0]],
        number[top[-1]],
        len(top),
    )
    return [root, *bodies]


def make_pdf(
    pages: list[Page],
    info: dict[str, str] | None = None,
    user_password: str | None = None,
    owner_password: str = "owner",
    outline: list[tuple[str, int, int]] | None = None,
    proportional_widths: bool = False,
) -> bytes:
    """A complete PDF with these pages; encrypted (RC4, 40 bits) when a user password is given;
    with an outline of (title, 0-based page index, level) entries when given. Every glyph is
    556 units wide unless proportional_widths gives ASCII Helvetica's own."""
    if user_password is not None and (outline or any(page.links for page in pages)):
        raise ValueError("links and outlines are written unencrypted only")
    encoding = _Encoding([line.text for page in pages for line in page.lines])
    file_id = hashlib.md5(repr(pages).encode()).digest()
    crypt = None if user_password is None else _Encryption(user_password, owner_password, file_id)
    objects: list[bytes] = []

    def add(body: bytes, stream: bytes | None = None) -> int:
        objects.append(b"")
        number = len(objects)
        if stream is not None:
            data = crypt.apply(number, stream) if crypt else stream
            body = body[:-2] + b" /Length %d >>\nstream\n%s\nendstream" % (len(data), data)
        objects[number - 1] = body
        return number

    if proportional_widths:
        table = [HELVETICA_WIDTHS[c - 32] if 32 <= c <= 126 else 556 for c in range(256)]
        widths = b" ".join(b"%d" % width for width in table)
    else:
        widths = b" ".join(b"278" if code == 32 else b"556" for code in range(256))
    to_unicode = add(b"<< >>", encoding.to_unicode())
    fonts = [
        add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /FirstChar 0 /LastChar 255 "
            b"/Widths [%s] /ToUnicode %d 0 R >>" % (base, widths, to_unicode)
        )
        for base in (b"Helvetica", b"Helvetica-Bold")
    ]
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 >>",
        b"\x10\x80\xc0\xff",
    )
    resources = b"<< /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /Im1 %d 0 R >> >>" % (
        fonts[0],
        fonts[1],
        image,
    )
    pages_number = len(objects) + 2 * len(pages) + 1
    page_number = [len(objects) + 2 * i + 2 for i in range(len(pages))]
    kids = []
    for page in pages:
        content = add(b"<< >>", _content(page, encoding))
        extra = _annots(page, page_number) + (b" /Rotate %d" % page.rotate if page.rotate else b"")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %s "
                b"/Contents %d 0 R%s >>"
                % (pages_number, _fmt(page.width), _fmt(page.height), resources, content, extra)
            )
        )
    kid_refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids)))
    outlines = b""
    if outline:
        first = len(objects) + 2  # after the catalog
        outlines = b" /Outlines %d 0 R /PageMode /UseOutlines" % first
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_number, outlines))
    if outline:
        for body in _outline(outline, len(objects) + 1, page_number):
            add(body)
    info_ref = b""
    if info:
        entries = []
        for key, value in info.items():
            raw = _info_value(value)
            if crypt:  # strings are encrypted with their object's key
                number = len(objects) + 1
                raw = b"<%s>" % crypt.apply(number, _decode_string(raw)).hex().encode()
            entries.append(b"/%s %s" % (key.encode(), raw))
        info_ref = b" /Info %d 0 R" % add(b"<< %s >>" % b" ".join(entries))
    encrypt_ref = b""
    if crypt:
        encrypt_ref = b" /Encrypt %d 0 R" % add(crypt.dictionary())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s%s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info_ref,
        encrypt_ref,
        file_id.hex().encode(),
        file_id.hex().encode(),
        xref,
    )
    return bytes(out)


def _decode_string(raw: bytes) -> bytes:
    """The bytes of a string written by _info_value (hex or literal with octal escapes)."""
    if raw.startswith(b"<"):
        return bytes.fromhex(raw[1:-1].decode())
    out, i, body = bytearray(), 0, raw[1:-1]
    while i < len(body):
        if body[i : i + 1] == b"\\":
            if body[i + 1 : i + 2].isdigit():
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.append(body[i + 1])
            i += 2
            continue
        out.append(body[i])
        i += 1
    return bytes(out)


def text_pages(*texts: list[str]) -> list[Page]:
    """Pages of plain 11-point columns, one list of lines per page."""
    return [Page(column(lines)) for lines in texts]
