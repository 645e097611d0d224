"""Booklet imposition: page order for any length, sheets read back with pdfium, poppler, pypdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from brochure.impose import A4_LANDSCAPE, booklet_order, impose_booklet, spread
from brochure.units import MM

from .conftest import ROOT, pdftotext

FONT = "ImposeSans"
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
Box = tuple[float, float, float, float]

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Prospectus</rdf:li></rdf:Alt></dc:title>
<xmpMM:DocumentID>uuid:00000000-0000-0000-0000-000000000000</xmpMM:DocumentID>
<pdfuaid:part>1</pdfuaid:part>
<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
"""What finish writes, reduced to a title, an identifier, and PDF/UA and PDF/X claims the
booklet cannot keep."""

counts = st.integers(min_value=1, max_value=50).map(lambda k: 4 * k)


def source_pdf(pages: int, size: tuple[float, float] = A5) -> bytes:
    """``pages`` pages of ``size`` saying "Page N" in 48 pt Source Sans 3, with a title,
    /Lang, /Trapped, a PDF/X version and an XMP packet, as a finished edition has them."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "SourceSans3-Regular.ttf")))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, initialFontName=FONT, invariant=True)
    canvas.setTitle("Prospectus")
    canvas.setAuthor("HSMC")
    for number in range(1, pages + 1):
        canvas.setFont(FONT, 48)
        canvas.drawCentredString(size[0] / 2, size[1] / 2, f"Page {number}")
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    writer.add_metadata({"/GTS_PDFXVersion": "PDF/X-4"})
    writer.xmp_metadata = XMP.encode()
    finished = io.BytesIO()
    writer.write(finished)
    return finished.getvalue()


@pytest.fixture(scope="module")
def eight() -> bytes:
    """An eight-page A5 source."""
    return source_pdf(8)


@pytest.fixture(scope="module")
def booklet(eight: bytes) -> bytes:
    """The eight-page source imposed on A4 landscape."""
    return impose_booklet(eight)


def text_box(page: pdfium.PdfPage, text: str) -> Box:
    """Where pdfium finds ``text`` on ``page``: left, bottom, right, top in points."""
    textpage = page.get_textpage()
    found = textpage.search(text, match_whole_word=True).get_next()
    assert found is not None, f"{text!r} not on the page"
    index, count = found
    assert textpage.count_rects(index, count) == 1
    return tuple(textpage.get_rect(0))


def folded(order: list[tuple[int, int]]) -> list[int]:
    """The page numbers a reader meets in the stack of printed sheets folded in half.

    Sheet i is sides 2i (front) and 2i+1 (back), flipped on the short edge, so the back's
    left half lies behind the front's right half; sheet 0 is outermost. Reading goes down
    the right halves (front then back) to the centre, then out along the left halves.
    """
    sheets = [(order[i], order[i + 1]) for i in range(0, len(order), 2)]
    first = [n for front, back in sheets for n in (front[1], back[0])]
    second = [n for front, back in reversed(sheets) for n in (back[1], front[0])]
    return first + second


@given(counts)
def test_every_page_once(n: int) -> None:
    """Each page 1..n appears exactly once, on n/2 sheet sides."""
    order = booklet_order(n)
    assert len(order) == n // 2
    assert sorted(p for side in order for p in side) == list(range(1, n + 1))


@given(counts)
def test_sides_pair_pages_that_fold_together(n: int) -> None:
    """Each side holds a pair (k, n+1-k); the first side is the covers, (n, 1)."""
    order = booklet_order(n)
    assert order[0] == (n, 1)
    assert all(left + right == n + 1 for left, right in order)


@given(counts)
def test_back_lies_behind_front(n: int) -> None:
    """On every sheet, the back's left page follows the front's right page (flip on the
    short edge): back = (front right + 1, front left - 1)."""
    order = booklet_order(n)
    for front, back in zip(order[::2], order[1::2], strict=True):
        assert back == (front[1] + 1, front[0] - 1)


@given(counts)
def test_folded_stack_reads_in_order(n: int) -> None:
    """Folding the printed stack in half gives pages 1..n in reading order."""
    assert folded(booklet_order(n)) == list(range(1, n + 1))


