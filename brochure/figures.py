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
class TextLine:
    """One line of text inside a node."""

    text: str
    size: float
    letter: bool
    """The node's letter (bold face) rather than a label line."""
    dy: float
    """Baseline offset from the node's centre, upwards."""


@dataclass(frozen=True)
class NodeSpot:
    """Where one node sits and how its text is set."""

    x: float
    y: float
    angle: float
    """Radians, counter-clockwise from the positive x axis (PDF convention)."""
    lines: tuple[TextLine, ...]
    """The letter, then the label broken into one or two lines."""


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


# Proportions of the em used to stack text: cap height, ascent and descent of
# label lines, distance between label baselines, gap under the letter.
_CAP, _ASC, _DESC, _STEP, _GAP = 0.7, 0.72, 0.22, 1.15, 0.4


def _splits(label: str) -> list[tuple[str, ...]]:
    """The label on one line, then every way to break it into two."""
    words = label.split() or [""]
    options: list[tuple[str, ...]] = [(" ".join(words),)]
    options += [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return options


def _stack(
    letter: str, lines: tuple[str, ...], letter_size: float, label_size: float
) -> tuple[TextLine, ...]:
    """Letter and label lines as one block centred on the node."""
    height = (
        _CAP * letter_size
        + _GAP * label_size
        + _ASC * label_size
        + _STEP * label_size * (len(lines) - 1)
        + _DESC * label_size
    )
    baseline = height / 2 - _CAP * letter_size
    out = [TextLine(letter, letter_size, True, baseline)]
    baseline -= _GAP * label_size + _ASC * label_size
    for line in lines:
        out.append(TextLine(line, label_size, False, baseline))
        baseline -= _STEP * label_size
    return tuple(out)


def _fits(stack: tuple[TextLine, ...], radius: float, paint: CyclePaint) -> bool:
    """Every line lies inside the node's circle, with a margin."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for line in stack:
        font = paint.font if line.letter else paint.label_font
        top = line.dy + (_CAP if line.letter else _ASC) * line.size
        bottom = line.dy - (0 if line.letter else _DESC) * line.size
        reach = max(abs(top), abs(bottom))
        inner = radius * 0.9
        if reach >= inner:
            return False
        if stringWidth(line.text, font, line.size) > 2 * math.sqrt(inner**2 - reach**2):
            return False
    return True


def _node_text(
    letter: str, label: str, radius: float, letter_size: float, label_size: float, paint: CyclePaint
) -> tuple[TextLine, ...] | None:
    """The first arrangement (one line, else the best two) that fits, or None."""
    for lines in _splits(label):
        stack = _stack(letter, lines, letter_size, label_size)
        if _fits(stack, radius, paint):
            return stack
    return None


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
    ring = size * (0.33 if n <= 4 else 0.35 if n == 5 else 0.37)
    node = min(size * 0.145, ring * math.sin(math.pi / n) * (0.78 if n <= 5 else 0.76))
    ring = min(ring, disc - node - size * 0.025)
    gap = max(size * 0.012, node * 0.1)
    # The arrow head takes at most 45 % of the free arc between two nodes.
    free_arc = ring * (2 * math.pi / n - 4 * math.asin(min(1.0, (node + gap) / (2 * ring))))
    head_length = min(size * 0.045, free_arc * 0.45)
    label_size = min(node * 0.3, 9.5)
    stacks = _fit_all(cycle, node, label_size, paint)
    spots = []
    for i, stack in enumerate(stacks):
        angle = math.pi / 2 - 2 * math.pi * i / n  # clockwise from the top
        spots.append(
            NodeSpot(cx + ring * math.cos(angle), cy + ring * math.sin(angle), angle, stack)
        )
    centre_size = min(size * 0.085, (ring - node) * 1.1)
    if cycle.centre:
        width = stringWidth(cycle.centre, paint.font, centre_size)
        room = 2 * (ring - node - gap) * 0.9
        if width > room:
            centre_size *= room / width
    return CycleGeometry(
        size=size,
        cx=cx,
        cy=cy,
        ring=ring,
        node=node,
        disc=disc,
        letter_size=stacks[0][0].size,
        label_size=stacks[0][-1].size,
        centre_size=centre_size,
        arrow_width=max(size * 0.009, 1.2),
        head_length=head_length,
        head_half_width=head_length * 0.6,
        gap=gap,
        spots=tuple(spots),
    )


def _fit_all(
    cycle: Cycle, node: float, label_size: float, paint: CyclePaint
) -> list[tuple[TextLine, ...]]:
    """One text stack per node, all at the largest label size at which every node fits."""
    label_size = max(label_size, MIN_LABEL_SIZE)
    while True:
        letter_size = min(node * 0.68, label_size * 2.6)
        stacks = [
            _node_text(letter, label, node, letter_size, label_size, paint)
            for letter, label in cycle.nodes
        ]
        if all(stacks):
            return [s for s in stacks if s]
        if label_size <= MIN_LABEL_SIZE:
            worst = next(
                label for (_, label), s in zip(cycle.nodes, stacks, strict=True) if s is None
            )
            raise LayoutError(
                f"figure label {worst!r} does not fit its node at a legible size "
                f"(at least {MIN_LABEL_SIZE:g}pt); make the figure wider or the label shorter"
            )
        label_size = max(MIN_LABEL_SIZE, label_size * 0.95)


def _arc_points(cx: float, cy: float, r: float, a0: float, a1: float) -> list[float]:
    """Bezier control points (flat list) approximating the arc from a0 to a1 (clockwise)."""
    pieces = max(1, math.ceil(abs(a1 - a0) / (math.pi / 4)))
    step = (a1 - a0) / pieces
    k = 4 / 3 * math.tan(step / 4)
    points = [cx + r * math.cos(a0), cy + r * math.sin(a0)]
    for i in range(pieces):
        s, e = a0 + i * step, a0 + (i + 1) * step
        points += [
            cx + r * (math.cos(s) - k * math.sin(s)),
            cy + r * (math.sin(s) + k * math.cos(s)),
            cx + r * (math.cos(e) + k * math.sin(e)),
            cy + r * (math.sin(e) - k * math.cos(e)),
            cx + r * math.cos(e),
            cy + r * math.sin(e),
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
        path = Path(
            strokeColor=paint.arrow, strokeWidth=g.arrow_width, fillColor=None, strokeLineCap=0
        )
        pts = _arc_points(g.cx, g.cy, g.ring, start, base - 0.01)
        path.moveTo(pts[0], pts[1])
        for j in range(2, len(pts), 6):
            path.curveTo(*pts[j : j + 6])
        drawing.add(path)
        tx, ty = g.cx + g.ring * math.cos(tip), g.cy + g.ring * math.sin(tip)
        outer, inner = g.ring + g.head_half_width, g.ring - g.head_half_width
        drawing.add(
            Polygon(
                [
                    tx,
                    ty,
                    g.cx + outer * math.cos(base),
                    g.cy + outer * math.sin(base),
                    g.cx + inner * math.cos(base),
                    g.cy + inner * math.sin(base),
                ],
                fillColor=paint.arrow,
                strokeColor=None,
            )
        )
    for spot in g.spots:
        drawing.add(Circle(spot.x, spot.y, g.node, fillColor=paint.node, strokeColor=None))
        for line in spot.lines:
            drawing.add(
                String(
                    spot.x,
                    spot.y + line.dy,
                    line.text,
                    fontName=paint.font if line.letter else paint.label_font,
                    fontSize=line.size,
                    fillColor=paint.label,
                    textAnchor="middle",
                )
            )
    if cycle.centre:
        drawing.add(
            String(
                g.cx,
                g.cy - g.centre_size * 0.35,
                cycle.centre,
                fontName=paint.font,
                fontSize=g.centre_size,
                fillColor=paint.centre,
                textAnchor="middle",
            )
        )
    return drawing
