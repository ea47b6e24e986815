"""The detail pane with huge values: hundreds of tags fold into "+N more", long text is cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.gui.detail import DetailPane
from storage.library import Library

TAGS = [f"topic-{n:04d}" for n in range(300)]
WORDS = "sparse attention heads prune graph diffusion tokens "


@pytest.fixture
def big(tmp_path: Path):
    source = tmp_path / "big.bib"
    source.write_text(
        "@article{many, title = {Many tags}, year = {2020}}\n"
        "@article{long, title = {Long abstract}, year = {2021}}\n",
        encoding="utf-8",
    )
    library = Library(tmp_path / "lib")
    library.import_file(source)
    ids = {key: library.resolve(key) for key in ("many", "long")}
    library.add_tags([ids["many"]], TAGS)
    library.update_paper(ids["long"], abstract=(WORDS * 20_000).strip())  # ~1 MB
    yield library, ids
    library.close()


@pytest.fixture
def pane(qtbot, big) -> DetailPane:
    library, _ = big
    widget = DetailPane(library)
    qtbot.addWidget(widget)
    widget.resize(420, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_long_tag_set_folds_into_more(pane: DetailPane, big) -> None:
    from app.gui.tag_editor import CHIP_LIMIT

    library, ids = big
    pane.show_paper(ids["many"])
    editor = pane.tags
    assert CHIP_LIMIT == 50
    assert [chip.tag for chip in editor.chips] == sorted(TAGS, key=str.casefold)[:50]
    assert editor.more.isVisible() and editor.more.text() == "+250 more"
    assert editor.tags == library.paper(ids["many"]).tags  # every tag is still the paper's
    editor.chips[0].click()  # removing one shows the next in its place
    assert len(library.paper(ids["many"]).tags) == 299
    assert len(editor.chips) == 50 and editor.more.text() == "+249 more"


def test_more_opens_every_tag_as_a_list_that_can_remove(qtbot, pane: DetailPane, big) -> None:
    library, ids = big
    pane.show_paper(ids["many"])
    pane.tags.more.click()
    dialog = pane.tags.tag_list
    assert dialog is not None and dialog.isVisible()
    assert dialog.tags() == list(library.paper(ids["many"]).tags)
    assert dialog.count.text() == "300 tags"
    dialog.filter.setText("topic-029")
    shown = [dialog.list.item(r) for r in range(dialog.list.count())]
    assert [i.text() for i in shown if not i.isHidden()] == [f"topic-029{d}" for d in range(10)]
    for item in shown:
        item.setSelected(not item.isHidden())
    dialog.remove.click()
    assert len(library.paper(ids["many"]).tags) == 290
    assert len(dialog.tags()) == 290 and pane.tags.more.text() == "+240 more"
    dialog.close()


def test_few_tags_show_every_chip_and_no_more(pane: DetailPane, big) -> None:
    library, ids = big
    library.add_tags([ids["long"]], ["one", "two"])
    pane.show_paper(ids["long"])
    assert [chip.tag for chip in pane.tags.chips] == ["one", "two"]
    assert pane.tags.more.isHidden()


def test_a_huge_abstract_is_cut_with_a_show_all_toggle(qtbot, pane: DetailPane, big) -> None:
    from app.gui.detail import ABSTRACT_LIMIT

    library, ids = big
    whole = library.paper(ids["long"]).abstract
    pane.show_paper(ids["long"])
    shown = pane.abstract.text()
    assert len(shown) <= ABSTRACT_LIMIT + 2 and shown.endswith(" …")
    assert whole.startswith(shown.removesuffix(" …"))
    toggle = pane.abstract_toggle
    assert toggle.isVisible() and toggle.text() == f"Show all {len(whole):,} characters"
    toggle.click()
    assert pane.abstract_all.isVisible() and pane.abstract_all.toPlainText() == whole
    assert toggle.text() == "Show less"
    toggle.click()
    assert not pane.abstract_all.isVisible() and pane.abstract.isVisible()
    pane.show_paper(ids["many"])  # no abstract: neither the text nor the toggle
    assert pane.abstract_toggle.isHidden() and pane.abstract.isHidden()


def test_a_huge_title_is_cut(pane: DetailPane, big) -> None:
    library, ids = big
    library.update_paper(ids["long"], title="Wombat " * 100_000)
    pane.show_paper(ids["long"])
    QApplication.processEvents()
    assert len(pane.title.text()) < 2_100 and pane.title.text().endswith("…")
