"""What related papers and suggestions hand back.

Plain values (no numpy here, so that the command line imports this package cheaply; the engine
loads numpy when first used)."""

from __future__ import annotations

from dataclasses import dataclass


class Cancelled(Exception):
    """The caller cancelled; nothing was changed."""


@dataclass(frozen=True)
class RelatedHit:
    """A paper like the one asked about; score is the cosine of their TF-IDF vectors."""

    id: int
    title: str
    score: float

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Suggestion:
    """A paper suggested for a tag or list, with the words that weigh most in its favour."""

    id: int
    title: str
    score: float
    why: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "why": list(self.why),
        }
