"""The virtuous circle: a cycle of activities drawn as vector graphics.

Input: a :class:`Cycle` (the nodes' letters and labels, in order, and the
words at the centre), the theme's figure colours and fonts, and a width.
Output: a ``reportlab.graphics`` :class:`Drawing` whose letters and labels are
real text in the brochure's fonts, or the same as standalone SVG or PDF.

Geometry is a pure function (:func:`geometry`) so it can be tested for any
number of nodes: nodes never overlap, arrows never touch a node, labels fit
inside their node at a legible size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import LayoutError

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

__all__ = [
    "MIN_LABEL_SIZE",
    "Cycle",
    "CycleGeometry",
    "CyclePaint",
    "cycle_drawing",
    "geometry",
]

MIN_LABEL_SIZE = 6.0
"""Smallest label size in points: still legible on an A5 page held at reading distance."""


@dataclass(frozen=True)
class Cycle:
    """What the figure shows: nodes clockwise from the top, arrows from each to the next."""

    nodes: tuple[tuple[str, str], ...]
    """(letter, label) of each node."""
    centre: str | None = None
    """Words in the middle of the ring."""


@dataclass(frozen=True)
class CyclePaint:
    """Colours (any ReportLab colour objects) and font names used to draw a cycle."""

    node: Any
    label: Any
    arrow: Any
    disc: Any
    centre: Any
    font: str
    """Face for letters and the centre words (bold)."""
    label_font: str
    """Face for the labels under the letters."""


@dataclass(frozen=True)
class NodeSpot:
    """Where one node sits and how its text is set."""

    x: float
    y: float
    angle: float
    """Radians, counter-clockwise from the positive x axis (PDF convention)."""
    lines: tuple[str, ...]
    """The label, broken into lines."""


@dataclass(frozen=True)
class CycleGeometry:
    """Every measurement of one drawn cycle, in points, origin at the bottom left."""

    size: float
    cx: float
    cy: float
    ring: float
    """Radius of the circle the node centres lie on."""
    node: float
    """Radius of each node."""
    disc: float
    """Radius of the background disc."""
    letter_size: float
    label_size: float
    centre_size: float
    arrow_width: float
    head_length: float
    head_half_width: float
    gap: float
    """Clear space between an arrow's end and a node's edge."""
    spots: tuple[NodeSpot, ...]


def _wrap(label: str, width: float, size: float, font: str) -> tuple[str, ...]:
    """Break ``label`` into as few lines as fit ``width`` (a single word may overflow)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for word in label.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _labels_fit(cycle: Cycle, width: float, size: float, font: str) -> bool:
    """Every label fits ``width`` in at most two lines at ``size``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for _, label in cycle.nodes:
        lines = _wrap(label, width, size, font)
        if len(lines) > 2 or max(stringWidth(x, font, size) for x in lines) > width:
            return False
    return True


def geometry(cycle: Cycle, size: float, paint: CyclePaint) -> CycleGeometry:
    """Lay out ``cycle`` in a square of side ``size`` points.

    Raises :class:`LayoutError` when there are fewer than 3 or more than 8
    nodes, or when a label cannot fit its node at :data:`MIN_LABEL_SIZE`.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n = len(cycle.nodes)
    if not 3 <= n <= 8:
        raise LayoutError(f"a cycle figure needs 3 to 8 nodes (got {n})")
    cx = cy = size / 2
    disc = size / 2 * 0.98
    # Nodes as large as their spacing allows, leaving room between them for arrows.
    ring = size * 0.33
    node = min(size * 0.145, ring * math.sin(math.pi / n) * 0.74)
    ring = min(ring, disc - node - size * 0.025)
    gap = max(size * 0.012, node * 0.1)
    letter_size = node * 0.7
    inner = node * 1.45  # usable text width inside a node
    label_size = min(node * 0.28, 9.5)
    while not _labels_fit(cycle, inner, label_size, paint.label_font):
        label_size *= 0.96
        if label_size < MIN_LABEL_SIZE:
            worst = max((label for _, label in cycle.nodes),
                        key=lambda s: stringWidth(s, paint.label_font, 10))
            raise LayoutError(
                f"figure label {worst!r} does not fit its node at a legible size "
                f"(at least {MIN_LABEL_SIZE:g}pt); make the figure wider or the label shorter"
            )
    spots = []
    for i, (_, label) in enumerate(cycle.nodes):
        angle = math.pi / 2 - 2 * math.pi * i / n  # clockwise from the top
        spots.append(
            NodeSpot(
                cx + ring * math.cos(angle),
                cy + ring * math.sin(angle),
                angle,
                _wrap(label, inner, label_size, paint.label_font),
            )
        )
    centre_size = min(size * 0.085, (ring - node) * 1.1)
    if cycle.centre:
        width = stringWidth(cycle.centre, paint.font, centre_size)
        room = 2 * (ring - node - gap) * 0.9
        if width > room:
            centre_size *= room / width
    return CycleGeometry(
        size=size, cx=cx, cy=cy, ring=ring, node=node, disc=disc,
        letter_size=letter_size, label_size=label_size, centre_size=centre_size,
        arrow_width=max(size * 0.009, 1.2), head_length=size * 0.045,
        head_half_width=size * 0.027, gap=gap, spots=tuple(spots),
    )


