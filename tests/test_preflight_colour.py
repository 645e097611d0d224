"""The colour check and the colour-space classification behind it."""

from __future__ import annotations

from pathlib import Path

from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject
from reportlab.lib.colors import CMYKColorSep, Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight
from brochure.preflight.spaces import resolve

from .pdfs import named, print_ready, rgb_image


def _rgb_on_page_2(canvas: Canvas, page: int) -> None:
    if page == 2:
        canvas.setFillColorRGB(1, 0, 0)
        canvas.rect(20 * mm, 20 * mm, 30 * mm, 10 * mm, stroke=0, fill=1)


def test_rgb_fill_fails_naming_the_page(tmp_path: Path) -> None:
    """An RGB fill on page 2 fails with "page 2 uses RGB colour"."""
    check = named(
        preflight(print_ready(tmp_path / "c.pdf", pages=3, draw=_rgb_on_page_2)), "colour"
    )
    assert check.status is Status.FAIL
    assert check.message.startswith("page 2 uses RGB colour (fill)")
    assert check.pages == (2,)
    assert check.values["pages"] == {
        "1": ["DeviceCMYK"],
        "2": ["DeviceCMYK", "DeviceRGB"],
        "3": ["DeviceCMYK"],
    }


def test_rgb_image_is_a_colour_problem(tmp_path: Path) -> None:
    """An RGB image fails the colour check as well as being measured for resolution."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.drawImage(rgb_image(600), 20 * mm, 20 * mm, 25.4 * mm, 25.4 * mm)

    check = named(preflight(print_ready(tmp_path / "c.pdf", draw=draw)), "colour")
    assert check.status is Status.FAIL
    assert "page 1 uses RGB colour (image)" in check.message


def test_colour_set_but_never_painted_is_not_reported(tmp_path: Path) -> None:
    """Setting an RGB colour without painting anything in it is not RGB on the page."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.setFillColorRGB(1, 0, 0)

    check = named(preflight(print_ready(tmp_path / "c.pdf", draw=draw)), "colour")
    assert check.status is Status.PASS


def test_spot_colour_warns_naming_the_ink(tmp_path: Path) -> None:
    """A Separation colour other than the process inks warns with the ink's name."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.setFillColor(CMYKColorSep(0.0, 0.2, 0.9, 0.1, spotName="Gold"))
        canvas.rect(20 * mm, 20 * mm, 30 * mm, 10 * mm, stroke=0, fill=1)

    check = named(preflight(print_ready(tmp_path / "c.pdf", draw=draw)), "colour")
    assert check.status is Status.WARN
    assert check.message.startswith("spot colour Gold (page 1)")


def _icc(n: int) -> ArrayObject:
    stream = DecodedStreamObject()
    stream[NameObject("/N")] = NumberObject(n)
    return ArrayObject([NameObject("/ICCBased"), stream])


def test_icc_based_spaces_count_by_their_components() -> None:
    """ICCBased with N=3 counts as RGB, N=4 as CMYK, N=1 as grey."""
    assert [resolve(_icc(n), None).kind for n in (3, 4, 1)] == ["rgb", "cmyk", "gray"]
    assert resolve(_icc(3), None).label == "ICCBased(N=3)"


def test_indexed_and_separation_spaces_are_classified() -> None:
    """Indexed counts as its base; Separation Black is process ink; a named ink is a spot."""
    indexed = ArrayObject([NameObject("/Indexed"), NameObject("/DeviceRGB"), NumberObject(1)])
    assert resolve(indexed, None).kind == "rgb"
    black = ArrayObject([NameObject("/Separation"), NameObject("/Black")])
    assert resolve(black, None).kind == "cmyk"
    gold = resolve(ArrayObject([NameObject("/Separation"), NameObject("/Gold")]), None)
    assert (gold.kind, gold.inks) == ("spot", ("Gold",))


def test_rgb_shading_is_a_colour_problem(tmp_path: Path) -> None:
    """A gradient (sh operator) in RGB fails the colour check as a shading."""

    def draw(canvas: Canvas, page: int) -> None:
        canvas.linearGradient(0, 0, 100, 100, (Color(1, 0, 0), Color(0, 0, 1)), extend=False)

    check = named(preflight(print_ready(tmp_path / "c.pdf", draw=draw)), "colour")
    assert check.message.startswith("page 1 uses RGB colour (shading)")
