"""Check: every page says where it is cut (TrimBox) and carries 3 mm of bleed (BleedBox).

Input: the document's :class:`~.document.PageBoxes`. Output: the ``boxes``
:class:`~.model.Check`.

A page without a TrimBox is taken to be trimmed at its crop box (the page
edge), and one without a BleedBox to bleed to its crop box, as the PDF
specification defines. The bleed on each side is measured from the trim to
the bleed box cut to the media box. Fails: bleed under 3 mm on any side
("no bleed" when there is none at all); boxes not nested as MediaBox ⊇
BleedBox ⊇ TrimBox. Warns: no TrimBox, no BleedBox, pages of different sizes.

Limit: sides are named as the page is stored, before any /Rotate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..units import MM
from .document import Document, PageBoxes
from .geometry import SIDES
from .model import Check, Finding, Status, Value, page_phrase, pages_do

__all__ = ["BLEED", "check_boxes"]

BLEED = 3 * MM
"""The bleed a print file needs on every side, in points."""
_SLACK = 0.05 * MM  # boxes rounded to a hundredth of a point still count as 3 mm


def check_boxes(doc: Document) -> Check:
    """Fail on missing or narrow bleed and on boxes out of order; warn on missing boxes."""
    findings = [
        *_grouped(doc.boxes, _bleed_problem, Status.FAIL),
        *_grouped(doc.boxes, _nesting_problem, Status.FAIL),
        *_missing(doc.boxes),
        *_sizes(doc.boxes),
    ]
    if not findings:
        first = doc.boxes[0]
        bleed = min(min(b.bleed_widths().values()) for b in doc.boxes)
        findings = [
            Finding(
                Status.PASS,
                f"TrimBox {first.trim.size_mm()} with at least "
                f"{bleed / MM:.1f} mm bleed on every side of every page",
            )
        ]
    return Check(
        "boxes", tuple(findings), {"pages": {str(b.number): _values(b) for b in doc.boxes}}
    )


def _grouped(
    boxes: Iterable[PageBoxes], problem: Callable[[PageBoxes], str | None], status: Status
) -> list[Finding]:
    """One finding per distinct problem, naming every page that has it."""
    pages: dict[str, list[int]] = {}
    for box in boxes:
        said = problem(box)
        if said is not None:
            pages.setdefault(said, []).append(box.number)
    return [
        Finding(status, said.format(pages=pages_do(numbers, "has", "have")), tuple(numbers))
        for said, numbers in pages.items()
    ]


def _bleed_problem(box: PageBoxes) -> str | None:
    widths = box.bleed_widths()
    short = [side for side in SIDES if widths[side] < BLEED - _SLACK]
    if not short:
        return None
    if all(widths[side] < _SLACK for side in SIDES):
        return "no bleed: {pages} no bleed beyond the trim (3 mm needed on every side)"
    least = min(widths[side] for side in short)
    return (
        f"bleed too narrow: {{pages}} only {max(least, 0) / MM:.1f} mm of bleed at the "
        f"{', '.join(short)} (3 mm needed)"
    )


def _nesting_problem(box: PageBoxes) -> str | None:
    if box.has_bleed and not box.media.contains(box.bleed):
        return "{pages} a BleedBox reaching outside the MediaBox"
    if not box.bleed.contains(box.trim):
        return "{pages} a TrimBox reaching outside the BleedBox"
    if not box.media.contains(box.trim):
        return "{pages} a TrimBox reaching outside the MediaBox"
    return None


def _missing(boxes: tuple[PageBoxes, ...]) -> list[Finding]:
    no_trim = [b.number for b in boxes if not b.has_trim]
    no_bleed = [b.number for b in boxes if b.has_trim and not b.has_bleed]
    findings = []
    if no_trim:
        findings.append(
            Finding(
                Status.WARN,
                f"{pages_do(no_trim, 'has', 'have')} no TrimBox: "
                "the page edge is taken as the finished size",
                tuple(no_trim),
            )
        )
    if no_bleed:
        findings.append(
            Finding(
                Status.WARN,
                f"{pages_do(no_bleed, 'has', 'have')} no BleedBox: "
                "the printer takes the bleed from the crop box",
                tuple(no_bleed),
            )
        )
    return findings


def _sizes(boxes: tuple[PageBoxes, ...]) -> list[Finding]:
    sizes: dict[str, list[int]] = {}
    for box in boxes:
        sizes.setdefault(box.trim.size_mm(), []).append(box.number)
    if len(sizes) < 2:
        return []
    listed = "; ".join(f"{size} ({page_phrase(n)})" for size, n in sizes.items())
    return [Finding(Status.WARN, f"pages are trimmed to different sizes: {listed}")]


def _values(box: PageBoxes) -> Value:
    return {
        "trim_mm": [round(box.trim.width / MM, 2), round(box.trim.height / MM, 2)],
        "bleed_mm": {side: round(width / MM, 2) for side, width in box.bleed_widths().items()},
        "has_trim_box": box.has_trim,
        "has_bleed_box": box.has_bleed,
    }
