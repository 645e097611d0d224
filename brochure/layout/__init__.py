"""Stage 4, layout: parsed markup sections -> PDF pages, with ReportLab, once.

Input: the :class:`~brochure.markup.Section` list from the render stage, the
theme and its fonts. Output: a :class:`LaidOut` holding the PDF bytes as
ReportLab wrote them. Each section gets a page template (its frame,
background, bands and placed blocks); its flow blocks become flowables
(:mod:`.builder`, :mod:`.flowables`) poured into the frame.

The pages are laid out *once* for every edition, in the richest form: CMYK
colours (pictures converted through the output profile), the page on a media
box with bleed and crop marks, tagged for accessibility, with links and
bookmarks. The finish stage derives each edition from these pages (the screen
edition trims them and turns each colour into its RGB twin), so paragraphs are
broken into lines and pages only once. This stage never reads content or
templates: only the markup.

The layout itself is :func:`brochure.layout.document.layout`. This package's
own namespace holds only its result, :class:`LaidOut`, which imports neither
ReportLab nor anything else heavy: the finishing worker reads it (pickled)
having imported only what finishing needs.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .geometry import Geometry
from .tagging import StructNode

__all__ = ["LaidOut", "PlacedPicture", "colour_key"]

CMYK = tuple[float, float, float, float]
RGB = tuple[float, float, float]


@dataclass(frozen=True)
class PlacedPicture:
    """A picture as the pages hold it (in CMYK, whole), for editions that need it otherwise."""

    path: Path
    """Its file."""
    pixels: tuple[int, int]
    """Width and height of the embedded image."""
    width: float
    """The widest it is drawn, in points."""


@dataclass(frozen=True)
class LaidOut:
    """The pages, laid out once, from which every edition is finished."""

    pdf: bytes
    """The PDF file as ReportLab wrote it."""
    pages: int
    """How many pages it has."""
    geometry: Geometry
    """Where the trim sits on the media."""
    warnings: tuple[str, ...]
    """Things worth telling the user, such as a picture too coarse for print."""
    structure: StructNode
    """The logical structure, in reading order, with the marked content of each element."""
    screen_colours: dict[CMYK, RGB]
    """Each theme colour's CMYK (fractions, rounded to 4 places) with its RGB twin."""
    spot_colours: dict[str, RGB]
    """Each spot ink's RGB twin, by its name."""
    pictures: tuple[PlacedPicture, ...]
    """Every picture drawn."""

    @functools.cached_property
    def reader(self) -> Any:
        """The pages read back with pypdf, once, for every edition finished from them."""
        from pypdf import PdfReader

        return PdfReader(io.BytesIO(self.pdf))


def colour_key(values: tuple[float, ...]) -> CMYK:
    """A CMYK colour as :attr:`LaidOut.screen_colours` keys it."""
    c, m_, y, k = (round(float(v), 4) for v in values)
    return c, m_, y, k
