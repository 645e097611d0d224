"""Print and screen editions read back with independent tools: boxes, fonts, colour, size."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from brochure.build import Output, build
from brochure.units import MM

from .conftest import pdffonts, poppler

BASE14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}
A5 = (148 * MM, 210 * MM)


def operators(path: Path) -> set[bytes]:
    """Every content-stream operator used on any page (pypdf's parser)."""
    reader = PdfReader(path)
    found: set[bytes] = set()
    for page in reader.pages:
        stream = ContentStream(page.get_contents(), reader)
        found.update(op for _, op in stream.operations)
    return found


def box(page: object, name: str) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in page[name])  # type: ignore[index]


@pytest.mark.parametrize("edition", ["print", "screen", "booklet"])
def test_fonts_embedded_and_subset(hsmc: dict[str, Output], edition: str) -> None:
    """poppler lists only embedded, subset fonts, none of them a base-14 font."""
    fonts = pdffonts(hsmc[edition].path)
    assert fonts, "no fonts found"
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes", font
        assert font["name"].split("+")[-1] not in BASE14


def test_print_boxes(hsmc: dict[str, Output]) -> None:
    """Every print page has a TrimBox of A5 and a BleedBox 3 mm larger, inside the MediaBox."""
    reader = PdfReader(hsmc["print"].path)
    for page in reader.pages:
        x0, y0, x1, y1 = box(page, "/TrimBox")
        assert (x1 - x0, y1 - y0) == pytest.approx(A5, abs=0.05)
        bx0, by0, bx1, by1 = box(page, "/BleedBox")
        assert (x0 - bx0, y0 - by0, bx1 - x1, by1 - y1) == pytest.approx((3 * MM,) * 4, abs=0.05)
        mx0, my0, mx1, my1 = box(page, "/MediaBox")
        # room outside the bleed for crop marks of 5 mm, on every side
        assert min(bx0 - mx0, by0 - my0, mx1 - bx1, my1 - by1) >= 5 * MM


def test_screen_pages_are_trimmed(hsmc: dict[str, Output]) -> None:
    """Screen pages are exactly A5, with no bleed box and no marks."""
    reader = PdfReader(hsmc["screen"].path)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A5)
        assert "/BleedBox" not in page


def test_print_has_no_rgb(hsmc: dict[str, Output]) -> None:
    """The print edition sets colour only in CMYK (k/K), never RGB or grey operators."""
    ops = operators(hsmc["print"].path)
    assert {b"k", b"K"} & ops
    assert not {b"rg", b"RG", b"g", b"G", b"sc", b"scn", b"SC", b"SCN"} & ops


def test_screen_has_no_cmyk(hsmc: dict[str, Output]) -> None:
    """The screen edition sets colour only in RGB."""
    ops = operators(hsmc["screen"].path)
    assert {b"rg"} & ops
    assert not {b"k", b"K"} & ops


