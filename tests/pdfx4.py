"""A strict, independent reading of a PDF/X-4 file (ISO 15930-7), for the tests.

Written from the standard's requirements, not from brochure's code: it reads
the file with pypdf only and returns every requirement the file breaks.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

__all__ = ["problems"]

ALLOWED_ANNOTS = {"/PrinterMark", "/TrapNet"}
FORBIDDEN_GS = {"/TR", "/HTO"}  # transfer functions and halftone origin
FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData"}


def _xmp_field(xmp: str, name: str) -> str | None:
    match = re.search(rf"<{name}>(.*?)</{name}>", xmp, re.S) or re.search(rf'{name}="([^"]*)"', xmp)
    return match.group(1).strip() if match else None


def _output_intent(root: DictionaryObject) -> list[str]:
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    pdfx = [i for i in intents if i.get("/S") == "/GTS_PDFX"]
    if len(pdfx) != 1:
        return [f"expected exactly one GTS_PDFX output intent (found {len(pdfx)})"]
    intent = pdfx[0]
    problems = []
    if not intent.get("/OutputConditionIdentifier"):
        problems.append("output intent has no OutputConditionIdentifier")
    profile = intent.get("/DestOutputProfile")
    if profile is None:
        return [*problems, "output intent embeds no DestOutputProfile (PDF/X-4p not claimed)"]
    data = profile.get_object().get_data()
    if data[12:16] != b"prtr" or data[16:20] not in (b"CMYK", b"GRAY", b"RGB "):
        problems.append(f"output profile is not an output profile (class {data[12:16]!r})")
    if data[36:40] != b"acsp":
        problems.append("output profile is not an ICC profile")
    return problems


def _metadata(reader: PdfReader) -> list[str]:
    info = reader.metadata or {}
    problems = []
    if not str(info.get("/GTS_PDFXVersion", "")).startswith("PDF/X-4"):
        problems.append("Info has no GTS_PDFXVersion PDF/X-4")
    if info.get("/Trapped") not in ("/True", "/False"):
        problems.append("Info /Trapped must be /True or /False")
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if not info.get(key):
            problems.append(f"Info has no {key}")
    meta = reader.trailer["/Root"].get("/Metadata")
    if meta is None:
        return [*problems, "no XMP metadata stream"]
    xmp = meta.get_object().get_data().decode("utf-8")
    for name in (
        "pdfxid:GTS_PDFXVersion",
        "xmp:CreateDate",
        "xmp:ModifyDate",
        "xmpMM:DocumentID",
        "xmpMM:VersionID",
        "xmpMM:RenditionClass",
        "dc:title",
        "pdf:Trapped",
    ):
        if _xmp_field(xmp, name) is None:
            problems.append(f"XMP has no {name}")
    if (_xmp_field(xmp, "pdfxid:GTS_PDFXVersion") or "") != "PDF/X-4":
        problems.append("XMP GTS_PDFXVersion is not PDF/X-4")
    return problems


def _boxes(number: int, page: DictionaryObject) -> list[str]:
    problems = []
    if "/TrimBox" not in page and "/ArtBox" not in page:
        problems.append(f"page {number}: no TrimBox or ArtBox")
    if "/TrimBox" in page and "/ArtBox" in page:
        problems.append(f"page {number}: both TrimBox and ArtBox")
    media = [float(v) for v in page["/MediaBox"]]
    for key in ("/BleedBox", "/TrimBox"):
        if key in page:
            box = [float(v) for v in page[key]]
            if not (
                box[0] >= media[0]
                and box[1] >= media[1]
                and box[2] <= media[2]
                and box[3] <= media[3]
            ):
                problems.append(f"page {number}: {key} lies outside the MediaBox")
    if "/TrimBox" in page and "/BleedBox" in page:
        t = [float(v) for v in page["/TrimBox"]]
        b = [float(v) for v in page["/BleedBox"]]
        if not (b[0] <= t[0] and b[1] <= t[1] and b[2] >= t[2] and b[3] >= t[3]):
            problems.append(f"page {number}: TrimBox is not inside the BleedBox")
    return problems


def _resources(number: int, resources: DictionaryObject, seen: set[int]) -> list[str]:
    problems = []
    for font in (resources.get("/Font") or {}).values():
        problems += _font(number, font.get_object())
    for gs in (resources.get("/ExtGState") or {}).values():
        gs = gs.get_object()
        for key in FORBIDDEN_GS & set(gs):
            problems.append(f"page {number}: graphics state uses {key}")
        if gs.get("/TR2") not in (None, "/Default"):
            problems.append(f"page {number}: graphics state uses a transfer function")
    for cs in (resources.get("/ColorSpace") or {}).values():
        cs = cs.get_object()
        family = cs[0] if isinstance(cs, ArrayObject) else cs
        if family in ("/DeviceRGB", "/CalRGB"):
            problems.append(f"page {number}: colour space {family}")
    for xobj in (resources.get("/XObject") or {}).values():
        ref = xobj.indirect_reference if hasattr(xobj, "indirect_reference") else None
        xobj = xobj.get_object()
        key = id(xobj) if ref is None else ref.idnum
        if key in seen:
            continue
        seen.add(key)
        if xobj.get("/ColorSpace") == "/DeviceRGB":
            problems.append(f"page {number}: an image in DeviceRGB")
        if "/Resources" in xobj:
            problems += _resources(number, xobj["/Resources"].get_object(), seen)
    return problems


def _font(number: int, font: DictionaryObject) -> list[str]:
    fonts = [font]
    if "/DescendantFonts" in font:
        fonts = [f.get_object() for f in font["/DescendantFonts"]]
    problems = []
    for f in fonts:
        if f.get("/Subtype") == "/Type3":
            continue
        desc = f.get("/FontDescriptor")
        desc = desc.get_object() if desc is not None else {}
        if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"page {number}: font {f.get('/BaseFont')} is not embedded")
    return problems


def _content_rgb(number: int, page: DictionaryObject, reader: PdfReader) -> list[str]:
    from pypdf.generic import ContentStream

    ops = {op for _, op in ContentStream(page.get_contents(), reader).operations}
    return [f"page {number}: sets DeviceRGB colour ({op.decode()})" for op in {b"rg", b"RG"} & ops]


def problems(path: Path) -> list[str]:
    """Every PDF/X-4 requirement ``path`` breaks; empty when it conforms."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    found = []
    header = reader.pdf_header
    if header not in ("%PDF-1.3", "%PDF-1.4", "%PDF-1.5", "%PDF-1.6"):
        found.append(f"header {header}: PDF/X-4 files are PDF 1.6 at most")
    if "/ID" not in reader.trailer:
        found.append("no document /ID in the trailer")
    if reader.is_encrypted:
        found.append("the file is encrypted")
    found += _output_intent(root)
    found += _metadata(reader)
    names = root.get("/Names")
    if isinstance(names, (DictionaryObject, IndirectObject)) and "/JavaScript" in names:
        found.append("the document has JavaScript")
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, 1):
        found += _boxes(number, page)
        found += _resources(number, page["/Resources"].get_object(), seen)
        found += _content_rgb(number, page, reader)
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") not in ALLOWED_ANNOTS:
                found.append(f"page {number}: annotation {annot.get('/Subtype')}")
            action = annot.get("/A")
            if action is not None and action.get_object().get("/S") in FORBIDDEN_ACTIONS:
                found.append(f"page {number}: forbidden action")
        if isinstance(page.get("/AA"), DictionaryObject):
            found.append(f"page {number}: additional actions")
    return found
