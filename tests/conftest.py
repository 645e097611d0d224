"""Shared fixtures: the HSMC prospectus built once per session, and small PDF readers.

Readers are independent of our own code: poppler (pdftotext, pdffonts), pdfium
(pypdfium2) and pypdf.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from brochure.build import Output, build

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SEED = ROOT / "tests" / "fixtures" / "about-hsmc.txt"  # the customer's source text, verbatim


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the commands they run) use their own cache folder, never the user's."""
    os.environ["BROCHURE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def hsmc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Output]:
    """The HSMC prospectus, both editions, built once for the whole session."""
    out = tmp_path_factory.mktemp("hsmc")
    return {o.edition: o for o in build(CONTENT, out)}


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the HSMC content in a temporary folder, with files (relative paths) added."""

    def make(files: dict[str, str] | None = None) -> Path:
        content = tmp_path / "content"
        shutil.copytree(CONTENT, content)
        for name, text in (files or {}).items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return content

    return make


def poppler(tool: str) -> str:
    """The path of a poppler tool; the test is skipped where poppler-utils is not installed
    (`.ci/run` installs it, so CI always runs these)."""
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} not found: install poppler-utils")
    return found


def pdftotext(path: Path, *, layout: bool = False) -> str:
    """The text of ``path`` as poppler reads it."""
    poppler("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdffonts(path: Path) -> list[dict[str, str]]:
    """poppler's font table: name, type, emb, sub per font."""
    poppler("pdffonts")
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni objnum gen: take from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdfium_text(path: Path) -> list[str]:
    """The text of each page of ``path`` as pdfium reads it."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def letters(text: str) -> str:
    """Only the letters and digits of ``text``: compares words regardless of line breaks,
    hyphenation at line ends and typographic quotes or dashes."""
    return "".join(c for c in text if c.isalnum())
