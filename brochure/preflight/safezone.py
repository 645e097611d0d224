"""Check: text keeps 5 mm inside the trim, clear of the cutting tolerance.

Input: the document's :class:`~.document.PageBoxes` and each page's
text boxes (:mod:`.raster`). Output: the ``safe-zone`` :class:`~.model.Check`.

Every visible character that overlaps the trim is measured to the nearest
trim edge (whole runs of text are measured where they are all well inside);
characters wholly outside the trim (slug notes, colour bars) are left out.
Text nearer than 5 mm warns, and so does text crossing the trim.

Limit: text drawn as outlines or inside images is not seen.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..units import MM
from .document import PageBoxes
from .geometry import Rect, Side
from .model import Check, Finding, Status, Value, page_phrase
from .raster import PageRaster

__all__ = ["SAFE_DISTANCE", "check_safe_zone"]

SAFE_DISTANCE = 5 * MM
"""How far inside the trim text must stay, in points."""


def check_safe_zone(boxes: Iterable[PageBoxes], rasters: Iterable[PageRaster] | None) -> Check:
    """Warn on pages with text nearer the trim than 5 mm; report each page's nearest text."""
    if rasters is None:
        return Check("safe-zone", (Finding(Status.SKIP, "not run (pypdfium2 not installed)"),))
    nearest: dict[int, tuple[float, Side]] = {}
    for box, raster in zip(boxes, rasters, strict=False):
        found = _nearest(box.trim, raster.text)
        if found is not None:
            nearest[box.number] = found
    values: dict[str, Value] = {
        "nearest_mm": {str(n): round(d / MM, 1) for n, (d, _) in nearest.items()}
    }
    return Check("safe-zone", tuple(_findings(nearest)), values)


def _nearest(trim: Rect, chars: Iterable[Rect]) -> tuple[float, Side] | None:
    """The distance from the trim to the nearest character on it, and the edge it is near."""
    best: tuple[float, Side] | None = None
    for char in chars:
        if not trim.intersects(char):
            continue
        for side, distance in trim.margins(char).items():
            if best is None or distance < best[0]:
                best = (distance, side)
    return best


def _findings(nearest: dict[int, tuple[float, Side]]) -> list[Finding]:
    if not nearest:
        return [Finding(Status.PASS, "no text on the pages")]
    page, (distance, side) = min(nearest.items(), key=lambda item: item[1][0])
    crossing = sorted(n for n, (d, _) in nearest.items() if d < 0)
    close = sorted(n for n, (d, _) in nearest.items() if 0 <= d < SAFE_DISTANCE)
    findings = []
    if crossing:
        findings.append(
            Finding(
                Status.WARN,
                f"text crosses the trim on {page_phrase(crossing)} and will be cut",
                tuple(crossing),
            )
        )
    if close:
        least = min(nearest[n][0] for n in close)
        at = min(close, key=lambda n: nearest[n][0])
        findings.append(
            Finding(
                Status.WARN,
                f"text closer than 5 mm to the trim on "
                f"{page_phrase(close)} (nearest {least / MM:.1f} mm, page {at}, "
                f"{nearest[at][1]} edge)",
                tuple(close),
            )
        )
    return findings or [
        Finding(
            Status.PASS,
            f"all text is at least 5 mm inside the trim "
            f"(nearest {distance / MM:.1f} mm, page {page}, {side} edge)",
        )
    ]
