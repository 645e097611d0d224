"""The layout markup: what layout templates write, parsed into typed blocks.

Input: the XML-like text a layout template renders for one page (see
``docs/markup.md``). Output: a :class:`Section` of typed blocks the layout
stage turns into ReportLab flowables. The markup is small on purpose; every
element and attribute is checked here, and a typo in a template is reported
with the template's name and the line of its output.

Content strings reach the markup escaped (Jinja2 autoescaping), so text such
as ``<b>`` or ``{{ x }}`` in content is text, never markup or template code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from .errors import Location, Problem, TemplateError
from .figures import Cycle
from .units import parse_length

__all__ = [
    "Band",
    "Block",
    "Box",
    "Columns",
    "FigureEl",
    "Heading",
    "ImageEl",
    "Inline",
    "Keep",
    "ListBlock",
    "ListItem",
    "PageBreak",
    "Para",
    "Place",
    "QuoteEl",
    "Ring",
    "Rule",
    "Run",
    "Section",
    "Spacer",
    "parse_section",
]


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one set of inline properties."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


class _LineBreak(Run):
    """The one forced line break: it stays the same object when pickled (the ``brochure
    build`` command's worker sends the sections to the process that lays them out)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "LINE_BREAK"


LINE_BREAK = _LineBreak("\n")
"""A forced line break inside a paragraph (compare with ``is``)."""

Inline = tuple[Run, ...]


def plain(inline: Inline) -> str:
    """The text of ``inline`` without formatting."""
    return "".join(run.text for run in inline)


@dataclass(frozen=True)
class Block:
    """Base of every flow element; ``source`` says where the markup came from."""

    source: Location = field(kw_only=True)


@dataclass(frozen=True)
class Para(Block):
    style: str
    content: Inline


@dataclass(frozen=True)
class Heading(Block):
    level: int
    style: str
    content: Inline


@dataclass(frozen=True)
class ListItem:
    content: Inline
    label: str | None = None


@dataclass(frozen=True)
class ListBlock(Block):
    ordered: bool
    style: str
    marker_style: str
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class FigureEl(Block):
    cycle: Cycle
    alt: str
    width: float | None
    caption: Inline | None
    caption_style: str


@dataclass(frozen=True)
class ImageEl(Block):
    path: Path
    """The image file, inside the brochure's folder."""
    alt: str
    width: float | None
    caption: Inline | None
    caption_style: str


@dataclass(frozen=True)
class QuoteEl(Block):
    style: str
    content: Inline
    source_text: str | None
    source_style: str


@dataclass(frozen=True)
class Columns(Block):
    count: int
    gap: float
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Keep(Block):
    """Blocks kept together on one page."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Box(Block):
    """Blocks on a tinted panel."""

    colour: str
    padding: float
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Rule(Block):
    width: float | None
    thickness: float
    colour: str
    space_before: float
    space_after: float
    keep_with_next: bool = True


@dataclass(frozen=True)
class Spacer(Block):
    height: float


@dataclass(frozen=True)
class PageBreak(Block):
    pass


@dataclass(frozen=True)
class Band:
    """A full-width stripe, run into the bleed at both sides."""

    top: float
    height: float
    colour: str


@dataclass(frozen=True)
class Ring:
    """A decorative ring, optionally with dots on it (an echo of the cycle figure).

    Centred at (left, top) from the trim's top-left corner; it may run off the
    page, into the bleed.
    """

    left: float
    top: float
    radius: float
    thickness: float
    colour: str
    nodes: int
    node_radius: float
    node_colour: str


@dataclass(frozen=True)
class Place:
    """Blocks drawn at a fixed place on the section's first page."""

    left: float
    width: float
    top: float | None
    bottom: float | None
    blocks: tuple[Block, ...]
    source: Location


@dataclass(frozen=True)
class Section:
    """One page layout's output: starts on a new page."""

    folio: bool
    background: str | None
    bands: tuple[Band, ...]
    rings: tuple[Ring, ...]
    places: tuple[Place, ...]
    blocks: tuple[Block, ...]
    source: Location
    running_head: str | None = None


# ---------------------------------------------------------------- raw tree


@dataclass
class _El:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_El | str] = field(default_factory=list)


