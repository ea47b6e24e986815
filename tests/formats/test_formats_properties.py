"""Property tests: no input crashes a parser, and every writer reads back what it wrote."""

from __future__ import annotations

import string
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from storage.formats import parse, read_source
from storage.formats.bibtex import parse_bibtex, write_bibtex
from storage.formats.common import tidy_line, tidy_paragraphs
from storage.formats.csl_json import parse_csl_json, write_csl_json
from storage.formats.listing import parse_listing
from storage.formats.papershelf_json import parse_papershelf_json, write_papershelf_json
from storage.formats.rich_text import plain_text
from storage.formats.ris import parse_ris, write_ris
from storage.formats.tex import decode_tex, escape_tex
from storage.records import (
    STATUSES,
    AuthorRecord,
    FormatError,
    ListEntryRecord,
    ListRecord,
    NoteRecord,
    PaperRecord,
    ParseResult,
    normalize_tag,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSERS = [parse_listing, parse_bibtex, parse_ris, parse_csl_json, parse_papershelf_json, parse]

# Pieces of every format, so random text reaches past the first checks of each parser.
FRAGMENTS = [
    "@article{", "@string{", "@comment{", "@preamble{", "key,", " title = ", "{", "}", '"', " # ",
    "\\", "\\\"u", "and", " and others", "=", ",", "\n", "\r\n", "\t", "TY  - ", "ER  - ",
    "AU  - ", "TI  - ", "KW  - ", "[", "]", '{"title": ', '"author": [', "null", "1e999", ":",
    '{"format": "papershelf", "version": 1, "papers": [', "Subscribe", "new", "Mar 20",
    "A Title: Of Things", "An abstract sentence. Another one follows.", "https://github.com/a/b",
    "$x^2$", "--", "~", "%", "\x00", "\ufeff", "é",
]  # fmt: skip
formatish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join)
plain = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=60)
clean = plain.map(lambda s: tidy_line(s) or "")


def _check(result: object) -> None:
    assert isinstance(result, ParseResult)
    assert result.records or result.lists
    for record in result.records:
        assert isinstance(record.title, str) and record.title.strip()
        assert record.line is None or record.line >= 1
    for warning in result.warnings:
        assert warning.line is None or warning.line >= 1
        assert isinstance(warning.message, str) and warning.message


@SETTINGS
@given(st.one_of(st.text(), formatish))
def test_random_text_never_crashes_a_parser(text):
    for parser in PARSERS:
        try:
            result = parser(text)
        except FormatError as error:
            assert str(error)
        else:
            _check(result)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_reading_and_parsing(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.dat"
        path.write_bytes(data)
        try:
            _check(parse(read_source(path), filename=path.name))
        except FormatError as error:
            assert str(error)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",)) | st.sampled_from("\\{}%&#$_~^`@-'\"")
    )
)
def test_tex_escaping_reads_back_exactly(text):
    assert decode_tex(escape_tex(text)) == text


# Where pylatexenc and the decoder mean the same (accents, escapes, special letters, dashes,
# quotes, font commands), they must read every input alike; pylatexenc is the oracle there.
PLAIN_TEX_TOKENS = [
    "a", "B", "é", " ", "  ", "\n", "{", "}", "{}", r"\textbackslash{}",
    r"\textbraceleft{}", r"\textbraceright{}", r"\%", r"\&", r"\#", r"\_",
    r"\$", r"\'e", r"\'{e}", r"{\'e}", r'\"u', r'\"{U}', r"\`a", r"\^o",
    r"\~n", r"\=a", r"\.z", r"\c c", r"\c{c}", r"\v{s}", r"\u{g}", r"\H{o}", r"\r{a}", r"\k{a}",
    r"\d{s}", r"\b{b}", r"\'{\i}", r"\^{\j}", r"\ss{}", r"\o{}", r"\O{}",
    r"\aa{}", r"\AE{}", r"\oe{}", r"\l{}", r"\L{}", "{`}", "{@}", "-{}", "-", "'{}", "'",
    ",", r"\c{S}", r"\v{\i}", "--", r"\emph{x}", r"\textbf{y}", r"{\em z}", "---", "``", "''",
    "!`", "?`", "!", "?", "\t",
]  # fmt: skip
# Everything else the decoder reads differently on purpose (math to Unicode, `~` to a space).
TEX_TOKENS = PLAIN_TEX_TOKENS + [
    "$", "$$", "$O(n^2)$", r"$\alpha_i$", r"$\mathcal{O}(n)$", r"$a\,b$", r"$\{x\}$", "^", "_",
    r"\emph", r"\emph{", r"\emph {", r"\textit{", r"\textsc{", r"\texttt{", r"{\em ", r"\em",
    r"\it ", r"\sf{}", r"\emph\'e", "~", "`", r"\verb", r"\(", r"\)", r"\[", r"\]", "\\",
    r"\textsuperscript{", r"\textsubscript{2}", r"\url{", r"\href{a}", r"\frac", r"\sqrt",
    r"\unknown", r"\unknown{x}", r"\'", r"\c", r"\LaTeX", r"\mathbb{", "%",
]  # fmt: skip
_CONTEXT = get_default_latex_context_db()
_CONTEXT.add_context_category(
    "ours",
    prepend=True,
    macros=[
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
    ],
)
_PYLATEXENC = LatexNodes2Text(
    latex_context=_CONTEXT, keep_braced_groups=False, math_mode="verbatim"
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_TEX_TOKENS), max_size=16).map("".join))
def test_tex_decoder_agrees_with_pylatexenc_on_text(text):
    assert decode_tex(text) == _PYLATEXENC.latex_to_text(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TEX_TOKENS), max_size=24).map("".join))
