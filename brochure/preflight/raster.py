"""Pages rendered, and their characters located, with PDFium.

Input: the path of a PDF and its pages' trim boxes. Output: one
:class:`PageRaster` per page: where the page carries ink, over its whole
MediaBox at 72 dpi, and boxes around its text; or ``None`` when pypdfium2 is
not installed.

Why PDFium (pypdfium2) and not Ghostscript here: it renders in-process from a
wheel, with no system package to install, in a few milliseconds a page; and
its text page gives each character's box after font size, text matrix, rise
and CTM are applied, which pypdf's text visitor does not reliably do.
Ghostscript is used only for ink coverage (:mod:`.coverage`), because only it
renders CMYK separations; PDFium renders RGB.

Each page is rendered without anti-aliasing (so that an edge falls on one
pixel), with any /Rotate undone and the crop box widened to the MediaBox, so
pixel (0, 0) is the top-left corner of the MediaBox and one pixel is one point.
The document is opened read-only in memory; the file is never changed.

Text is boxed a run at a time (PDFium's text rectangles), which is fast; only
on a page where a run comes near the trim is each visible character boxed,
because a run's box also covers its spaces, which may stick out past the
text. Boxing every character of a dense 250-page file one at a time takes
seconds; boxing runs takes a tenth of that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops

from .geometry import Rect

__all__ = ["DPI", "PageRaster", "rasterise"]

DPI = 72
"""Rendering resolution: one pixel per point, fine enough to see a 3 mm bleed (8.5 px)."""
INK_LEVEL = 250
"""A pixel whose darkest RGB channel is at or below this carries ink (about a 2 % tint)."""
_INK_TABLE = [255 if v <= INK_LEVEL else 0 for v in range(256)]


@dataclass(frozen=True, eq=False)
class PageRaster:
    """One page as rendered."""

    number: int
    """1-based page number."""
    media: Rect
    """The MediaBox the image covers."""
    ink: Image.Image
    """Mode ``L``: 255 where the page carries ink, 0 where it is bare paper."""
    text: tuple[Rect, ...]
    """Boxes around the page's text in user space: one per visible character on pages
    where text comes near the trim, one per run of text elsewhere."""

    def has_ink(self, x: float, y: float) -> bool:
        """Whether the point ``(x, y)`` in user space is inked; False off the media."""
        scale = DPI / 72
        px, py = int((x - self.media.x0) * scale), int((self.media.y1 - y) * scale)
        if not (0 <= px < self.ink.width and 0 <= py < self.ink.height):
            return False
        return bool(self.ink.getpixel((px, py)))


def rasterise(path: Path, trims: Sequence[Rect], *, near: float) -> tuple[PageRaster, ...] | None:
    """Render every page of ``path``; ``None`` when pypdfium2 is not installed.

    ``trims`` are the pages' trim boxes: on a page with text closer than ``near``
    points to its trim, each character is boxed on its own.
    """
    try:
        import pypdfium2
        import pypdfium2.raw
    except ImportError:
        return None
    document = pypdfium2.PdfDocument(str(path))
    try:
        return tuple(
            _page(number, document[number - 1], trim, near, pypdfium2.raw)
            for number, trim in zip(range(1, len(document) + 1), trims, strict=False)
        )
    finally:
        document.close()


def _page(number: int, page: Any, trim: Rect, near: float, raw: Any) -> PageRaster:
    try:
        page.set_rotation(0)
        media = Rect.of(page.get_mediabox())
        page.set_cropbox(media.x0, media.y0, media.x1, media.y1)
        bitmap = page.render(
            scale=DPI / 72, no_smoothpath=True, no_smoothtext=True, no_smoothimage=True
        )
        image = bitmap.to_pil().convert("RGB")
        bitmap.close()
        return PageRaster(number, media, _ink(image), _text(page, trim, near, raw))
    finally:
        page.close()


def _ink(image: Image.Image) -> Image.Image:
    red, green, blue = image.split()
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    return darkest.point(_INK_TABLE)


def _text(page: Any, trim: Rect, near: float, raw: Any) -> tuple[Rect, ...]:
    text = page.get_textpage()
    try:
        runs = tuple(Rect.of(text.get_rect(i)) for i in range(text.count_rects()))
        if all(min(trim.margins(run).values()) >= near for run in runs if trim.intersects(run)):
            return runs
        return _chars(text, raw)
    finally:
        text.close()


def _chars(text: Any, raw: Any) -> tuple[Rect, ...]:
    boxes = []
    for index in range(text.count_chars()):
        code = raw.FPDFText_GetUnicode(text.raw, index)
        if code == 0 or chr(code).isspace():
            continue
        box = Rect.of(text.get_charbox(index))
        if box.width > 0 and box.height > 0:
            boxes.append(box)
    return tuple(boxes)