def _parse_xml(text: str, source: str) -> _El:
    root = _El("#root", {}, 1)
    stack = [root]
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        el = _El(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(el)
        stack.append(el)

    def end(tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        children = stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(f"<markup>{text}</markup>", True)
    except expat.ExpatError as exc:
        line = exc.lineno
        snippet = text.splitlines()[line - 1].strip() if 0 < line <= len(text.splitlines()) else ""
        raise TemplateError(
            Problem(
                f"the layout wrote broken markup: {expat.ErrorString(exc.code)}"
                + (f" in {snippet[:80]!r}" if snippet else ""),
                Location(source, line),
            )
        ) from None
    top = root.children[0]
    assert isinstance(top, _El)
    return top


# ---------------------------------------------------------------- typed tree

_BLOCK_TAGS = (
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "figure",
    "image",
    "quote",
    "columns",
    "keep",
    "box",
    "rule",
    "spacer",
    "page-break",
)
_WS = re.compile("[^\\S\u00a0]+")
"""Whitespace to collapse into one space: all but the no-break space, which keeps two
words on one line (ReportLab honours it)."""


class _Reader:
    """Turns the raw element tree into typed blocks, collecting every problem."""

    def __init__(
        self,
        source: str,
        styles: set[str],
        colours: set[str],
        resolve: Callable[[str], Path] | None,
    ) -> None:
        self.source = source
        self.styles = styles
        self.colours = colours
        self.resolve = resolve
        self.problems: list[Problem] = []

    def where(self, el: _El) -> Location:
        return Location(self.source, el.line)

    def fail(self, el: _El, message: str) -> None:
        self.problems.append(Problem(message, self.where(el)))

    def attrs(
        self, el: _El, allowed: dict[str, Callable[[str], Any]], required: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, raw in el.attrs.items():
            conv = allowed.get(name)
            if conv is None:
                known = ", ".join(allowed) or "none"
                self.fail(el, f"<{el.tag}> has no attribute {name!r} (allowed: {known})")
                continue
            try:
                out[name] = conv(raw)
            except ValueError as exc:
                self.fail(el, f"<{el.tag} {name}>: {exc}")
        for name in required:
            if name not in el.attrs:
                self.fail(el, f"<{el.tag}> needs the attribute {name!r}")
        return out

    def style(self, value: str) -> str:
        if value not in self.styles:
            raise ValueError(f"no text style {value!r} in the theme")
        return value

    def colour(self, value: str) -> str:
        if value not in self.colours:
            raise ValueError(f"no colour {value!r} in the theme")
        return value

    # ------------------------------------------------------------ inline
    def inline(
        self, el: _El, bold: bool = False, italic: bool = False, href: str | None = None
    ) -> list[Run]:
        runs: list[Run] = []
        for child in el.children:
            if isinstance(child, str):
                runs.append(Run(_WS.sub(" ", child), bold, italic, href))
            elif child.tag in ("em", "i"):
                runs += self.inline(child, bold, True, href)
            elif child.tag in ("strong", "b"):
                runs += self.inline(child, True, italic, href)
            elif child.tag == "a":
                target = self.attrs(child, {"href": _href}, ("href",)).get("href")
                runs += self.inline(child, bold, italic, target)
            elif child.tag == "br":
                runs.append(LINE_BREAK)
            else:
                self.fail(
                    child, f"<{child.tag}> cannot stand inside text (allowed: em, strong, a, br)"
                )
        return runs

    def text(self, el: _El) -> Inline:
        runs = self.inline(el)
        # Trim the whitespace the template put around the text.
        while runs and runs[0] is not LINE_BREAK and not runs[0].text.strip():
            runs.pop(0)
        while runs and runs[-1] is not LINE_BREAK and not runs[-1].text.strip():
            runs.pop()
        if runs and runs[0] is not LINE_BREAK:
            runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, runs[0].href)
        if runs and runs[-1] is not LINE_BREAK:
            runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic, runs[-1].href)
        return tuple(r for r in runs if r.text)

    # ------------------------------------------------------------ blocks
    def blocks(self, el: _El) -> tuple[Block, ...]:
        out: list[Block] = []
        for child in el.children:
            if isinstance(child, str):
                if child.strip():
                    self.problems.append(
                        Problem(
                            f"text {child.strip()[:40]!r} must be inside a <p> or heading",
                            Location(self.source, el.line),
                        )
                    )
                continue
            block = self.block(child)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, el: _El) -> Block | None:
        handler = getattr(self, "_" + el.tag.replace("-", "_"), None)
        if el.tag not in _BLOCK_TAGS or handler is None:
            self.fail(el, f"unknown element <{el.tag}> (expected one of {', '.join(_BLOCK_TAGS)})")
            return None
        block: Block | None = handler(el)
        return block

    def _heading(self, el: _El, level: int) -> Block:
        a = self.attrs(el, {"style": self.style})
        return Heading(level, a.get("style", el.tag), self.text(el), source=self.where(el))

    def _h1(self, el: _El) -> Block:
        return self._heading(el, 1)

    def _h2(self, el: _El) -> Block:
        return self._heading(el, 2)

    def _h3(self, el: _El) -> Block:
        return self._heading(el, 3)

    def _p(self, el: _El) -> Block:
        a = self.attrs(el, {"style": self.style})
        return Para(a.get("style", "body"), self.text(el), source=self.where(el))

    def _list(self, el: _El, ordered: bool) -> Block:
        a = self.attrs(el, {"style": self.style, "marker-style": self.style})
        items = []
        for child in el.children:
            if isinstance(child, str):
                if child.strip():
                    self.fail(el, "text in a list must be inside <li>")
                continue
            if child.tag != "li":
                self.fail(child, f"<{el.tag}> may hold only <li> (got <{child.tag}>)")
                continue
            label = self.attrs(child, {"label": str}).get("label")
            items.append(ListItem(self.text(child), label))
        return ListBlock(
            ordered,
            a.get("style", "list"),
            a.get("marker-style", "bullet"),
            tuple(items),
            source=self.where(el),
        )

    def _ul(self, el: _El) -> Block:
        return self._list(el, False)

    def _ol(self, el: _El) -> Block:
        return self._list(el, True)

    def _image(self, el: _El) -> Block | None:
        a = self.attrs(
            el,
            {"src": self.path, "alt": str, "width": parse_length, "caption-style": self.style},
            ("src", "alt"),
        )
        caption = None
        for child in el.children:
            if isinstance(child, _El) and child.tag == "caption":
                caption = self.text(child)
            elif isinstance(child, _El) or child.strip():
                self.fail(el, "<image> may hold only a <caption>")
        if "src" not in a:
            return None
        return ImageEl(
            a["src"],
            a.get("alt", ""),
            a.get("width"),
            caption,
            a.get("caption-style", "caption"),
            source=self.where(el),
        )

    def path(self, value: str) -> Path:
        if self.resolve is None:
            raise ValueError("images are not available here")
        return self.resolve(value)

    def _figure(self, el: _El) -> Block | None:
        a = self.attrs(
            el, {"width": parse_length, "alt": str, "caption-style": self.style}, ("alt",)
        )
        cycle, caption = None, None
        for child in el.children:
            if isinstance(child, str):
                continue
            if child.tag == "cycle":
                cycle = self._cycle(child)
            elif child.tag == "caption":
                caption = self.text(child)
            else:
                self.fail(child, f"<figure> may hold <cycle> and <caption> (got <{child.tag}>)")
        if cycle is None:
            self.fail(el, "<figure> needs a <cycle> to draw")
            return None
        return FigureEl(
            cycle,
            a.get("alt", ""),
            a.get("width"),
            caption,
            a.get("caption-style", "caption"),
            source=self.where(el),
        )

    def _cycle(self, el: _El) -> Cycle:
        a = self.attrs(el, {"centre": str})
        nodes = []
        for child in el.children:
            if isinstance(child, str):
                continue
            if child.tag != "node":
                self.fail(child, f"<cycle> may hold only <node> (got <{child.tag}>)")
                continue
            letter = self.attrs(child, {"letter": str}, ("letter",)).get("letter", "")
            nodes.append((letter, plain(self.text(child))))
        return Cycle(tuple(nodes), a.get("centre"))

    def _quote(self, el: _El) -> Block:
        a = self.attrs(el, {"source": str, "style": self.style, "source-style": self.style})
        return QuoteEl(
            a.get("style", "quote"),
            self.text(el),
            a.get("source"),
            a.get("source-style", "quote_source"),
            source=self.where(el),
        )

    def _columns(self, el: _El) -> Block:
        a = self.attrs(el, {"count": _count, "gap": parse_length})
        return Columns(
            a.get("count", 2), a.get("gap", 5 * 72 / 25.4), self.blocks(el), source=self.where(el)
        )

    def _keep(self, el: _El) -> Block:
        self.attrs(el, {})
        return Keep(self.blocks(el), source=self.where(el))

    def _box(self, el: _El) -> Block:
        a = self.attrs(el, {"colour": self.colour, "padding": parse_length})
        return Box(
            a.get("colour", "tint"),
            a.get("padding", 4 * 72 / 25.4),
            self.blocks(el),
            source=self.where(el),
        )

    def _rule(self, el: _El) -> Block:
        a = self.attrs(
            el,
            {
                "width": parse_length,
                "thickness": parse_length,
                "colour": self.colour,
                "space-before": parse_length,
                "space-after": parse_length,
                "keep-with-next": _yes_no,
            },
        )
        return Rule(
            a.get("width"),
            a.get("thickness", 0.5),
            a.get("colour", "rule"),
            a.get("space-before", 0.0),
            a.get("space-after", 6.0),
            a.get("keep-with-next", True),
            source=self.where(el),
        )

    def _spacer(self, el: _El) -> Block:
        a = self.attrs(el, {"height": parse_length}, ("height",))
        return Spacer(a.get("height", 0.0), source=self.where(el))

    def _page_break(self, el: _El) -> Block:
        self.attrs(el, {})
        return PageBreak(source=self.where(el))

    # ------------------------------------------------------------ section
    def section(self, el: _El) -> Section:
        if el.tag != "section":
            self.fail(el, f"a layout must write one <section> (got <{el.tag}>)")
        a = self.attrs(el, {"folio": _yes_no, "background": self.colour, "running-head": str})
        bands, rings, places, flow = [], [], [], _El("flow", {}, el.line)
        for child in el.children:
            if isinstance(child, _El) and child.tag == "band":
                b = self.attrs(
                    child,
                    {"top": parse_length, "height": parse_length, "colour": self.colour},
                    ("top", "height", "colour"),
                )
                if len(b) == 3:
                    bands.append(Band(b["top"], b["height"], b["colour"]))
            elif isinstance(child, _El) and child.tag == "ring":
                r = self.attrs(
                    child,
                    {
                        "left": parse_length,
                        "top": parse_length,
                        "radius": parse_length,
                        "thickness": parse_length,
                        "colour": self.colour,
                        "nodes": _count_nodes,
                        "node-radius": parse_length,
                        "node-colour": self.colour,
                    },
                    ("left", "top", "radius", "colour"),
                )
                if {"left", "top", "radius", "colour"} <= r.keys():
                    rings.append(
                        Ring(
                            r["left"],
                            r["top"],
                            r["radius"],
                            r.get("thickness", 1.0),
                            r["colour"],
                            r.get("nodes", 0),
                            r.get("node-radius", 0.0),
                            r.get("node-colour", r["colour"]),
                        )
                    )
            elif isinstance(child, _El) and child.tag == "place":
                p = self.attrs(
                    child,
                    {
                        "top": parse_length,
                        "bottom": parse_length,
                        "left": parse_length,
                        "width": parse_length,
                    },
                    ("left", "width"),
                )
                if ("top" in p) == ("bottom" in p):
                    self.fail(child, "<place> needs exactly one of top and bottom")
                places.append(
                    Place(
                        p.get("left", 0.0),
                        p.get("width", 0.0),
                        p.get("top"),
                        p.get("bottom"),
                        self.blocks(child),
                        self.where(child),
                    )
                )
            else:
                flow.children.append(child)
        return Section(
            a.get("folio", True),
            a.get("background"),
            tuple(bands),
            tuple(rings),
            tuple(places),
            self.blocks(flow),
            self.where(el),
            a.get("running-head"),
        )


