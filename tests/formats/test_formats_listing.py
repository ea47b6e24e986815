"""Plain-text listings: the real seed dumps and small hand-written fixtures."""

from __future__ import annotations

import random
import textwrap

import pytest

from storage.formats.listing import CHROME_LINES, find_code_url, parse_listing
from storage.records import FormatError, normalize_title


@pytest.mark.seeds
def test_seed_files_give_411_entries_390_distinct(seed_files):
    records = []
    for path in seed_files:
        result = parse_listing(path.read_text(encoding="utf-8"))
        assert result.warnings == [], path.name
        records.extend(result.records)
    assert len(records) == 411
    assert len({normalize_title(r.title) for r in records}) == 390
    chrome = {c.casefold() for c in CHROME_LINES}
    for record in records:
        assert record.title.casefold() not in chrome
        assert not record.title.startswith(("Subscribe", "Get trending", "byAK"))
        assert record.abstract and len(record.abstract) > len(record.title)
        assert record.line and record.line >= 1


@pytest.mark.seeds
def test_seed_glued_title_and_code_urls(seed_files):
    by_title = {}
    for path in seed_files:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for record in parse_listing(text).records:
            by_title[record.title] = record
            # `line` points at the title (the glued one keeps its chrome in the file)
            assert lines[record.line - 1].endswith(record.title)
    glued = by_title["Stealing User Prompts from Mixture of Experts"]
    assert glued.line == 3
    with_github = [
        r for r in by_title.values() if r.abstract and "https://github.com/" in r.abstract
    ]
    assert len(with_github) > 50
    for record in with_github:
        assert record.code_url is not None
        assert record.code_url.startswith(("https://github.com/", "https://huggingface.co/"))
        assert record.code_url[-1] not in ".,)}"
    assert by_title["Stealing User Prompts from Mixture of Experts"].code_url is None


def test_spaced_listing_with_chrome(read_fixture):
    result = parse_listing(read_fixture("listing_spaced.txt"))
    titles = [r.title for r in result.records]
    assert titles == [
        "Quillback: Sparse Routing for Tiny Language Models on Microcontrollers",
        "Counting Sheep with Transformers",
        "An Orphaned Title With No Abstract",
        "Tiny Benchmarks, Big Claims: Auditing Evaluation in Few-shot Learning",
    ]
    assert [r.line for r in result.records] == [11, 15, 19, 21]
    quill, sheep, orphan, tiny = result.records
    assert quill.code_url == "https://github.com/example-lab/quillback"
    assert sheep.code_url == "https://huggingface.co/example-org/sheep-counter"
    assert r"$\ell_1$" in sheep.abstract and r"12\%" in sheep.abstract  # TeX kept as is
    assert orphan.abstract is None
    assert tiny.code_url == "https://gitlab.com/audit-group/tiny-bench"  # not the docs link
    assert result.warnings == []  # a clean title without abstract is no problem


def test_compact_listing_glued_chrome(read_fixture):
    result = parse_listing(read_fixture("listing_compact.txt"))
    assert [r.title for r in result.records] == [
        "Marmot: Hierarchical Memory for Long Video Agents",
        "xLoRA-Lite: Low-Rank Adapters Without the Overhead",
    ]
    assert [r.line for r in result.records] == [3, 5]
    assert result.records[0].code_url == "https://github.com/example/marmot"
    assert result.records[1].code_url == "https://bitbucket.org/example/xlora-lite"


def test_crlf_and_trailing_whitespace(read_fixture):
    text = read_fixture("listing_crlf.txt")
    assert "\r\n" in text
    (record,) = parse_listing(text).records
    assert record.title == "A Title in a CRLF File"
    assert record.abstract.endswith("left over.")
    assert "\r" not in record.abstract


def test_orphan_paragraph_and_junk_are_reported_with_lines():
    text = (
        "This paragraph has no title above it. It goes on for a while, as abstracts do, "
        "and ends with a full stop.\n\n"
        "A Proper Title About Graphs\n\n"
        "Graphs are everywhere. We propose a method for them and show that it works well.\n\n"
        "* * * ---\n\n"
        "Another paragraph without any title before it. It is long enough to be prose and "
        "it also ends with a full stop.\n"
    )
    result = parse_listing(text)
    assert [r.title for r in result.records] == ["A Proper Title About Graphs"]
    assert [w.line for w in result.warnings] == [1, 7, 9]
    assert "no title" in result.warnings[0].message


def test_hard_wrapped_abstract_is_joined():
    text = (
        "Wrapped Lines: A Study\n"
        "We show that wrapped abstracts keep\n"
        "going on the next line, and the parser\n"
        "joins them back into one paragraph.\n\n"
        "Second Paper Title\n\n"
        "Its abstract is a single line. Nothing else to say here really.\n"
    )
    first, second = parse_listing(text).records
    assert first.abstract == (
        "We show that wrapped abstracts keep going on the next line, and the parser "
        "joins them back into one paragraph."
    )
    assert second.title == "Second Paper Title"


