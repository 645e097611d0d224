"""Check: the colour spaces each page paints with are right for a four-colour press.

Input: the document's :class:`~.content.PageScan` values and its pages' transparency
groups. Output: the ``colour`` :class:`~.model.Check`.

RGB anywhere fails (DeviceRGB, CalRGB, ICCBased with three components, and
Indexed images over any of these): the printer's conversion to CMYK shifts
colours and turns black text into four-colour black. Spot colours (Separation
and DeviceN naming inks other than the process four), Lab, unrecognised
spaces, and transparency blended in RGB warn. DeviceGray, DeviceCMYK and
ICCBased with one or four components pass.

Limit: the file is always judged as a print file: an RGB PDF/X-4 output intent does not
excuse RGB content.
"""

from __future__ import annotations

from collections.abc import Iterable

from .content import PageScan, Paint
from .document import Document
from .model import Check, Finding, Status, Value, page_phrase, pages_do
from .spaces import resolve

__all__ = ["check_colour"]

_PROCESS = ("gray", "cmyk", "pattern")


def check_colour(doc: Document, scans: Iterable[PageScan]) -> Check:
    """Fail on RGB; warn on spot colours, Lab and RGB blending; list the spaces per page."""
    scans = tuple(scans)
    findings = [*_rgb(scans), *_spots(scans), *_others(scans), *_blending(doc)]
    if not findings:
        findings.append(Finding(Status.PASS, "every page is printed in CMYK and grey only"))
    values: dict[str, Value] = {
        "pages": {str(s.number): sorted({p.space.label for p in s.paints}) for s in scans}
    }
    return Check("colour", tuple(findings), values)


def _rgb(scans: tuple[PageScan, ...]) -> list[Finding]:
    pages = [s for s in scans if any(p.space.kind == "rgb" for p in s.paints)]
    if not pages:
        return []
    vias = sorted({p.via for s in pages for p in s.paints if p.space.kind == "rgb"})
    numbers = tuple(s.number for s in pages)
    said = f"{pages_do(numbers, 'uses', 'use')} RGB colour ({', '.join(vias)})"
    return [Finding(Status.FAIL, f"{said}; convert to CMYK for print", numbers)]


def _spots(scans: tuple[PageScan, ...]) -> list[Finding]:
    inks: dict[str, set[int]] = {}
    for scan in scans:
        for paint in scan.paints:
            for ink in paint.space.inks:
                inks.setdefault(ink, set()).add(scan.number)
    return [
        Finding(
            Status.WARN,
            f"spot colour {ink} ({page_phrase(pages)}) prints as an extra "
            "plate; convert it to CMYK unless the job is printed with that ink",
            tuple(sorted(pages)),
        )
        for ink, pages in sorted(inks.items())
    ]


def _others(scans: tuple[PageScan, ...]) -> list[Finding]:
    odd: dict[str, set[int]] = {}
    for scan in scans:
        for paint in scan.paints:
            if _is_odd(paint):
                odd.setdefault(paint.space.label, set()).add(scan.number)
    return [
        Finding(
            Status.WARN,
            f"colour space {label} ({page_phrase(pages)}) is converted by "
            "the printer's RIP; check the result in a proof",
            tuple(sorted(pages)),
        )
        for label, pages in sorted(odd.items())
    ]


def _is_odd(paint: Paint) -> bool:
    return paint.space.kind not in (*_PROCESS, "rgb", "spot")


def _blending(doc: Document) -> list[Finding]:
    pages = []
    for number, page in enumerate(doc.reader.pages, start=1):
        group = page.get("/Group")
        space = group.get_object().get("/CS") if group is not None else None
        if space is not None and resolve(space, page.get("/Resources")).kind == "rgb":
            pages.append(number)
    if not pages:
        return []
    said = f"{pages_do(pages, 'blends', 'blend')} transparency in RGB"
    return [
        Finding(
            Status.WARN,
            f"{said}; colours may shift where transparent objects overlap",
            tuple(pages),
        )
    ]
