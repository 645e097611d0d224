"""Whole-document checks: booklet page count and annotations on the artwork."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight

from .pdfs import named, print_ready


def test_booklet_of_five_pages_fails(tmp_path: Path) -> None:
    """Five pages cannot be saddle-stitched: --booklet fails and says how many to add."""
    report = preflight(print_ready(tmp_path / "p.pdf", pages=5), booklet=True)
    check = named(report, "page-count")
    assert check.status is Status.FAIL
    assert check.message == (
        "5 pages do not make a booklet: it needs a multiple of 4 (add 3 pages or remove 1)"
    )
    assert not report.passed


def test_booklet_of_eight_pages_passes(tmp_path: Path) -> None:
    """Eight pages make two folded sheets."""
    check = named(preflight(print_ready(tmp_path / "p.pdf", pages=8), booklet=True), "page-count")
    assert (check.status, check.message) == (Status.PASS, "8 pages: 2 sheets folded into a booklet")


def test_page_count_is_not_judged_without_booklet(tmp_path: Path) -> None:
    """Without --booklet five pages pass."""
    check = named(preflight(print_ready(tmp_path / "p.pdf", pages=5)), "page-count")
    assert check.status is Status.PASS


def test_link_on_the_artwork_warns(tmp_path: Path) -> None:
    """A link annotation inside the bleed warns, naming its kind and page."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.linkURL("https://example.org", (20 * mm, 20 * mm, 60 * mm, 30 * mm))

    check = named(preflight(print_ready(tmp_path / "p.pdf", draw=draw)), "annotations")
    assert check.status is Status.WARN
    assert check.message.startswith("1 Link annotation on the artwork of page 1")