@given(st.integers(min_value=-8, max_value=203).filter(lambda n: n <= 0 or n % 4 != 0))
def test_order_needs_a_multiple_of_four(n: int) -> None:
    """A page count that is not a positive multiple of 4 is a ValueError."""
    with pytest.raises(ValueError, match="multiple of 4"):
        booklet_order(n)


@given(
    st.tuples(st.floats(10, 3000), st.floats(10, 3000)),
    st.tuples(st.floats(10, 3000), st.floats(10, 3000)),
)
def test_spread_fits_centred_never_enlarged(
    trim: tuple[float, float], sheet: tuple[float, float]
) -> None:
    """Two pages side by side stay within the sheet, centred, at scale 1 or the largest
    scale that fits."""
    place = spread(trim, sheet)
    width, height = trim[0] * place.scale, trim[1] * place.scale
    (lx, ly), (rx, ry) = place.left, place.right
    assert 0 < place.scale <= 1
    assert ly == ry and rx == pytest.approx(lx + width)
    assert lx == pytest.approx(sheet[0] - (rx + width), abs=1e-6)  # same margin each side
    assert ly == pytest.approx(sheet[1] - (ly + height), abs=1e-6)
    assert lx >= -1e-6 and ly >= -1e-6
    if place.scale < 1:  # shrunk no more than needed: one dimension fills the sheet
        assert min(lx, ly) == pytest.approx(0, abs=1e-6)


def test_a5_pair_fits_a4_landscape_unscaled() -> None:
    """Two A5 pages go onto A4 landscape at full size, 0.5 mm from each short edge."""
    place = spread(A5, A4_LANDSCAPE)
    assert place.scale == 1
    assert place.left == pytest.approx((0.5 * MM, 0))
    assert place.right == pytest.approx((148.5 * MM, 0))


def test_sheets_are_a4_landscape_sides(booklet: bytes) -> None:
    """Eight pages give 8/4*2 = 4 sheet sides, each A4 landscape (842 x 595 pt)."""
    pdf = pdfium.PdfDocument(booklet)
    assert len(pdf) == 4
    for page in pdf:
        assert page.get_size() == pytest.approx((841.89, 595.28), abs=0.01)


def test_each_half_sheet_holds_its_page(booklet: bytes) -> None:
    """The left and right halves of every side hold exactly the pages booklet_order says."""
    pdf = pdfium.PdfDocument(booklet)
    for page, (left, right) in zip(pdf, booklet_order(8), strict=True):
        width, height = page.get_size()
        textpage = page.get_textpage()
        assert textpage.get_text_bounded(0, 0, width / 2, height).strip() == f"Page {left}"
        assert textpage.get_text_bounded(width / 2, 0, width, height).strip() == f"Page {right}"


def test_pages_land_where_spread_puts_them(eight: bytes, booklet: bytes) -> None:
    """Each page's text sits in its slot at the same place as on the source page."""
    source, sheets = pdfium.PdfDocument(eight), pdfium.PdfDocument(booklet)
    place = spread(A5, A4_LANDSCAPE)
    for page, numbers in zip(sheets, booklet_order(8), strict=True):
        for (x, y), n in zip((place.left, place.right), numbers, strict=True):
            left, bottom, right, top = text_box(source[n - 1], f"Page {n}")
            expected = (x + left, y + bottom, x + right, y + top)
            assert text_box(page, f"Page {n}") == pytest.approx(expected, abs=0.01)


def test_larger_pages_shrink_to_fit_centred() -> None:
    """A4 portrait pages on an A4 landscape sheet shrink uniformly to fit, centred."""
    four = source_pdf(4, A4)
    source, sheets = pdfium.PdfDocument(four), pdfium.PdfDocument(impose_booklet(four))
    place = spread(A4, A4_LANDSCAPE)
    assert place.scale == pytest.approx(2**-0.5, abs=1e-3)
    (x, y), s = place.right, place.scale
    left, bottom, right, top = text_box(source[0], "Page 1")
    expected = (x + s * left, y + s * bottom, x + s * right, y + s * top)
    assert text_box(sheets[0], "Page 1") == pytest.approx(expected, abs=0.01)


