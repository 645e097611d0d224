"""Content streams -> what each page paints with: colour spaces, CMYK values, image placements.

Input: a :class:`~.document.Document`. Output: one :class:`PageScan` per page.

A small interpreter walks each page's content stream, tracking what matters
for print: the graphics state stack (``q``/``Q``), the current transformation
matrix (``cm``), the fill and stroke colour spaces and values, and the text
rendering mode. A colour counts as *used* only when something is painted with
it (a path filled or stroked, text shown, an image or shading drawn), so a
colour set and never used is not reported. It follows Form XObjects (their
/Matrix and /Resources), coloured tiling patterns and shading patterns.

Limits: clipping is not tracked (an image hidden by a clip still counts);
soft masks and transparency groups are not evaluated; Type3 glyph procedures
are not entered (their glyphs are painted with the current fill colour).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from pypdf import PdfReader
from pypdf.generic import ContentStream, NameObject

from .document import Document
from .geometry import IDENTITY, Matrix, multiply
from .spaces import CMYK, GRAY, RGB, Space, resolve

__all__ = ["Ink", "PageScan", "Paint", "Placement", "Via", "font_key", "scan_document"]

Via = Literal["fill", "stroke", "text", "image", "shading"]
MAX_DEPTH = 24
"""Nesting of forms and patterns beyond which a file is taken to be malformed."""


@dataclass(frozen=True)
class Paint:
    """A colour space that something on the page is painted with."""

    space: Space
    """The colour space."""
    via: Via
    """What paints with it."""


@dataclass(frozen=True)
class Placement:
    """One image drawn on a page (an image XObject's ``Do``, or an inline image)."""

    name: str
    """The resource name, such as ``/Im1``, or ``inline image``."""
    pixels: tuple[int, int]
    """Width and height in pixels."""
    matrix: Matrix
    """The CTM at the moment it is drawn: it maps the unit square onto the page."""
    space: Space | None
    """Its colour space; ``None`` for a stencil mask, which paints in the fill colour."""
    bits: int
    """Bits per component; 1 for line art and masks."""


@dataclass(frozen=True)
class Ink:
    """A process colour as the content sets it."""

    space: Space
    """The colour space: DeviceCMYK, ICCBased with four components, or process Separations."""
    values: tuple[float, ...]
    """Tints from 0 to 1, in the space's order of colorants."""

    @property
    def total(self) -> float:
        """Total area coverage in per cent: 400 for C100 M100 Y100 K100."""
        return sum(self.values) * 100


@dataclass(frozen=True)
class PageScan:
    """What one page paints with."""

    number: int
    """1-based page number."""
    paints: frozenset[Paint]
    """Every colour space used, and by what."""
    placements: tuple[Placement, ...]
    """Every image drawn, in drawing order."""
    richest: Ink | None
    """The painted process colour with the most ink; ``None`` if there is none."""
    fonts: frozenset[object]
    """Keys (see :func:`font_key`) of the fonts that show text, even invisible text."""


@dataclass(frozen=True)
class _State:
    ctm: Matrix = IDENTITY
    base: Matrix = IDENTITY  # the CTM at the start of the stream: the pattern space's origin
    fill: Space = GRAY
    stroke: Space = GRAY
    fill_value: tuple[float, ...] = (0.0,)
    stroke_value: tuple[float, ...] = (0.0,)
    fill_pattern: Any = None
    stroke_pattern: Any = None
    render_mode: int = 0
    font: object = None  # key of the font selected by Tf


def scan_document(doc: Document) -> tuple[PageScan, ...]:
    """Scan every page of ``doc``."""
    parsed: dict[object, list[tuple[list[Any], bytes]]] = {}
    scans = []
    for number, page in enumerate(doc.reader.pages, start=1):
        scanner = _Scanner(doc.reader, parsed)
        contents = page.get_contents()
        if contents is not None:
            scanner.run_operations(contents.operations, page.get("/Resources"), _State(), 0)
        scans.append(
            PageScan(
                number,
                frozenset(scanner.paints),
                tuple(scanner.placements),
                scanner.richest,
                frozenset(scanner.fonts),
            )
        )
    return tuple(scans)


def font_key(font: Any) -> object:
    """What identifies a font (or any PDF object) within one opened document."""
    return _key(font)


def _key(obj: Any) -> object:
    if getattr(obj, "idnum", None) is not None:  # an indirect reference, not yet resolved
        return (obj.idnum, obj.generation)
    ref = getattr(obj, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(obj)


def _numbers(operands: list[Any]) -> tuple[float, ...]:
    return tuple(float(o) for o in operands if isinstance(o, int | float))


def _matrix(values: Any) -> Matrix:
    """Six numbers as a matrix; the identity for anything else (a malformed /Matrix)."""
    numbers = _numbers(list(values)) if values is not None else ()
    if len(numbers) != 6:
        return IDENTITY
    a, b, c, d, e, f = numbers
    return (a, b, c, d, e, f)


Handler = Callable[["_Scanner", _State, list[Any], Any, int], _State]


class _Scanner:
    """Interprets the content of one page, collecting paints and placements."""

    def __init__(self, reader: PdfReader, parsed: dict[object, list[tuple[list[Any], bytes]]]):
        self.reader = reader
        self.parsed = parsed  # forms and patterns are parsed once per document
        self.paints: set[Paint] = set()
        self.placements: list[Placement] = []
        self.richest: Ink | None = None
        self.fonts: set[object] = set()
        self.active: set[object] = set()  # forms being interpreted, against cycles
        self.patterns: set[object] = set()

    def run_operations(
        self, operations: list[tuple[list[Any], bytes]], resources: Any, state: _State, depth: int
    ) -> None:
        stack: list[_State] = []
        for operands, op in operations:
            if op == b"q":
                stack.append(state)
            elif op == b"Q":
                state = stack.pop() if stack else state
            elif (handler := _HANDLERS.get(op)) is not None:
                state = handler(self, state, operands, resources, depth)

    def run_stream(self, stream: Any, resources: Any, state: _State, depth: int) -> None:
        """Interpret a form or pattern stream, once at a time (a form drawing itself is skipped)."""
        key = _key(stream)
        if key in self.active or depth >= MAX_DEPTH:
            return
        if key not in self.parsed:
            self.parsed[key] = ContentStream(stream, self.reader).operations
        self.active.add(key)
        try:
            self.run_operations(self.parsed[key], resources, state, depth + 1)
        finally:
            self.active.discard(key)

    def paint(self, state: _State, *, fill: bool, via: Via, resources: Any, depth: int) -> None:
        space = state.fill if fill else state.stroke
        value = state.fill_value if fill else state.stroke_value
        if space.kind != "pattern":
            self.use(space, value, via)
            return
        pattern = state.fill_pattern if fill else state.stroke_pattern
        if pattern is not None:
            self.paint_pattern(pattern.get_object(), space, value, state, via, resources, depth)

    def paint_pattern(
        self,
        pattern: Any,
        space: Space,
        value: tuple[float, ...],
        state: _State,
        via: Via,
        resources: Any,
        depth: int,
    ) -> None:
        if pattern.get("/PatternType") == 2:
            self.shading(pattern.get("/Shading"), resources)
        elif pattern.get("/PaintType") == 2:  # uncoloured tiling: painted in the base space
            if space.base is not None:
                self.use(space.base, value, via)
        elif _key(pattern) not in self.patterns:  # a tiling drawn many times: look once
            self.patterns.add(_key(pattern))
            ctm = multiply(_matrix(pattern.get("/Matrix")), state.base)
            inner = _State(ctm=ctm, base=ctm)
            self.run_stream(pattern, pattern.get("/Resources", resources), inner, depth)

    def shading(self, shading: Any, resources: Any) -> None:
        if shading is not None and "/ColorSpace" in shading.get_object():
            self.use(resolve(shading.get_object()["/ColorSpace"], resources), (), "shading")

    def use(self, space: Space, value: tuple[float, ...], via: Via) -> None:
        self.paints.add(Paint(space, via))
        process = space.kind == "cmyk" and space.base is None and len(value) == space.components
        if process and (self.richest is None or sum(value) * 100 > self.richest.total):
            self.richest = Ink(space, value)

    def image(self, name: str, image: Any, state: _State, resources: Any, depth: int) -> None:
        pixels = (
            int(image.get("/Width", image.get("/W", 0))),
            int(image.get("/Height", image.get("/H", 0))),
        )
        space: Space | None = None
        bits = 1
        if image.get("/ImageMask", image.get("/IM", False)):
            self.paint(state, fill=True, via="image", resources=resources, depth=depth)
        else:
            spec = image.get("/ColorSpace", image.get("/CS"))
            space = (
                resolve(spec, resources)
                if spec is not None
                else Space("unknown", "JPEG 2000 (its own)", 3)
            )
            bits = int(image.get("/BitsPerComponent", image.get("/BPC", 8)))
            self.use(space, (), "image")
        self.placements.append(Placement(name, pixels, state.ctm, space, bits))


# ------------------------------------------------------------------ operators
def _cm(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
    return replace(state, ctm=multiply(_matrix(ops), state.ctm)) if len(ops) == 6 else state


def _device(space: Space, fill: bool) -> Handler:
    def handler(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
        value = _numbers(ops)
        if fill:
            return replace(state, fill=space, fill_value=value, fill_pattern=None)
        return replace(state, stroke=space, stroke_value=value, stroke_pattern=None)

    return handler


def _set_space(fill: bool) -> Handler:
    def handler(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
        space = resolve(ops[0], res) if ops else GRAY
        if fill:
            return replace(state, fill=space, fill_value=space.initial, fill_pattern=None)
        return replace(state, stroke=space, stroke_value=space.initial, stroke_pattern=None)

    return handler


def _set_colour(fill: bool) -> Handler:
    def handler(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
        pattern = None
        if ops and isinstance(ops[-1], NameObject) and res is not None:
            patterns = res.get_object().get("/Pattern")
            pattern = patterns.get_object().get(ops[-1]) if patterns is not None else None
        if fill:
            return replace(state, fill_value=_numbers(ops), fill_pattern=pattern)
        return replace(state, stroke_value=_numbers(ops), stroke_pattern=pattern)

    return handler


def _painter(fill: bool, stroke: bool) -> Handler:
    def handler(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
        if fill:
            s.paint(state, fill=True, via="fill", resources=res, depth=depth)
        if stroke:
            s.paint(state, fill=False, via="stroke", resources=res, depth=depth)
        return state

    return handler


def _render_mode(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
    return replace(state, render_mode=int(ops[0])) if ops else state


def _font(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
    fonts = res.get_object().get("/Font") if res is not None and ops else None
    font = fonts.get_object().get(ops[0]) if fonts is not None else None
    return replace(state, font=_key(font) if font is not None else None)


def _show_text(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
    if state.font is not None:
        s.fonts.add(state.font)
    if state.render_mode in (0, 2, 4, 6):
        s.paint(state, fill=True, via="text", resources=res, depth=depth)
    if state.render_mode in (1, 2, 5, 6):
        s.paint(state, fill=False, via="text", resources=res, depth=depth)
    return state


def _sh(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
    shadings = res.get_object().get("/Shading") if res is not None and ops else None
    if shadings is not None:
        s.shading(shadings.get_object().get(ops[0]), res)
    return state


def _do(s: _Scanner, state: _State, ops: list[Any], res: Any, depth: int) -> _State:
    xobjects = res.get_object().get("/XObject") if res is not None and ops else None
    xobject = xobjects.get_object().get(ops[0]) if xobjects is not None else None
    if xobject is None:
        return state
    xobject = xobject.get_object()
    if xobject.get("/Subtype") == "/Image":
        s.image(str(ops[0]), xobject, state, res, depth)
    elif xobject.get("/Subtype") == "/Form":
        ctm = multiply(_matrix(xobject.get("/Matrix")), state.ctm)
        s.run_stream(
            xobject, xobject.get("/Resources", res), replace(state, ctm=ctm, base=ctm), depth
        )
    return state


def _inline_image(s: _Scanner, state: _State, ops: Any, res: Any, depth: int) -> _State:
    # pypdf gives an inline image's operands as one dict: {"settings": ..., "data": ...}
    if isinstance(ops, dict) and "settings" in ops:
        s.image("inline image", ops["settings"], state, res, depth)
    return state


_HANDLERS: dict[bytes, Handler] = {
    b"cm": _cm,
    b"g": _device(GRAY, True),
    b"G": _device(GRAY, False),
    b"rg": _device(RGB, True),
    b"RG": _device(RGB, False),
    b"k": _device(CMYK, True),
    b"K": _device(CMYK, False),
    b"cs": _set_space(True),
    b"CS": _set_space(False),
    b"sc": _set_colour(True),
    b"scn": _set_colour(True),
    b"SC": _set_colour(False),
    b"SCN": _set_colour(False),
    b"f": _painter(True, False),
    b"F": _painter(True, False),
    b"f*": _painter(True, False),
    b"S": _painter(False, True),
    b"s": _painter(False, True),
    b"B": _painter(True, True),
    b"B*": _painter(True, True),
    b"b": _painter(True, True),
    b"b*": _painter(True, True),
    b"Tr": _render_mode,
    b"Tf": _font,
    b"Tj": _show_text,
    b"TJ": _show_text,
    b"'": _show_text,
    b'"': _show_text,
    b"sh": _sh,
    b"Do": _do,
    b"INLINE IMAGE": _inline_image,
}
