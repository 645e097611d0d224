"""Effective image resolution, from the CTM where each image is drawn."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight
from brochure.preflight.content import Placement
from brochure.preflight.images import effective_ppi
from brochure.preflight.spaces import CMYK

from .pdfs import Draw, cmyk_image, measured, named, print_ready

INCH = 72.0


def _image(pixels: int, inches: float) -> Draw:
    def draw(canvas: Canvas, page: int) -> None:
        canvas.drawImage(cmyk_image(pixels), 36, 36, inches * INCH, inches * INCH)

    return draw


def test_low_resolution_image_placed_large_fails(tmp_path: Path) -> None:
    """A 216-pixel image placed 3 inches wide is 72 ppi and fails."""
    path = print_ready(tmp_path / "i.pdf", draw=_image(216, 3))
    check = named(preflight(path), "images")
    assert check.status is Status.FAIL
    assert "is 72 ppi (216 × 216 px placed at 76 × 76 mm); print needs 300 ppi" in check.message
    assert measured(check, "images", 0, "ppi") == 72.0


def test_image_between_150_and_300_ppi_warns(tmp_path: Path) -> None:
    """A 200 ppi image warns rather than fails."""
    path = print_ready(tmp_path / "i.pdf", draw=_image(200, 1))
    assert named(preflight(path), "images").status is Status.WARN


def test_sharp_image_passes(tmp_path: Path) -> None:
    """A 400 ppi image passes, and its resolution is reported."""
    path = print_ready(tmp_path / "i.pdf", draw=_image(400, 1))
    check = named(preflight(path), "images")
    assert check.status is Status.PASS
    assert check.message == "1 image placement, the lowest at 400 ppi"


def test_image_in_a_scaled_form_counts_the_form_matrix(tmp_path: Path) -> None:
    """A 300 ppi image inside a Form XObject drawn at twice the size is 150 ppi."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.beginForm("logo")
        canvas.drawImage(cmyk_image(300), 0, 0, INCH, INCH)
        canvas.endForm()
        canvas.saveState()
        canvas.scale(2, 2)
        canvas.doForm("logo")
        canvas.restoreState()

    check = named(preflight(print_ready(tmp_path / "i.pdf", draw=draw)), "images")
    assert measured(check, "images", 0, "ppi") == 150.0
    assert check.status is Status.WARN


@given(st.integers(1, 5000), st.floats(1, 2000), st.floats(0, 2 * math.pi))
def test_effective_resolution_ignores_rotation(pixels: int, points: float, angle: float) -> None:
    """Pixels over placed inches, whatever the rotation of the placement."""
    c, s = math.cos(angle) * points, math.sin(angle) * points
    placement = Placement("/Im1", (pixels, pixels), (c, s, -s, c, 10.0, 20.0), CMYK, 8)
    assert effective_ppi(placement) == pytest.approx(pixels * 72 / points)


def test_inline_image_is_measured(tmp_path: Path) -> None:
    """An inline image (BI … EI) is measured like an image XObject."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.drawInlineImage(Image.new("CMYK", (30, 30)), 36, 36, INCH, INCH)

    check = named(preflight(print_ready(tmp_path / "i.pdf", draw=draw)), "images")
    assert check.status is Status.FAIL
    assert check.message.startswith("inline image on page 1 is 30 ppi")
