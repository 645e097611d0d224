"""The flowables brochure draws with, beyond ReportLab's own.

Each one marks what it draws: real content under its structure node, and
decoration as an artifact (see :mod:`.tagging`). With no tagger (the print
edition) they draw exactly the same, untagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from .. import images
from ..errors import LayoutError
from ..figures import Cycle, CyclePaint, cycle_drawing, geometry
from .tagging import StructNode, Tagger, artifact

__all__ = ["AccentRule", "CycleFigure", "ListItem", "Outline", "Panel", "Para", "Picture"]


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


_OTHER_SPACE = re.compile("[^\\S ]|\u200b")
"""Whitespace other than a space (a zero-width space counts as one in ReportLab)."""


def _unclean(xml: str) -> bool:
    """Whether ReportLab's clean-up of paragraph XML may change ``xml``: a space at either
    end, two in a row, or other whitespace."""
    return xml[:1] == " " or xml[-1:] == " " or "  " in xml or bool(_OTHER_SPACE.search(xml))


class Para(Paragraph):  # type: ignore[misc]
    """A paragraph that marks its text under its structure node, and, for a heading,
    makes a bookmark. Parts split across pages keep the node; only the first part
    makes the bookmark."""

    node: StructNode | None = None
    tagger: Tagger | None = None
    links: tuple[tuple[str, StructNode], ...] = ()
    """(uri, Link node) for each link in the paragraph."""
    outline: Outline | None = None
    level: int = 0
    title: str = ""
    overprint: bool = False
    """Black text in print: overprint, so no white gap shows if the plates shift."""
    _wrapped: tuple[float, float, float] | None = None

    @classmethod
    def of(cls, xml: str, style: Any, tree: tuple[Any, ...] | None) -> Para:
        """``Para(xml, style)``, its fragments read from ``tree``, the same paragraph as a
        tuple tree, where that gives the same fragments: where there is a tree, and
        ReportLab's whitespace clean-up would leave ``xml`` as it is (as markup makes it).

        ReportLab reads paragraph XML with the standard library's HTML parser, a
        character at a time in Python. Its tuple-tree reader calls the same handlers.
        """
        if tree is None or _unclean(xml):
            return cls(xml, style)
        style, frags, _ = ParaParser().tt_parse(tree, style)
        textTransformFrags(frags, style)
        return cls(xml, style, frags=frags)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Lines depend on the width only. KeepTogether, and a frame trying a flowable
        # before moving it to the next page, wrap the same paragraph again at the same
        # width: break it into lines once.
        # (A split that gives up deletes the lines: then they are broken again.)
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == availWidth and "blPara" in self.__dict__:
            return wrapped[1], wrapped[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        if self.overprint:
            canv.saveState()
            canv.setFillOverprint(True)
            canv.setOverprintMask(1)  # OPM 1: zero components leave the other inks alone
        if self.tagger is None or self.node is None:
            super().drawOn(canv, x, y, _sW)
        else:
            with self.tagger.content(canv, self.node):
                super().drawOn(canv, x, y, _sW)
            for uri, node in self.links:
                self.tagger.link(canv, node, uri)
        if self.overprint:
            canv.restoreState()
        if self.outline is not None:
            canv.saveState()
            canv.translate(x, y)
            self.outline.add(canv, self.title, self.level, self.height)
            canv.restoreState()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for i, part in enumerate(parts):
            part.node, part.tagger, part.links = self.node, self.tagger, self.links
            part.overprint = self.overprint
            part.outline = self.outline if i == 0 else None
            part.level, part.title = self.level, self.title
            part.keepWithNext = getattr(self, "keepWithNext", 0)
        return parts


class ListItem(Flowable):  # type: ignore[misc]
    """A list item: its label (a bullet, number or code) in the margin, its body beside it.

    The body may split across pages; the label goes with the first part.
    """

    def __init__(
        self,
        label: str | None,
        font: str,
        size: float,
        colour: Any,
        indent: float,
        body: Para,
        *,
        tagger: Tagger | None,
        node: StructNode | None,
    ) -> None:
        super().__init__()
        self.label = label
        self.font, self.size, self.colour = font, size, colour
        self.indent = indent
        self.body = body
        self.tagger = tagger
        self.node = node

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, self.height = self.body.wrap(availWidth - self.indent, availHeight)
        self.width = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = self.body.split(availWidth - self.indent, availHeight)
        return [
            ListItem(
                self.label if i == 0 else None,
                self.font,
                self.size,
                self.colour,
                self.indent,
                part,
                tagger=self.tagger,
                node=self.node,
            )
            for i, part in enumerate(parts)
        ]

    def getSpaceBefore(self) -> float:
        space: float = self.body.getSpaceBefore()
        return space

    def getSpaceAfter(self) -> float:
        space: float = self.body.getSpaceAfter()
        return space

    def draw(self) -> None:
        if self.label:
            baseline = self.height - self.body.style.fontSize  # the body's first baseline
            if self.tagger is not None and self.node is not None:
                with self.tagger.content(self.canv, self.node):
                    self._label(baseline)
            else:
                self._label(baseline)
        self.body.drawOn(self.canv, self.indent, 0)

    def _label(self, baseline: float) -> None:
        self.canv.setFont(self.font, self.size)
        self.canv.setFillColor(self.colour)
        self.canv.drawString(0, baseline, self.label)


class CycleFigure(Flowable):  # type: ignore[misc]
    """The virtuous circle, as large as asked for but never wider than its frame."""

    def __init__(
        self,
        cycle: Cycle,
        width: float | None,
        paint: CyclePaint,
        *,
        tagger: Tagger | None,
        node: StructNode | None,
    ) -> None:
        super().__init__()
        self.cycle = cycle
        self.requested = width
        self.paint = paint
        self.hAlign = "CENTER"
        self.size = 0.0
        self.tagger = tagger
        self.node = node

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
        drawing = cycle_drawing(self.cycle, self.size, self.paint)
        if self.tagger is not None and self.node is not None:
            with self.tagger.content(self.canv, self.node):
                renderPDF.draw(drawing, self.canv, 0, 0)
        else:
            renderPDF.draw(drawing, self.canv, 0, 0)


class Picture(Flowable):  # type: ignore[misc]
    """A photograph: as wide as asked (never wider than the frame, never taller than the
    text area), in CMYK through the output profile, at full resolution. ``placed`` is told
    each time it is drawn, with its width in points."""

    def __init__(
        self,
        path: Path,
        width: float | None,
        max_height: float,
        *,
        profile: bytes,
        placed: Callable[[images.Picture, float], None],
        tagger: Tagger | None,
        node: StructNode | None,
    ) -> None:
        super().__init__()
        self.path = path
        self.requested = width
        self.max_height = max_height
        self.profile = profile
        self.placed = placed
        self.tagger = tagger
        self.node = node
        self.hAlign = "CENTER"
        self.picture = images.load(path, path.stat().st_mtime_ns)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width = min(self.requested or availWidth, availWidth, self.max_height / self.picture.aspect)
        self.width, self.height = width, width * self.picture.aspect
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.lib.utils import ImageReader

        self.placed(self.picture, self.width)
        prepared = images.prepare(
            self.path, self.path.stat().st_mtime_ns, profile=self.profile, max_pixels=None
        )
        if self.tagger is not None and self.node is not None:
            with self.tagger.content(self.canv, self.node):
                self.canv.drawImage(ImageReader(prepared), 0, 0, self.width, self.height)
        else:
            self.canv.drawImage(ImageReader(prepared), 0, 0, self.width, self.height)


class AccentRule(Flowable):  # type: ignore[misc]
    """A short, thick rule (or a full-width hairline): decoration, kept with what follows."""

    def __init__(
        self,
        width: float | None,
        thickness: float,
        colour: Any,
        *,
        space_before: float = 0.0,
        space_after: float = 0.0,
        keep_with_next: bool = True,
        tagger: Tagger | None = None,
    ) -> None:
        super().__init__()
        self.rule_width = width
        self.thickness = thickness
        self.colour = colour
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.keepWithNext = int(keep_with_next)  # a rule usually introduces what follows
        self.tagger = tagger

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.rule_width or availWidth
        return self.width, self.thickness

    def draw(self) -> None:
        with artifact(self.canv, self.tagger):
            self.canv.setFillColor(self.colour)
            self.canv.rect(0, 0, self.width, self.thickness, stroke=0, fill=1)


class Panel(Flowable):  # type: ignore[misc]
    """Flowables on a coloured panel, or beside a bar at the left (a pull quote)."""

    def __init__(
        self,
        content: list[Any],
        colour: Any,
        padding: float,
        *,
        bar: float = 0.0,
        tagger: Tagger | None = None,
    ) -> None:
        super().__init__()
        self.content = content
        self.colour = colour
        self.padding = padding
        self.bar = bar
        self.tagger = tagger
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
        with artifact(canv, self.tagger):
            canv.setFillColor(self.colour)
            canv.rect(0, 0, self.bar or self.width, self.height, stroke=0, fill=1)
        left, vertical = self._inset()
        y = self.height - vertical
        for f, (_, h) in zip(self.content, self.sizes, strict=True):
            y -= h
            f.drawOn(canv, left, y)
            y -= f.getSpaceAfter()
