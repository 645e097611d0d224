"""Opening the PDF under test, and each page's boxes.

Input: a path to any PDF. Output: a :class:`Document`: the pypdf reader and,
per page, the media, crop, bleed and trim boxes as the PDF specification
defines their defaults (crop defaults to media; bleed and trim to crop).
An unreadable or password-protected file raises :class:`PreflightError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError

from ..errors import BrochureError, Location, Problem
from .geometry import Rect, Side

__all__ = ["Document", "PageBoxes", "PreflightError", "open_document"]


class PreflightError(BrochureError):
    """The file to check cannot be opened as a PDF."""


@dataclass(frozen=True)
class PageBoxes:
    """The boxes of one page, in user space points, before any /Rotate is applied."""

    number: int
    """1-based page number."""
    media: Rect
    """The whole sheet the page is drawn on."""
    crop: Rect
    """What a viewer shows; the media box when absent."""
    trim: Rect
    """The finished page after cutting; the crop box when the file has no TrimBox."""
    bleed: Rect
    """Where artwork may run to beyond the trim; the crop box when the file has no BleedBox."""
    has_trim: bool
    """Whether the page sets a TrimBox of its own."""
    has_bleed: bool
    """Whether the page sets a BleedBox of its own."""
    rotate: int
    """The page's /Rotate in degrees; sides are named as the page is stored, not as shown."""

    def bleed_widths(self) -> dict[Side, float]:
        """Points of bleed on each side: the bleed box, cut to the media, beyond the trim."""
        return self.bleed.clip(self.media).margins(self.trim)


@dataclass(frozen=True, eq=False)
class Document:
    """A PDF opened for checking."""

    path: Path
    """Where the file is."""
    reader: PdfReader
    """The parsed file; checks read it but never change it."""
    boxes: tuple[PageBoxes, ...]
    """One per page, in page order."""

    @property
    def page_count(self) -> int:
        return len(self.boxes)


def open_document(path: Path) -> Document:
    """Open ``path`` for checking; raise :class:`PreflightError` when it is not a readable PDF."""
    where = Location(str(path))
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PreflightError(
                Problem(
                    "the file is password-protected; a print file must open without a password",
                    where,
                )
            )
        boxes = tuple(_boxes(i + 1, page) for i, page in enumerate(reader.pages))
    except FileNotFoundError:
        raise PreflightError(Problem("no such file", where)) from None
    except (PyPdfError, OSError, ValueError) as exc:
        raise PreflightError(Problem(f"not a PDF file that can be read ({exc})", where)) from exc
    if not boxes:
        raise PreflightError(Problem("the PDF has no pages", where))
    return Document(path, reader, boxes)


def _boxes(number: int, page: PageObject) -> PageBoxes:
    media = Rect.of(page.mediabox)  # pypdf resolves inherited MediaBox and CropBox
    crop = Rect.of(page.cropbox)
    trim = page.get("/TrimBox")
    bleed = page.get("/BleedBox")
    return PageBoxes(
        number=number,
        media=media,
        crop=crop,
        trim=Rect.of(trim) if trim is not None else crop,
        bleed=Rect.of(bleed) if bleed is not None else crop,
        has_trim=trim is not None,
        has_bleed=bleed is not None,
        rotate=int(page.get("/Rotate", 0) or 0) % 360,
    )
