"""Stage 5, finish: laid-out PDF bytes -> the finished edition, with pypdf.

Input: a :class:`~brochure.layout.LaidOut` and the document's
:class:`Metadata`. Output: the bytes of the finished PDF: document
information and XMP metadata, language, viewer preferences, and a file
identifier derived from the content, so the same input always gives the same
bytes. Finishing never looks at content or templates.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from . import __version__
from .layout import LaidOut

__all__ = ["Metadata", "finish"]


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself."""

    title: str
    author: str
    subject: str | None
    keywords: tuple[str, ...]
    language: str
    """A language tag such as en-GB."""
    date: datetime
    """Creation and modification date (fixed, so builds are reproducible)."""


def _pdf_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def _xmp_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def xmp_packet(meta: Metadata, document_id: str, *, extra: str = "") -> bytes:
    """An XMP packet with the Dublin Core, XMP, PDF and media-management fields."""
    keywords = ", ".join(meta.keywords)
    date = _xmp_date(meta.date)
    subject = (
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.subject)}'
        "</rdf:li></rdf:Alt></dc:description>"
        if meta.subject
        else ""
    )
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>
{subject}
<dc:language><rdf:Bag><rdf:li>{escape(meta.language)}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{escape(keywords)}</pdf:Keywords>
<pdf:Producer>brochure {__version__}</pdf:Producer>
<xmp:CreatorTool>brochure {__version__}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{document_id}</xmpMM:InstanceID>
{extra}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def _uuid(digest: bytes) -> str:
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def finish(laid: LaidOut, meta: Metadata) -> bytes:
    """The finished PDF of one edition."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(laid.pdf)))
    # The identifier is a digest of what was laid out and said about it: unique
    # per document and edition, identical for identical builds.
    digest = hashlib.md5(laid.pdf + repr(meta).encode() + laid.edition.name.encode()).digest()
    date = _pdf_date(meta.date)
    writer.add_metadata(
        {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Subject": meta.subject or "",
            "/Keywords": ", ".join(meta.keywords),
            "/Creator": f"brochure {__version__}",
            "/Producer": f"brochure {__version__} (ReportLab, pypdf)",
            "/CreationDate": date,
            "/ModDate": date,
        }
    )
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(meta.language)
    prefs = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    root[NameObject("/ViewerPreferences")] = prefs
    if laid.edition.interactive and "/Outlines" in root:
        writer.page_mode = "/UseOutlines"
    writer.xmp_metadata = xmp_packet(meta, _uuid(digest))
    stream = root["/Metadata"].get_object()
    assert isinstance(stream, DictionaryObject)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    identifier = ByteStringObject(digest)
    writer._ID = ArrayObject([identifier, identifier])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
