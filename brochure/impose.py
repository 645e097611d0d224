"""Booklet imposition: a finished PDF of trimmed pages -> sheets for saddle stitching, with pypdf.

Input: the bytes (or a :class:`~pypdf.PdfReader`) of a finished PDF whose pages all share one
trim size and number a multiple of four (the caller pads with designed pages first). Output:
the bytes of a PDF of sheet sides, A4 landscape by default, each holding two pages side by
side in saddle-stitch order: printed duplex, flipping on the short edge, the stack folded in
half reads in page order.

Each source page goes in once, as a Form XObject that keeps its content stream byte for byte
(no decoding, no renaming of resources) and shares the source's fonts and images, so the
booklet is barely larger than the source and its text stays extractable. Document
information, XMP, ``/Lang`` and output intents are carried over, the title marked as the
booklet's; conformance claims (PDF/A, PDF/UA, PDF/X) are dropped, since the sheets have no
structure tree, links or outline. Viewer preferences ask for duplex printing, flipped on the
short edge, at full size.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from xml.dom.minidom import Node

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)
from pypdf.xmp import XmpInformation

from .units import MM

__all__ = ["A4_LANDSCAPE", "Spread", "booklet_order", "impose_booklet", "spread"]

A4_LANDSCAPE: tuple[float, float] = (297 * MM, 210 * MM)
"""Width and height in points of an A4 sheet lying on its side: two A5 pages side by side."""

BOOKLET_SUFFIX = " (booklet)"
"""Appended to the source's title."""

_INFO_CLAIMS = ("/GTS_PDFXVersion", "/GTS_PDFXConformance")
"""Document information keys that claim PDF/X conformance, which the booklet does not have."""

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFX = "http://ns.adobe.com/pdfx/1.3/"
_CLAIM_NAMESPACES = frozenset(
    {
        "http://www.aiim.org/pdfa/ns/id/",
        "http://www.aiim.org/pdfua/ns/id/",
        "http://www.npes.org/pdfx/ns/id/",
    }
)
"""XMP namespaces whose properties claim conformance (PDF/A, PDF/UA, PDF/X identification)."""

_SIZE_TOLERANCE = 0.01
"""Points by which two trim sizes may differ and still count as the same size."""


