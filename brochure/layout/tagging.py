"""Tagging, the layout half: record the logical structure while drawing.

The layout stage builds a tree of :class:`StructNode` in *content order* (the
order blocks appear in the markup), and, while drawing, wraps everything it
draws in marked content: real content as ``/Role <</MCID n>> BDC ... EMC``
(recorded on its node as a :class:`MarkedRef`), page furniture and decoration
as ``/Artifact BMC ... EMC``. The finish stage turns the tree into the PDF's
structure tree (:mod:`brochure.finish.structure`). A flowable that is split
across pages draws once per page, each part with its own MCID on its own page,
all under the same node.

A new kind of block gets its role in one place: where
:class:`~brochure.layout.flowables.FlowBuilder` creates its node.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LinkRef", "MarkedRef", "StructNode", "Tagger"]


@dataclass(frozen=True, slots=True)
class MarkedRef:
    """A marked-content sequence: MCID ``mcid`` on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link annotation to ``uri`` made on page ``page`` (0-based) while drawing this node."""

    page: int
    uri: str


@dataclass
class StructNode:
    """One structure element: a standard role (P, H1, L, LI, Figure, Link, ...) and its kids."""

    role: str
    alt: str | None = None
    """Alternate text (figures) or the expansion of a link."""
    kids: list[StructNode | MarkedRef | LinkRef] = field(default_factory=list)

    def add(self, role: str, *, alt: str | None = None) -> StructNode:
        """A new child element, after the existing ones."""
        node = StructNode(role, alt)
        self.kids.append(node)
        return node

    def walk(self) -> Iterator[StructNode]:
        """This node and every element below it, depth first."""
        yield self
        for kid in self.kids:
            if isinstance(kid, StructNode):
                yield from kid.walk()


class Tagger:
    """Numbers marked content per page and keeps the structure tree of one document."""

    def __init__(self) -> None:
        self.root = StructNode("Document")
        self._next: dict[int, int] = {}

    def _page(self, canv: Any) -> int:
        page: int = canv.getPageNumber() - 1
        return page

    @contextmanager
    def content(self, canv: Any, node: StructNode) -> Iterator[None]:
        """Mark what is drawn inside the block as content of ``node``."""
        page = self._page(canv)
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        node.kids.append(MarkedRef(page, mcid))
        canv.addLiteral(f"/{_tag(node.role)} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            canv.addLiteral("EMC")

    def link(self, canv: Any, node: StructNode, uri: str) -> None:
        """Record that drawing ``node`` made a link annotation to ``uri`` on this page."""
        node.kids.append(LinkRef(self._page(canv), uri))

    def marked_pages(self) -> int:
        """How many pages hold marked content."""
        return len(self._next)


def _tag(role: str) -> str:
    return role if role.isalnum() else "Span"


@contextmanager
def artifact(canv: Any, tagger: Tagger | None) -> Iterator[None]:
    """Mark what is drawn inside the block as an artifact (decoration, page furniture)."""
    if tagger is None:
        yield
        return
    canv.addLiteral("/Artifact BMC")
    try:
        yield
    finally:
        canv.addLiteral("EMC")
