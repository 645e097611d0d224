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
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from .. import markup as m
from ..errors import LayoutError, Problem
from ..fonts import FontSet
from ..theme import Theme
from .builder import FlowBuilder
from .flowables import Outline
from .pages import Geometry, SectionTemplate
from .styles import Styles
from .tagging import StructNode, Tagger

__all__ = ["LaidOut", "PlacedPicture", "layout"]

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


def layout(
    sections: list[m.Section],
    theme: Theme,
    fonts: FontSet,
    *,
    language: str,
    running_head: str,
    output_profile: bytes,
) -> LaidOut:
    """Lay out ``sections`` once, for every edition.

    ``output_profile`` is the print condition's ICC profile: pictures become CMYK through it.
    """
    styles = Styles(theme, fonts, cmyk=True, language=language)
    geometry = Geometry(theme.page, theme.page.bleed, marks=True)
    tagger = Tagger()
    pictures: dict[tuple[Path, tuple[int, int]], float] = {}
    builder = FlowBuilder(
        styles,
        fonts,
        links=True,
        outline=Outline(),
        tagger=tagger,
        profile=output_profile,
        pictures=pictures,
    )

    templates: list[SectionTemplate] = []
    story: list[Any] = []
    for i, section in enumerate(sections):
        with builder.within("Sect"):
            # Placed blocks first: they open the section in reading order (a cover's title).
            places = [(place, builder.flow(place.blocks)) for place in section.places]
            flow = builder.flow(section.blocks)
        template = SectionTemplate(
            f"section-{i}",
            section,
            geometry,
            styles,
            places,
            running_prefix=running_head,
            tagger=tagger,
        )
        templates.append(template)
        if i:
            story += [NextPageTemplate(template.id), PageBreak()]
        # A zero-size anchor makes a section of placed blocks only still get its page.
        story += [Spacer(0, 0), *flow]

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=geometry.media,
        pageTemplates=templates,
        invariant=1,  # no timestamps or random ids: the same input gives the same bytes
        pageCompression=1,
        initialFontName=fonts.fallback,  # never a base-14 font, even where nothing is drawn
        enforceColorSpace=_cmyk_only,
        lang=language,
    )
    # Plain Flate streams (ReportLab's documented setting): no ASCII85 layer, which only
    # costs time and a quarter more bytes. Set for this build only, then put back.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story)
    except RLLayoutError as exc:
        raise LayoutError(
            Problem(
                f"something is too large to fit on any page ({_first_line(exc)}); "
                "shorten it or make it smaller"
            )
        ) from None
    finally:
        rl_config.useA85 = a85
    return LaidOut(
        buffer.getvalue(),
        doc.page,
        geometry,
        tuple(builder.warnings),
        tagger.root,
        _screen_colours(theme),
        {spec.spot: spec.rgb_fractions for spec in theme.colours.values() if spec.spot},
        tuple(PlacedPicture(path, px, width) for (path, px), width in pictures.items()),
    )


def _screen_colours(theme: Theme) -> dict[CMYK, RGB]:
    """Each theme colour's CMYK with its RGB twin; rich black with the black it stands for."""
    table: dict[CMYK, RGB] = {}
    for spec in theme.colours.values():
        table.setdefault(colour_key(spec.cmyk_fractions), spec.rgb_fractions)
    black = next((s.rgb_fractions for s in theme.colours.values() if s.is_black), (0.0, 0.0, 0.0))
    table.setdefault(colour_key(tuple(v / 100 for v in theme.print.rich_black)), black)
    return table


def _cmyk_only(colour: Any) -> Any:
    """Print accepts CMYK and spot (Separation) colours; ReportLab's own default greys
    become black ink; any other colour is a bug.

    (ReportLab's "sep_cmyk" check would turn a rich black into plain black, because a
    CMYK colour with no RGB hue looks grey to it.)
    """
    colour = toColor(colour)
    if isinstance(colour, CMYKColor):
        return colour
    if isinstance(colour, Color) and colour.red == colour.green == colour.blue:
        return CMYKColor(0, 0, 0, 1 - colour.red, alpha=colour.alpha)
    raise LayoutError(Problem(f"the print edition met a non-CMYK colour {colour!r}"))


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."
