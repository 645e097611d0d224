"""Every resource dictionary a page can draw from.

Input: a pypdf page. Output: the page's /Resources and, recursively, those of
the Form XObjects, tiling patterns and Type3 fonts it uses and of its
annotations' appearance streams, each with a note of whether it was reached
through a Type3 font (whose glyph procedures :mod:`.content` does not run).
Each dictionary is yielded once, so a form used on every page, or a form
that includes itself, is visited once per page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pypdf import PageObject
from pypdf.generic import DictionaryObject

__all__ = ["page_resources"]


def page_resources(page: PageObject) -> Iterator[tuple[DictionaryObject, bool]]:
    """The resource dictionaries reachable from ``page``, the page's own first.

    Each comes with True when it belongs to a Type3 font's glyphs (or to
    something those glyphs draw).
    """
    seen: set[object] = set()
    pending: list[tuple[Any, bool]] = [
        (page.get("/Resources"), False),
        *((r, False) for r in _appearance_resources(page)),
    ]
    while pending:
        item, in_type3 = pending.pop(0)
        resources = item.get_object() if item is not None else None
        if not isinstance(resources, DictionaryObject) or _key(item, resources) in seen:
            continue
        seen.add(_key(item, resources))
        yield resources, in_type3
        pending.extend((child, in_type3 or glyphs) for child, glyphs in _children(resources))


def _children(resources: DictionaryObject) -> Iterator[tuple[Any, bool]]:
    """The resources of the forms, patterns and Type3 fonts named in ``resources``."""
    for category, wanted in (("/XObject", "/Form"), ("/Pattern", None), ("/Font", "/Type3")):
        entries = resources.get(category)
        if entries is None:
            continue
        for value in entries.get_object().values():
            item = value.get_object()
            if not isinstance(item, DictionaryObject):
                continue
            if wanted is None or item.get("/Subtype") == wanted:
                yield item.get("/Resources"), category == "/Font"


def _appearance_resources(page: PageObject) -> Iterator[Any]:
    for annot in page.get("/Annots") or []:
        appearance = annot.get_object().get("/AP")
        normal = appearance.get_object().get("/N") if appearance is not None else None
        if normal is None:
            continue
        normal = normal.get_object()
        streams = (
            [normal]
            if "/Resources" in normal or hasattr(normal, "get_data")
            else [s.get_object() for s in normal.values()]
        )  # one appearance per state (/On, /Off)
        for stream in streams:
            yield stream.get("/Resources")


def _key(item: Any, resources: DictionaryObject) -> object:
    if getattr(item, "idnum", None) is not None:
        return (item.idnum, item.generation)
    own = getattr(resources, "indirect_reference", None)
    return (own.idnum, own.generation) if own is not None else id(resources)
