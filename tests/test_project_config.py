"""pyproject.toml: SPDX license, declared direct imports, and test strictness set in one place."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_string_with_a_setuptools_that_reads_it() -> None:
    assert PROJECT["project"]["license"] == "MIT"  # not the deprecated {text = ...} table
    (requirement,) = [r for r in PROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = re.fullmatch(r"setuptools>=(\d+)", requirement)
    assert minimum and int(minimum.group(1)) >= 77  # PEP 639 license expressions


def test_directly_imported_libraries_are_declared() -> None:
    declared = {re.split(r"[<>=!;\[ ]", d)[0].lower() for d in PROJECT["project"]["dependencies"]}
    assert {"pylatexenc", "bibtexparser", "rispy", "nh3", "pypdfium2"} <= declared
    tests = {
        re.split(r"[<>=!;\[ ]", d)[0].lower()
        for d in PROJECT["project"]["optional-dependencies"]["test"]
    }
    assert "mypy" in tests


def test_strictness_is_set_once_in_pyproject() -> None:
    pytest_ini = PROJECT["tool"]["pytest"]["ini_options"]
    assert pytest_ini["qt_log_level_fail"] == "WARNING"
    assert pytest_ini["xfail_strict"] is True
    assert "--strict-config" in pytest_ini["addopts"].split()
    assert pytest_ini["filterwarnings"] == ["error"]
    for pattern in pytest_ini["qt_log_ignore"]:  # each a specific message, never a blanket
        assert len(pattern) > 20 and not re.fullmatch(r"\.?\*?", pattern)
    repeated = re.compile(r"qt_log_level_fail|qt_log_ignore|xfail\([^)]*strict=")
    for test_file in (REPO / "tests").rglob("*.py"):
        if test_file.name != Path(__file__).name:
            assert not repeated.search(test_file.read_text(encoding="utf-8")), test_file
