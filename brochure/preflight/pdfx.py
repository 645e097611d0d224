"""Check: the file names the press it was made for (PDF/X output intent and keys).

Input: a :class:`~.document.Document`. Output: the ``output-intent`` :class:`~.model.Check`.

PDF/X-4 asks for: an /OutputIntents entry of subtype /GTS_PDFX with an
embedded DestOutputProfile (the press condition the colours were made for),
GTS_PDFXVersion in both the document information and the XMP metadata
(``pdfxid:GTS_PDFXVersion``), /Trapped set to True or False, and a file
/ID. A file that claims PDF/X and lacks any of these fails; a file that
does not claim PDF/X warns, listing what it would need.

Limit: this checks the keys that name PDF/X, not the whole ISO 15930 standard.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader

from .document import Document
from .icc import Profile, read_profile
from .model import Check, Finding, Status, Value

__all__ = ["check_output_intent"]

_XMP_VERSION = re.compile(rb"GTS_PDFXVersion(?:>\s*|\s*=\s*[\"'])([^<\"']+)")
_XMP_TRAPPED = re.compile(rb"pdf:Trapped(?:>\s*|\s*=\s*[\"'])([^<\"']+)")


def check_output_intent(doc: Document) -> Check:
    """Fail when a file claiming PDF/X lacks its keys; warn when a file is not PDF/X."""
    reader = doc.reader
    info = _info(reader)
    xmp = _xmp(reader)
    version_info = _text(info.get("/GTS_PDFXVersion"))
    version_xmp = _match(_XMP_VERSION, xmp)
    profile, intent_problem = _intent(reader)
    trapped = _text(info.get("/Trapped")) or _match(_XMP_TRAPPED, xmp)
    missing = [
        said
        for said in (
            intent_problem,
            None if version_info else "no GTS_PDFXVersion in the document information",
            None if version_xmp else "no pdfxid:GTS_PDFXVersion in the XMP metadata",
            None if trapped.lstrip("/") in ("True", "False") else "/Trapped is not True or False",
            None if reader.trailer.get("/ID") else "no document /ID",
            _disagreement(version_info, version_xmp),
        )
        if said
    ]
    values: dict[str, Value] = {
        "pdfx_version": {"info": version_info or None, "xmp": version_xmp or None},
        "profile": {"description": profile.description, "colour_space": profile.colour_space}
        if profile
        else None,
        "trapped": trapped.lstrip("/") or None,
        "pdf_version": reader.pdf_header.removeprefix("%PDF-"),
    }
    return Check(
        "output-intent", (_finding(version_info or version_xmp, profile, missing),), values
    )


def _finding(claim: str, profile: Profile | None, missing: list[str]) -> Finding:
    if claim and missing:
        return Finding(Status.FAIL, f"the file claims {claim}, but: {'; '.join(missing)}")
    if missing:
        return Finding(
            Status.WARN,
            "not PDF/X: " + "; ".join(missing) + " (the printer will "
            "assume its own press condition; PDF/X-4 makes the intended one explicit)",
        )
    said = f"'{profile.description}' ({profile.colour_space})" if profile else "a profile"
    return Finding(Status.PASS, f"{claim}, made for {said}")


def _disagreement(info: str, xmp: str) -> str | None:
    if info and xmp and info != xmp:
        return (
            f"GTS_PDFXVersion is {info} in the document information but {xmp} in the XMP metadata"
        )
    return None


def _intent(reader: PdfReader) -> tuple[Profile | None, str | None]:
    """The GTS_PDFX output intent's profile, or what is wrong with the intent."""
    intents = reader.root_object.get("/OutputIntents")
    entries = [i.get_object() for i in intents.get_object()] if intents is not None else []
    pdfx = [i for i in entries if i.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        other = ", ".join(sorted({str(i.get("/S")) for i in entries}))
        return None, "no OutputIntent for PDF/X" + (f" (only {other})" if other else "")
    stream = pdfx[0].get("/DestOutputProfile")
    if stream is None:
        if "/DestOutputProfileRef" in pdfx[0]:
            return None, "an OutputIntent whose profile is referenced, not embedded (PDF/X-4p)"
        return None, "an OutputIntent with no DestOutputProfile"
    return read_profile(stream.get_object().get_data()), None


def _info(reader: PdfReader) -> Any:
    info = reader.trailer.get("/Info")
    return info.get_object() if info is not None else {}


def _xmp(reader: PdfReader) -> bytes:
    stream = reader.root_object.get("/Metadata")
    return bytes(stream.get_object().get_data()) if stream is not None else b""


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _match(pattern: re.Pattern[bytes], data: bytes) -> str:
    found = pattern.search(data)
    return found.group(1).decode("utf-8", errors="replace").strip() if found else ""
