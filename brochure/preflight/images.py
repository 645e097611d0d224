"""Check: every image is placed at a resolution that prints sharp.

Input: the document's :class:`~.content.PageScan` values. Output: the ``images``
:class:`~.model.Check`.

The effective resolution of a placement is its pixel count along each side
divided by the length, in inches, that the side is drawn at (from the CTM
at the ``Do`` operator, through any Form XObjects); the lower of the two
counts. Photographs need 300 ppi: under 300 warns and under 150 fails.
Line art (1 bit per pixel) needs more, 600 and 300. RGB images are reported
by the ``colour`` check.

Limits: an image hidden by a clip or by other artwork still counts; a soft
mask's own resolution is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..units import MM
from .content import PageScan, Placement
from .geometry import scales
from .model import Check, Finding, Status, Value, page_phrase

__all__ = ["check_images", "effective_ppi"]

PHOTO_PPI = (300.0, 150.0)
"""Warn under the first, fail under the second, for continuous-tone images."""
LINE_ART_PPI = (600.0, 300.0)
"""The same for 1-bit images and stencil masks, whose edges show every pixel."""


def effective_ppi(placement: Placement) -> float | None:
    """Pixels per inch as placed; ``None`` for an image drawn at no size at all."""
    width, height = scales(placement.matrix)
    if width <= 0 or height <= 0 or 0 in placement.pixels:
        return None
    return min(placement.pixels[0] * 72 / width, placement.pixels[1] * 72 / height)


def check_images(scans: Iterable[PageScan]) -> Check:
    """Fail on images under 150 ppi (300 for line art); warn under 300 (600)."""
    groups: dict[tuple[str, tuple[int, int], int, bool, str], set[int]] = {}
    rows: list[Value] = []
    for scan in scans:
        for placement in scan.placements:
            ppi = effective_ppi(placement)
            if ppi is not None:
                rows.append(_row(scan.number, placement, ppi))
                key = (
                    placement.name.lstrip("/"),
                    placement.pixels,
                    round(ppi),
                    placement.bits == 1,
                    _placed(placement),
                )
                groups.setdefault(key, set()).add(scan.number)
    findings = [f for key, pages in groups.items() if (f := _finding(*key, pages)) is not None]
    if not findings:
        lowest = min((key[2] for key in groups), default=None)
        count = f"{len(rows)} image placement{'s' if len(rows) != 1 else ''}"
        findings = [
            Finding(
                Status.PASS,
                "no images" if lowest is None else f"{count}, the lowest at {lowest} ppi",
            )
        ]
    return Check("images", tuple(findings), {"images": rows})


def _placed(placement: Placement) -> str:
    width, height = scales(placement.matrix)
    return f"{width / MM:.0f} × {height / MM:.0f} mm"


def _finding(
    name: str, pixels: tuple[int, int], ppi: int, line_art: bool, placed: str, pages: set[int]
) -> Finding | None:
    warn, fail = LINE_ART_PPI if line_art else PHOTO_PPI
    if ppi >= warn:
        return None
    what = "line-art image" if line_art else "image"
    subject = name if name == "inline image" else f"{what} {name}"
    return Finding(
        Status.FAIL if ppi < fail else Status.WARN,
        f"{subject} on {page_phrase(pages)} is {ppi} ppi ({pixels[0]} × "
        f"{pixels[1]} px placed at {placed}); print needs {warn:.0f} ppi",
        tuple(sorted(pages)),
    )


def _row(page: int, placement: Placement, ppi: float) -> Value:
    width, height = scales(placement.matrix)
    return {
        "page": page,
        "name": placement.name.lstrip("/"),
        "pixels": list(placement.pixels),
        "ppi": round(ppi, 1),
        "placed_mm": [round(width / MM, 1), round(height / MM, 1)],
        "colour": placement.space.label if placement.space else "stencil mask",
    }
