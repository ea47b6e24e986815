"""Choosing the paper a PDF belongs to: arXiv id, then DOI, then a similar enough title."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.pdf import Candidate, PaperIndex, PdfIdentity, match_paper, title_similarity
from storage.pdf.match import TITLE_THRESHOLD, only_noise_differs
from storage.records import normalize_title

LIBRARY = [
    Candidate(1, "Engines of Difference", doi="10.1000/engines"),
    Candidate(2, "Attention Is All You Need", arxiv_id="1706.03762v5"),
    Candidate(
        3,
        "Deep Residual Learning for Image Recognition",
        doi="https://doi.org/10.1109/CVPR.2016.90",
    ),
    Candidate(
        4, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    ),
    Candidate(5, "Schrödinger Bridges for Generative Modelling"),
    Candidate(6, None),
]


def test_arxiv_id_wins_over_doi_and_title() -> None:
    identity = PdfIdentity(arxiv_id="1706.03762", doi="10.1000/engines", title=LIBRARY[2].title)
    found = match_paper(identity, LIBRARY)
    assert found is not None and (found.paper_id, found.how) == (2, "arxiv")


def test_doi_wins_over_title_and_ignores_case_and_prefix() -> None:
    identity = PdfIdentity(
        arxiv_id="9999.99999", doi="10.1109/cvpr.2016.90", title="Engines of Difference"
    )
    found = match_paper(identity, LIBRARY)
    assert found is not None and (found.paper_id, found.how) == (3, "doi")


def test_unknown_ids_fall_through_to_the_title() -> None:
    identity = PdfIdentity(
        arxiv_id="2305.12345", doi="10.1000/unknown", title="ENGINES of difference!"
    )
    found = match_paper(identity, LIBRARY)
    assert found is not None and (found.paper_id, found.how, found.score) == (1, "title 1.00", 1.0)


@pytest.mark.parametrize(
    ("title", "paper", "how"),
    [
        ("Deep Residual Learn- ing for Image Recognition", 3, "title 0.98"),  # split word
        ("DeepResidual Learning for Image Recogntion", 3, "title 0.97"),  # glued, a typo
        ("Schro¨dinger Bridges for Generative Modelling", 5, "title 0.96"),  # a lost accent
        ("Attention Is All You Nee", 2, "title 0.97"),
    ],
)
def test_titles_with_extraction_noise_match(title: str, paper: int, how: str) -> None:
    found = match_paper(PdfIdentity(title=title), LIBRARY)
    assert found is not None and (found.paper_id, found.how) == (paper, how)
    assert found.score >= TITLE_THRESHOLD


@pytest.mark.parametrize(
    "title",
    [
        "Attention Is Not All You Need",  # ratio 0.93, but a word was inserted
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Generation",  # 0.92
        "Deep Learning for Image Recognition",  # 0.89
        "Engines of Indifference and Doubt",
        "",
    ],
)
def test_different_titles_do_not_match(title: str) -> None:
    assert match_paper(PdfIdentity(title=title), LIBRARY) is None


def test_the_ratio_alone_would_have_matched_the_word_changes() -> None:
    assert title_similarity("Attention Is Not All You Need", LIBRARY[1].title) > TITLE_THRESHOLD
    long_title = LIBRARY[3].title or ""
    changed = long_title.replace("Understanding", "Generation")
    assert title_similarity(changed, long_title) > TITLE_THRESHOLD


def test_threshold_is_a_parameter() -> None:
    identity = PdfIdentity(title="Deep Residual Learn- ing for Image Recognition")
    assert match_paper(identity, LIBRARY, threshold=0.99) is None
    assert match_paper(identity, LIBRARY, threshold=0.98) is not None


def test_ties_go_to_the_lowest_id_and_nothing_matches_nothing() -> None:
    twins = [Candidate(9, "A Study of Engines"), Candidate(7, "A Study of Engines")]
    assert match_paper(PdfIdentity(title="A study of engines"), twins).paper_id == 7
    near = match_paper(PdfIdentity(title="A Study of Engine"), twins)
    assert near is not None and near.paper_id == 7
    assert match_paper(PdfIdentity(), LIBRARY) is None
    assert match_paper(PdfIdentity(title="Engines of Difference"), []) is None


def test_an_index_serves_many_pdfs() -> None:
    index = PaperIndex(LIBRARY)
    assert index.match(PdfIdentity(arxiv_id="1706.03762v7")).paper_id == 2
    assert index.match(PdfIdentity(doi="DOI:10.1000/ENGINES")).paper_id == 1
    assert index.match(PdfIdentity(title="Nothing Like It")) is None


WORDS = ["deep", "learning", "graph", "neural", "networks", "for", "image", "retrieval", "a", "of"]


def _every_title(titles: list[str], wanted: str) -> tuple[int, str] | None:
    """The rule without any shortcut: every title compared, the best, the lowest id on a tie."""
    target = normalize_title(wanted)
    exact = [pid for pid, title in enumerate(titles, 1) if normalize_title(title) == target]
    if target and exact:
        return exact[0], "title 1.00"
    best = None
    seen: set[str] = set()
    for pid, title in enumerate(titles, 1):
        normal = normalize_title(title)
        if not normal or not target or normal in seen:
            continue
        seen.add(normal)
        score = SequenceMatcher(None, normal, target, autojunk=False).ratio()
        better = score >= TITLE_THRESHOLD and (best is None or score > best[0])
        if better and only_noise_differs(normal, target):
            best = (score, pid)
    if best is None:
        return None
    return best[1], f"title {int(best[0] * 100 + 1e-9) / 100:.2f}"


def _noisy(title: str, rng: random.Random, edits: int) -> str:
    chars = list(title)
    for _ in range(edits):
        at = rng.randrange(len(chars) + 1)
        kind = rng.choice("dis")
        if kind == "d" and at < len(chars):
            del chars[at]
        elif kind == "i":
            chars.insert(at, rng.choice("abcdeilnorst -"))
        elif at < len(chars):
            chars[at] = rng.choice("abcdeilnorst")
    return "".join(chars)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(5, 60))
def test_the_gram_shortcut_finds_what_comparing_every_title_finds(seed: int, size: int) -> None:
    rng = random.Random(seed)
    titles = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))) for _ in range(size)
    ]
    index = PaperIndex(Candidate(pid, title) for pid, title in enumerate(titles, 1))
    for _ in range(12):  # from the second title compared on, the grams pick the candidates
        wanted = _noisy(rng.choice(titles), rng, rng.randint(0, 6))
        found = index.match(PdfIdentity(title=wanted))
        expected = _every_title(titles, wanted)
        assert (None if found is None else (found.paper_id, found.how)) == expected, wanted


def test_titles_added_during_an_import_are_compared_too() -> None:
    index = PaperIndex(LIBRARY)
    for title in ("Nothing Like It", "Something Else Entirely"):  # past the first comparison
        assert index.match(PdfIdentity(title=title)) is None
    index.add(Candidate(40, "Sparse Mixtures of Experts at Scale"))
    found = index.match(PdfIdentity(title="Sparse Mixtures of Experts at Scal"))
    assert found is not None and found.paper_id == 40


def test_many_papers_added_during_an_import_are_all_found() -> None:
    index = PaperIndex(LIBRARY)
    for title in ("Nothing Like It", "Something Else Entirely"):  # the counts are made now
        assert index.match(PdfIdentity(title=title)) is None
    rng = random.Random(3)
    titles = {}
    for pid in range(100, 400):  # more than the room made for them at first
        title = " ".join(rng.choice(WORDS) for _ in range(6)) + f" study {pid}"
        titles[pid] = title
        index.add(Candidate(pid, title))
    for pid in (100, 250, 399):
        found = index.match(PdfIdentity(title=titles[pid].replace("study", "stdy")))  # a typo
        assert found is not None and found.paper_id == pid
