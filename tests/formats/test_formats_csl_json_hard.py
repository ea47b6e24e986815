"""Hard CSL-JSON cases from real files (issues 10 and 17), each fixture written here, small."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from storage.formats.csl_json import parse_csl_json, write_csl_json
from storage.formats.rich_text import plain_text, subscript, superscript
from storage.library import Library
from storage.records import AuthorRecord, FormatError

# --- rich text in titles (issue 10) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        # Zotero's CSL-JSON export keeps its rich-text markup in titles as citeproc-js reads it
        ("Growth of Cu<sub>2</sub>O on <i>Si</i>(100)", "Growth of Cu₂O on Si(100)"),
        ("Loss at 10<sup>-3</sup> K and x<sup>2n+1</sup>", "Loss at 10⁻³ K and x²ⁿ⁺¹"),
        ('The <span class="nocase">iPhone</span> effect', "The iPhone effect"),
        ('<span style="font-variant:small-caps;">Nasa</span> and <b>bold</b>', "Nasa and bold"),
        ("Ions &amp; Radicals &lt;review&gt;", "Ions & Radicals <review>"),
        # no subscript form for every letter: plain text, never half-converted
        ("T<sub>eff</sub> of <sup>β</sup>-decay", "Teff of β-decay"),
        # Crossref puts JATS markup into CSL (citation-js test data has it)
        ("<jats:italic>E. coli</jats:italic> in <jats:sc>Dna</jats:sc>", "E. coli in Dna"),
        # text that only looks like markup stays as written
        ("When p < 0.05 and x<y hold", "When p < 0.05 and x<y hold"),
        ("Orders with a<b and c>d", "Orders with a<b and c>d"),  # `<b and c>` is no tag
        ("R&D at AT&T: Q&A", "R&D at AT&T: Q&A"),
        ("Notes &copy 2020 &nbsp here", "Notes &copy 2020 &nbsp here"),  # no `;`: literal
        ("Caf&eacute; &#8211; &#x3b1;", "Café – α"),
        # `<![` opening no marked section is text (the parser asserted on it; hypothesis found it)
        ("<![0", "<![0"),
        ("Bounds <![0, 1] on <i>x</i>", "Bounds <![0, 1] on x"),
    ],
)
def test_rich_text_titles_become_plain(title, plain):
    (record,) = parse_csl_json(json.dumps([{"type": "article-journal", "title": title}])).records
    assert record.title == plain


def test_rich_text_in_venue_and_abstract_paragraphs():
    item = {
        "title": "T",
        "container-title": "<i>Journal of</i> Things",
        "abstract": "<jats:p>First <jats:italic>part</jats:italic>.</jats:p>"
        "<jats:p>Second.</jats:p>",
    }
    (record,) = parse_csl_json(json.dumps(item)).records
    assert record.venue == "Journal of Things"
    assert record.abstract == "First part.\n\nSecond."


def test_scripts_helpers():
    assert subscript("2") == "₂" and superscript("-1") == "⁻¹"
    assert subscript("max") == "ₘₐₓ" and superscript("β") is None
    assert plain_text("no markup at all") == "no markup at all"


# --- creators other than `author` (issue 10) ------------------------------------------------

EDITED_BOOK = {  # an edited volume: CSL-JSON from Zotero has `editor` and no `author`
    "id": "ed2019",
    "type": "book",
    "title": "Handbook of Things",
    "editor": [{"family": "Okafor", "given": "Ada"}, {"family": "Lind", "given": "Bo"}],
    "translator": [{"family": "Sato", "given": "Kei"}],
    "issued": {"date-parts": [[2019]]},
}
FILM = {  # a film: `director` only (Zotero's videoRecording)
    "type": "motion_picture",
    "title": "Night Lab",
    "director": [{"family": "Varda", "given": "Agnès"}],
}
CHAPTER = {  # a chapter: authors, plus the book's editors and `container-author`
    "type": "chapter",
    "title": "One Chapter",
    "author": [{"family": "Ngata", "given": "Aroha"}],
    "editor": [{"family": "Okafor", "given": "Ada"}],
    "container-author": [{"literal": "The Consortium"}],
}


def test_editors_stand_in_for_missing_authors_with_their_role():
    book, film, chapter = parse_csl_json(json.dumps([EDITED_BOOK, FILM, CHAPTER])).records
    assert book.authors == [
        AuthorRecord(family="Okafor", given="Ada"),
        AuthorRecord(family="Lind", given="Bo"),
    ]
    assert book.extra["editor"] == "Okafor, Ada; Lind, Bo"  # the role is kept
    assert book.extra["translator"] == "Sato, Kei"
    assert film.authors == [AuthorRecord(family="Varda", given="Agnès")]
    assert film.extra["director"] == "Varda, Agnès"
    assert chapter.authors == [AuthorRecord(family="Ngata", given="Aroha")]
    assert chapter.extra["editor"] == "Okafor, Ada"
    assert chapter.extra["container-author"] == "The Consortium"


def test_roles_written_back_to_csl_json():
    records = parse_csl_json(json.dumps([EDITED_BOOK, CHAPTER, FILM])).records
    book, chapter, film = json.loads(write_csl_json(records))
    assert "author" not in book and "author" not in film  # editors are not written twice
    assert film["director"] == FILM["director"]
    assert book["editor"] == EDITED_BOOK["editor"] and book["translator"] == [
        {"family": "Sato", "given": "Kei"}
    ]
    assert chapter["author"] == CHAPTER["author"]
    assert chapter["editor"] == CHAPTER["editor"]
    assert chapter["container-author"] == [{"literal": "The Consortium"}]


# --- entries without a title (issue 10) -----------------------------------------------------


def test_untitled_items_get_a_placeholder_and_are_reported():
    items = [
        {  # a Zotero note-like item exported without a title (real in group libraries)
            "type": "article-journal",
            "author": [{"family": "Smith", "given": "J"}, {"family": "Doe", "given": "A"}],
            "issued": {"date-parts": [[2019, 5]]},
            "container-title": "Nature",
        },
        {"type": "webpage", "URL": "https://example.org/page"},
        {"id": "empty", "type": "article"},
        {"title": "A Real Title"},
        {"title": " ", "title-short": "Only <i>Short</i>"},  # Zotero's shortTitle stands in
    ]
    result = parse_csl_json(json.dumps(items, indent=1))
    titles = [r.title for r in result.records]
    assert titles == [
        "[Untitled] Smith et al. 2019, Nature",
        "[Untitled] https://example.org/page",
        "A Real Title",
        "Only Short",
    ]
    notes = [(w.line, w.message) for w in result.notes]  # imported: notes, not skips
    assert notes[0] == (
        2,
        "item without a title; imported as '[Untitled] Smith et al. 2019, Nature'",
    )
    assert len(notes) == 2
    assert [w.message for w in result.warnings] == [
        "item without a title or anything else to name it; skipped"
    ]


def test_file_rejected_only_when_it_holds_no_entry():
    with pytest.raises(FormatError, match="empty list"):
        parse_csl_json("[]")
    with pytest.raises(FormatError, match="no usable CSL-JSON items"):
        parse_csl_json('[{"type": "book"}, 3]')
    (record,) = parse_csl_json('[{"type": "book", "issued": {"raw": "1999"}}]').records
    assert record.title == "[Untitled] 1999"


# --- a lone surrogate (issue 17) ------------------------------------------------------------


def test_lone_surrogate_is_replaced_in_a_real_library(tmp_path: Path):
    # Fuzzed CSL-JSON: `\ud800` is valid JSON but no Unicode; SQLite cannot store it as UTF-8
    path = tmp_path / "fuzzed.json"
    path.write_text(
        '[{"title": "Broken \\ud800 title", "author": [{"family": "Kim\\udc00"}],\n'
        '  "keyword": "ok, bad\\udfff"},\n'
        ' {"title": "Pair \\ud83d\\ude00 is fine"}]\n',
        encoding="utf-8",
    )
    library = Library(tmp_path / "lib")
    try:
        report = library.import_file(path)
        assert len(report.new_ids) == 2
        assert report.warnings == []  # nothing skipped: a note
        assert report.notes == [
            f"{path}:1: note: invalid Unicode (a lone surrogate escape) replaced with U+FFFD"
        ]
        detail = library.paper(report.new_ids[0])
        assert detail.title == "Broken \ufffd title"
        assert library.paper(report.new_ids[1]).title == "Pair 😀 is fine"
    finally:
        library.close()
    with sqlite3.connect(tmp_path / "lib" / "library.db") as db:
        titles = sorted(row[0] for row in db.execute("SELECT title FROM paper"))
    assert titles == ["Broken \ufffd title", "Pair 😀 is fine"]
