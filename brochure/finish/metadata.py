"""What is said about a document: its :class:`Metadata` (written as the Info dictionary and
the XMP packet) and, for print, the :class:`OutputIntent` it is made for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from .. import __version__

__all__ = ["Metadata", "OutputIntent", "info_dict", "pdf_date", "xmp_packet"]


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


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition the print edition is made for."""

    profile: bytes
    """The ICC output profile (CMYK, class prtr)."""
    condition: str
    """Its identifier, such as FOGRA39."""
    info: str
    """Words describing it."""
    registry: str
    """Where the identifier is registered."""


def pdf_date(when: datetime) -> str:
    """A PDF date string, in UTC."""
    return when.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def _xmp_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def info_dict(meta: Metadata) -> dict[str, str]:
    """The document information dictionary."""
    date = pdf_date(meta.date)
    return {
        "/Title": meta.title,
        "/Author": meta.author,
        "/Subject": meta.subject or "",
        "/Keywords": ", ".join(meta.keywords),
        "/Creator": f"brochure {__version__}",
        "/Producer": f"brochure {__version__} (ReportLab, pypdf)",
        "/CreationDate": date,
        "/ModDate": date,
    }


def xmp_packet(
    meta: Metadata, document_id: str, *, namespaces: str = "", properties: str = ""
) -> bytes:
    """An XMP packet with the Dublin Core, XMP, PDF and media-management fields.

    ``namespaces`` (xmlns declarations) and ``properties`` (elements) add the
    fields an edition's standard asks for, such as PDF/UA's or PDF/X's identifiers.
    """
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
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"{namespaces}>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>
{subject}
<dc:language><rdf:Bag><rdf:li>{escape(meta.language)}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{escape(", ".join(meta.keywords))}</pdf:Keywords>
<pdf:Producer>brochure {__version__} (ReportLab, pypdf)</pdf:Producer>
<xmp:CreatorTool>brochure {__version__}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{document_id}</xmpMM:InstanceID>
{properties}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")
