"""Artwork at the trim must run into the bleed; text must keep 5 mm inside the trim."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, RectangleObject
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight

from .pdfs import BLEED, FONT, TRIM, Draw, careless, measured, named, print_ready


def _panel(reach: float) -> Draw:
    """Draws a panel on the left, running ``reach`` points past the trim."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.setFillColorCMYK(0, 0.8, 0.6, 0)
        canvas.rect(-reach, 40 * mm, 30 * mm + reach, 40 * mm, stroke=0, fill=1)

    return draw


def test_artwork_stopping_at_the_trim_fails_naming_page_and_edge(tmp_path: Path) -> None:
    """A panel that stops at the left trim fails: "no bleed ... page 1 (left edge)"."""
    path = print_ready(tmp_path / "a.pdf", background=False, draw=_panel(0))
    check = named(preflight(path), "artwork-bleed")
    assert check.status is Status.FAIL
    assert check.message.startswith("no bleed: artwork touches the trim on page 1 (left edge)")
    assert check.values["pages"] == {"1": {"left": "stops at the trim"}}


def test_artwork_running_part_way_into_the_bleed_fails(tmp_path: Path) -> None:
    """A panel running only 1 mm past the trim fails as too little bleed."""
    path = print_ready(tmp_path / "a.pdf", background=False, draw=_panel(1 * mm))
    check = named(preflight(path), "artwork-bleed")
    assert check.status is Status.FAIL
    assert check.message.startswith("bleed too narrow: artwork on page 1 (left edge)")


def test_artwork_running_into_the_full_bleed_passes(tmp_path: Path) -> None:
    """A panel running the full 3 mm into the bleed passes."""
    path = print_ready(tmp_path / "a.pdf", background=False, draw=_panel(BLEED))
    assert named(preflight(path), "artwork-bleed").status is Status.PASS


def test_artwork_at_the_edge_of_a_page_without_boxes_fails(tmp_path: Path) -> None:
    """Without a TrimBox the page edge is the trim, and artwork touching it has no bleed."""
    check = named(preflight(careless(tmp_path / "a.pdf")), "artwork-bleed")
    assert check.message.startswith(
        "no bleed: artwork touches the page edge on page 1 (left, right, top edges)"
    )


def _text_at(x: float) -> Draw:
    def draw(canvas: Canvas, page: int) -> None:
        canvas.setFont(FONT, 10)
        canvas.drawString(x, 70 * mm, "Hello")

    return draw


def test_text_near_the_trim_warns_with_the_distance(tmp_path: Path) -> None:
    """Text 2 mm inside the left trim warns, reporting about 2 mm and the edge."""
    path = print_ready(tmp_path / "t.pdf", draw=_text_at(2 * mm))
    check = named(preflight(path), "safe-zone")
    assert check.status is Status.WARN
    assert "text closer than 5 mm to the trim on page 1" in check.message
    assert "left edge" in check.message
    assert 2.0 <= measured(check, "nearest_mm", "1") <= 2.8


def test_text_crossing_the_trim_warns(tmp_path: Path) -> None:
    """Text that runs over the right trim edge warns that it will be cut."""
    path = print_ready(tmp_path / "t.pdf", draw=_text_at(TRIM[0] - 3 * mm))
    check = named(preflight(path), "safe-zone")
    assert "text crosses the trim on page 1" in check.message


def test_text_well_inside_passes_with_the_nearest_distance(tmp_path: Path) -> None:
    """The clean file's text is 20 mm from the left trim, inside the safe zone."""
    check = named(preflight(print_ready(tmp_path / "t.pdf")), "safe-zone")
    assert check.status is Status.PASS
    assert 19.5 <= measured(check, "nearest_mm", "1") <= 20.5


def test_without_pdfium_the_raster_checks_are_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pypdfium2 the two checks that render report "not run" and do not fail the file."""
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    report = preflight(print_ready(tmp_path / "t.pdf"))
    for name in ("artwork-bleed", "safe-zone"):
        check = named(report, name)
        assert (check.status, check.message) == (Status.SKIP, "not run (pypdfium2 not installed)")
    assert report.passed


def _shifted(path: Path, dx: float, dy: float) -> Path:
    """Rewrite ``path`` with its content and every box moved by (dx, dy): origin not at 0, 0."""
    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        page.add_transformation(Transformation().translate(dx, dy))
        for name in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            if name in page:
                x0, y0, x1, y1 = (float(v) for v in page[name])  # type: ignore[attr-defined]
                page[NameObject(name)] = RectangleObject([x0 + dx, y0 + dy, x1 + dx, y1 + dy])
    writer.write(path)
    return path


def test_pages_whose_boxes_do_not_start_at_the_origin(tmp_path: Path) -> None:
    """Boxes away from (0, 0) are measured where they are: the panel and text are still found."""

    def draw(canvas: Canvas, page: int) -> None:
        _panel(0)(canvas, page)
        _text_at(2 * mm)(canvas, page)

    path = _shifted(print_ready(tmp_path / "a.pdf", background=False, draw=draw), 100, 200)
    report = preflight(path)
    assert named(report, "boxes").status is Status.PASS
    assert named(report, "artwork-bleed").message.startswith(
        "no bleed: artwork touches the trim on page 1 (left edge)"
    )
    assert 2.0 <= measured(named(report, "safe-zone"), "nearest_mm", "1") <= 2.8
