"""Check: every font that shows text is embedded, and embedded as a subset.

Input: a :class:`~.document.Document` and its :class:`~.content.PageScan`
values. Output: the ``fonts`` :class:`~.model.Check`.

Fonts are found in every resource dictionary a page can draw from (see
:mod:`.resources`): the page, its Form XObjects, tiling patterns, Type3 fonts
and annotation appearances. A font counts as embedded when its descriptor
(the descendant font's, for a composite Type0 font) holds a font program;
Type3 fonts are defined in the file and always count as embedded. A subset
is recognised by its six-capital-letter tag (``ABCDEF+Name``).

A font counts as *used* when the content shows text with it (see
:mod:`.content`), or when a Type3 font's glyphs refer to it. Used and not
embedded fails; listed, not embedded and never used only warns (ReportLab,
for one, lists Helvetica on every page whether or not it draws text).
Embedded whole rather than as a subset warns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .content import PageScan, font_key
from .document import Document
from .model import Check, Finding, Status, Value, page_phrase
from .resources import page_resources

__all__ = ["check_fonts"]

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class _Font:
    name: str
    """The font's name without the subset tag, as a person would recognise it."""
    kind: str
    """The PDF font type: Type1, TrueType, Type0, Type3 …"""
    embedded: bool
    subset: bool
    used: bool
    """Whether it shows text."""


def check_fonts(doc: Document, scans: Iterable[PageScan]) -> Check:
    """Fail on used fonts that are not embedded; warn on fonts embedded whole or unused."""
    shown = {scan.number: scan.fonts for scan in scans}
    pages: dict[_Font, set[int]] = {}
    for number, page in enumerate(doc.reader.pages, start=1):
        for resources, in_type3 in page_resources(page):
            fonts = resources.get("/Font")
            for font in fonts.get_object().values() if fonts is not None else ():
                used = in_type3 or font_key(font) in shown.get(number, ())
                pages.setdefault(_describe(font.get_object(), used), set()).add(number)
    listed = sorted(pages.items(), key=lambda item: (item[0].name, item[0].kind, item[0].used))
    findings = tuple(f for font, used in listed if (f := _finding(font, used)) is not None)
    values: dict[str, Value] = {
        "fonts": [
            {
                "name": f.name,
                "type": f.kind,
                "embedded": f.embedded,
                "subset": f.subset,
                "used": f.used,
                "pages": sorted(on),
            }
            for f, on in listed
        ]
    }
    return Check("fonts", findings or (Finding(Status.PASS, _all_good(pages)),), values)


def _all_good(pages: dict[_Font, set[int]]) -> str:
    count = len({(f.name, f.kind) for f in pages})
    if not count:
        return "no fonts (no live text)"
    return f"{'the font is' if count == 1 else f'all {count} fonts are'} embedded as subsets"


def _finding(font: _Font, pages: set[int]) -> Finding | None:
    where, numbers = page_phrase(pages), tuple(sorted(pages))
    if not font.embedded and font.used:
        return Finding(
            Status.FAIL,
            f"font {font.name} is not embedded ({where}); the printer "
            "would substitute another font",
            numbers,
        )
    if not font.embedded:
        return Finding(
            Status.WARN,
            f"font {font.name} is not embedded but shows no text "
            f"({where}); harmless, though some printers' checks reject it",
            numbers,
        )
    if not font.subset and font.kind != "Type3":
        return Finding(
            Status.WARN, f"font {font.name} is embedded whole, not as a subset ({where})", numbers
        )
    return None


def _describe(font: Any, used: bool) -> _Font:
    kind = str(font.get("/Subtype", "/Unknown"))[1:]
    if kind == "Type3":
        name = str(font.get("/Name", "/Type3 font"))[1:] or "Type3 font"
        return _Font(name, kind, True, False, used)
    described = font
    if kind == "Type0" and font.get("/DescendantFonts"):
        described = font["/DescendantFonts"].get_object()[0].get_object()
    base = str(described.get("/BaseFont", font.get("/BaseFont", "/unnamed")))[1:]
    descriptor = described.get("/FontDescriptor")
    embedded = descriptor is not None and any(p in descriptor.get_object() for p in _PROGRAMS)
    return _Font(_SUBSET.sub("", base), kind, embedded, bool(_SUBSET.match(base)), used)
