"""Fixtures for the file-format tests: the repo on sys.path and the format fixture folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `.venv/bin/pytest` without an editable install
    sys.path.insert(0, str(REPO_ROOT))

FORMAT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.fixture
def fmt_dir() -> Path:
    return FORMAT_FIXTURES


@pytest.fixture
def read_fixture():
    """`read_fixture(name)`: the text of a fixture file (UTF-8)."""

    def read(name: str) -> str:
        return (FORMAT_FIXTURES / name).read_bytes().decode("utf-8")  # newlines untouched

    return read
