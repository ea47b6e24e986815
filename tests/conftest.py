"""Shared fixtures: the seed listings (skipped when ../shared is absent) and fresh libraries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
# PAPERSHELF_SEEDS points elsewhere (a worktree whose ../shared is not the project's).
SEEDS_DIR = Path(os.environ.get("PAPERSHELF_SEEDS") or REPO_ROOT.parent / "shared" / "seeds")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    """The three real listing dumps, or a clean skip when ../shared/seeds is not beside the repo."""
    files = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    if not files:
        pytest.skip(f"seed listings not found in {SEEDS_DIR}")
    return files


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
