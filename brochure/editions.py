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
    """Clickable links and bookmarks."""
    description: str
    """One line for --help and the docs."""


EDITIONS: dict[str, Edition] = {
    "print": Edition(
        "print", "cmyk", True, False, "for the print shop: CMYK, 3 mm bleed, crop marks, no links"
    ),
    "screen": Edition(
        "screen",
        "rgb",
        False,
        True,
        "for the web and email: trimmed pages, RGB, bookmarks and links",
    ),
}
