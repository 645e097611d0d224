"""Pages: geometry, backgrounds, bands, placed blocks, folios and crop marks.

All drawing here works in *trim coordinates*: (0, 0) is the bottom-left corner
of the trimmed page. In the print edition the media box is larger (bleed plus
room for crop marks) and each page starts by moving the origin to the trim
corner, so a 100 mm square in the layout measures 100 mm between the marks.
Everything drawn here is page furniture, not content.
"""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

from reportlab.lib.colors import CMYKColor
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from .. import markup as m
from ..errors import LayoutError, Problem
from ..units import MM
from .geometry import MARK_LENGTH, Geometry
from .styles import Styles
from .tagging import Tagger, artifact

__all__ = ["SectionTemplate"]

MARK_WEIGHT = 0.25
FOLIO_DROP = 11 * MM  # folio baseline, up from the trim bottom


class TextFrame(Frame):  # type: ignore[misc]
    """ReportLab's frame, copied faster.

    KeepTogether measures its content in a deep copy of the current frame, once
    per kept group. A frame's state is numbers and strings but for a list of
    backgrounds: only that needs copying, not each number through ``copy.deepcopy``.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> TextFrame:
        new = type(self).__new__(type(self))
        memo[id(self)] = new  # what refers back to this frame refers to the copy
        new.__dict__.update(  # not through Frame.__setattr__, which recomputes the geometry
            (k, v if type(v) in _ATOMS else copy.deepcopy(v, memo)) for k, v in vars(self).items()
        )
        return new


_ATOMS = frozenset((int, float, str, bool, type(None)))


class SectionTemplate(PageTemplate):  # type: ignore[misc]
    """The page template of one section: its frame and its furniture."""

    def __init__(
        self,
        ident: str,
        section: m.Section,
        geometry: Geometry,
        styles: Styles,
        places: list[tuple[m.Place, list[Any]]],
        *,
        running_prefix: str,
        tagger: Tagger | None,
    ) -> None:
        setup = geometry.setup
        margins = setup.margins
        frame = TextFrame(
            margins.inner,
            margins.bottom,
            setup.width - margins.inner - margins.outer,
            setup.height - margins.top - margins.bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"{ident}-text",
        )
        super().__init__(
            id=ident,
            frames=[frame],
            onPage=self._begin,
            onPageEnd=self._end,
            pagesize=geometry.media,
        )
        if geometry.marks:
            self.trimBox = geometry.box(0)
            self.bleedBox = geometry.box(geometry.bleed)
        self.section = section
        self.geometry = geometry
        self.styles = styles
        self.places = places
        self.tagger = tagger
        self.running = " · ".join(x for x in (running_prefix, section.running_head or "") if x)
        self.first_page: int | None = None

    # ----------------------------------------------------------- page begin
    def _begin(self, canv: Any, doc: BaseDocTemplate) -> None:
        g = self.geometry
        canv.translate(g.offset, g.offset)  # from here on, trim coordinates
        self.frames[0].x1 = g.frame_x(doc.page)
        with artifact(canv, self.tagger):
            canv.saveState()
            self._background(canv)
            canv.restoreState()
        if self.first_page is None:
            self.first_page = doc.page
            for place, flowables in self.places:
                self._draw_place(canv, place, flowables)

    def _background(self, canv: Any) -> None:
        g, b = self.geometry, self.geometry.bleed
        clip = canv.beginPath()  # nothing decorative strays past the bleed onto the marks
        clip.rect(-b, -b, g.width + 2 * b, g.height + 2 * b)
        canv.clipPath(clip, stroke=0, fill=0)
        if self.section.background:
            canv.setFillColor(self.styles.fill(self.section.background))
            canv.rect(-b, -b, g.width + 2 * b, g.height + 2 * b, stroke=0, fill=1)
        for band in self.section.bands:
            bottom = g.height - band.top - band.height
            low = bottom - b if bottom <= 0 else bottom  # touching the trim: run into the bleed
            high = bottom + band.height
            high = high + b if high >= g.height else high
            canv.setFillColor(self.styles.fill(band.colour))
            canv.rect(-b, low, g.width + 2 * b, high - low, stroke=0, fill=1)
        for ring in self.section.rings:
            self._ring(canv, ring)

    def _ring(self, canv: Any, ring: m.Ring) -> None:
        cx, cy = ring.left, self.geometry.height - ring.top
        canv.setStrokeColor(self.styles.fill(ring.colour))
        canv.setLineWidth(ring.thickness)
        canv.circle(cx, cy, ring.radius, stroke=1, fill=0)
        canv.setFillColor(self.styles.fill(ring.node_colour))
        for i in range(ring.nodes):
            angle = math.pi / 2 - 2 * math.pi * i / ring.nodes
            canv.circle(
                cx + ring.radius * math.cos(angle),
                cy + ring.radius * math.sin(angle),
                ring.node_radius,
                stroke=0,
                fill=1,
            )

    def _draw_place(self, canv: Any, place: m.Place, flowables: list[Any]) -> None:
        g = self.geometry
        sizes = [f.wrap(place.width, g.height) for f in flowables]
        gaps = [
            max(a.getSpaceAfter(), b.getSpaceBefore()) for a, b in itertools.pairwise(flowables)
        ] + [0.0]
        total = sum(h for _, h in sizes) + sum(gaps)
        top = g.height - place.top if place.top is not None else (place.bottom or 0.0) + total
        if top - total < -0.01 or top > g.height + 0.01 or place.left + place.width > g.width:
            raise LayoutError(
                Problem(
                    f"placed text needs {total / MM:.0f} mm of height and does not fit on "
                    "the page; shorten it or move it",
                    place.source,
                )
            )
        y = top
        for f, (_, h), gap in zip(flowables, sizes, gaps, strict=True):
            y -= h
            f.drawOn(canv, place.left, y)
            y -= gap

    # ----------------------------------------------------------- page end
    def _end(self, canv: Any, doc: BaseDocTemplate) -> None:
        with artifact(canv, self.tagger):
            if self.section.folio:
                self._folio(canv, doc.page)
            if self.geometry.marks:
                self._crop_marks(canv)

    def _folio(self, canv: Any, page: int) -> None:
        """Page number at the outer edge, the running head beside it."""
        g = self.geometry
        margins = g.setup.margins
        style = self.styles.text("folio")
        number_font = self.fonts_bold("folio")
        text_font = self.styles.font("folio")
        number = str(page)
        gap = style.size * 1.2
        canv.setFillColor(self.styles.colour(style.colour))
        if page % 2:  # right-hand page: number at the right edge
            right = g.width - margins.outer
            canv.setFont(number_font, style.size)
            canv.drawRightString(right, FOLIO_DROP, number)
            width = canv.stringWidth(number, number_font, style.size)
            canv.setFont(text_font, style.size)
            canv.drawRightString(right - width - gap, FOLIO_DROP, self.running)
        else:
            canv.setFont(number_font, style.size)
            canv.drawString(margins.outer, FOLIO_DROP, number)
            width = canv.stringWidth(number, number_font, style.size)
            canv.setFont(text_font, style.size)
            canv.drawString(margins.outer + width + gap, FOLIO_DROP, self.running)

    def fonts_bold(self, name: str) -> str:
        s = self.styles.text(name)
        return self.styles.fonts.face(s.font, bold=True, italic=s.italic)

    def _crop_marks(self, canv: Any) -> None:
        g = self.geometry
        canv.saveState()
        canv.setStrokeColor(CMYKColor(0, 0, 0, 1))  # 100 % K: prints on every plate's key
        canv.setLineWidth(MARK_WEIGHT)
        near, far = g.bleed, g.bleed + MARK_LENGTH
        for x in (0.0, g.width):
            for y in (0.0, g.height):
                sx = -1 if x == 0 else 1
                sy = -1 if y == 0 else 1
                canv.line(x + sx * near, y, x + sx * far, y)  # horizontal mark
                canv.line(x, y + sy * near, x, y + sy * far)  # vertical mark
        canv.restoreState()
