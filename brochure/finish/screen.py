"""The pages as screen and office editions want them: trimmed, RGB, and lighter.

Input: a pypdf writer holding the laid-out pages (CMYK, on a media box with
bleed and crop marks), and what the layout recorded: each theme colour's RGB
twin, each spot ink's, and the pictures drawn. Output, in the writer: pages
cut to the trim (the bleed and the crop marks fall outside the page), every
colour operator turned into its RGB twin (colours outside the theme by the
plain CMYK formula), and each picture replaced by an RGB one, downsampled to
``max_ppi`` at the size it is drawn. Text, fonts, marked content and links are
left exactly as they are, so the structure tree stays valid.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
)

from .. import images
from ..layout import LaidOut, PlacedPicture, colour_key

__all__ = ["Recoloured", "drop_interactive", "recoloured", "to_rgb"]

# A content stream is rewritten without touching its strings (text may well read
# "0 0 0 1 k"). ReportLab escapes every parenthesis inside a string, so a string runs
# from "(" to the first unescaped ")"; splitting on them leaves the operators in the
# even-numbered parts. There, each colour operator is found by its name (a fast scan)
# and its operands are read backwards from it, in the reversed bytes: matching a
# pattern that starts with a number at every digit of the stream was five times slower.
_STRINGS = re.compile(rb"(\([^\\)]*(?:\\.[^\\)]*)*\))")
_OPERATOR = re.compile(rb"(?:k|K|scn|SCN)(?![^\s/\[<(])")
_REVERSED_NUMBER = rb"((?:\d*\.?\d+|\d+\.)-?)"
_REVERSED_CMYK = re.compile(  # "c m y k " before a k or K operator, reversed
    rb"\s+" + rb"\s+".join([_REVERSED_NUMBER] * 4) + rb"(?=[\s\]>)]|\Z)"
)
_REVERSED_SPOT = re.compile(  # "/Name cs tint " before an scn or SCN operator, reversed
    rb"\s+" + _REVERSED_NUMBER + rb"\s+(?:SC|sc)\s+([^\s/\[\]<>(){}%]+)/"
)
_LOOK_BACK = {b"k": 160, b"K": 160, b"scn": 512, b"SCN": 512}
"""Bytes before an operator that can hold its operands (a spot ink's name is at most
127 bytes, escaped, in a valid PDF; four numbers are far shorter)."""


def _format(values: tuple[float, ...]) -> bytes:
    return b" ".join(f"{v:.4f}".rstrip("0").rstrip(".").encode() or b"0" for v in values)


def _naive(c: float, m: float, y: float, k: float) -> tuple[float, float, float]:
    return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)


def _name(raw: bytes) -> str:
    """A PDF name's text: ``HSMC#20Gold`` -> ``HSMC Gold``."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode(
        "latin-1"
    )


def recolour(stream: bytes, laid: LaidOut) -> bytes:
    """``stream`` with every CMYK and spot colour operator turned into its RGB twin."""
    parts = _STRINGS.split(stream)
    for i in range(0, len(parts), 2):  # the parts between strings
        part = parts[i]
        if b"k" in part or b"K" in part or b"scn" in part or b"SCN" in part:
            parts[i] = _recolour_operators(part, laid)
    return b"".join(parts)


def _recolour_operators(part: bytes, laid: LaidOut) -> bytes:
    out: list[bytes] = []
    done = 0
    for found in _OPERATOR.finditer(part):
        at, op = found.start(), found.group()
        before = part[max(done, at - _LOOK_BACK[op]) : at][::-1]
        if op in (b"k", b"K"):
            operands = _REVERSED_CMYK.match(before)
            if operands is None:
                continue
            k, y, m, c = (float(v[::-1]) for v in operands.groups())
            rgb = laid.screen_colours.get(colour_key((c, m, y, k))) or _naive(c, m, y, k)
            new = _format(rgb) + (b" rg" if op == b"k" else b" RG")
        else:
            operands = _REVERSED_SPOT.match(before)
            if operands is None:
                continue
            tint = float(operands.group(1)[::-1])
            spot = laid.spot_colours.get(_name(operands.group(2)[::-1]), (0.0, 0.0, 0.0))
            tinted = tuple(1 - tint * (1 - v) for v in spot)
            new = _format(tinted) + (b" rg" if op == b"scn" else b" RG")
        out += (part[done : at - operands.end()], new)
        done = found.end()
    if not out:
        return part
    out.append(part[done:])
    return b"".join(out)


