"""Check: artwork that reaches the trim runs on into the bleed.

Input: the document's :class:`~.document.PageBoxes` and its pages rendered
(:mod:`.raster`). Output: the ``artwork-bleed`` :class:`~.model.Check`.

Along each trim edge, every point (1 pt apart, corners left out) is sampled
just inside the trim, just outside it, and near the far side of the 3 mm
bleed. Ink inside with bare paper just outside is artwork that *stops at the
trim*: cutting tolerance will leave a white sliver. Ink that runs past the
trim but not to 3 mm *falls short of the bleed*. Where the page has no room
beyond the trim (no TrimBox, or bleed narrower than a millimetre), any ink at
the edge is the problem. A page without a TrimBox is judged at its crop box.

Limits: sampled at 72 dpi, so hairlines under 1 pt and gaps shorter than
2 pt are not seen; a white object counts as paper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from ..units import MM
from .boxes import BLEED
from .document import PageBoxes
from .geometry import SIDES, Side
from .model import Check, Finding, Status, Value, page_phrase
from .raster import PageRaster

__all__ = ["check_artwork_bleed"]

Fault = Literal["stops at the trim", "falls short of the bleed"]
INSET = 1.5
"""Points inside and outside the trim at which ink is sampled: clear of the edge pixel."""
MIN_LENGTH = 2.0
"""Points of faulty edge below which a touch is taken for a rendering artefact."""
_ROOM = 1 * MM  # less bleed than this and there is nothing to sample outside the trim


def check_artwork_bleed(boxes: Iterable[PageBoxes], rasters: Iterable[PageRaster] | None) -> Check:
    """Fail on pages whose artwork touches a trim edge but does not continue into the bleed."""
    if rasters is None:
        return Check("artwork-bleed", (Finding(Status.SKIP, "not run (pypdfium2 not installed)"),))
    faults: dict[int, dict[Side, Fault]] = {}
    trimmed: dict[int, bool] = {}
    for box, raster in zip(boxes, rasters, strict=False):
        trimmed[box.number] = box.has_trim
        found = {side: fault for side in SIDES if (fault := _edge(box, raster, side))}
        if found:
            faults[box.number] = found
    findings = _findings(faults, trimmed)
    values: dict[str, Value] = {
        "pages": {
            str(n): {side: str(f) for side, f in found.items()} for n, found in faults.items()
        }
    }
    return Check(
        "artwork-bleed",
        tuple(findings)
        or (Finding(Status.PASS, "all artwork that reaches the trim runs into the bleed"),),
        values,
    )


def _edge(box: PageBoxes, raster: PageRaster, side: Side) -> Fault | None:
    """How artwork along one trim edge fails to bleed, if it does."""
    reach = min(BLEED, box.bleed_widths()[side])
    point = _sampler(box, side)
    start, end = (
        (box.trim.y0, box.trim.y1) if side in ("left", "right") else (box.trim.x0, box.trim.x1)
    )
    stops = short = 0.0
    t = start + INSET + 1
    while t < end - INSET - 1:
        if raster.has_ink(*point(t, -INSET)):
            if reach < _ROOM or not raster.has_ink(*point(t, INSET)):
                stops += 1
            elif not raster.has_ink(*point(t, reach - INSET)):
                short += 1
        t += 1.0
    if stops >= MIN_LENGTH:
        return "stops at the trim"
    return "falls short of the bleed" if short >= MIN_LENGTH else None


def _sampler(box: PageBoxes, side: Side) -> Callable[[float, float], tuple[float, float]]:
    """Maps (position along the edge, distance outward from the trim) to user space."""
    trim = box.trim
    return {
        "left": lambda t, d: (trim.x0 - d, t),
        "right": lambda t, d: (trim.x1 + d, t),
        "bottom": lambda t, d: (t, trim.y0 - d),
        "top": lambda t, d: (t, trim.y1 + d),
    }[side]


def _findings(faults: dict[int, dict[Side, Fault]], trimmed: dict[int, bool]) -> list[Finding]:
    grouped: dict[tuple[Fault, tuple[Side, ...], bool], list[int]] = {}
    for number, found in faults.items():
        for fault in ("stops at the trim", "falls short of the bleed"):
            sides = tuple(s for s in SIDES if found.get(s) == fault)
            if sides:
                grouped.setdefault((fault, sides, trimmed[number]), []).append(number)
    findings = []
    for (fault, sides, has_trim), pages in grouped.items():
        edges = f"{', '.join(sides)} edge{'s' if len(sides) > 1 else ''}"
        edge = "trim" if has_trim else "page edge"
        said = (
            f"no bleed: artwork touches the {edge} on {page_phrase(pages)} ({edges}) and "
            "does not continue into the bleed"
            if fault == "stops at the trim"
            else f"bleed too narrow: artwork on {page_phrase(pages)} ({edges}) runs past the "
            "trim but less than 3 mm into the bleed"
        )
        findings.append(Finding(Status.FAIL, said, tuple(pages)))
    return findings
