"""What a personalised cover says, and where: recipients -> lines -> one overlay page each.

Input: the theme and its fonts, and each recipient's name and
organisation. Output: the lines to add to the cover ("Prepared for", then
"NAME, ORGANISATION", broken after the comma and set smaller when long),
left-aligned with the cover title and standing on the gold band; and one PDF,
drawn with ReportLab in the theme's own fonts, holding one overlay page per
recipient. Putting an overlay onto the built brochure is :mod:`.stamp`'s job.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet
from ..theme import Theme
from ..units import MM
from .recipients import Recipient

__all__ = ["Cover", "Line"]

BAND_TOP = 0.655
"""Where the cover's gold band starts, as a fraction of the page height from the top.

The same fraction as in ``layouts/cover.xml.j2``: the lines stand on the band.
"""
ABOVE_BAND = 9 * MM
"""From the top of the band up to the last baseline."""
LABEL = "Prepared for"
LABEL_SIZE = 9.0
NAME_SIZE = 14.0
ORGANISATION_SIZE = 11.0
MIN_SIZE = 8.0
"""Long lines are set smaller, down to this size; below it they are refused."""
LEADING = 1.25
"""Baseline to baseline, as a multiple of the font size."""
LABEL_GAP = 2.0
"""From the top of the name's type size up to the label's baseline, in points."""


@dataclass(frozen=True)
class Line:
    """One line of text on the cover."""

    text: str
    font: str
    """ReportLab font name of the face it is set in."""
    size: float
    """Font size in points."""
    y: float
    """Baseline, in points up from the bottom of the trimmed page."""


class Cover:
    """Places recipients' names on the cover of one theme's brochure."""

    def __init__(self, theme: Theme, fonts: FontSet) -> None:
        family = theme.styles["cover_org"].font  # the cover's own sans
        self.regular = fonts.face(family)
        """The face of "Prepared for" and of an organisation on its own line."""
        self.bold = fonts.face(family, bold=True)
        """The face of the name."""
        margins = theme.page.margins
        self.left = margins.inner
        """Left edge of every line: the cover title's."""
        self.width = theme.page.width - margins.inner - margins.outer
        """The room for each line, in points."""
        self.baseline = theme.page.height * (1 - BAND_TOP) + ABOVE_BAND
        """The last line's baseline."""
        self.colour = theme.colours["white"].rgb_fractions
        """The text colour: the theme's white, for the navy cover."""

    def lines(self, name: str, organisation: str = "") -> tuple[Line, ...]:
        """The lines for one recipient, top to bottom."""
        together = f"{name}, {organisation}" if organisation else name
        if self._fits(together, self.bold, NAME_SIZE) or not organisation:
            texts = [(together, self.bold, NAME_SIZE)]
        else:
            texts = [
                (f"{name},", self.bold, NAME_SIZE),
                (organisation, self.regular, ORGANISATION_SIZE),
            ]
        placed: list[Line] = []
        y = self.baseline
        for text, font, size in reversed(texts):
            placed.append(Line(text, font, self._size(text, font, size), y))
            y += placed[-1].size * LEADING
        top = placed[-1]
        placed.append(Line(LABEL, self.regular, LABEL_SIZE, top.y + top.size + LABEL_GAP))
        return tuple(reversed(placed))

    def check(self, recipient: Recipient) -> Iterator[tuple[str, str]]:
        """(field, message) for each reason ``recipient`` cannot go on the cover."""
        drawable = True
        for field, text in (("name", recipient.name), ("organisation", recipient.organisation)):
            missing = sorted({c for c in text if not _drawable(c, self.regular, self.bold)})
            if missing:
                drawable = False
                shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
                yield field, f"the cover's font cannot draw {shown}"
        if not drawable:
            return
        for line in self.lines(recipient.name, recipient.organisation)[1:]:
            width = _width(line.text, line.font, line.size)
            if width > self.width + 0.01:
                field = "organisation" if line.font == self.regular else "name"
                yield (
                    field,
                    (
                        f"too long for the cover: {line.text!r} needs {width / MM:.0f} mm "
                        f"at {MIN_SIZE:g} pt (room for {self.width / MM:.0f} mm)"
                    ),
                )

    def overlays(
        self,
        recipients: Sequence[tuple[Line, ...]],
        size: tuple[float, float],
        origin: tuple[float, float] = (0.0, 0.0),
    ) -> bytes:
        """One PDF page of ``size`` per recipient, holding only their lines.

        ``origin`` is where the trimmed page's bottom-left corner is on the media
        (not at 0, 0 in an edition with bleed).
        """
        buffer = io.BytesIO()
        # Uncompressed: the stamper copies these streams into each recipient's PDF as they are.
        canvas = Canvas(
            buffer, pagesize=size, invariant=1, pageCompression=0, initialFontName=self.regular
        )
        for lines in recipients:
            canvas.translate(*origin)
            canvas.setFillColorRGB(*self.colour)
            for line in lines:
                canvas.setFont(line.font, line.size)
                canvas.drawString(self.left, line.y, line.text)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def _fits(self, text: str, font: str, size: float) -> bool:
        return _width(text, font, size) <= self.width

    def _size(self, text: str, font: str, size: float) -> float:
        """``size``, or smaller so that ``text`` fits the width, but never below MIN_SIZE."""
        width = _width(text, font, size)
        return size if width <= self.width else max(MIN_SIZE, size * self.width / width)


def _width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def _drawable(char: str, *faces: str) -> bool:
    """Whether every face has a glyph for ``char`` (ReportLab would silently draw a box)."""
    glyphs: list[dict[int, int]] = [pdfmetrics.getFont(f).face.charToGlyph for f in faces]
    return char == " " or all(ord(char) in g for g in glyphs)