def test_no_raster_images(hsmc: dict[str, Output]) -> None:
    """The circle (and everything else) is vector: no page holds an image."""
    for edition in ("print", "screen"):
        listing = subprocess.run(
            ["pdfimages", "-list", str(hsmc[edition].path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert len(listing.strip().splitlines()) == 2, listing  # header lines only


def render(path: Path, page: int, px_per_mm: float) -> tuple[object, float]:
    """Page ``page`` (0-based) rendered by pdfium; returns (PIL image, pixels per point)."""
    pdf = pdfium.PdfDocument(str(path))
    scale = px_per_mm / MM
    image = pdf[page].render(scale=scale).to_pil().convert("RGB")
    pdf.close()
    return image, scale


def test_background_runs_into_bleed(hsmc: dict[str, Output]) -> None:
    """The cover's navy runs 3 mm past the trim and stops there, leaving the marks on white."""
    path = hsmc["print"].path
    page = PdfReader(path).pages[0]
    trim_x0 = float(page["/TrimBox"][0])
    media_h = float(page.mediabox.height)
    image, scale = render(path, 0, 4)
    y = int(media_h / 2 * scale)
    inside_trim = image.getpixel((int((trim_x0 + 5 * MM) * scale), y))
    inside_bleed = image.getpixel((int((trim_x0 - 1.5 * MM) * scale), y))
    outside_bleed = image.getpixel((int((trim_x0 - 5 * MM) * scale), y))
    assert max(inside_trim) < 160  # navy
    assert inside_bleed == inside_trim
    assert min(outside_bleed) > 245  # paper


def test_crop_marks_sit_outside_the_bleed(hsmc: dict[str, Output]) -> None:
    """Crop marks are drawn on the trim lines, beyond the bleed, and nowhere inside it."""
    path = hsmc["print"].path
    page = PdfReader(path).pages[1]
    tx0, _, _, ty1 = (float(v) for v in page["/TrimBox"])
    image, scale = render(path, 1, 10)
    h = image.height

    def dark(x_pt: float, y_pt: float) -> bool:
        px = image.getpixel((round(x_pt * scale), round(h - y_pt * scale)))
        return min(px) < 200

    # the vertical mark above the top-left corner, on the trim line, 3-8 mm out
    assert dark(tx0, ty1 + 5.5 * MM)
    # nothing in the bleed zone at the corner (the marks stop at the bleed)
    assert not dark(tx0, ty1 + 1.5 * MM)
    assert not dark(tx0 - 1.5 * MM, ty1)


SQUARE = """{% import "_blocks.xml.j2" as b with context %}
<section folio="no">
  <place top="50mm" left="24mm" width="100mm">
    <box colour="navy" padding="0mm"><spacer height="100mm"/></box>
  </place>
</section>
"""


def test_true_size(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 100 mm square in the layout measures 100 mm, 24 mm from the left trim mark."""
    content = project({"layouts/square.xml.j2": SQUARE})
    text = (content / "brochure.yaml").read_text()
    (content / "brochure.yaml").write_text(
        text.replace("  - layout: cover\n", "  - layout: square\n  - layout: cover\n", 1)
    )
    out = build(content, tmp_path / "out", ["print"])[0]
    image, scale = render(out.path, 0, 10)  # 10 pixels per millimetre
    page = PdfReader(out.path).pages[0]
    tx0 = float(page["/TrimBox"][0]) * scale
    row = round(image.height / 2)
    navy = [x for x in range(image.width) if max(image.getpixel((x, row))) < 160]
    assert len(navy) == pytest.approx(1000, abs=2)  # 100 mm
    assert navy[0] - tx0 == pytest.approx(240, abs=2)  # 24 mm from the trim
    column = round((navy[0] + navy[-1]) / 2)
    tall = [y for y in range(image.height) if max(image.getpixel((column, y))) < 160]
    assert len(tall) == pytest.approx(1000, abs=2)


def test_same_input_same_bytes(tmp_path: Path) -> None:
    """Building twice gives byte-identical files."""
    from .conftest import CONTENT

    first = {o.edition: o.path.read_bytes() for o in build(CONTENT, tmp_path / "a")}
    second = {o.edition: o.path.read_bytes() for o in build(CONTENT, tmp_path / "b")}
    assert first == second


def test_editions_differ_in_identity(hsmc: dict[str, Output]) -> None:
    """Each edition has its own document /ID."""
    ids = {PdfReader(o.path).trailer["/ID"][0] for o in hsmc.values()}
    assert len(ids) == len(hsmc) == 3


def test_pictures_per_edition(tmp_path: Path) -> None:
    """A photo prints in CMYK at full resolution, and shows on screen in RGB at 150 ppi."""
    from .conftest import ROOT

    out = {
        o.edition: o
        for o in build(ROOT / "tests/fixtures/sink/content", tmp_path, ["print", "screen"])
    }
    listing = {
        edition: subprocess.run(
            [poppler("pdfimages"), "-list", str(o.path)], check=True, capture_output=True, text=True
        ).stdout.splitlines()[2:]
        for edition, o in out.items()
    }
    big = {
        e: next(
            line.split()
            for line in rows
            if " 1200 " in line or "stripes" in line or int(line.split()[3]) > 300
        )
        for e, rows in listing.items()
    }
    assert big["print"][5] == "cmyk" and big["print"][3] == "1200"
    assert big["screen"][5] == "rgb" and int(big["screen"][12]) == pytest.approx(150, abs=2)


def test_screen_pages_start_at_the_origin(hsmc: dict[str, Output]) -> None:
    """Screen pages are cut to the trim with the origin at its corner, and links stay on
    their words: every link lies inside the page."""
    reader = PdfReader(hsmc["screen"].path)
    for page in reader.pages:
        assert (float(page.mediabox.left), float(page.mediabox.bottom)) == (0, 0)
        for ref in page.get("/Annots", []):
            x0, y0, x1, y1 = (float(v) for v in ref.get_object()["/Rect"])
            assert 0 <= x0 < x1 <= float(page.mediabox.width)
            assert 0 <= y0 < y1 <= float(page.mediabox.height)


def test_spot_colour_on_screen_is_its_rgb_twin(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A spot ink prints as a Separation and shows on screen as its RGB twin."""
    theme = "colours:\n  gold: {cmyk: [0, 30, 95, 0], rgb: '#fdb924', spot: HSMC Gold}\n"
    content = project({"content/theme.yaml": theme})
    (screen,) = build(content, tmp_path / "out", ["screen"])
    reader = PdfReader(screen.path)
    fills = {
        tuple(round(float(v), 3) for v in ops)
        for page in reader.pages
        for ops, op in ContentStream(page.get_contents(), reader).operations
        if op == b"rg"
    }
    gold = (0xFD / 255, 0xB9 / 255, 0x24 / 255)
    assert any(fill == pytest.approx(gold, abs=1e-3) for fill in fills)
    assert "/ColorSpace" not in reader.pages[0]["/Resources"] or not any(
        op in (b"scn", b"SCN")
        for _, op in ContentStream(reader.pages[0].get_contents(), reader).operations
    )