def test_text_extractable_with_poppler(booklet: bytes, tmp_path: Path) -> None:
    """poppler's pdftotext -layout reads each side as its left page, then its right page."""
    path = tmp_path / "booklet.pdf"
    path.write_bytes(booklet)
    sides = pdftotext(path, layout=True).split("\f")[:4]
    for text, (left, right) in zip(sides, booklet_order(8), strict=True):
        assert re.fullmatch(rf"\s*Page {left} +Page {right}\s*", text), text


def test_fonts_shared_not_copied(eight: bytes, booklet: bytes) -> None:
    """All eight pages draw with one embedded font object, and the booklet is barely
    larger than its source."""
    fonts: set[int] = set()
    for side in PdfReader(io.BytesIO(booklet)).pages:
        for form in side["/Resources"]["/XObject"].values():
            for font in form.get_object()["/Resources"]["/Font"].values():
                assert isinstance(font, IndirectObject)
                assert "/FontFile2" in font.get_object()["/FontDescriptor"]
                fonts.add(font.idnum)
    assert len(fonts) == 1
    assert len(booklet) < 1.1 * len(eight)


def test_metadata_carried_title_marked(booklet: bytes) -> None:
    """Information, XMP and /Lang come from the source, the title marked "(booklet)" and the
    identifier new; PDF/UA and PDF/X claims are dropped; the viewer is asked for duplex, flipped on
    the short edge, unscaled."""
    reader = PdfReader(io.BytesIO(booklet))
    info, root, xmp = reader.metadata, reader.root_object, reader.xmp_metadata
    assert info is not None and xmp is not None
    assert (info.title, info.author) == ("Prospectus (booklet)", "HSMC")
    assert info["/Trapped"] == NameObject("/False")
    assert xmp.dc_title == {"x-default": "Prospectus (booklet)"}
    assert xmp.xmpmm_document_id not in (None, "uuid:00000000-0000-0000-0000-000000000000")
    packet = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid" not in packet and b"pdfxid" not in packet
    assert "/GTS_PDFXVersion" not in info
    assert root["/Lang"] == "en-GB"
    preferences = root["/ViewerPreferences"]
    assert isinstance(preferences, DictionaryObject)
    assert preferences["/Duplex"] == "/DuplexFlipShortEdge"
    assert preferences["/PrintScaling"] == "/None"


def test_same_source_same_bytes(eight: bytes, booklet: bytes) -> None:
    """Imposing is reproducible, from bytes or from a reader, and leaves the reader as it was."""
    reader = PdfReader(io.BytesIO(eight))
    assert impose_booklet(reader) == booklet
    assert reader.metadata is not None and reader.metadata.title == "Prospectus"
    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.dc_title == {"x-default": "Prospectus"}


@pytest.mark.parametrize("pages", [3, 6, 10])
def test_page_count_not_multiple_of_four_is_refused(pages: int) -> None:
    """A source whose page count is not a multiple of 4 is a ValueError."""
    with pytest.raises(ValueError, match=rf"multiple of 4 pages \(got {pages}\)"):
        impose_booklet(source_pdf(pages))


def test_mixed_page_sizes_are_refused() -> None:
    """A page of another trim size is a ValueError naming it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source_pdf(4))))
    writer.pages[2].mediabox.upper_right = (400, 595.28)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValueError, match=re.escape("page 3 is 400.00 x 595.28 pt")):
        impose_booklet(out.getvalue())


def test_blank_and_split_content_pages() -> None:
    """A padding page with no content stays blank; a page whose content is split over
    several streams draws as one."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source_pdf(7))))
    page = writer.pages[6]
    data = page.get_contents().get_data()
    cut = data.index(b"BT") + 2  # inside the text object, between two tokens
    halves = ArrayObject()
    for part in (data[:cut], data[cut:]):
        stream = DecodedStreamObject()
        stream.set_data(part)
        halves.append(writer._add_object(stream))
    page[NameObject("/Contents")] = halves
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    pdf = pdfium.PdfDocument(impose_booklet(out.getvalue()))
    texts = [p.get_textpage().get_text_range().split() for p in pdf]
    assert texts[0] == ["Page", "1"]  # (8, 1): page 8 is blank
    assert texts[3] == ["Page", "4", "Page", "5"]
    assert texts[2] == ["Page", "6", "Page", "3"]
    assert texts[1] == ["Page", "2", "Page", "7"]
