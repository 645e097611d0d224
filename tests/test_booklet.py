"""The booklet edition: padded with notes pages, imposed for saddle stitching, in order."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from brochure.build import Output, build
from brochure.impose import booklet_order
from brochure.units import MM

from .conftest import ROOT


@pytest.fixture(scope="module")
def sink_booklet(tmp_path_factory: pytest.TempPathFactory) -> Output:
    """The every-block test brochure (7 pages) as a booklet."""
    out = tmp_path_factory.mktemp("booklet")
    (booklet,) = build(ROOT / "tests/fixtures/sink/content", out, ["booklet"])
    return booklet


def halves(path: object) -> list[tuple[str, str, str, str]]:
    """For each sheet side: (left text, right text, left foot, right foot), as pdfium reads."""
    pdf = pdfium.PdfDocument(str(path))
    out = []
    for page in pdf:
        width, height = page.get_size()
        text = page.get_textpage()
        foot = 16 * MM  # the folio sits 11 mm above the trim
        out.append(
            (
                text.get_text_bounded(0, 0, width / 2, height),
                text.get_text_bounded(width / 2, 0, width, height),
                text.get_text_bounded(0, 0, width / 2, foot),
                text.get_text_bounded(width / 2, 0, width, foot),
            )
        )
    pdf.close()
    return out


def test_padded_with_a_warning(sink_booklet: Output) -> None:
    """Seven pages become eight: a notes page, and a warning that says so."""
    assert sink_booklet.pages == 8
    (warning,) = [w for w in sink_booklet.warnings if "padded" in w]
    assert "7 pages padded to 8 with 1 notes page before the back cover" in warning


def test_sheets_are_a4_landscape(sink_booklet: Output) -> None:
    """Eight pages print on two A4 sheets: four sides of 297 x 210 mm."""
    pdf = pdfium.PdfDocument(str(sink_booklet.path))
    sizes = [page.get_size() for page in pdf]
    pdf.close()
    assert len(sizes) == 4
    for w, h in sizes:
        assert (w / MM, h / MM) == pytest.approx((297, 210), abs=0.5)


def test_half_sheets_in_fold_order(sink_booklet: Output) -> None:
    """Each half-sheet holds the page the fold puts there: 8|1, 2|7, 6|3, 4|5."""
    sides = halves(sink_booklet.path)
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    for (left, right), (ltext, rtext, lfoot, rfoot) in zip(booklet_order(8), sides, strict=True):
        for page, text, foot in ((left, ltext, lfoot), (right, rtext, rfoot)):
            if page == 1:
                assert "Kitchen Sink Institute" in text and "University of Examples" in text
            elif page == 8:
                assert "hello@example.org" in text
            else:  # inner pages carry their number in the folio
                assert foot.split()[0] == str(page) or foot.split()[-1] == str(page), foot
    # the padding sits just before the back cover: page 7, beside page 2
    assert sides[1][1].startswith("Notes")


def test_hsmc_booklet_is_one_sheet(hsmc_booklet: Output) -> None:
    """The four-page HSMC prospectus needs no padding: one sheet, back|cover then 2|3."""
    assert hsmc_booklet.pages == 4 and hsmc_booklet.warnings == ()
    (front_l, front_r, _, _), (back_l, back_r, _, _) = halves(hsmc_booklet.path)
    assert "Rigour and relevance in health and social care" in front_l
    assert "Prospectus" in front_r
    assert "About HSMC" in back_l and "Rigour and relevance" in back_r


@pytest.fixture(scope="module")
def hsmc_booklet(tmp_path_factory: pytest.TempPathFactory) -> Output:
    """The HSMC prospectus as a booklet."""
    from .conftest import CONTENT

    (booklet,) = build(CONTENT, tmp_path_factory.mktemp("hsmc-booklet"), ["booklet"])
    return booklet
