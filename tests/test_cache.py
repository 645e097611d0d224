"""The per-user cache: the same PDFs with it, without it, and with it broken."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from brochure import cache

from .conftest import CONTENT, ROOT

KINDS = {"font", "glyphs", "hyphenation", "icc-deflated", "templates"}


def _build(out: Path, cache_dir: str) -> dict[str, bytes]:
    """Build the HSMC prospectus in a fresh process (so only the disk cache carries over)."""
    env = {**os.environ, "BROCHURE_CACHE_DIR": cache_dir, "SOURCE_DATE_EPOCH": "1767225600"}
    command = ["build", "--content", str(CONTENT), "--out", str(out), "-q"]
    subprocess.run(
        [sys.executable, "-m", "brochure", *command],
        check=True,
        env=env,
    )
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _build(tmp_path_factory.mktemp("uncached"), "off")


def test_cached_builds_are_byte_identical(tmp_path: Path, uncached: dict[str, bytes]) -> None:
    """Filling the cache and then reading from it change nothing in the PDFs."""
    folder = tmp_path / "cache"
    assert _build(tmp_path / "fill", str(folder)) == uncached
    kinds = {
        p.name.split("-")[0] if p.name.startswith("templates-") else p.name
        for p in folder.iterdir()
    }
    assert kinds == KINDS
    entries = sorted(p for p in folder.rglob("*") if p.is_file())
    stamps = [p.stat().st_mtime_ns for p in entries]
    assert _build(tmp_path / "read", str(folder)) == uncached
    # the second build read the entries rather than writing new ones
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == entries
    assert [p.stat().st_mtime_ns for p in entries] == stamps
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_corrupt_entries_are_redone(tmp_path: Path, uncached: dict[str, bytes]) -> None:
    """Garbage in every entry (a disk error, a killed write) only means the work is redone."""
    folder = tmp_path / "cache"
    _build(tmp_path / "fill", str(folder))
    for entry in folder.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"\x80\x05not a pickle" if entry.suffix == ".pickle" else b"junk")
    assert _build(tmp_path / "again", str(folder)) == uncached


def test_an_unusable_cache_folder_is_ignored(tmp_path: Path, uncached: dict[str, bytes]) -> None:
    """A cache path that cannot be a folder (here, a file) does not stop the build."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert _build(tmp_path / "out", str(blocker)) == uncached


def test_fetch_computes_once_per_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def compute(value: int) -> dict[str, int]:
        calls.append(value)
        return {"value": value}

    assert cache.fetch("test", ("a", 1), lambda: compute(1)) == {"value": 1}
    assert cache.fetch("test", ("a", 1), lambda: compute(2)) == {"value": 1}  # from disk
    assert cache.fetch("test", ("a", 2), lambda: compute(3)) == {"value": 3}  # another key
    assert calls == [1, 3]


def test_an_entry_for_another_key_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry records its full key: an entry found under the wrong name is not trusted."""
    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(tmp_path))
    cache.fetch("one", "first", lambda: "one")
    cache.fetch("two", "second", lambda: "two")
    (first,) = (tmp_path / "one").iterdir()
    (second,) = (tmp_path / "two").iterdir()
    first.write_bytes(second.read_bytes())
    assert cache.fetch("one", "first", lambda: "recomputed") == "recomputed"


class _Planted:
    """An entry someone else left in a shared folder: it runs code when unpickled."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("PLANTED ENTRY RAN",))


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_folder_others_can_write_to_is_not_used(
    mode: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries run code when read: the cache is off where another user could plant one."""
    shared = tmp_path / "shared"
    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(shared))
    cache.fetch("test", "k", lambda: 1)  # makes the folders, privately
    (entry,) = (shared / "test").iterdir()
    entry.write_bytes(pickle.dumps(_Planted()))
    shared.chmod(mode)
    assert cache.folder("test") is None
    assert cache.fetch("test", "k", lambda: 2) == 2
    assert "PLANTED" not in capsys.readouterr().out
    shared.chmod(0o700)
    (shared / "test").chmod(mode)
    assert cache.folder("test") is None
    assert cache.fetch("test", "k", lambda: 3) == 3
    assert "PLANTED" not in capsys.readouterr().out


def test_a_linked_folder_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(tmp_path / "link"))
    assert cache.folder("test") is None


def test_a_font_changed_in_place_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The font entry is keyed by the file's bytes: a font replaced with one of another
    design but the same time (as ``cp -p`` or ``rsync -t`` leave it) gets its own metrics."""
    from brochure import fonts

    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(tmp_path / "cache"))
    regular = ROOT / "fonts" / "SourceSans3-Regular.ttf"
    bold = ROOT / "fonts" / "SourceSans3-Bold.ttf"
    # the same size too: the two files padded alike (trailing bytes are never read)
    size = max(regular.stat().st_size, bold.stat().st_size)
    path = tmp_path / "Face.ttf"
    path.write_bytes(regular.read_bytes().ljust(size, b"\0"))
    os.utime(path, ns=(1, 1))
    first = fonts._ttfont("Face-a", path)
    path.write_bytes(bold.read_bytes().ljust(size, b"\0"))
    os.utime(path, ns=(1, 1))
    second = fonts._ttfont("Face-b", path)
    fresh_bold = fonts._ttfont("Face-c", bold)
    a = ord("a")
    assert first.face.charWidths[a] != second.face.charWidths[a]
    assert second.face.charWidths[a] == fresh_bold.face.charWidths[a]


@pytest.mark.parametrize("value", ["", "off", " off "])
def test_the_cache_can_be_turned_off(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROCHURE_CACHE_DIR", value)
    assert cache.directory() is None
    assert cache.fetch("test", "k", lambda: 42) == 42


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BROCHURE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.directory() == tmp_path / "brochure"
