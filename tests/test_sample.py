"""The sample library the project ships: its content, its PDFs, building it fresh in a folder of
its own (never over the user's library), the `sample` command, and the package data."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.sample import MARKER, SampleError, build_sample, is_sample, sample_source
from storage.library import Library
from tests.pdf.make_sample_pdfs import TARGET, render, sources

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_pdfs_are_rendered_from_their_texts() -> None:
    """After editing resources/sample/*.txt, run `python tests/pdf/make_sample_pdfs.py`: every
    paragraph of a text is in its PDF, in order, and the PDF has the pages a fresh render has."""
    import pypdfium2 as pdfium

    texts = sources()
    assert len(texts) == 3
    assert sorted(p.stem for p in TARGET.glob("*.pdf")) == sorted(t.stem for t in texts)
    for text in texts:
        committed = pdfium.PdfDocument(str(TARGET / f"{text.stem}.pdf"))
        fresh = pdfium.PdfDocument(render(text))
        try:
            assert len(committed) == len(fresh), text.name
            pages = [
                committed[i].get_textpage().get_text_range().split() for i in range(len(fresh))
            ]
            words = " ".join(  # each page without its number at the foot
                " ".join(page[:-1] if page and page[-1] == str(n) else page)
                for n, page in enumerate(pages, start=1)
            )
        finally:
            committed.close()
            fresh.close()
        at = 0
        for paragraph in text.read_text(encoding="ascii").strip().split("\n\n"):
            for line in paragraph.removeprefix("# ").split("\n"):
                found = words.find(" ".join(line.split()), at)
                assert found >= 0, f"{text.name}: {line[:60]!r} is not in the PDF (render it again)"
                at = found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("built") / "sample")


def test_the_sample_holds_a_small_library_of_every_kind(sample: Path) -> None:
    with Library(sample) as library:
        stats = library.stats()
        assert 15 <= stats.papers <= 25 and stats.files == 3 and stats.pages >= 3
        assert stats.tags >= 10 and stats.notes >= 5
        group = library.list_detail("Reading group: retrieval")
        assert len(group.entries) == 5 and sum(1 for e in group.entries if e.note) >= 3
        notes = [n for pid in library.paper_ids() for n in library.paper(pid).notes]
        assert any(n.quote for n in notes) and any("```" in n.body for n in notes)
        files = [f for pid in library.paper_ids() for f in library.paper(pid).files]
        assert {f.text for f in files} == {"indexed"}
        hit = library.search('text:"gradient estimator"').hits[0]
        assert library.paper(hit.id).citation_key == "novak2022lowvariance"
        assert hit.page == 1
        # the Help's search examples find something in it
        for query in (
            "mamba remote sensing",
            '"dense passage retrieval"',
            "venue:iclr",
            "note:ablation",
            "tag:to-read",
            "tokenizaton~",
            "bert OR electra",
        ):
            assert library.search(query).total >= 1, query
        assert {p.status for p in library.records(library.paper_ids())} == {
            "unread",
            "reading",
            "read",
        }


@pytest.mark.seeds
def test_the_sample_text_is_the_projects_own(sample: Path, seed_files: list[Path]) -> None:
    """Written for the project: no title or sentence from the seed listings."""
    listings = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in seed_files)
    with Library(sample) as library:
        for record in library.records(library.paper_ids()):
            assert record.title not in listings
            for sentence in (record.abstract or "").split(". "):
                assert len(sentence) < 40 or sentence not in listings, sentence


def test_building_again_starts_afresh(tmp_path: Path) -> None:
    folder = build_sample(tmp_path / "sample")
    with Library(folder) as library:
        library.add_tags(library.paper_ids()[:2], ["mine"])
        library.delete_papers(library.paper_ids()[:3])
    assert build_sample(tmp_path / "sample") == folder
    with Library(folder) as library:
        assert library.stats().papers == 21
        assert "mine" not in [t.name for t in library.tag_counts()]
    assert is_sample(folder)


def test_a_folder_that_is_no_sample_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.tex").write_text("keep me", encoding="utf-8")
    with pytest.raises(SampleError, match="not empty and holds no sample library"):
        build_sample(mine)
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "keep me"
    assert not (mine / MARKER).exists()


def test_the_users_library_is_never_built_over(tmp_path: Path) -> None:
    with Library(tmp_path / "outer" / "library") as library:
        library.import_file(sample_source() / "library.json")
    (tmp_path / "outer" / MARKER).write_text("a sample, supposedly", encoding="utf-8")
    with pytest.raises(SampleError, match="holds the library"):
        build_sample(tmp_path / "outer", protect=[tmp_path / "outer" / "library"])
    with pytest.raises(SampleError, match="holds the library"):
        build_sample(tmp_path / "outer" / "library", protect=[tmp_path / "outer" / "library"])
    with Library(tmp_path / "outer" / "library") as library:
        assert library.stats().papers == 21


def test_the_sample_command(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", "--library", str(tmp_path / "mine"), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = run("sample", str(tmp_path / "try"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"built the sample library in {tmp_path / 'try'} (21 papers")
    assert not (tmp_path / "mine").exists()  # --library is never touched by `sample`
    refused = run("sample", str(tmp_path / "mine" / ".."))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("papershelf: ")


def test_the_package_data_carries_the_sample() -> None:
    """pyproject's package-data and the bundle's spec list every file of the sample."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["app"]
    spec = (ROOT / "packaging" / "papershelf.spec").read_text(encoding="utf-8")
    files = sorted(sample_source().iterdir())
    assert {p.suffix for p in files} == {".json", ".pdf"}
    for path in files:
        relative = path.relative_to(ROOT / "app").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in _spec_includes(spec)), relative


def _spec_includes(spec: str) -> list[str]:
    import re

    block = spec.split('collect_data_files(\n            "app",', 1)[1].split("]", 1)[0]
    return re.findall(r'"([^"]+)"', block)
