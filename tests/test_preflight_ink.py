"""Total ink: rendered separations (Ghostscript) and CMYK values in the content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight

from .pdfs import named, print_ready

needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed")


def _rich_black(canvas: Canvas, page: int) -> None:
    canvas.setFillColorCMYK(1, 1, 1, 1)
    canvas.rect(20 * mm, 20 * mm, 40 * mm, 30 * mm, stroke=0, fill=1)


@needs_gs
def test_four_hundred_percent_fails_and_is_measured(tmp_path: Path) -> None:
    """A C100 M100 Y100 K100 panel renders at about 400 % and fails the 300 % limit."""
    check = named(preflight(print_ready(tmp_path / "i.pdf", draw=_rich_black)), "ink-coverage")
    assert check.status is Status.FAIL
    assert check.values["max_percent"] == pytest.approx(400, abs=2)
    assert check.message == "page 1 has 400 % total ink (limit 300 %)"


@needs_gs
def test_clean_file_stays_under_the_limit(tmp_path: Path) -> None:
    """The clean file's darkest ink is its black text, 100 %, and it passes."""
    check = named(preflight(print_ready(tmp_path / "i.pdf")), "ink-coverage")
    assert check.status is Status.PASS
    assert check.values["max_percent"] == pytest.approx(100, abs=2)


def test_operator_scan_finds_the_richest_colour(tmp_path: Path) -> None:
    """The content scan fails a 400 % fill and names the colour, without rendering."""
    check = named(preflight(print_ready(tmp_path / "i.pdf", draw=_rich_black)), "ink-values")
    assert check.status is Status.FAIL
    assert "C100 M100 Y100 K100 = 400 %" in check.message
    assert check.values["pages"] == {
        "1": {
            "colour_space": "DeviceCMYK",
            "tints": [100.0, 100.0, 100.0, 100.0],
            "total_percent": 400.0,
        }
    }


def test_without_ghostscript_coverage_is_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Ghostscript on PATH the coverage check says "not run" and fails nothing."""
    path = print_ready(tmp_path / "i.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    report = preflight(path)
    check = named(report, "ink-coverage")
    assert (check.status, check.message) == (Status.SKIP, "not run (Ghostscript not found)")
    assert report.passed