def _trim(page: Any) -> tuple[float, float]:
    """Cut ``page`` to its trim, with the origin at the trim's corner (as tools expect);
    return the shift to apply to everything placed on the page."""
    x0, y0, x1, y1 = (float(v) for v in page["/TrimBox"])
    box = RectangleObject([0, 0, x1 - x0, y1 - y0])
    page[NameObject("/MediaBox")] = box
    page[NameObject("/CropBox")] = box
    for key in ("/TrimBox", "/BleedBox", "/ArtBox"):
        if key in page:
            del page[key]
    for ref in page.get("/Annots", ()):
        annot = ref.get_object()
        a0, b0, a1, b1 = (float(v) for v in annot["/Rect"])
        annot[NameObject("/Rect")] = RectangleObject([a0 - x0, b0 - y0, a1 - x0, b1 - y0])
    return -x0, -y0


def _shift_outline(item: Any, dx: float, dy: float) -> None:
    """Move every bookmark's /XYZ destination by (dx, dy)."""
    while item is not None:
        dest = item.get("/Dest")
        if dest is not None and len(dest) == 5 and dest[1] == "/XYZ":
            dest[2] = FloatObject(float(dest[2]) + dx)
            dest[3] = FloatObject(float(dest[3]) + dy)
        child = item.get("/First")
        _shift_outline(child.get_object() if child is not None else None, dx, dy)
        following = item.get("/Next")
        item = following.get_object() if following is not None else None


def _rgb_picture(
    stream: StreamObject, picture: PlacedPicture | None, max_ppi: float | None
) -> None:
    """Replace a CMYK image with its RGB version (from the source file when known)."""
    if picture is None:
        image = stream.decode_as_image().convert("RGB")  # not ours: the plain conversion
    else:
        pixels = math.ceil(picture.width / 72 * max_ppi) if max_ppi else None
        image = images.prepare(
            picture.path, picture.path.stat().st_mtime_ns, profile=None, max_pixels=pixels
        )
    rgb = image.convert("RGB")
    stream.set_data(zlib.compress(rgb.tobytes(), 6))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Width")] = NumberObject(rgb.width)
    stream[NameObject("/Height")] = NumberObject(rgb.height)
    stream[NameObject("/ColorSpace")] = NameObject("/DeviceRGB")
    for key in ("/Decode", "/DecodeParms"):
        if key in stream:
            del stream[key]


def _pictures(
    page: Any,
    by_pixels: dict[tuple[int, int], PlacedPicture],
    max_ppi: float | None,
    done: set[int],
) -> None:
    xobjects = page["/Resources"].get_object().get("/XObject")
    for ref in xobjects.get_object().values() if xobjects is not None else ():
        stream = ref.get_object()
        if stream.get("/Subtype") != "/Image" or stream.get("/ColorSpace") != "/DeviceCMYK":
            continue
        if ref.idnum in done:
            continue
        done.add(ref.idnum)
        _rgb_picture(stream, by_pixels.get((stream["/Width"], stream["/Height"])), max_ppi)


Recoloured = list[list[bytes]]
"""Each page's content streams with their colours turned into RGB twins (not trimmed)."""


def recoloured(laid: LaidOut) -> Recoloured:
    """The content streams of every laid-out page, their colours turned into RGB twins:
    what :func:`to_rgb` writes, worked out from the pages alone, so that another
    process can do it (see :func:`brochure.finish.jobs.finish_all`)."""
    return [[recolour(s.get_data(), laid) for s in _streams(page)] for page in laid.reader.pages]


def _streams(page: Any) -> list[Any]:
    contents: Any = page["/Contents"].get_object()
    return [s.get_object() for s in (contents if isinstance(contents, list) else [contents])]


def to_rgb(
    writer: PdfWriter,
    laid: LaidOut,
    *,
    max_ppi: float | None,
    ready: Callable[[], Recoloured | None] | None = None,
) -> None:
    """Trim every page, turn its colours into RGB twins and its pictures into RGB ones.

    ``ready``, if given, returns the pages' colours already turned (:func:`recoloured`),
    or None, and then they are turned here.
    """
    done: set[int] = set()
    by_pixels = {p.pixels: p for p in laid.pictures}
    given = ready() if ready is not None else None
    dx = dy = 0.0
    for number, page in enumerate(writer.pages):
        dx, dy = _trim(page)
        streams = _streams(page)
        for i, stream in enumerate(streams):
            data = given[number][i] if given is not None else recolour(stream.get_data(), laid)
            if i == 0:  # the page's origin moves to the trim corner
                data = f"1 0 0 1 {dx:.6f} {dy:.6f} cm\n".encode() + data
            stream.set_data(data)  # re-encoded with its own filter
        _pictures(page, by_pixels, max_ppi, done)
    outlines: Any = writer.root_object.get("/Outlines")
    if outlines is not None:
        first = outlines.get_object().get("/First")
        _shift_outline(first.get_object() if first is not None else None, dx, dy)


def drop_interactive(writer: PdfWriter) -> None:
    """Remove every annotation (the links): for editions that are printed."""
    for page in writer.pages:
        if "/Annots" in page:
            del page["/Annots"]
