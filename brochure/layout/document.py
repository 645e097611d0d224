"""Laying out the whole document with ReportLab: sections -> one :class:`LaidOut`."""

from __future__ import annotations

import io
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
from . import CMYK, RGB, LaidOut, PlacedPicture, colour_key
from .builder import FlowBuilder
from .flowables import Outline
from .geometry import Geometry
from .pages import SectionTemplate
from .styles import Styles, hyphenation_language, hyphenator
from .tagging import Tagger

__all__ = ["layout", "prepare"]


def prepare(theme: Theme, fonts: FontSet, language: str) -> None:
    """Load what a layout of ``theme`` needs first: its fonts, registered with ReportLab,
    and the hyphenation patterns of ``language``, if a text style hyphenates. Both are
    kept for the process: :func:`layout` does this itself, and when it has been done
    ahead (while waiting for the content, say) it costs the layout nothing."""
    fonts.register()
    if any(style.hyphenate for style in theme.styles.values()):
        hyphenator(hyphenation_language(language))


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