def test_tex_decoder_reads_any_token_soup(text):
    decoded = decode_tex(text)
    assert isinstance(decoded, str)
    assert len(decoded) <= 2 * len(text) + 2


# --- writer round trips ------------------------------------------------------------------------

name_part = (
    st.text(alphabet=string.ascii_letters + "éüßØ'.- ", min_size=1, max_size=15)
    .map(lambda s: " ".join(s.replace(" .", ".").split()))
    .filter(lambda s: any(c.isalpha() for c in s) and not s.startswith(("-", "'", ".")))
)
person = st.builds(AuthorRecord, family=name_part, given=st.none() | name_part)
group = st.builds(AuthorRecord, literal=name_part)
tag = plain.map(normalize_tag).filter(lambda t: t and ";" not in t)
records = st.builds(
    PaperRecord,
    title=clean.filter(bool),
    authors=st.lists(person | group, max_size=4),
    year=st.none() | st.integers(1000, 2999),
    venue=st.none() | clean.filter(bool),
    abstract=st.none() | plain.filter(lambda s: tidy_paragraphs(s) is not None),
    doi=st.none() | st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9._()/:-]{1,20}", fullmatch=True),
    arxiv_id=st.none() | st.from_regex(r"[0-9]{4}\.[0-9]{5}", fullmatch=True),
    url=st.none()
    | st.from_regex(r"https://example\.org/[A-Za-z0-9_%&=?#~.-]{0,20}", fullmatch=True),
    tags=st.lists(tag, max_size=4, unique_by=str.casefold),
)


def _same(before: PaperRecord, after: PaperRecord, abstract: str | None) -> None:
    assert after.title == before.title
    assert [a.display for a in after.authors] == [a.display for a in before.authors]
    assert (after.year, after.venue, after.doi, after.arxiv_id, after.url) == (
        before.year, before.venue, before.doi, before.arxiv_id, before.url
    )  # fmt: skip
    assert after.abstract == abstract
    assert after.tags == before.tags


def _as_rich_text_reads_them(papers: list[PaperRecord]) -> list[PaperRecord]:
    """RIS and CSL-JSON titles and venues are read as rich text (`<i>`, `&amp;` become text):
    what a random title turns into that way is what must come back."""
    papers = [
        replace(p, title=tidy_line(plain_text(p.title)) or "", venue=tidy_line(plain_text(p.venue)))
        for p in papers
    ]
    assume(all(paper.title for paper in papers))
    return papers


@SETTINGS
@given(st.lists(records, min_size=1, max_size=4))
def test_bibtex_round_trip(papers):
    text = write_bibtex(papers)
    depth = 0
    for char in text:  # BibTeX itself counts every brace, escaped or not
        depth += (char == "{") - (char == "}")
        assert depth >= 0
    assert depth == 0
    result = parse_bibtex(text)
    assert result.warnings == []
    for before, after in zip(papers, result.records, strict=True):
        _same(before, after, tidy_paragraphs(before.abstract))
        assert after.authors == [
            a
            if a.literal or " " not in (a.family or "") or a.given
            else AuthorRecord(literal=a.family)
            for a in before.authors
        ]


@SETTINGS
@given(st.lists(records, min_size=1, max_size=4))
def test_ris_round_trip(papers):
    papers = _as_rich_text_reads_them(papers)
    result = parse_ris(write_ris(papers))
    for before, after in zip(papers, result.records, strict=True):
        _same(before, after, tidy_line(before.abstract))


@SETTINGS
@given(st.lists(records, min_size=1, max_size=4))
def test_csl_json_round_trip(papers):
    papers = _as_rich_text_reads_them(papers)
    result = parse_csl_json(write_csl_json(papers))
    for before, after in zip(papers, result.records, strict=True):
        _same(before, after, tidy_paragraphs(before.abstract))
        assert after.authors == before.authors


times = st.none() | st.datetimes(min_value=datetime(1970, 1, 1)).map(
    lambda t: t.replace(microsecond=0)
)
notes = st.builds(NoteRecord, body=plain, quote=st.none() | plain, page=st.none() | plain,
                  created_at=times, updated_at=times)  # fmt: skip
full_records = st.builds(
    PaperRecord,
    title=plain.filter(str.strip),
    authors=st.lists(
        st.builds(
            AuthorRecord,
            family=st.none() | plain,
            given=st.none() | plain,
            literal=st.none() | plain,
        ),
        max_size=3,
    ),  # fmt: skip
    year=st.none() | st.integers(-9999, 9999),
    venue=st.none() | plain,
    abstract=st.none() | plain,
    code_url=st.none() | plain,
    citation_key=st.none() | plain,
    extra=st.dictionaries(plain, plain, max_size=3),
    tags=st.lists(plain, max_size=3),
    status=st.none() | st.sampled_from(STATUSES),
    rating=st.none() | st.integers(0, 5),
    notes=st.lists(notes, max_size=2),
    added_at=times,
    updated_at=times,
)


@SETTINGS
@given(st.lists(full_records, min_size=1, max_size=4), st.data())
def test_papershelf_json_is_an_exact_inverse(papers, data):
    entry = st.builds(ListEntryRecord, record_index=st.integers(0, len(papers) - 1),
                      note=st.none() | plain)  # fmt: skip
    reading_list = st.builds(ListRecord, name=plain.filter(str.strip),
                             description=st.none() | plain, created_at=times,
                             entries=st.lists(entry, max_size=3))  # fmt: skip
    lists = data.draw(st.lists(reading_list, max_size=2))
    result = parse_papershelf_json(write_papershelf_json(papers, lists))
    assert result.warnings == []
    assert result.records == papers
    assert result.lists == lists
