"""Lengths as people write them ("3mm", "9.5pt", "1.2cm", "0.5in") to PDF points."""

from __future__ import annotations

import re

__all__ = ["MM", "PT_PER", "format_length", "parse_length"]

MM = 72 / 25.4
"""Points per millimetre."""

PT_PER: dict[str, float] = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0}
"""Points per unit, for every unit a length may be written in."""

_LENGTH = re.compile(r"\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|mm|cm|in)\s*")


def parse_length(text: str) -> float:
    """Return the length ``text`` in points; raise ``ValueError`` if it is not one.

    >>> round(parse_length("3mm"), 4)
    8.5039
    """
    match = _LENGTH.fullmatch(text)
    if not match:
        raise ValueError(f"expected a length such as 3mm or 9.5pt (got {text!r})")
    return float(match.group(1)) * PT_PER[match.group(2)]


def format_length(points: float, unit: str = "mm") -> str:
    """Write ``points`` back in ``unit``, the way a person would read it."""
    return f"{points / PT_PER[unit]:.4g}{unit}"
