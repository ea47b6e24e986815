"""Fixtures for the file-format tests: the folder of hand-written format fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

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