def _arc_points(cx: float, cy: float, r: float, a0: float, a1: float) -> list[float]:
    """Bezier control points (flat list) approximating the arc from a0 to a1 (clockwise)."""
    pieces = max(1, math.ceil(abs(a1 - a0) / (math.pi / 4)))
    step = (a1 - a0) / pieces
    k = 4 / 3 * math.tan(step / 4)
    points = [cx + r * math.cos(a0), cy + r * math.sin(a0)]
    for i in range(pieces):
        s, e = a0 + i * step, a0 + (i + 1) * step
        points += [
            cx + r * (math.cos(s) - k * math.sin(s)), cy + r * (math.sin(s) + k * math.cos(s)),
            cx + r * (math.cos(e) + k * math.sin(e)), cy + r * (math.sin(e) - k * math.cos(e)),
            cx + r * math.cos(e), cy + r * math.sin(e),
        ]
    return points


def cycle_drawing(cycle: Cycle, size: float, paint: CyclePaint) -> Drawing:
    """The cycle as a ReportLab drawing of ``size`` x ``size`` points."""
    from reportlab.graphics.shapes import Circle, Drawing, Path, Polygon, String

    g = geometry(cycle, size, paint)
    drawing = Drawing(size, size)
    # Keeps ReportLab from naming Helvetica as the drawing's initial font.
    drawing.initialFontName = paint.font
    drawing.add(Circle(g.cx, g.cy, g.disc, fillColor=paint.disc, strokeColor=None))
    n = len(g.spots)
    # Angle the arrow must stop short of each node centre: node radius + gap, seen from the centre.
    clear = 2 * math.asin(min(1.0, (g.node + g.gap) / (2 * g.ring)))
    head = g.head_length / g.ring
    for i in range(n):
        start = g.spots[i].angle - clear
        tip = g.spots[i].angle - 2 * math.pi / n + clear
        base = tip + head
        path = Path(strokeColor=paint.arrow, strokeWidth=g.arrow_width, fillColor=None,
                    strokeLineCap=0)
        pts = _arc_points(g.cx, g.cy, g.ring, start, base - 0.01)
        path.moveTo(pts[0], pts[1])
        for j in range(2, len(pts), 6):
            path.curveTo(*pts[j : j + 6])
        drawing.add(path)
        tx, ty = g.cx + g.ring * math.cos(tip), g.cy + g.ring * math.sin(tip)
        outer, inner = g.ring + g.head_half_width, g.ring - g.head_half_width
        drawing.add(Polygon(
            [tx, ty,
             g.cx + outer * math.cos(base), g.cy + outer * math.sin(base),
             g.cx + inner * math.cos(base), g.cy + inner * math.sin(base)],
            fillColor=paint.arrow, strokeColor=None,
        ))
    for spot, (letter, _) in zip(g.spots, cycle.nodes, strict=True):
        drawing.add(Circle(spot.x, spot.y, g.node, fillColor=paint.node, strokeColor=None))
        # Letter and label lines as one block, centred on the node: cap heights
        # of 0.7 em, label lines 1.15 em apart, a small gap under the letter.
        lead = g.label_size * 1.15
        cap, gap = g.letter_size * 0.7, g.label_size * 0.55
        block = cap + gap + g.label_size * 0.7 + lead * (len(spot.lines) - 1)
        baseline = spot.y + block / 2 - cap
        drawing.add(String(spot.x, baseline, letter, fontName=paint.font,
                           fontSize=g.letter_size, fillColor=paint.label, textAnchor="middle"))
        baseline -= gap + g.label_size * 0.7
        for line in spot.lines:
            drawing.add(String(spot.x, baseline, line, fontName=paint.label_font,
                               fontSize=g.label_size, fillColor=paint.label, textAnchor="middle"))
            baseline -= lead
    if cycle.centre:
        drawing.add(String(g.cx, g.cy - g.centre_size * 0.35, cycle.centre, fontName=paint.font,
                           fontSize=g.centre_size, fillColor=paint.centre, textAnchor="middle"))
    return drawing
