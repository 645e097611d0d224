"""Stage 4, layout: parsed markup sections -> PDF pages, with ReportLab.

Input: the :class:`~brochure.markup.Section` list from the render stage, the
theme and its fonts, and one :class:`~brochure.editions.Edition`. Output: a
:class:`LaidOut` holding the PDF bytes as ReportLab wrote them. Each section
gets a page template (its frame, background, bands and placed blocks); its
flow blocks become flowables (:mod:`.flowables`) poured into the frame.

This stage never reads content or templates: only the markup. What differs
between editions here is the colour model, the bleed and crop marks, and
whether links and bookmarks are made.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from .. import images
from .. import markup as m
from ..editions import Edition
from ..errors import LayoutError, Problem
from ..fonts import FontSet
from ..theme import Theme
from .builder import FlowBuilder
from .flowables import Outline
from .pages import Geometry, SectionTemplate
from .styles import Styles
from .tagging import StructNode, Tagger

__all__ = ["LaidOut", "layout"]


@dataclass(frozen=True)
class LaidOut:
    """One edition's pages as ReportLab wrote them."""

    edition: Edition
    pdf: bytes
    """The PDF file, before finishing."""
    pages: int
    """How many pages it has."""
    geometry: Geometry
    """Where the trim sits on the media, for finishing."""
    warnings: tuple[str, ...]
    """Things worth telling the user, such as an image too coarse for print."""
    structure: StructNode | None
    """The logical structure, in reading order, with the marked content of each element
    (interactive editions only; None where the edition is not tagged)."""


def layout(
    sections: list[m.Section],
    theme: Theme,
    fonts: FontSet,
    edition: Edition,
    *,
    language: str,
    running_head: str,
    output_profile: bytes | None = None,
) -> LaidOut:
    """Lay out ``sections`` as the pages of ``edition``.

    ``output_profile`` (print) is the ICC profile images are converted to CMYK with.
    """
    cmyk = edition.colour == "cmyk"
    styles = Styles(theme, fonts, cmyk=cmyk, language=language)
    geometry = Geometry(theme.page, theme.page.bleed if edition.bleed else 0.0, edition.bleed)
    outline = Outline() if edition.interactive else None
    tagger = Tagger() if edition.interactive else None
    builder = FlowBuilder(
        styles,
        fonts,
        links=edition.interactive,
        outline=outline,
        tagger=tagger,
        profile=output_profile if cmyk else None,
        max_ppi=images.SCREEN_PPI if edition.interactive else None,
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
        enforceColorSpace=_cmyk_only if cmyk else None,
        lang=language,
    )
    try:
        doc.build(story)
    except RLLayoutError as exc:
        raise LayoutError(
            Problem(
                f"something is too large to fit on any page ({_first_line(exc)}); "
                "shorten it or make it smaller"
            )
        ) from None
    return LaidOut(
        edition,
        buffer.getvalue(),
        doc.page,
        geometry,
        tuple(builder.warnings),
        tagger.root if tagger else None,
    )


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