def test_short_prose_between_two_titles_is_an_abstract():
    text = "First Title Here\nWe present a tiny result\nSecond Title Here\n" + (
        "A normal abstract follows here. It has several sentences. It ends properly.\n"
    )
    first, second = parse_listing(text).records
    assert first.abstract == "We present a tiny result"
    assert second.title == "Second Title Here"


def test_doubtful_title_only_line_is_kept_with_warning():
    text = (
        "Real Title: Something\n\nA real abstract. It has sentences. Many of them.\n\n"
        "Draft notes. See later for more\n"
    )
    result = parse_listing(text)
    assert [r.title for r in result.records] == [
        "Real Title: Something",
        "Draft notes. See later for more",
    ]
    assert [w.line for w in result.notes] == [5] and result.warnings == []  # kept: a note
    assert "doubtful" in result.notes[0].message


def test_lowercase_line_after_abstract_continues_it():
    text = "Real Title: Something\nA real abstract. It has sentences. Many of\nthem, in fact.\n"
    (record,) = parse_listing(text).records
    assert record.abstract == "A real abstract. It has sentences. Many of them, in fact."


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "new\n\nSubscribe\n\nMar 20\n", "Just one paragraph of prose. Nothing more here."],
)
def test_nothing_found_raises(text):
    with pytest.raises(FormatError, match="no entries"):
        parse_listing(text)


def test_subscriber_is_not_chrome():
    text = "Subscriber Churn Prediction with Graphs\nWe predict churn. It works. Really well.\n"
    (record,) = parse_listing(text).records
    assert record.title == "Subscriber Churn Prediction with Graphs"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://github.com/a/b.", "https://github.com/a/b"),
        ("(https://github.com/a/b)", "https://github.com/a/b"),
        ("at https://github.com/a/b{GitHub}", "https://github.com/a/b"),
        ("{https://github.com/a/b.}", "https://github.com/a/b"),
        ("https://example.org/x and https://gitlab.com/g/p,", "https://gitlab.com/g/p"),
        ("https://gitlab.inria.fr/team/tool", "https://gitlab.inria.fr/team/tool"),
        ("code at github.com/a/b.", "https://github.com/a/b"),
        ("https://user.github.io/page", None),
        ("https://github.com/", None),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", None),
        (None, None),
    ],
)
def test_find_code_url(text, url):
    assert find_code_url(text) == url


def _seed_lines(path):
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.mark.seeds
@pytest.mark.parametrize("width", [60, 80, 100])
def test_seed_hard_wrapped_gives_the_same_papers(seed_files, width):
    spaced = [p for p in seed_files if "\n\n" in p.read_text(encoding="utf-8")]
    assert spaced
    for path in spaced:
        text = path.read_text(encoding="utf-8")
        wrap = {"width": width, "break_on_hyphens": False, "break_long_words": False}
        wrapped = "\n\n".join(textwrap.fill(p, **wrap) for p in text.split("\n\n"))
        original = parse_listing(text).records
        again = parse_listing(wrapped)
        assert again.warnings == []
        assert [(r.title, r.abstract) for r in again.records] == [
            (r.title, r.abstract) for r in original
        ]


@pytest.mark.seeds
def test_seed_entries_as_title_plus_wrapped_abstract_blocks(seed_files):
    for path in seed_files:
        lines = _seed_lines(path)
        original = parse_listing("\n".join(lines)).records
        pairs = [(r.title, r.abstract) for r in original]
        wrap = {"width": 80, "break_on_hyphens": False, "break_long_words": False}
        text = "\n\n".join(f"{t}\n{textwrap.fill(a, **wrap)}" for t, a in pairs)
        again = parse_listing(text).records
        assert [(r.title, r.abstract) for r in again] == [(r.title, r.abstract) for r in original]


@pytest.mark.seeds
def test_seed_with_missing_lines_keeps_the_rest_and_reports(seed_files):
    compact = next(p for p in seed_files if "\n\n" not in p.read_text(encoding="utf-8"))
    lines = compact.read_text(encoding="utf-8").split("\n")
    titles = list(range(2, len(lines) - 1, 2))  # 0-based: two chrome lines, then pairs
    rng = random.Random(7)
    lost_abstracts = set(rng.sample([i + 1 for i in titles], 5))
    result = parse_listing("\n".join(x for i, x in enumerate(lines) if i not in lost_abstracts))
    assert len(result.records) == 292 and result.warnings == []
    assert sum(1 for r in result.records if r.abstract is None) == 5
    lost_titles = set(rng.sample(titles[1:], 5))
    kept = [x for i, x in enumerate(lines) if i not in lost_titles]
    result = parse_listing("\n".join(kept))
    assert len(result.records) == 287
    assert len(result.warnings) == 5
    assert all("no title" in w.message for w in result.warnings)
    for warning in result.warnings:  # each points at the orphaned abstract
        assert len(kept[warning.line - 1]) > 400