def _yes_no(value: str) -> bool:
    if value not in ("yes", "no"):
        raise ValueError(f"expected yes or no (got {value!r})")
    return value == "yes"


def _count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 4:
        raise ValueError(f"expected 1 to 4 (got {value!r})")
    return int(value)


def _count_nodes(value: str) -> int:
    if not value.isdigit() or int(value) > 12:
        raise ValueError(f"expected 0 to 12 (got {value!r})")
    return int(value)


def _href(value: str) -> str:
    if not re.match(r"(https?://|mailto:|tel:)", value):
        raise ValueError(f"expected a link starting https://, mailto: or tel: (got {value!r})")
    return value


def parse_section(
    text: str,
    source: str,
    *,
    styles: set[str],
    colours: set[str],
    resolve: Callable[[str], Path] | None = None,
) -> Section:
    """Parse one page layout's output. ``source`` names it in messages; ``resolve`` turns an
    image's ``src`` into a file inside the brochure's folder (ValueError if it is not)."""
    root = _parse_xml(text, source)
    sections = [c for c in root.children if isinstance(c, _El)]
    stray = [c for c in root.children if isinstance(c, str) and c.strip()]
    reader = _Reader(source, styles, colours, resolve)
    if len(sections) != 1 or stray:
        raise TemplateError(
            Problem(
                f"a layout must write exactly one <section> element (got {len(sections)})",
                Location(source, 1),
            )
        )
    section = reader.section(sections[0])
    TemplateError.collect(reader.problems)
    return section
