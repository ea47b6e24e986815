"""Lines of arXiv ids and DOIs: detected, one paper each, titled by the id, bad tokens named."""

from __future__ import annotations

import pytest

from storage.formats import detect_format, parse
from storage.formats.ids import looks_like_ids, parse_ids, read_id
from storage.records import FormatError


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("2305.12345", ("arxiv", "2305.12345")),
        ("2305.12345v3", ("arxiv", "2305.12345")),
        ("arXiv:2305.12345", ("arxiv", "2305.12345")),
        ("arxiv:0704.0001", ("arxiv", "0704.0001")),
        ("https://arxiv.org/abs/2401.00001v2", ("arxiv", "2401.00001")),
        ("https://arxiv.org/pdf/2401.00001.pdf", ("arxiv", "2401.00001")),
        ("hep-th/9901001", ("arxiv", "hep-th/9901001")),
        ("math.GT/0309136", ("arxiv", "math.GT/0309136")),
        ("10.1000/XYZ-123", ("doi", "10.1000/xyz-123")),
        ("doi:10.1145/3290605.3300857", ("doi", "10.1145/3290605.3300857")),
        ("https://doi.org/10.18653/v1/2020.acl-main.1", ("doi", "10.18653/v1/2020.acl-main.1")),
        ("10.48550/arXiv.2305.12345", ("arxiv", "2305.12345")),
        ("hello", None),
        ("2305", None),
        ("10.1/x", None),
        ("https://example.org/2305.12345", None),
    ],
)
def test_read_id(token, expected):
    assert read_id(token) == expected


def test_lines_of_ids_are_detected_before_json_and_listings():
    text = "2305.12345\n\n# from the reading group\narXiv:2401.00001v2\n10.1000/xyz\n"
    assert looks_like_ids(text)
    assert detect_format(text) == "ids"
    assert detect_format("2305.12345") == "ids"  # a bare number would read as JSON
    assert detect_format("2305.12345, 2305.12346 10.1000/xyz") == "ids"


@pytest.mark.parametrize(
    "text",
    [
        "2305.12345\nand a line of words",
        "Sparse attention\nWe sparsify attention for long documents at linear cost.\n",
        '[{"title": "A", "DOI": "10.1000/xyz"}]',
        "@article{a, title={A}, doi={10.1000/xyz}}",
        "   \n\n",
    ],
)
def test_other_text_is_not_ids(text):
    assert not looks_like_ids(text)


def test_each_id_becomes_a_paper_titled_by_it():
    result = parse("2305.12345v2\n\ndoi:10.1000/XYZ\nhep-th/9901001\n", "ids")
    titles = [r.title for r in result.records]
    assert titles == ["arXiv:2305.12345", "doi:10.1000/xyz", "arXiv:hep-th/9901001"]
    first, second, _third = result.records
    assert (first.arxiv_id, first.doi, first.url) == (
        "2305.12345",
        None,
        "https://arxiv.org/abs/2305.12345",
    )
    assert (second.arxiv_id, second.doi, second.line) == (None, "10.1000/xyz", 3)
    assert not result.warnings


def test_repeats_and_stray_tokens_are_reported_with_their_line():
    result = parse_ids("2305.12345\narXiv:2305.12345v1\n2305.99999 nonsense\n")
    assert [r.title for r in result.records] == ["arXiv:2305.12345", "arXiv:2305.99999"]
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "arXiv:2305.12345 is listed twice; imported once"),
        (3, "not an arXiv id or DOI: nonsense"),
    ]


def test_no_id_at_all_is_a_format_error():
    with pytest.raises(FormatError, match="no arXiv id or DOI"):
        parse_ids("# only a comment\n")
