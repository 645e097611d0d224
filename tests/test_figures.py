"""The virtuous circle: geometry for any number of nodes, legibility, greyscale contrast."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import black, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from brochure.errors import LayoutError
from brochure.figures import MIN_LABEL_SIZE, Cycle, CyclePaint, cycle_drawing, geometry
from brochure.project import Project
from brochure.units import MM
from brochure.validate import read_theme

from .conftest import CONTENT

THEME, FONTS = read_theme(Project(CONTENT))
PAINT = CyclePaint(
    node=white,
    label=black,
    arrow=black,
    disc=black,
    centre=white,
    font=FONTS.face("sans", bold=True),
    label_font=FONTS.face("sans"),
)
WORDS = [
    "Research",
    "Teaching",
    "Consultancy",
    "Policy advice",
    "Evaluation",
    "Leadership",
    "Learning",
    "Practice",
]


def cycle(n: int) -> Cycle:
    return Cycle(tuple((w[0] + str(i), w) for i, w in enumerate(WORDS[:n])), "HSMC")


@pytest.mark.parametrize("n", range(3, 9))
def test_nodes_never_overlap_and_stay_on_the_disc(n: int) -> None:
    """For 3 to 8 nodes at A5 size, nodes keep clear of each other and inside the disc."""
    g = geometry(cycle(n), 70 * MM, PAINT)
    for a, b in zip(g.spots, g.spots[1:] + g.spots[:1], strict=True):
        assert math.dist((a.x, a.y), (b.x, b.y)) > 2 * g.node + 2 * g.gap
    for s in g.spots:
        assert math.dist((s.x, s.y), (g.cx, g.cy)) + g.node <= g.disc


@pytest.mark.parametrize("n", range(3, 9))
def test_labels_fit_and_stay_legible(n: int) -> None:
    """Every label line fits inside its node, at 6 pt or more."""
    g = geometry(cycle(n), 70 * MM, PAINT)
    assert g.label_size >= MIN_LABEL_SIZE
    for s in g.spots:
        labels = [line for line in s.lines if not line.letter]
        assert 1 <= len(labels) <= 2
        for line in s.lines:
            font = PAINT.font if line.letter else PAINT.label_font
            half = stringWidth(line.text, font, line.size) / 2
            top = line.dy + 0.72 * line.size
            bottom = line.dy if line.letter else line.dy - 0.22 * line.size  # capitals
            for y in (top, bottom):  # both ends of the line lie inside the node's circle
                assert math.hypot(half, y) < g.node


@given(st.integers(3, 8), st.floats(70 * MM, 120 * MM))
@settings(max_examples=60, deadline=None)
def test_first_node_at_the_top_clockwise(n: int, size: float) -> None:
    """Node 1 sits straight above the centre and the next one lies clockwise (to its right)."""
    g = geometry(cycle(n), size, PAINT)
    first, second = g.spots[0], g.spots[1]
    assert first.x == pytest.approx(g.cx) and first.y > g.cy
    assert second.x > g.cx


@pytest.mark.parametrize("n", [0, 2, 9])
def test_outside_three_to_eight_is_an_error(n: int) -> None:
    """Fewer than 3 or more than 8 nodes is a clear error, not a broken drawing."""
    with pytest.raises(LayoutError, match="3 to 8 nodes"):
        geometry(cycle(min(n, 8)) if n <= 8 else Cycle((("A", "a"),) * 9), 70 * MM, PAINT)


def test_label_too_long_is_reported() -> None:
    """A label that cannot fit its node legibly is reported with its text."""
    long = Cycle((("A", "Interdisciplinary collaboration methodology"), ("B", "b"), ("C", "c")))
    with pytest.raises(LayoutError, match="Interdisciplinary"):
        geometry(long, 40 * MM, PAINT)


def test_drawing_has_text_for_every_label() -> None:
    """The drawing holds the letters, labels and centre words as strings."""
    from reportlab.graphics.shapes import String

    d = cycle_drawing(cycle(4), 70 * MM, PAINT)
    texts = {s.text for s in d.contents if isinstance(s, String)}
    assert {"R0", "Research", "HSMC", "Consultancy"} <= texts


def luminance(hex_rgb: str) -> float:
    """WCAG relative luminance of #rrggbb."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_rgb[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_distinguishable_in_greyscale() -> None:
    """In greyscale, nodes stand off the disc, arrows off the disc, labels off the nodes."""
    c, f = THEME.colours, THEME.figure
    assert contrast(c[f.node].rgb, c[f.disc].rgb) >= 3
    assert contrast(c[f.arrow].rgb, c[f.disc].rgb) >= 3
    assert contrast(c[f.label].rgb, c[f.node].rgb) >= 4.5
    assert contrast(c[f.centre].rgb, c[f.disc].rgb) >= 4.5
