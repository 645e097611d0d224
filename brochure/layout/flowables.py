"""Markup blocks -> ReportLab flowables.

Every block type of :mod:`brochure.markup` maps to flowables in one method of
:class:`FlowBuilder`. Inline runs become ReportLab paragraph XML with every
character escaped, so text is only ever text.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics import renderPDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import BalancedColumns

from .. import markup as m
from ..errors import LayoutError, Problem
from ..figures import Cycle, CyclePaint, cycle_drawing, geometry
from ..fonts import FontSet
from .styles import Styles

__all__ = ["FlowBuilder", "HeadingParagraph"]


class HeadingParagraph(Paragraph):  # type: ignore[misc]
    """A heading: kept with what follows, and a bookmark in the interactive edition."""

    def __init__(
        self, text: str, style: ParagraphStyle, *, level: int, title: str, outline: Outline | None
    ) -> None:
        super().__init__(text, style)
        self.keepWithNext = 1
        self.level = level
        self.title = title
        self.outline = outline

    def draw(self) -> None:
        super().draw()
        if self.outline is not None:
            self.outline.add(self.canv, self.title, self.level, self.height)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        if parts:  # only the first part carries the bookmark
            for part in parts[1:]:
                part.outline = None
        return parts


class Outline:
    """Bookmarks from headings, kept at levels a PDF outline accepts (no skipped level)."""

    def __init__(self) -> None:
        self.count = 0
        self.depth = -1

    def add(self, canv: Any, title: str, level: int, height: float) -> None:
        self.count += 1
        key = f"heading-{self.count}"
        canv.bookmarkHorizontal(key, 0, height)
        depth = min(level - 1, self.depth + 1)
        canv.addOutlineEntry(title, key, level=depth, closed=False)
        self.depth = depth


class Cycle_(Flowable):  # type: ignore[misc]
    """The virtuous circle, as large as asked for but never wider than its frame."""

    def __init__(self, cycle: Cycle, width: float | None, paint: CyclePaint) -> None:
        super().__init__()
        self.cycle = cycle
        self.requested = width
        self.paint = paint
        self.hAlign = "CENTER"
        self.size = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = min(self.requested or availWidth * 0.62, availWidth)
        # Grow (never past the frame) until every label fits its node legibly.
        while size < availWidth:
            try:
                geometry(self.cycle, size, self.paint)
                break
            except LayoutError:
                size = min(availWidth, size * 1.08)
        self.size = self.width = self.height = size
        return size, size

    def draw(self) -> None:
        renderPDF.draw(cycle_drawing(self.cycle, self.size, self.paint), self.canv, 0, 0)


class AccentRule(Flowable):  # type: ignore[misc]
    """A short, thick rule (or a full-width hairline)."""

    def __init__(
        self,
        width: float | None,
        thickness: float,
        colour: Any,
        *,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ) -> None:
        super().__init__()
        self.rule_width = width
        self.thickness = thickness
        self.colour = colour
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.keepWithNext = 1  # a rule introduces what follows it

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.rule_width or availWidth
        return self.width, self.thickness

    def draw(self) -> None:
        self.canv.setFillColor(self.colour)
        self.canv.rect(0, 0, self.width, self.thickness, stroke=0, fill=1)


class Panel(Flowable):  # type: ignore[misc]
    """Flowables on a coloured panel, or behind a bar at the left (a pull quote)."""

    def __init__(
        self, content: list[Any], colour: Any, padding: float, *, bar: float = 0.0
    ) -> None:
        super().__init__()
        self.content = content
        self.colour = colour
        self.padding = padding
        self.bar = bar
        self.sizes: list[tuple[float, float]] = []

    def _inset(self) -> tuple[float, float]:
        if self.bar:
            return self.bar + self.padding, 0.0
        return self.padding, self.padding

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        left, vertical = self._inset()
        inner = availWidth - left - (0 if self.bar else self.padding)
        self.sizes = [f.wrap(inner, availHeight) for f in self.content]
        gaps = sum(f.getSpaceAfter() for f in self.content[:-1])
        self.width = availWidth
        self.height = sum(h for _, h in self.sizes) + gaps + 2 * vertical
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setFillColor(self.colour)
        if self.bar:
            canv.rect(0, 0, self.bar, self.height, stroke=0, fill=1)
        else:
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        left, vertical = self._inset()
        y = self.height - vertical
        for f, (_, h) in zip(self.content, self.sizes, strict=True):
            y -= h
            f.drawOn(canv, left, y)
            y -= f.getSpaceAfter()


def inline_xml(inline: m.Inline, *, links: bool) -> str:
    """ReportLab paragraph XML for ``inline``; every character of text escaped."""
    out = []
    for run in inline:
        if run is m.LINE_BREAK:
            out.append("<br/>")
            continue
        text = escape(run.text)
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        if run.href and links:
            text = f"<a href={quoteattr(run.href)}>{text}</a>"
        out.append(text)
    return "".join(out)


class FlowBuilder:
    """Turns markup blocks into flowables for one edition."""

    def __init__(
        self, styles: Styles, fonts: FontSet, *, links: bool, outline: Outline | None
    ) -> None:
        self.styles = styles
        self.fonts = fonts
        self.links = links
        self.outline = outline
        theme = styles.theme
        self.cycle_paint = CyclePaint(
            node=styles.colour(theme.figure.node),
            label=styles.colour(theme.figure.label),
            arrow=styles.colour(theme.figure.arrow),
            disc=styles.colour(theme.figure.disc),
            centre=styles.colour(theme.figure.centre),
            font=fonts.face(theme.figure.font, bold=True),
            label_font=fonts.face(theme.figure.font),
        )

    def flow(self, blocks: tuple[m.Block, ...]) -> list[Any]:
        out: list[Any] = []
        for block in blocks:
            out.extend(self.block(block))
        return out

    def block(self, b: m.Block) -> list[Any]:
        handler = getattr(self, "_" + type(b).__name__.lower())
        result: list[Any] = handler(b)
        return result

    def _check(self, inline: m.Inline, b: m.Block) -> None:
        missing = self.fonts.missing(m.plain(inline))
        if missing:
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in dict.fromkeys(missing))
            raise LayoutError(Problem(f"the fonts cannot draw {chars}", b.source))

    def paragraph(self, inline: m.Inline, style: str, b: m.Block, **kw: Any) -> Paragraph:
        self._check(inline, b)
        return Paragraph(inline_xml(inline, links=self.links), self.styles.paragraph(style, **kw))

    def _para(self, b: m.Para) -> list[Any]:
        return [self.paragraph(b.content, b.style, b)]

    def _heading(self, b: m.Heading) -> list[Any]:
        self._check(b.content, b)
        return [
            HeadingParagraph(
                inline_xml(b.content, links=self.links),
                self.styles.paragraph(b.style),
                level=b.level,
                title=m.plain(b.content),
                outline=self.outline,
            )
        ]

    def _listblock(self, b: m.ListBlock) -> list[Any]:
        base = self.styles.paragraph(b.style)
        labelled = any(item.label for item in b.items) or b.ordered
        style = base
        if labelled:
            marker = self.styles.text(b.marker_style)
            font = self.styles.font(b.marker_style)
            labels = [item.label or f"{i}." for i, item in enumerate(b.items, 1)]
            widest = max(stringWidth(label, font, marker.size) for label in labels)
            style = ParagraphStyle(
                f"{base.name}-{b.marker_style}",
                parent=base,
                leftIndent=max(base.leftIndent, widest + marker.size * 0.6),
                bulletFontName=font,
                bulletFontSize=marker.size,
                bulletColor=self.styles.colour(marker.colour),
            )
        out = []
        for i, item in enumerate(b.items, 1):
            self._check(item.content, b)
            bullet = item.label or (f"{i}." if b.ordered else "\u2022")
            out.append(
                Paragraph(inline_xml(item.content, links=self.links), style, bulletText=bullet)
            )
        return out

    def _figureel(self, b: m.FigureEl) -> list[Any]:
        drawing = Cycle_(b.cycle, b.width, self.cycle_paint)
        parts: list[Any] = [drawing]
        if b.caption:
            parts.append(self.paragraph(b.caption, b.caption_style, b))
        return [KeepTogether(parts)]

    def _quoteel(self, b: m.QuoteEl) -> list[Any]:
        parts = [self.paragraph(b.content, b.style, b, last_in_group=b.source_text is None)]
        if b.source_text:
            source = (m.Run("\u2014 " + b.source_text),)
            parts.append(self.paragraph(source, b.source_style, b, last_in_group=True))
        accent = self.styles.colour(self.styles.text("bullet").colour)
        after = self.styles.text(b.source_style if b.source_text else b.style).space_after
        return [Panel(parts, accent, 4 * 72 / 25.4, bar=1.5), Spacer(0, after)]

    def _columns(self, b: m.Columns) -> list[Any]:
        return [BalancedColumns(self.flow(b.blocks), nCols=b.count, spaceBetween=b.gap)]

    def _keep(self, b: m.Keep) -> list[Any]:
        inner = self.flow(b.blocks)
        after = 0.0
        if (
            inner
            and isinstance(inner[-1], Paragraph)
            and not isinstance(inner[-1], HeadingParagraph)
        ):
            # KeepTogether counts the last paragraph's space after; move it outside.
            last = inner[-1]
            after = last.style.spaceAfter
            inner[-1] = Paragraph(
                last.text,
                ParagraphStyle(last.style.name + "-kept", parent=last.style, spaceAfter=0),
            )
        return [KeepTogether(inner), Spacer(0, after)]

    def _box(self, b: m.Box) -> list[Any]:
        return [
            Panel(self.flow(b.blocks), self.styles.colour(b.colour), b.padding),
            Spacer(0, self.styles.text("body").space_after),
        ]

    def _rule(self, b: m.Rule) -> list[Any]:
        return [
            AccentRule(
                b.width,
                b.thickness,
                self.styles.colour(b.colour),
                space_before=b.space_before,
                space_after=b.space_after,
            )
        ]

    def _spacer(self, b: m.Spacer) -> list[Any]:
        return [Spacer(0, b.height)]

    def _pagebreak(self, b: m.PageBreak) -> list[Any]:
        return [PageBreak()]
