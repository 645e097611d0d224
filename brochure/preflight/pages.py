"""Checks on the document as a whole: page count for a booklet, and annotations.

Input: a :class:`~.document.Document`. Output: the ``page-count`` and
``annotations`` :class:`~.model.Check` values.

A saddle-stitched booklet folds sheets of four pages, so its page count must
be a multiple of four. Annotations (links, comments, form fields) do not
print, and PDF/X allows none inside the bleed box except printer's marks and
trap networks; any such annotation warns.
"""

from __future__ import annotations

from collections import Counter

from .document import Document
from .geometry import Rect
from .model import Check, Finding, Status, Value, page_phrase

__all__ = ["check_annotations", "check_page_count"]

_ALLOWED = frozenset({"/PrinterMark", "/TrapNet"})


def check_page_count(doc: Document, *, booklet: bool) -> Check:
    """For a booklet, fail unless the page count is a multiple of four."""
    count = doc.page_count
    values: dict[str, Value] = {"pages": count, "booklet": booklet}
    plural = "s" if count != 1 else ""
    if not booklet:
        return Check(
            "page-count",
            (Finding(Status.PASS, f"{count} page{plural} (not checked as a booklet)"),),
            values,
        )
    if count % 4 == 0:
        return Check(
            "page-count",
            (
                Finding(
                    Status.PASS,
                    f"{count} pages: {count // 4} "
                    f"sheet{'s' if count > 4 else ''} folded into a "
                    "booklet",
                ),
            ),
            values,
        )
    short = 4 - count % 4
    return Check(
        "page-count",
        (
            Finding(
                Status.FAIL,
                f"{count} page{plural} do not make a booklet: "
                f"it needs a multiple of 4 (add {short} page"
                f"{'s' if short > 1 else ''} or remove {count % 4})",
            ),
        ),
        values,
    )


def check_annotations(doc: Document) -> Check:
    """Warn on annotations that lie inside a page's bleed box."""
    inside: dict[int, Counter[str]] = {}
    for box, page in zip(doc.boxes, doc.reader.pages, strict=True):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            kind = str(annot.get("/Subtype", "/Unknown"))
            rect = annot.get("/Rect")
            if kind in _ALLOWED or rect is None or not Rect.of(rect).intersects(box.bleed):
                continue
            inside.setdefault(box.number, Counter())[kind.lstrip("/")] += 1
    values: dict[str, Value] = {
        "pages": {str(n): dict(sorted(kinds.items())) for n, kinds in inside.items()}
    }
    if not inside:
        return Check(
            "annotations", (Finding(Status.PASS, "no annotations on the artwork"),), values
        )
    kinds = sum(inside.values(), Counter())
    listed = ", ".join(
        f"{n} {kind} annotation{'s' if n > 1 else ''}" for kind, n in sorted(kinds.items())
    )
    pages = tuple(sorted(inside))
    return Check(
        "annotations",
        (
            Finding(
                Status.WARN,
                f"{listed} on the artwork of "
                f"{page_phrase(pages)}: they do not print, and PDF/X "
                "allows none inside the bleed",
                pages,
            ),
        ),
        values,
    )