@dataclass(frozen=True)
class Spread:
    """Where the two pages of a sheet side go, in sheet coordinates (points)."""

    scale: float
    """Factor applied to both pages: 1 when the spread fits the sheet, less when it must
    shrink (never more than 1)."""
    left: tuple[float, float]
    """Where the lower-left corner of the left page's trim box lands."""
    right: tuple[float, float]
    """Where the lower-left corner of the right page's trim box lands."""


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """The 1-based (left, right) page numbers of every sheet side, in printing order.

    Sides alternate front and back: side ``k`` holds pages ``n - k`` and ``k + 1``, the
    outer one on the left on fronts and on the right on backs.

    >>> booklet_order(8)
    [(8, 1), (2, 7), (6, 3), (4, 5)]
    """
    if pages <= 0 or pages % 4:
        raise ValueError(f"a booklet needs a positive multiple of 4 pages (got {pages})")
    sides = []
    for k in range(pages // 2):
        outer, inner = pages - k, k + 1
        sides.append((outer, inner) if k % 2 == 0 else (inner, outer))
    return sides


def spread(trim: tuple[float, float], sheet: tuple[float, float]) -> Spread:
    """Two pages of size ``trim`` side by side, centred on ``sheet``, shrunk only if needed."""
    (width, height), (sheet_width, sheet_height) = trim, sheet
    if min(width, height, sheet_width, sheet_height) <= 0:
        raise ValueError(f"sizes must be positive (got trim {trim}, sheet {sheet})")
    scale = min(1.0, sheet_width / (2 * width), sheet_height / height)
    x = (sheet_width - 2 * width * scale) / 2
    y = (sheet_height - height * scale) / 2
    return Spread(scale, (x, y), (x + width * scale, y))


def _trim_size(reader: PdfReader) -> tuple[float, float]:
    """The trim size all pages share; ``ValueError`` if one differs or is rotated."""
    sizes = []
    for number, page in enumerate(reader.pages, start=1):
        if page.rotation % 360:
            raise ValueError(f"page {number} is rotated by {page.rotation}° (expected upright)")
        box = page.trimbox
        sizes.append((number, float(box.width), float(box.height)))
    _, width, height = sizes[0]
    for number, w, h in sizes:
        if abs(w - width) > _SIZE_TOLERANCE or abs(h - height) > _SIZE_TOLERANCE:
            raise ValueError(
                f"page {number} is {w:.2f} x {h:.2f} pt "
                f"(expected {width:.2f} x {height:.2f} pt, the size of page 1)"
            )
    return width, height


def _content(writer: PdfWriter, page: PageObject) -> StreamObject:
    """The page's content as one new stream in ``writer``: the encoded bytes copied when
    there is one stream; several streams (split between tokens) joined; empty if none."""
    contents = page.get("/Contents")
    resolved = contents.get_object() if contents is not None else None
    if isinstance(resolved, StreamObject):
        # Our own copy, even if pages share a stream: it is about to get form keys.
        clone = resolved.clone(writer, force_duplicate=True)
        assert isinstance(clone, StreamObject)
        return clone
    parts = resolved if isinstance(resolved, ArrayObject) else []
    joined = DecodedStreamObject()
    joined.set_data(b"\n".join(part.get_object().get_data() for part in parts))
    stream = joined.flate_encode()
    writer._add_object(stream)
    return stream


def _form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """The page as a Form XObject in ``writer``, clipped to its trim box, sharing the fonts
    and images of the pages cloned before it."""
    form = _content(writer, page)
    box = page.trimbox
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = RectangleObject([box.left, box.bottom, box.right, box.top])
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = (
        resources.clone(writer) if resources is not None else DictionaryObject()
    )
    if "/Group" in page:
        # A page's transparency group becomes the form's, so blending stays the same.
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    reference = form.indirect_reference
    assert reference is not None
    return reference


def _number(value: float) -> str:
    """A PDF number: fixed point, no exponent, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _add_side(
    writer: PdfWriter,
    sheet: tuple[float, float],
    place: Spread,
    pages: tuple[tuple[int, PageObject, IndirectObject], ...],
) -> None:
    """One sheet side: each (number, page, form) drawn in its slot, left then right."""
    side = writer.add_blank_page(*sheet)
    forms = DictionaryObject()
    operators = []
    for (x, y), (number, page, form) in zip((place.left, place.right), pages, strict=True):
        box, scale = page.trimbox, place.scale
        # The form keeps the page's own coordinates: move its trim corner to the slot.
        dx, dy = x - scale * float(box.left), y - scale * float(box.bottom)
        matrix = " ".join(_number(v) for v in (scale, 0, 0, scale, dx, dy))
        operators.append(f"q {matrix} cm /P{number} Do Q")
        forms[NameObject(f"/P{number}")] = form
    side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
    content = DecodedStreamObject()
    content.set_data("\n".join(operators).encode("ascii"))
    side[NameObject("/Contents")] = writer._add_object(content)


def _digest(reader: PdfReader, sheet: tuple[float, float]) -> bytes:
    """16 bytes naming the booklet: the same source and sheet always give the same ones."""
    stream = reader.stream
    stream.seek(0)
    return hashlib.sha256(stream.read() + repr(sheet).encode()).digest()[:16]


def _carry_metadata(reader: PdfReader, writer: PdfWriter, digest: bytes) -> None:
    """Document information, XMP and language from the source, the title marked as the
    booklet's, and viewer preferences that print the sheets duplex at full size."""
    info = reader.metadata
    if info is not None:
        carried = info.clone(writer)
        assert isinstance(carried, DictionaryObject)
        for key in _INFO_CLAIMS:
            carried.pop(key, None)
        if info.title:
            carried[NameObject("/Title")] = TextStringObject(info.title + BOOKLET_SUFFIX)
        # Not add_metadata(): it would turn names such as /Trapped /False into strings.
        writer._info = carried
    root, source_root = writer.root_object, reader.root_object
    for key in ("/Lang", "/OutputIntents"):
        if key in source_root:
            root[NameObject(key)] = source_root[key].clone(writer)
    _carry_xmp(reader, writer, digest)
    preferences = source_root.get("/ViewerPreferences")
    carried_preferences = (
        preferences.get_object().clone(writer) if preferences is not None else DictionaryObject()
    )
    assert isinstance(carried_preferences, DictionaryObject)
    carried_preferences[NameObject("/Duplex")] = NameObject("/DuplexFlipShortEdge")
    carried_preferences[NameObject("/PrintScaling")] = NameObject("/None")
    root[NameObject("/ViewerPreferences")] = carried_preferences


def _drop_claims(xmp: XmpInformation) -> None:
    """Remove conformance claims (PDF/A, PDF/UA, PDF/X) from the XML tree of ``xmp``: the
    booklet has no structure tree, no links and no boxes of its own to back them."""
    for description in xmp.rdf_root.getElementsByTagNameNS(_RDF, "Description"):
        attributes = description.attributes.values()
        for name in [a.name for a in attributes if _is_claim(a) or a.value in _CLAIM_NAMESPACES]:
            description.removeAttribute(name)
        for child in [c for c in description.childNodes if _is_claim(c)]:
            description.removeChild(child)


def _is_claim(node: Node) -> bool:
    """Whether an XMP property (element or attribute) claims conformance."""
    namespace, name = node.namespaceURI, node.localName or ""
    return namespace in _CLAIM_NAMESPACES or (namespace == _PDFX and name.startswith("GTS_"))


def _carry_xmp(reader: PdfReader, writer: PdfWriter, digest: bytes) -> None:
    """The source's XMP packet with the booklet's title and identifiers, if it has one."""
    source = reader.root_object.get("/Metadata")
    if source is None:
        return
    # A copy: setting fields rewrites the stream, and the reader may be the caller's.
    copy = DecodedStreamObject()
    copy.set_data(source.get_object().get_data())
    xmp = XmpInformation(copy)
    _drop_claims(xmp)
    titles = xmp.dc_title
    if titles:
        xmp.dc_title = {lang: text + BOOKLET_SUFFIX for lang, text in titles.items()}
    if xmp.xmpmm_document_id is not None:
        # Only replaced, never added: pypdf would not declare the xmpMM namespace.
        hexed = digest.hex()
        uuid = f"uuid:{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:32]}"
        xmp.xmpmm_document_id = uuid
        xmp.xmpmm_instance_id = uuid
    document = xmp.rdf_root.ownerDocument
    assert document is not None
    # Each top-level node (the xpacket wrapper and the packet), no XML declaration.
    writer.xmp_metadata = b"".join(node.toxml(encoding="utf-8") for node in document.childNodes)
    stream = writer.root_object["/Metadata"].get_object()
    assert isinstance(stream, DictionaryObject)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")


def impose_booklet(
    source: bytes | PdfReader, *, sheet: tuple[float, float] = A4_LANDSCAPE
) -> bytes:
    """The saddle-stitch booklet of ``source``: two pages on each sheet side, sides in
    printing order (see :func:`booklet_order`), centred and shrunk only if two do not fit.

    Raises ``ValueError`` if the page count is not a positive multiple of 4, or if the pages
    differ in trim size or are rotated.
    """
    reader = source if isinstance(source, PdfReader) else PdfReader(io.BytesIO(source))
    order = booklet_order(len(reader.pages))
    place = spread(_trim_size(reader), sheet)
    writer = PdfWriter()
    writer.pdf_header = "%PDF-1.7"  # /Duplex in the viewer preferences is PDF 1.7
    pages = list(reader.pages)
    forms = [_form(writer, page) for page in pages]
    for left, right in order:
        slots = tuple((n, pages[n - 1], forms[n - 1]) for n in (left, right))
        _add_side(writer, sheet, place, slots)
    digest = _digest(reader, sheet)
    _carry_metadata(reader, writer, digest)
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
