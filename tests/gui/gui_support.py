"""Helpers for the GUI tests: generated BibTeX files and a message-box spy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

TOPICS = ("attention", "graphs", "pruning", "diffusion")
FAMILIES = ("Lovelace", "Noether", "Curie", "Hopper", "Turing", "Franklin")


def bibtex(count: int, start: int = 0, topics: tuple[str, ...] = TOPICS) -> str:
    """`count` distinct BibTeX entries; paper i is about topics[i % len(topics)]."""
    entries = []
    for i in range(start, start + count):
        topic = topics[i % len(topics)]
        family = FAMILIES[i % len(FAMILIES)]
        entries.append(
            f"@article{{gen{i},\n"
            f"  title = {{Study {i:05d} of {topic} in small models}},\n"
            f"  author = {{{family}, Ada and Sample, Sam}},\n"
            f"  journal = {{Journal of Generated Results}},\n"
            f"  year = {{{2000 + i % 25}}},\n"
            f"  abstract = {{We look at {topic} once more, in setting number {i}.}}\n"
            "}\n"
        )
    return "\n".join(entries)


def write_bibtex(path: Path, count: int, start: int = 0) -> Path:
    path.write_text(bibtex(count, start), encoding="utf-8")
    return path


@dataclass
class DialogSpy:
    """Records every message box instead of blocking on it; answers questions with `answer`."""

    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
    shown: list[tuple[str, str]] = field(default_factory=list)

    def static(self, kind: str):
        def fake(_parent, title, text, *args, **kwargs):
            self.shown.append((kind, f"{title}: {text}"))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return fake

    def titles(self, kind: str | None = None) -> list[str]:
        return [text for k, text in self.shown if kind is None or k == kind]
