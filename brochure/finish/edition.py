"""One finished edition: laid-out PDF bytes -> the edition's PDF, with pypdf.

Document information and XMP metadata, language, viewer preferences, the
structure tree of a tagged edition (:mod:`.structure`), the colours and trim
of an RGB edition (:mod:`.screen`), the output intent of a print edition
(:mod:`.pdfx`), and a file identifier derived from the content, so the same
input always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from ..editions import Edition
from ..images import SCREEN_PPI
from ..layout import LaidOut
from .metadata import Metadata, OutputIntent, info_dict, xmp_packet
from .pdfx import XMP_NAMESPACES, apply_pdfx, xmp_properties
from .screen import Recoloured, drop_interactive, to_rgb
from .structure import add_structure

__all__ = ["finish", "warm_up"]

PDFUA = ('\n  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"', "<pdfuaid:part>1</pdfuaid:part>")


def _uuid(digest: bytes) -> str:
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def finish(
    laid: LaidOut,
    meta: Metadata,
    edition: Edition,
    *,
    intent: OutputIntent | None = None,
    ready: Callable[[], Recoloured | None] | None = None,
) -> bytes:
    """The finished PDF of ``edition``, derived from the pages laid out once.

    Print keeps the media box with bleed and crop marks, in CMYK, and with ``intent``
    becomes a PDF/X-4 file for that printing condition. RGB editions are cut to the trim
    and turned into their RGB twins. Interactive editions keep links and bookmarks and
    are tagged (PDF/UA-1); the others lose their annotations. ``ready`` may give an
    RGB edition its pages' colours already turned (see :func:`.screen.to_rgb`).
    """
    writer = PdfWriter(clone_from=laid.reader)
    if edition.colour == "rgb":
        max_ppi = SCREEN_PPI if edition.interactive else None
        to_rgb(writer, laid, max_ppi=max_ppi, ready=ready)
    if not edition.interactive:
        drop_interactive(writer)
    # The identifier is a digest of what was laid out and said about it: unique
    # per document and edition, identical for identical builds.
    digest = hashlib.md5(laid.pdf + repr(meta).encode() + edition.name.encode()).digest()
    writer.add_metadata(info_dict(meta))
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(meta.language)
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    namespaces, properties = "", ""
    if edition.interactive:
        add_structure(writer, laid.structure)
        namespaces, properties = PDFUA
        if "/Outlines" in root:
            writer.page_mode = "/UseOutlines"
    if intent is not None:
        apply_pdfx(writer, intent)
        namespaces, properties = XMP_NAMESPACES, xmp_properties()
    writer.xmp_metadata = xmp_packet(
        meta, _uuid(digest), namespaces=namespaces, properties=properties
    )
    stream = root["/Metadata"].get_object()
    assert isinstance(stream, DictionaryObject)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    identifier = ByteStringObject(digest)
    writer._ID = ArrayObject([identifier, identifier])  # pypdf has no public setter
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def warm_up() -> None:
    """Take a one-page PDF through what :func:`finish` does with pypdf: write, read back,
    clone, read a content stream, write again. pypdf's first use of each (modules it
    imports late, a signature it inspects, its patterns) then costs nothing later: a
    finishing worker does this while it waits for the pages."""
    writer = PdfWriter()
    content = ContentStream(None, writer)
    content.set_data(b"0 0 1 1 re f")
    writer.add_blank_page(10, 10).replace_contents(content)
    first = io.BytesIO()
    writer.write(first)
    clone = PdfWriter(clone_from=PdfReader(first))
    clone.pages[0].get_contents()
    clone.write(io.BytesIO())
