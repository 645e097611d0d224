"""PDF/X-4 for the print edition: output intent, identification, trapping, boxes.

Input: the print edition in a pypdf writer, and the :class:`OutputIntent` of the
printing condition (an ICC output profile and its identifiers, from the theme).
Output, in the writer: a GTS_PDFX output intent with the embedded profile,
``GTS_PDFXVersion`` and ``/Trapped /False`` in the Info dictionary, PDF 1.6, no
ArtBox beside the TrimBox, and the XMP fields PDF/X-4 asks for (see
:data:`XMP_NAMESPACES` and :func:`xmp_properties`).
"""

from __future__ import annotations

import functools
import hashlib
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from .. import cache
from .metadata import OutputIntent

__all__ = ["PDFX_VERSION", "XMP_NAMESPACES", "apply_pdfx", "xmp_properties"]

PDFX_VERSION = "PDF/X-4"
XMP_NAMESPACES = '\n  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"'


def xmp_properties() -> str:
    """The XMP properties PDF/X-4 asks for, beside the common ones."""
    return (
        f"<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>\n"
        "<pdf:Trapped>False</pdf:Trapped>\n"
        "<xmpMM:VersionID>1</xmpMM:VersionID>\n"
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>"
    )


@functools.lru_cache(maxsize=4)
def _compressed(profile: bytes) -> bytes:
    """The profile, deflated once (about 40 ms): kept per process and in the cache."""
    # another zlib may deflate to other bytes
    key = (hashlib.sha256(profile).hexdigest(), zlib.ZLIB_RUNTIME_VERSION)
    return cache.fetch("icc-deflated", key, lambda: zlib.compress(profile, 9))


def apply_pdfx(writer: PdfWriter, intent: OutputIntent) -> None:
    """Make the document in ``writer`` a PDF/X-4 file for the condition ``intent``."""
    stream = StreamObject.initialize_from_dictionary(
        {
            NameObject("/Filter"): NameObject("/FlateDecode"),
            NameObject("/N"): NumberObject(4),
            "__streamdata__": _compressed(intent.profile),
        }
    )
    profile_ref = writer._add_object(stream)  # pypdf has no public call for a new object
    output_intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFX"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(intent.condition),
            NameObject("/OutputCondition"): TextStringObject(intent.info),
            NameObject("/Info"): TextStringObject(intent.info),
            NameObject("/RegistryName"): TextStringObject(intent.registry),
            NameObject("/DestOutputProfile"): profile_ref,
        }
    )
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([output_intent])
    writer.add_metadata({"/GTS_PDFXVersion": PDFX_VERSION})
    info = writer._info.get_object() if writer._info is not None else None
    if isinstance(info, DictionaryObject):
        info[NameObject("/Trapped")] = NameObject("/False")
    writer.pdf_header = b"%PDF-1.6"
    for page in writer.pages:
        # PDF/X wants the TrimBox alone to say where the page is cut.
        for key in ("/ArtBox", "/Trans"):
            if key in page:
                del page[key]
