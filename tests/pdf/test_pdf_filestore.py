"""The content-addressed file store: copies once, never touches the original, 0600 in 0700."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from make_pdf import make_pdf, text_pages

from storage.database import LibraryError
from storage.pdf import ALTERED, MISSING, OK, FileStore, FileStoreError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(store: FileStore) -> list[Path]:
    return [path for path in store.root.rglob("*") if path.name.endswith(".part")]


@pytest.fixture
def original(tmp_path: Path) -> Path:
    path = tmp_path / "My Paper (final).pdf"
    path.write_bytes(make_pdf(text_pages(["Engines of Difference"])))
    path.chmod(0o644)
    return path


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    library = tmp_path / "library"
    library.mkdir()
    return FileStore(library)


def test_add_copies_by_hash_and_leaves_the_original(store: FileStore, original: Path) -> None:
    data = original.read_bytes()
    before = original.stat()
    sha256, stored, size = store.add(original)
    assert sha256 == hashlib.sha256(data).hexdigest() and size == len(data)
    assert stored == store.root / sha256[:2] / f"{sha256}.pdf" == store.path(sha256)
    assert stored.read_bytes() == data
    after = original.stat()
    assert original.read_bytes() == data
    assert (after.st_mtime_ns, after.st_mode, after.st_size) == (
        before.st_mtime_ns,
        before.st_mode,
        before.st_size,
    )
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700 and mode(store.root) == 0o700
    assert leftovers(store) == []


def test_folders_are_made_private_even_when_they_exist(store: FileStore, original: Path) -> None:
    store.root.mkdir(mode=0o755)
    store.root.chmod(0o755)
    old_umask = os.umask(0)
    try:
        _sha, stored, _size = store.add(original)
    finally:
        os.umask(old_umask)
    assert mode(store.root) == 0o700 and mode(stored.parent) == 0o700
    assert mode(stored) == 0o600


def test_the_same_bytes_are_stored_once(store: FileStore, original: Path, tmp_path: Path) -> None:
    first = store.add(original)
    stored_before = first[1].stat()
    twin = tmp_path / "copy with another name.pdf"
    twin.write_bytes(original.read_bytes())
    second = store.add(twin)
    assert second == first
    stored_after = first[1].stat()
    assert (stored_after.st_ino, stored_after.st_mtime_ns) == (
        stored_before.st_ino,
        stored_before.st_mtime_ns,
    )
    other = tmp_path / "other.pdf"
    other.write_bytes(make_pdf(text_pages(["Another paper"])))
    third = store.add(other)
    assert third[0] != first[0]
    stored = sorted(path for path in store.root.rglob("*.pdf"))
    assert stored == sorted([first[1], third[1]])


def test_verify_reports_ok_missing_and_altered(store: FileStore, original: Path) -> None:
    sha256, stored, _size = store.add(original)
    assert store.verify(sha256) == OK
    stored.write_bytes(stored.read_bytes().replace(b"Engines", b"Engined"))
    assert store.verify(sha256) == ALTERED
    stored.unlink()
    assert store.verify(sha256) == MISSING


def test_adding_again_repairs_a_stored_copy_of_the_wrong_size(
    store: FileStore, original: Path
) -> None:
    sha256, stored, _size = store.add(original)
    stored.write_bytes(b"%PDF-1.4 truncated")
    assert store.verify(sha256) == ALTERED
    assert store.add(original)[0] == sha256
    assert store.verify(sha256) == OK and stored.read_bytes() == original.read_bytes()


def test_remove(store: FileStore, original: Path) -> None:
    sha256, stored, _size = store.add(original)
    assert store.remove(sha256) is True
    assert not stored.exists() and not stored.parent.exists() and store.root.is_dir()
    assert store.remove(sha256) is False
    assert store.verify(sha256) == MISSING


def test_bad_sources_and_hashes_say_which(store: FileStore, tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    with pytest.raises(FileStoreError, match=r"gone\.pdf: cannot read the file"):
        store.add(missing)
    with pytest.raises(FileStoreError, match="not a regular file"):
        store.add(tmp_path)
    for bad in ("../../etc/passwd", "ABC", "g" * 64, "A" * 64):
        with pytest.raises(FileStoreError, match="not a SHA-256 hash"):
            store.path(bad)
    assert issubclass(FileStoreError, LibraryError)  # the CLI turns it into exit code 1
    assert not store.root.exists()  # nothing was created for any of these


def test_a_failed_copy_leaves_nothing(
    store: FileStore, original: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(FileStoreError, match="could not be copied into the store"):
        store.add(original)
    assert list(store.root.rglob("*.pdf")) == [] and leftovers(store) == []
    assert original.exists()
