"""mypy passes on storage/ (configured in pyproject's [tool.mypy]); `make check` runs it too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_mypy_passes_on_storage(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "storage"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,  # ~10 s cold on a shared 2-core machine
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_check_runs_mypy() -> None:
    plan = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "check", f"PY={sys.executable}"],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert f"{sys.executable} -m mypy storage" in plan.stdout.splitlines()
