"""`make check` checks a throwaway library, never creating one in the user's home (issue 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_check_leaves_the_home_folder_alone(tmp_path: Path) -> None:
    home, scratch = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PAPERSHELF_LIBRARY", "XDG_DATA_HOME")}
    env.update(HOME=str(home), TMPDIR=str(scratch))
    # The recipe as make would run it (the venv's install step assumed done), then the line
    # that runs the app's own check, run for real with this HOME.
    plan = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "check", f"PY={sys.executable}"],
        cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    (line,) = [cmd for cmd in plan.stdout.splitlines() if " -m app" in cmd]
    run = subprocess.run(
        ["sh", "-c", line], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert list(home.rglob("*")) == []  # no ~/.local/share/papershelf
    assert list(scratch.iterdir()) == []  # and the throwaway library is gone again
