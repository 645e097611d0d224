"""The editions one build can write, and what makes each one different."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["EDITIONS", "Edition"]


@dataclass(frozen=True)
class Edition:
    """One output of a build."""

    name: str
    """As written in content and on the command line; also the file name suffix."""
    colour: Literal["cmyk", "rgb"]
    """Colour model of every colour on the page."""
    bleed: bool
    """Backgrounds run into a bleed, with crop marks outside it and TrimBox/BleedBox set."""
    interactive: bool
    """Clickable links and bookmarks, and tagged for accessibility."""
    imposed: bool
    """Padded to a multiple of four pages and imposed two-up for saddle stitching."""
    description: str
    """One line for --help and the docs."""


EDITIONS: dict[str, Edition] = {
    "print": Edition(
        "print",
        "cmyk",
        bleed=True,
        interactive=False,
        imposed=False,
        description="for the print shop: PDF/X-4, CMYK, 3 mm bleed, crop marks",
    ),
    "screen": Edition(
        "screen",
        "rgb",
        bleed=False,
        interactive=True,
        imposed=False,
        description="for the web and email: RGB, bookmarks, links, tagged (PDF/UA-1)",
    ),
    "booklet": Edition(
        "booklet",
        "rgb",
        bleed=False,
        interactive=False,
        imposed=True,
        description="for an office printer: A4 sheets, two pages a side, duplex, folded",
    ),
}
