"""Markup blocks -> ReportLab flowables, each with its place in the structure tree.

Every block type of :mod:`brochure.markup` maps to flowables in one method of
:class:`FlowBuilder`, which is also where the block gets its structure role
(P, H1, L/LI/Lbl/LBody, Figure, Caption, BlockQuote, Link). Inline runs become
ReportLab paragraph XML with every character escaped, so text is only ever text,
or, where that parses to the same fragments, the same paragraph as a tuple tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Spacer
from reportlab.platypus.flowables import BalancedColumns

from .. import images
from .. import markup as m
from ..errors import LayoutError, Problem
from ..figures import CyclePaint
from ..fonts import FontSet
from ..units import MM
from .flowables import AccentRule, CycleFigure, ListItem, Outline, Panel, Para, Picture
from .styles import Styles
from .tagging import StructNode, Tagger

__all__ = ["FlowBuilder", "inline_tree", "inline_xml"]

_ESCAPED = re.compile("[&<>]")
_PLAIN: tuple[bool, bool, str | None] = (False, False, None)


def inline_xml(inline: m.Inline, *, links: bool) -> str:
    """ReportLab paragraph XML for ``inline``; every character of text escaped."""
    out = []
    for run in inline:
        if run is m.LINE_BREAK:
            out.append("<br/>")
            continue
        text = escape(run.text, quote=False)
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        if run.href and links:
            text = f'<a href="{escape(run.href)}">{text}</a>'
        out.append(text)
    return "".join(out)


def inline_tree(inline: m.Inline, *, links: bool) -> tuple[Any, ...] | None:
    """The same paragraph as :func:`inline_xml`, as the tuple tree that ReportLab's
    paragraph parser also reads: (tag, attributes, children, None), text unescaped.

    None where the text has a character :func:`inline_xml` escapes (ReportLab gives
    each entity a fragment of its own, which a tree could not say), or a run is empty
    (markup makes none).
    """
    # Plain runs side by side are one stretch of text in the XML; formatted ones are
    # each in their own tags.
    spans: list[tuple[tuple[bool, bool, str | None], str | None]] = []  # None: a <br/>
    for run in inline:
        if run is m.LINE_BREAK:
            spans.append((_PLAIN, None))
            continue
        if not run.text or _ESCAPED.search(run.text):
            return None
        key = (run.bold, run.italic, run.href if links else None)
        last = spans[-1] if spans else None
        if key == _PLAIN and last is not None and last[0] == _PLAIN and last[1] is not None:
            spans[-1] = (_PLAIN, last[1] + run.text)
        else:
            spans.append((key, run.text))
    children: list[Any] = []
    for (bold, italic, href), text in spans:
        if text is None:
            children.append(("br", None, None, None))
            continue
        node: Any = text
        if italic:
            node = ("i", None, [node], None)
        if bold:
            node = ("b", None, [node], None)
        if href:
            node = ("a", {"href": href}, [node], None)
        children.append(node)
    return ("para", None, children, None)


class FlowBuilder:
    """Turns markup blocks into flowables for one edition, building the structure tree."""

    def __init__(
        self,
        styles: Styles,
        fonts: FontSet,
        *,
        links: bool,
        outline: Outline | None,
        tagger: Tagger | None,
        profile: bytes,
        pictures: dict[tuple[Path, tuple[int, int]], float],
    ) -> None:
        self.profile = profile
        """The print output profile: pictures become CMYK through it."""
        self.pictures = pictures
        """Every picture drawn, and the widest it is drawn (filled in while drawing)."""
        self.warnings: list[str] = []
        self.styles = styles
        self.fonts = fonts
        self.links = links
        self.outline = outline
        self.tagger = tagger
        self.parent = tagger.root if tagger else StructNode("Document")
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

    @contextmanager
    def within(self, role: str) -> Iterator[StructNode]:
        """Blocks built inside the block go under a new element ``role``."""
        node, outer = self.parent.add(role), self.parent
        self.parent = node
        try:
            yield node
        finally:
            self.parent = outer

    def flow(self, blocks: tuple[m.Block, ...]) -> list[Any]:
        out: list[Any] = []
        for block in blocks:
            out.extend(self.block(block))
        return out

    def block(self, b: m.Block) -> list[Any]:
        handler = getattr(self, "_" + type(b).__name__.lower())
        result: list[Any] = handler(b)
        return result

    # ------------------------------------------------------------ text
    def _check(self, inline: m.Inline, b: m.Block) -> None:
        missing = self.fonts.missing(m.plain(inline))
        if missing:
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in dict.fromkeys(missing))
            raise LayoutError(Problem(f"the fonts cannot draw {chars}", b.source))

    def paragraph(
        self,
        inline: m.Inline,
        style: str | ParagraphStyle,
        b: m.Block,
        *,
        role: str = "P",
        node: StructNode | None = None,
    ) -> Para:
        """A paragraph of ``inline``, its text marked under a new ``role`` element."""
        self._check(inline, b)
        para = Para.of(
            inline_xml(inline, links=self.links),
            style if isinstance(style, ParagraphStyle) else self.styles.paragraph(style),
            inline_tree(inline, links=self.links),
        )
        para.node = node or self.parent.add(role)
        para.tagger = self.tagger
        para.overprint = self.styles.overprints(para.style.textColor)
        if self.links:
            uris = dict.fromkeys(run.href for run in inline if run.href)
            para.links = tuple((uri, para.node.add("Link", alt=_describe(uri))) for uri in uris)
        return para

    def _para(self, b: m.Para) -> list[Any]:
        return [self.paragraph(b.content, b.style, b)]

    def _heading(self, b: m.Heading) -> list[Any]:
        para = self.paragraph(b.content, b.style, b, role=f"H{b.level}")
        para.keepWithNext = 1
        para.outline, para.level, para.title = self.outline, b.level, m.plain(b.content)
        return [para]

    # ------------------------------------------------------------ lists
    def _listblock(self, b: m.ListBlock) -> list[Any]:
        base = self.styles.paragraph(b.style)
        marker_name = b.marker_style if any(i.label for i in b.items) or b.ordered else "bullet"
        marker = self.styles.text(marker_name)
        font = self.styles.font(marker_name)
        labels = [
            item.label or (f"{i}." if b.ordered else "\u2022") for i, item in enumerate(b.items, 1)
        ]
        widest = max(stringWidth(label, font, marker.size) for label in labels)
        indent = max(base.leftIndent, widest + marker.size * 0.6)
        body_style = ParagraphStyle(f"{base.name}-body", parent=base, leftIndent=0)
        out: list[Any] = []
        with self.within("L"):
            for label, item in zip(labels, b.items, strict=True):
                with self.within("LI"):
                    lbl = self.parent.add("Lbl")
                    body = self.paragraph(item.content, body_style, b, role="LBody")
                    out.append(
                        ListItem(
                            label,
                            font,
                            marker.size,
                            self.styles.colour(marker.colour),
                            indent,
                            body,
                            tagger=self.tagger,
                            node=lbl,
                        )
                    )
        return out

    # ------------------------------------------------------------ figures and quotes
    def _figureel(self, b: m.FigureEl) -> list[Any]:
        node = self.parent.add("Figure", alt=b.alt or None)
        parts: list[Any] = [
            CycleFigure(b.cycle, b.width, self.cycle_paint, tagger=self.tagger, node=node)
        ]
        if b.caption:
            parts.append(self.paragraph(b.caption, b.caption_style, b, role="Caption"))
        return [KeepTogether(parts)]

    def _imageel(self, b: m.ImageEl) -> list[Any]:
        node = self.parent.add("Figure", alt=b.alt)
        page = self.styles.theme.page
        area = page.height - page.margins.top - page.margins.bottom
        picture = Picture(
            b.path,
            b.width,
            area * 0.85,
            profile=self.profile,
            placed=lambda picture, width: self._placed(b, picture, width),
            tagger=self.tagger,
            node=node,
        )
        parts: list[Any] = [picture]
        if b.caption:
            parts.append(self.paragraph(b.caption, b.caption_style, b, role="Caption"))
        return [KeepTogether(parts)]

    def _placed(self, b: m.ImageEl, picture: images.Picture, width: float) -> None:
        key = (b.path, (picture.width, picture.height))
        self.pictures[key] = max(width, self.pictures.get(key, 0.0))
        ppi = picture.width / (width / 72)
        if ppi < images.PRINT_PPI:
            self.warnings.append(
                f"{b.source}: {b.path.name} prints at {ppi:.0f} pixels per inch; a print "
                f"shop asks for {images.PRINT_PPI} (use a larger image or draw it smaller)"
            )

    def _quoteel(self, b: m.QuoteEl) -> list[Any]:
        with self.within("BlockQuote"):
            parts: list[Any] = [self.paragraph(b.content, b.style, b)]
            if b.source_text:
                source = (m.Run("\u2014 " + b.source_text),)
                parts.append(self.paragraph(source, b.source_style, b))
        _no_space_after(parts[-1])
        accent = self.styles.colour(self.styles.text("bullet").colour)
        after = self.styles.text(b.source_style if b.source_text else b.style).space_after
        return [Panel(parts, accent, 4 * MM, bar=1.5, tagger=self.tagger), Spacer(0, after)]

    # ------------------------------------------------------------ grouping
    def _columns(self, b: m.Columns) -> list[Any]:
        return [
            BalancedColumns(
                self.flow(b.blocks),
                nCols=b.count,
                innerPadding=b.gap,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
        ]

    def _keep(self, b: m.Keep) -> list[Any]:
        inner = self.flow(b.blocks)
        # KeepTogether counts the last paragraph's space after; move it outside.
        after = _no_space_after(inner[-1]) if inner else 0.0
        return [KeepTogether(inner), Spacer(0, after)]

    def _box(self, b: m.Box) -> list[Any]:
        with self.within("Div"):
            inner = self.flow(b.blocks)
        if inner:
            _no_space_after(inner[-1])
        return [
            Panel(inner, self.styles.colour(b.colour), b.padding, tagger=self.tagger),
            Spacer(0, self.styles.text("body").space_after),
        ]

    # ------------------------------------------------------------ decoration and space
    def _rule(self, b: m.Rule) -> list[Any]:
        return [
            AccentRule(
                b.width,
                b.thickness,
                self.styles.colour(b.colour),
                space_before=b.space_before,
                space_after=b.space_after,
                keep_with_next=b.keep_with_next,
                tagger=self.tagger,
            )
        ]

    def _spacer(self, b: m.Spacer) -> list[Any]:
        return [Spacer(0, b.height)]

    def _pagebreak(self, b: m.PageBreak) -> list[Any]:
        return [PageBreak()]


def _no_space_after(flowable: Any) -> float:
    """Give a trailing paragraph no space after; return the space it had."""
    if not isinstance(flowable, Para):
        return 0.0
    after: float = flowable.style.spaceAfter
    flowable.style = ParagraphStyle(
        flowable.style.name + "-last", parent=flowable.style, spaceAfter=0
    )
    return after


def _describe(uri: str) -> str:
    """Words for a link's /Contents: where it goes."""
    if uri.startswith("mailto:"):
        return f"Email {uri[len('mailto:') :]}"
    if uri.startswith("tel:"):
        return f"Telephone {uri[len('tel:') :]}"
    return f"Link to {uri}"
