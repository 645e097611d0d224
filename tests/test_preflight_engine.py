"""The preflight as a whole: a careless file fails on its classic faults, a clean one passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure.preflight import PreflightError, Status, preflight

from .pdfs import careless, messages, named, print_ready

CHECKS = [
    "fonts",
    "colour",
    "output-intent",
    "boxes",
    "artwork-bleed",
    "safe-zone",
    "ink-coverage",
    "ink-values",
    "images",
    "page-count",
    "annotations",
]


def test_careless_file_fails_naming_rgb_font_and_bleed(tmp_path: Path) -> None:
    """RGB colour, an unembedded font and no bleed each fail, each named in the messages."""
    report = preflight(careless(tmp_path / "office.pdf"))
    assert not report.passed
    said = messages(report)
    assert "page 1 uses RGB colour" in said
    assert "font Helvetica is not embedded (page 1)" in said
    assert "no bleed: page 1 has no bleed beyond the trim" in said
    failed = {c.name for c in report.checks if c.status is Status.FAIL}
    assert {"colour", "fonts", "boxes", "artwork-bleed"} <= failed


def test_clean_cmyk_file_passes(tmp_path: Path) -> None:
    """CMYK, 3 mm bleed, TrimBox/BleedBox and an embedded font pass every check but PDF/X."""
    report = preflight(print_ready(tmp_path / "clean.pdf"))
    assert report.passed
    statuses = {c.name: c.status for c in report.checks}
    assert statuses.pop("output-intent") is Status.WARN  # not PDF/X: a warning, not a failure
    statuses.pop("ink-coverage")  # skipped where Ghostscript is missing; see test_preflight_ink
    assert set(statuses.values()) == {Status.PASS}


def test_checks_come_in_a_fixed_order(tmp_path: Path) -> None:
    """Every report lists the same checks in the same order, so reports line up."""
    report = preflight(print_ready(tmp_path / "clean.pdf"))
    assert [c.name for c in report.checks] == CHECKS
    assert report.pages == 1
    assert report.file == str(tmp_path / "clean.pdf")


def test_a_file_that_is_not_a_pdf_raises(tmp_path: Path) -> None:
    """Text that is not a PDF raises PreflightError saying which file."""
    path = tmp_path / "notes.pdf"
    path.write_text("not a PDF at all\n")
    with pytest.raises(PreflightError, match=r"notes\.pdf"):
        preflight(path)


def test_a_missing_file_raises(tmp_path: Path) -> None:
    """A file that does not exist raises PreflightError, not a traceback."""
    with pytest.raises(PreflightError, match="no such file"):
        preflight(tmp_path / "absent.pdf")


def test_a_check_that_breaks_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that cannot read its part of the file fails with the reason; the others run."""

    def broken(*_: object) -> None:
        raise KeyError("/FontDescriptor")

    monkeypatch.setattr("brochure.preflight.check_fonts", broken)
    report = preflight(print_ready(tmp_path / "clean.pdf"))
    fonts = named(report, "fonts")
    assert fonts.status is Status.FAIL
    assert "could not be checked" in fonts.message
    assert named(report, "colour").status is Status.PASS
