"""Preflight: any PDF -> a print buyer's report of what would go wrong on press.

Input: the path of a PDF, made by brochure or by anything else. Output: a
:class:`Report` of named checks, each ``pass``, ``warn`` or ``fail`` (or
``skip`` when a tool it needs is missing), always in this order:

1. ``fonts``          every font embedded, and as a subset            (:mod:`.fonts`)
2. ``colour``         no RGB; spot colours and Lab flagged            (:mod:`.colour`)
3. ``output-intent``  PDF/X-4 output intent and keys                  (:mod:`.pdfx`)
4. ``boxes``          TrimBox, BleedBox, 3 mm bleed on every side     (:mod:`.boxes`)
5. ``artwork-bleed``  artwork at the trim continues into the bleed    (:mod:`.artwork`)
6. ``safe-zone``      text at least 5 mm inside the trim              (:mod:`.safezone`)
7. ``ink-coverage``   rendered C+M+Y+K at most 300 %                  (:mod:`.coverage`)
8. ``ink-values``     CMYK colours in the content at most 300 %       (:mod:`.coverage`)
9. ``images``         effective resolution of every placement         (:mod:`.images`)
10. ``page-count``    a multiple of 4 for a booklet                   (:mod:`.pages`)
11. ``annotations``   no links or comments on the artwork             (:mod:`.pages`)

The file is read with pypdf (structure, content streams) and pypdfium2
(rendering, text positions), and rendered to CMYK by Ghostscript when it is
on PATH. The file is never changed. A file that cannot be opened raises
:class:`PreflightError`; a check that cannot read part of an opened file
fails with the reason, and the other checks still run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from .artwork import check_artwork_bleed
from .boxes import check_boxes
from .colour import check_colour
from .content import PageScan, scan_document
from .coverage import check_ink_coverage, check_ink_values
from .document import Document, PreflightError, open_document
from .fonts import check_fonts
from .images import check_images
from .model import Check, Finding, Report, Status
from .pages import check_annotations, check_page_count
from .pdfx import check_output_intent
from .raster import PageRaster, rasterise
from .report import format_table, report_json
from .safezone import SAFE_DISTANCE, check_safe_zone

__all__ = [
    "Check",
    "Finding",
    "PreflightError",
    "Report",
    "Status",
    "format_table",
    "preflight",
    "report_json",
]

Step = Callable[["_Context"], Check]


def preflight(path: Path, *, booklet: bool = False) -> Report:
    """Check ``path`` for print; ``booklet`` also asks for a page count divisible by four."""
    context = _Context(open_document(path))
    checks = tuple(_guarded(name, step, context) for name, step in _steps(booklet))
    return Report(str(path), context.doc.page_count, checks)


class _Context:
    """The opened document and what several checks share, each worked out once when asked."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    @cached_property
    def scans(self) -> tuple[PageScan, ...]:
        return scan_document(self.doc)

    @cached_property
    def rasters(self) -> tuple[PageRaster, ...] | None:
        trims = [box.trim for box in self.doc.boxes]
        return rasterise(self.doc.path, trims, near=SAFE_DISTANCE)


def _steps(booklet: bool) -> tuple[tuple[str, Step], ...]:
    return (
        ("fonts", lambda c: check_fonts(c.doc, c.scans)),
        ("colour", lambda c: check_colour(c.doc, c.scans)),
        ("output-intent", lambda c: check_output_intent(c.doc)),
        ("boxes", lambda c: check_boxes(c.doc)),
        ("artwork-bleed", lambda c: check_artwork_bleed(c.doc.boxes, c.rasters)),
        ("safe-zone", lambda c: check_safe_zone(c.doc.boxes, c.rasters)),
        ("ink-coverage", lambda c: check_ink_coverage(c.doc.path)),
        ("ink-values", lambda c: check_ink_values(c.scans)),
        ("images", lambda c: check_images(c.scans)),
        ("page-count", lambda c: check_page_count(c.doc, booklet=booklet)),
        ("annotations", lambda c: check_annotations(c.doc)),
    )


def _guarded(name: str, step: Step, context: _Context) -> Check:
    # Files from elsewhere break the PDF rules in endless ways; one unreadable
    # form or font must not hide what the other checks can say. A check we
    # could not finish fails: a file nobody could check is not ready for press.
    try:
        return step(context)
    except Exception as exc:
        return Check(
            name, (Finding(Status.FAIL, f"could not be checked ({type(exc).__name__}: {exc})"),)
        )
