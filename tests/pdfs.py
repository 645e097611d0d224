"""Small PDFs for the preflight tests, drawn with ReportLab's canvas.

Each builder writes one file and returns its path. Lengths are in points
unless a name says otherwise; ``mm`` converts. The clean file is a 100 × 140 mm
page with 3 mm bleed, CMYK only, set in the embedded Source Sans 3.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Check, Report

FONT_FILE = Path(__file__).parents[1] / "fonts" / "SourceSans3-Regular.ttf"
FONT = "PreflightSans"
TRIM = (100 * mm, 140 * mm)
BLEED = 3 * mm

Draw = Callable[[Canvas, int], None]
"""Draws extra artwork on a page, in trim coordinates; told the 1-based page number."""


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def print_ready(
    path: Path,
    *,
    pages: int = 1,
    bleed: float = BLEED,
    boxes: bool = True,
    background: bool = True,
    draw: Draw | None = None,
) -> Path:
    """A clean print file: CMYK background into the bleed, embedded font, TrimBox and BleedBox."""
    width, height = TRIM
    media = (width + 2 * bleed, height + 2 * bleed)
    extra = (
        {"trimBox": (bleed, bleed, bleed + width, bleed + height), "bleedBox": (0, 0, *media)}
        if boxes
        else {}
    )
    canvas = Canvas(str(path), pagesize=media, initialFontName=_font(), invariant=True, **extra)
    for number in range(1, pages + 1):
        canvas.translate(bleed, bleed)
        if background:
            canvas.setFillColorCMYK(0.1, 0.0, 0.05, 0.0)
            canvas.rect(-bleed, -bleed, width + 2 * bleed, height + 2 * bleed, stroke=0, fill=1)
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * mm, height - 30 * mm, f"Page {number}: a clean print file")
        if draw is not None:
            draw(canvas, number)
        canvas.showPage()
    canvas.save()
    return path


def careless(path: Path) -> Path:
    """What an office program exports: RGB, unembedded Helvetica, artwork to the page edge."""
    width, height = TRIM
    canvas = Canvas(str(path), pagesize=(width, height), invariant=True)
    canvas.setFillColorRGB(0.1, 0.4, 0.8)
    canvas.rect(0, height - 40 * mm, width, 40 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(20 * mm, 60 * mm, "Printed as it was exported")
    canvas.showPage()
    canvas.save()
    return path


def cmyk_image(pixels: int) -> ImageReader:
    """A square CMYK image of ``pixels`` × ``pixels``."""
    return ImageReader(Image.new("CMYK", (pixels, pixels), (20, 120, 200, 10)))


def rgb_image(pixels: int) -> ImageReader:
    """A square RGB image of ``pixels`` × ``pixels``."""
    return ImageReader(Image.new("RGB", (pixels, pixels), (200, 60, 30)))


def add_pdfx(
    path: Path, *, intent: bool = True, claim: str | None = "PDF/X-4", profile: bytes = b""
) -> Path:
    """Rewrite ``path`` with a PDF/X output intent, version keys and /Trapped, as asked."""
    writer = PdfWriter(clone_from=PdfReader(path))
    if intent:
        stream = DecodedStreamObject()
        stream.set_data(profile)
        stream[NameObject("/N")] = NumberObject(4)
        # Streams must be indirect objects, and pypdf has no public way to add one.
        entry = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OutputIntent"),
                NameObject("/S"): NameObject("/GTS_PDFX"),
                NameObject("/OutputConditionIdentifier"): TextStringObject("FOGRA39"),
                NameObject("/DestOutputProfile"): writer._add_object(stream),
            }
        )
        writer.root_object[NameObject("/OutputIntents")] = ArrayObject([entry])
    info = {"/Trapped": "/False"}
    if claim:
        info["/GTS_PDFXVersion"] = claim
        writer.xmp_metadata = _xmp(claim)
    writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def _xmp(claim: str) -> bytes:
    return f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<pdfxid:GTS_PDFXVersion>{claim}</pdfxid:GTS_PDFXVersion>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>""".encode()


def icc_profile(description: str, space: bytes = b"CMYK", *, version: int = 2) -> bytes:
    """A minimal ICC profile: a header and one description tag, enough for a preflight to read."""
    text = description.encode("latin-1")
    if version == 2:
        tag = b"desc" + bytes(4) + len(text).to_bytes(4, "big") + text + b"\0"
    else:
        utf16 = description.encode("utf-16-be")
        tag = (
            b"mluc"
            + bytes(4)
            + (1).to_bytes(4, "big")
            + (12).to_bytes(4, "big")
            + b"enUS"
            + len(utf16).to_bytes(4, "big")
            + (28).to_bytes(4, "big")
            + utf16
        )
    offset = 128 + 4 + 12
    header = bytearray(128)
    header[0:4] = (offset + len(tag)).to_bytes(4, "big")
    header[12:16] = b"prtr"
    header[16:20] = space
    table = (
        (1).to_bytes(4, "big") + b"desc" + offset.to_bytes(4, "big") + len(tag).to_bytes(4, "big")
    )
    return bytes(header) + table + tag


def named(report: Report, name: str) -> Check:
    """The check called ``name`` in ``report``."""
    return next(c for c in report.checks if c.name == name)


def messages(report: Report) -> str:
    """Every finding of every check, one a line: what a test searches for wording."""
    return "\n".join(f.message for c in report.checks for f in c.findings)


def measured(check: Check, *keys: str | int) -> Any:
    """The value at ``keys`` in a check's values: ``measured(check, "pages", "1")``."""
    value: Any = check.values
    for key in keys:
        value = value[key]
    return value
