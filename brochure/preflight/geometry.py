"""Rectangles and matrices in PDF user space (points), and the sides of a page.

Input: numbers read from a PDF (box arrays, ``cm`` operands). Output: :class:`Rect`
and :data:`Matrix` values that the checks measure with. Pure functions only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..units import MM

__all__ = ["IDENTITY", "SIDES", "Matrix", "Rect", "Side", "multiply", "scales"]

Side = Literal["left", "right", "top", "bottom"]
SIDES: tuple[Side, ...] = ("left", "right", "top", "bottom")

Matrix = tuple[float, float, float, float, float, float]
"""A PDF transformation matrix ``[a b c d e f]``."""

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

TOLERANCE = 0.01
"""Points; boxes written by different programs round their corners differently."""


@dataclass(frozen=True)
class Rect:
    """An upright rectangle, corners normalised so that ``x0 <= x1`` and ``y0 <= y1``."""

    x0: float
    """Left edge."""
    y0: float
    """Bottom edge."""
    x1: float
    """Right edge."""
    y1: float
    """Top edge."""

    @classmethod
    def of(cls, values: Sequence[float]) -> Rect:
        """The rectangle of a PDF box array ``[llx lly urx ury]``, in any corner order."""
        a, b, c, d = (float(v) for v in values[:4])
        return cls(min(a, c), min(b, d), max(a, c), max(b, d))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Rect) -> bool:
        """Whether ``other`` lies inside this rectangle (edges may touch)."""
        t = TOLERANCE
        return (
            other.x0 >= self.x0 - t
            and other.y0 >= self.y0 - t
            and other.x1 <= self.x1 + t
            and other.y1 <= self.y1 + t
        )

    def intersects(self, other: Rect) -> bool:
        """Whether the two rectangles overlap by more than an edge."""
        return min(self.x1, other.x1) > max(self.x0, other.x0) and min(self.y1, other.y1) > max(
            self.y0, other.y0
        )

    def clip(self, other: Rect) -> Rect:
        """This rectangle cut to ``other`` (collapsed to an edge when they do not overlap)."""
        x0, y0 = max(self.x0, other.x0), max(self.y0, other.y0)
        return Rect(x0, y0, max(x0, min(self.x1, other.x1)), max(y0, min(self.y1, other.y1)))

    def margins(self, inner: Rect) -> dict[Side, float]:
        """How far this rectangle reaches beyond ``inner`` on each side (negative: short of it)."""
        return {
            "left": inner.x0 - self.x0,
            "right": self.x1 - inner.x1,
            "top": self.y1 - inner.y1,
            "bottom": inner.y0 - self.y0,
        }

    def size_mm(self) -> str:
        """Width by height in millimetres, as a print buyer writes it: ``148 × 210 mm``."""
        return f"{self.width / MM:.0f} × {self.height / MM:.0f} mm"


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix product ``m × n``: first ``m``, then ``n`` (PDF's row-vector order)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def scales(m: Matrix) -> tuple[float, float]:
    """The lengths, in points, that the unit square's two sides are drawn at under ``m``."""
    a, b, c, d, _, _ = m
    return math.hypot(a, b), math.hypot(c, d)
