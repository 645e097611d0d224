"""Our own print edition, built from the HSMC content, passes preflight."""

from __future__ import annotations

from brochure.build import Output
from brochure.preflight import Status, preflight


def test_print_edition_passes_preflight(hsmc: dict[str, Output]) -> None:
    """Every check passes for the print edition; PDF/X may still be a warning, never a failure."""
    report = preflight(hsmc["print"].path, booklet=True)
    statuses = {c.name: c.status for c in report.checks}
    assert statuses.pop("output-intent") in (Status.PASS, Status.WARN)
    assert statuses.pop("ink-coverage") in (Status.PASS, Status.SKIP)  # SKIP: no Ghostscript
    assert {name: s for name, s in statuses.items() if s is not Status.PASS} == {}
    assert report.passed


def test_screen_edition_fails_as_a_print_file(hsmc: dict[str, Output]) -> None:
    """The screen edition is RGB with no bleed: preflight for print rejects it."""
    report = preflight(hsmc["screen"].path)
    failed = {c.name for c in report.checks if c.status is Status.FAIL}
    assert {"colour", "boxes"} <= failed
