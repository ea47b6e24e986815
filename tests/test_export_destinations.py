"""Where `export -o` writes: files atomically, devices and pipes straight through, `-`, links,
and the stale temporary files a killed export leaves behind."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from export_support import annotated_library

from app.cli import main
from storage import atomic_write
from storage.exporting import ExportError, ExportSelection

REPO_ROOT = Path(__file__).resolve().parent.parent
posix_only = pytest.mark.skipif(os.name != "posix", reason="devices, FIFOs and pids are POSIX")


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dest") / "lib"
    library, _ = annotated_library(folder)
    library.close()
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--library", str(lib), "export", "--all", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(lib: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "app", "--library", str(lib), "export", "--all", *args]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, timeout=120, check=False)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- devices and pipes ---------------------------------------------------------------------------


@posix_only
def test_a_fifo_is_written_through_and_stays_a_fifo(lib: Path, out: Path, capsys) -> None:
    fifo = out / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, stdout, stderr = run(capsys, lib, "--format", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0, stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert len(json.loads(received[0])["papers"]) == 5
    assert names(out) == ["pipe"]  # no temporary file left beside it
    assert stdout == "" and "exported 5 papers to" in stderr


@posix_only
def test_a_private_null_device_is_not_replaced(lib: Path, out: Path, capsys) -> None:
    device = out / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a character device here (needs CAP_MKNOD)")
    code, _, stderr = run(capsys, lib, "--format", "markdown", "-o", str(device))
    assert code == 0, stderr
    assert stat.S_ISCHR(device.lstat().st_mode), "the device was replaced by a regular file"
    assert names(out) == ["null"]


@posix_only
@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_dev_null_stays_the_null_device(lib: Path, capsys) -> None:
    before = os.stat("/dev/null")
    code, _, stderr = run(capsys, lib, "--format", "csv", "-o", "/dev/null")
    assert code == 0, stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert not [p for p in Path("/dev").glob(".null.*.part")]


def test_dash_writes_to_standard_output(lib: Path) -> None:
    result = run_process(lib, "--format", "json", "-o", "-")
    assert result.returncode == 0, result.stderr
    backup = json.loads(result.stdout)  # nothing but the export on stdout
    assert len(backup["papers"]) == 5
    assert b"exported 5 papers to standard output (json)" in result.stderr
    assert not (REPO_ROOT / "-").exists()


@posix_only
@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_dev_stdout_into_a_pipe(lib: Path) -> None:
    result = run_process(lib, "--format", "json", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["papers"]) == 5
    assert b"exported 5 papers" in result.stderr


@posix_only
@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_dev_stdout_redirected_to_a_file(lib: Path, out: Path) -> None:
    target = out / "redirected.json"
    command = [sys.executable, "-m", "app", "--library", str(lib), "export", "--all"]
    with target.open("wb") as stdout:
        result = subprocess.run(
            [*command, "--format", "json", "-o", "/dev/stdout"],
            cwd=REPO_ROOT,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))["papers"]) == 5
    assert names(out) == ["redirected.json"]


def test_only_the_string_dash_means_standard_output(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert atomic_write.resolve_destination("-").kind == "stdout"
    as_path = atomic_write.resolve_destination(Path("-"))  # what the window passes
    assert as_path.kind == "file" and as_path.path == tmp_path / "-"


def test_a_block_device_is_refused() -> None:
    disks = [p for p in Path("/dev").glob("*") if p.exists() and stat.S_ISBLK(p.stat().st_mode)]
    if not disks:
        pytest.skip("no block device to point at")
    with pytest.raises(ExportError, match="block device"):
        atomic_write.resolve_destination(disks[0], ExportError)


# --- symlinks ------------------------------------------------------------------------------------


def test_a_symlink_is_kept_and_its_target_replaced(lib: Path, out: Path, capsys) -> None:
    real = out / "real.md"
    real.write_text("OLD", encoding="utf-8")
    link = out / "link.md"
    link.symlink_to(real)
    code, stdout, stderr = run(capsys, lib, "--format", "markdown", "-o", str(link))
    assert code == 0, stderr
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8").startswith("# All papers")
    assert f"to {real} (through the link {link}, which is kept)" in stdout
    assert names(out) == ["link.md", "real.md"]


def test_a_dangling_symlink_creates_its_target(lib: Path, out: Path, capsys) -> None:
    link = out / "link.bib"
    link.symlink_to(out / "later.bib")
    code, stdout, stderr = run(capsys, lib, "--format", "bibtex", "-o", str(link))
    assert code == 0, stderr
    assert link.is_symlink()
    assert "@" in (out / "later.bib").read_text(encoding="utf-8")
    assert "through the link" in stdout


def test_a_symlink_to_a_fifo_is_written_through(lib: Path, out: Path, capsys) -> None:
    if os.name != "posix":
        pytest.skip("FIFOs are POSIX")
    fifo = out / "pipe"
    os.mkfifo(fifo)
    link = out / "link"
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, stderr = run(capsys, lib, "--format", "ris", "-o", str(link))
    reader.join(timeout=30)
    assert code == 0, stderr
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b"TY  -" in received[0]


# --- stale temporary files -----------------------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_a_killed_export_leaves_a_part_file_the_next_one_removes(lib: Path, out: Path) -> None:
    target = out / "all.md"
    killer = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from storage.atomic_write import AtomicFile
        with AtomicFile(Path({str(target)!r})) as part:
            part.write(b"x" * 100_000)
            part.file.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    subprocess.run([sys.executable, "-c", killer], cwd=REPO_ROOT, timeout=60, check=False)
    left = [name for name in names(out) if name.endswith(".part")]
    assert len(left) == 1 and left[0].startswith(".all.md.")
    result = run_process(lib, "--format", "markdown", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert names(out) == ["all.md"]


@posix_only
def test_only_stale_parts_of_our_naming_are_removed(out: Path) -> None:
    now = time.time()
    dead = out / f".list.md.{dead_pid()}-0badc0de.part"
    dead_other = out / f".other.csv.{dead_pid()}-0badc0de.part"  # any name: the pid decides
    alive = out / f".list.md.{os.getppid()}-0badc0de.part"  # a writer that still runs
    mine = out / f".list.md.{os.getpid()}-12345678.part"
    old_alive = out / f".list.md.{os.getppid()}-abcdef01.part"
    old_style = out / ".list.md.abcdef02.part"  # from before pids were in the name
    fresh_old_style = out / ".list.md.abcdef03.part"
    other_old_style = out / ".other.csv.abcdef04.part"  # not the file being written
    strangers = [out / ".list.md.part", out / "notes.part", out / ".x.123-nothex00.part"]
    everything = [dead, dead_other, alive, mine, old_alive, old_style, fresh_old_style]
    for path in [*everything, other_old_style, *strangers]:
        path.write_bytes(b"partial")
    hours_ago = now - 2 * atomic_write.STALE_AFTER
    for path in (old_alive, old_style, other_old_style, *strangers):
        os.utime(path, (hours_ago, hours_ago))
    removed = atomic_write.remove_stale_parts(out, "list.md", now=now)
    assert sorted(removed) == sorted([dead, dead_other, old_alive, old_style])
    kept = [alive, mine, fresh_old_style, other_old_style, *strangers]
    assert names(out) == sorted(p.name for p in kept)


def test_temporary_names_carry_the_writers_pid(out: Path) -> None:
    with atomic_write.AtomicFile(out / "x.json") as part:
        assert part.temp is not None
        assert part.temp.name.startswith(f".x.json.{os.getpid()}-")
        part.write(b"{}")
    assert names(out) == ["x.json"]


def test_a_library_export_reports_links_and_streams(lib: Path, out: Path) -> None:
    from storage.library import Library

    library = Library(lib)
    try:
        real = out / "r.csv"
        (out / "l.csv").symlink_to(real)
        report = library.export(ExportSelection.everything(), "csv", out / "l.csv")
        assert report.path == real and not report.streamed
        assert "through the link" in report.summary()
    finally:
        library.close()
