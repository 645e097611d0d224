"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from brochure.project import Project
from brochure.validate import read_theme

from .conftest import CONTENT

_, FONTS = read_theme(Project(CONTENT))

DRAWABLE = sorted(chr(c) for c in FONTS.coverage if c >= 0x20 and chr(c).isprintable())
"""Every printable character the brochure's fonts can draw."""

MARKUPISH = list("<>&\"'{}%#*_[]()\\`!|~-–—‘’“”")
"""Characters that mean something to XML, Jinja2, Markdown or YAML."""

drawable_text = st.text(
    alphabet=st.one_of(st.sampled_from(DRAWABLE), st.sampled_from(MARKUPISH), st.just(" ")),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())
"""Non-blank text the fonts can draw, rich in markup characters."""

any_text = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())
"""Any text at all, including characters no font has."""

lengths = st.builds(
    lambda value, unit: f"{value:g}{unit}",
    st.floats(0, 500, allow_nan=False).map(lambda v: round(v, 3)),
    st.sampled_from(["mm", "pt", "cm", "in"]),
)
"""Lengths as a person writes them."""
