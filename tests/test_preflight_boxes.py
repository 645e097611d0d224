"""The boxes check: TrimBox and BleedBox present, nested, with 3 mm bleed on every side."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight
from brochure.preflight.document import PageBoxes
from brochure.preflight.geometry import Rect

from .pdfs import careless, measured, named, print_ready


def test_no_boxes_and_no_bleed_fails(tmp_path: Path) -> None:
    """A page cut at its own edge fails "no bleed" and warns that it has no TrimBox."""
    check = named(preflight(careless(tmp_path / "b.pdf")), "boxes")
    assert check.status is Status.FAIL
    assert check.message.startswith("no bleed: page 1 has no bleed beyond the trim")
    assert any(f.status is Status.WARN and "no TrimBox" in f.message for f in check.findings)


def test_three_millimetre_bleed_passes_and_is_measured(tmp_path: Path) -> None:
    """3 mm of bleed on every side passes, and each side is reported in millimetres."""
    check = named(preflight(print_ready(tmp_path / "b.pdf", pages=2)), "boxes")
    assert check.status is Status.PASS
    assert measured(check, "pages", "2") == {
        "trim_mm": [100.0, 140.0],
        "has_trim_box": True,
        "has_bleed_box": True,
        "bleed_mm": {"left": 3.0, "right": 3.0, "top": 3.0, "bottom": 3.0},
    }


def test_narrow_bleed_fails_with_its_width(tmp_path: Path) -> None:
    """2 mm of bleed fails as too narrow, saying how much there is."""
    check = named(preflight(print_ready(tmp_path / "b.pdf", bleed=2 * mm)), "boxes")
    assert check.status is Status.FAIL
    assert check.message.startswith("bleed too narrow: page 1 has only 2.0 mm of bleed")


def test_trim_box_outside_the_bleed_box_fails(tmp_path: Path) -> None:
    """A TrimBox reaching past the BleedBox fails: the boxes must nest."""
    canvas = Canvas(
        str(tmp_path / "b.pdf"),
        pagesize=(300, 400),
        trimBox=(10, 10, 290, 390),
        bleedBox=(20, 20, 280, 380),
    )
    canvas.showPage()
    canvas.save()
    check = named(preflight(tmp_path / "b.pdf"), "boxes")
    assert "page 1 has a TrimBox reaching outside the BleedBox" in check.message


def test_missing_bleed_box_warns_when_the_crop_box_gives_the_bleed(tmp_path: Path) -> None:
    """A TrimBox with room around it but no BleedBox warns, and the room counts as bleed."""
    canvas = Canvas(str(tmp_path / "b.pdf"), pagesize=(300, 400), trimBox=(10, 10, 290, 390))
    canvas.showPage()
    canvas.save()
    check = named(preflight(tmp_path / "b.pdf"), "boxes")
    assert check.status is Status.WARN
    assert "page 1 has no BleedBox" in check.message


@given(st.floats(0, 20), st.floats(0, 20), st.floats(0, 20), st.floats(0, 20))
def test_bleed_is_measured_on_each_side(
    left: float, right: float, top: float, bottom: float
) -> None:
    """Any bleed box around a trim box measures back as the distance on each side."""
    trim = Rect(50, 50, 150, 250)
    bleed = Rect(50 - left, 50 - bottom, 150 + right, 250 + top)
    box = PageBoxes(1, Rect(0, 0, 200, 300), Rect(0, 0, 200, 300), trim, bleed, True, True, 0)
    widths = box.bleed_widths()
    assert widths == pytest.approx({"left": left, "right": right, "top": top, "bottom": bottom})
