"""Personalised copies: the built PDF + one overlay page per recipient -> one PDF each.

Input: the finished screen edition, built once, and the overlay PDF of
:mod:`.cover`. Output: per recipient, the built file unchanged byte for byte,
followed by a PDF incremental update (the standard's own way of adding to a
finished file) that draws their overlay page on page 1, as a form XObject
over the page's own content. Everything an update shares with the others
(the overlay's fonts, the new page 1 dictionary) is serialised once with pypdf;
per recipient only their form, a cross-reference section and a trailer are
written, so a copy costs tens of microseconds and the brochure is never rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from ..errors import FinishError, Problem
from .tagged import mark_stamp

__all__ = ["Stamper", "content_digest"]

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_FORM = NameObject("/BrochureStamp")


def content_digest(reader: PdfReader) -> str:
    """A digest of what the pages draw: their content streams and forms, not dates or ids.

    Building the same content twice gives the same digest even when the files'
    dates (and so the PDF's metadata and identifier) differ.
    """
    h = hashlib.sha256()
    for page in reader.pages:
        contents = page.get_contents()
        h.update(contents.get_data() if contents is not None else b"")
        xobjects = _resolved(_resolved(page.get("/Resources")).get("/XObject"))
        for name in sorted(xobjects):
            form = xobjects[name]
            if isinstance(form, StreamObject):
                h.update(name.encode() + form.get_data())
    return h.hexdigest()


@dataclass(frozen=True)
class _Base:
    """The built PDF, as the incremental updates need it."""

    data: bytes
    reader: PdfReader
    size: int
    """The trailer's /Size: the first free object number."""
    startxref: int
    """Where its (last) cross-reference section starts."""

    @classmethod
    def read(cls, data: bytes) -> _Base:
        found = _STARTXREF.search(data[-1024:])
        if found is None or data[int(found[1]) : int(found[1]) + 4] != b"xref":
            # only a classic cross-reference table can be followed by a classic one
            data = _rewritten(data)
            found = _STARTXREF.search(data[-1024:])
            assert found is not None
        if not data.endswith(b"\n"):
            data += b"\n"
        reader = PdfReader(io.BytesIO(data), strict=True)
        size = reader.trailer["/Size"]
        if not isinstance(size, int):
            raise FinishError(Problem(f"the PDF's trailer has no usable /Size (got {size!r})"))
        return cls(data, reader, int(size), int(found[1]))


class Stamper:
    """Draws overlay page N onto page 1 of the base PDF, for copy N."""

    def __init__(self, base: bytes, overlays: bytes) -> None:
        self._base = _Base.read(base)
        self.digest = content_digest(self._base.reader)
        """The base PDF's :func:`content_digest`."""
        overlay = PdfReader(io.BytesIO(overlays), strict=True)
        _check_sizes(self._base.reader, overlay)
        self._forms = [_page_content(page) for page in overlay.pages]
        page = self._base.reader.pages[0]
        first = self._base.size
        # New objects are numbered from the base's /Size: q, then Q and the form's
        # drawing, the fonts, the stamp's structure element (in a tagged PDF), and
        # last each copy's own form.
        fonts = _renumber_fonts(_overlay_fonts(overlay), first + 2)
        element = first + 2 + len(fonts.bodies)
        marking = mark_stamp(self._base.reader, page, element)
        self._form_number = element + (element in marking.objects)
        resources = DictionaryObject({NameObject("/Font"): fonts.names})
        self._form_head = (
            b"<<\n/Type /XObject\n/Subtype /Form\n/BBox "
            + _serialise(ArrayObject(page.mediabox))
            + b"\n/Resources "
            + _serialise(resources)
            + b"\n/Length "
        )
        draw = b"\nQ\n" + marking.begin + b"q /BrochureStamp Do Q\n" + marking.end
        assert page.indirect_reference is not None
        objects = {
            page.indirect_reference.idnum: _serialise(
                self._page(IndirectObject(first, 0, None), IndirectObject(first + 1, 0, None))
            ),
            first: _stream(b"q\n"),
            first + 1: _stream(draw),
            **{first + 2 + i: body for i, body in enumerate(fonts.bodies)},
            **{number: _serialise(obj) for number, obj in marking.objects.items()},
        }
        self._fixed, self._entries = _write(objects, len(self._base.data))
        self._trailer = _trailer(self._base, size=self._form_number + 1)

    def __len__(self) -> int:
        return len(self._forms)

    @property
    def common_prefix(self) -> bytes:
        """What every copy starts with: the built PDF, then the update's shared objects."""
        return self._base.data + self._fixed

    def copy(self, index: int) -> bytes:
        """The PDF of copy ``index``: the base with overlay page ``index`` on page 1."""
        data = self._base.data
        content = self._forms[index]
        form_at = len(data) + len(self._fixed)
        form = _object(
            self._form_number,
            self._form_head + b"%d\n>>\nstream\n" % len(content) + content + b"\nendstream",
        )
        xref = _xref([*self._entries, (self._form_number, form_at)])
        # the /ID's second half names this version of the document: this copy's
        version = b"<%s> ] >>" % hashlib.md5(content).hexdigest().encode()
        end = b"\nstartxref\n%d\n%%%%EOF\n" % (form_at + len(form))
        return b"".join([data, self._fixed, form, xref, self._trailer, version, end])

    def _page(self, before: IndirectObject, after: IndirectObject) -> DictionaryObject:
        """Page 1 with its content wrapped in q/Q and followed by the stamp form."""
        page = self._base.reader.pages[0]
        new = _shallow(page)
        contents = page.raw_get("/Contents")
        old = list(contents) if isinstance(contents, ArrayObject) else [contents]
        new[NameObject("/Contents")] = ArrayObject([before, *old, after])
        resources = _shallow(_resolved(page.get("/Resources")))
        xobjects = _shallow(
            _resolved(resources.raw_get("/XObject") if "/XObject" in resources else None)
        )
        if _FORM in xobjects:
            raise FinishError(Problem("this PDF has already been stamped for a recipient"))
        xobjects[_FORM] = IndirectObject(self._form_number, 0, None)
        resources[NameObject("/XObject")] = xobjects
        new[NameObject("/Resources")] = resources
        return new


@dataclass(frozen=True)
class _Fonts:
    names: DictionaryObject
    """Resource name -> reference to the font, numbered for the update."""
    bodies: list[bytes]
    """The serialised font objects, in number order."""


def _trailer(base: _Base, *, size: int) -> bytes:
    """The update's trailer up to the second half of its /ID: the base's, pointing back to it."""
    trailer = base.reader.trailer
    parts = [
        b"trailer\n<< /Size %d /Prev %d /Root " % (size, base.startxref),
        _serialise(trailer.raw_get("/Root")),
    ]
    if "/Info" in trailer:
        parts += [b" /Info ", _serialise(trailer.raw_get("/Info"))]
    ids = trailer.get("/ID")
    if isinstance(ids, ArrayObject) and ids:  # the first half names the document: kept
        parts += [b" /ID [ ", _serialise(ids[0]), b" "]
    else:
        parts.append(b" /ID [ <%s> " % hashlib.md5(base.data).hexdigest().encode())
    return b"".join(parts)


def _check_sizes(base: PdfReader, overlay: PdfReader) -> None:
    page = base.pages[0].mediabox
    for i, other in enumerate(overlay.pages):
        box = other.mediabox
        if abs(box.width - page.width) > 0.01 or abs(box.height - page.height) > 0.01:
            raise FinishError(
                Problem(
                    f"overlay page {i + 1} is {box.width:g} x {box.height:g} pt but the cover it "
                    f"goes on is {page.width:g} x {page.height:g} pt"
                )
            )


def _overlay_fonts(overlay: PdfReader) -> dict[str, IndirectObject]:
    """Every font the overlay pages use, by resource name (ReportLab shares them)."""
    found: dict[str, IndirectObject] = {}
    for page in overlay.pages:
        fonts = _resolved(_resolved(page.get("/Resources")).get("/Font"))
        found.update({name: fonts.raw_get(name) for name in fonts})
    return found


def _resolved(obj: object) -> DictionaryObject:
    """``obj`` (a dictionary or a reference to one) as a dictionary; empty if absent."""
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    return obj if isinstance(obj, DictionaryObject) else DictionaryObject()


def _renumber_fonts(fonts: dict[str, IndirectObject], first: int) -> _Fonts:
    """The fonts' objects, renumbered from ``first``, ready to write."""
    order: dict[int, int] = {}
    originals: list[PdfObject] = []
    for ref in fonts.values():
        for number, obj in _graph(ref):
            if number not in order:
                order[number] = first + len(order)
                originals.append(obj)
    bodies = [_serialise(_copy(obj, order)) for obj in originals]
    names = DictionaryObject(
        {NameObject(name): IndirectObject(order[ref.idnum], 0, None) for name, ref in fonts.items()}
    )
    return _Fonts(names, bodies)


def _graph(ref: IndirectObject) -> Iterator[tuple[int, PdfObject]]:
    """(number, object) of ``ref`` and of every object it refers to, depth first."""
    seen: set[int] = set()
    stack = [ref]
    while stack:
        current = stack.pop()
        if current.idnum in seen:
            continue
        seen.add(current.idnum)
        obj = current.get_object()
        assert obj is not None
        yield current.idnum, obj
        stack.extend(reversed(list(_references(obj))))


def _references(obj: PdfObject) -> Iterator[IndirectObject]:
    if isinstance(obj, IndirectObject):
        yield obj
    elif isinstance(obj, DictionaryObject):
        for key in obj:
            yield from _references(obj.raw_get(key))
    elif isinstance(obj, ArrayObject):
        for item in obj:
            yield from _references(item)


def _copy(obj: PdfObject, order: dict[int, int]) -> PdfObject:
    """``obj`` with references renumbered; streams compressed, subset fonts renamed."""
    if isinstance(obj, IndirectObject):
        return IndirectObject(order[obj.idnum], 0, None)
    if isinstance(obj, ArrayObject):
        return ArrayObject(_copy(item, order) for item in obj)
    if isinstance(obj, DictionaryObject):
        entries = {
            NameObject(key): _copy(obj.raw_get(key), order)
            for key in obj
            if key not in ("/Filter", "/DecodeParms", "/Length")
        }
        for key in ("/BaseFont", "/FontName"):
            if key in entries:
                entries[NameObject(key)] = _unique_subset_name(str(entries[NameObject(key)]))
        if isinstance(obj, StreamObject):
            stream = StreamObject()
            stream.update(entries)
            stream.set_data(obj.get_data())
            return stream.flate_encode()
        return DictionaryObject(entries)
    return obj


def _unique_subset_name(name: str) -> NameObject:
    """ReportLab tags every first subset AAAAAA+; the stamp's get their own tag.

    Two different subsets of one font under one name in one file can confuse
    viewers that cache fonts by name, and the built brochure uses AAAAAA+ too.
    """
    tag, _, font = name.lstrip("/").rpartition("+")
    if not tag:
        return NameObject(name)
    digest = hashlib.sha1(f"brochure-stamp:{name}".encode()).digest()
    return NameObject("/" + "".join(chr(ord("A") + b % 26) for b in digest[:6]) + "+" + font)


def _shallow(d: DictionaryObject) -> DictionaryObject:
    """A copy of ``d`` whose values stay references where they were."""
    return DictionaryObject({NameObject(k): d.raw_get(k) for k in d})


def _page_content(page: PageObject) -> bytes:
    contents = page.get_contents()
    return b"" if contents is None else bytes(contents.get_data())


def _serialise(obj: PdfObject) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def _write(objects: dict[int, bytes], start: int) -> tuple[bytes, list[tuple[int, int]]]:
    """The objects written one after another from offset ``start``; (number, offset) of each."""
    out = io.BytesIO()
    entries = []
    for number, body in objects.items():
        entries.append((number, start + out.tell()))
        out.write(_object(number, body))
    return out.getvalue(), entries


def _xref(entries: list[tuple[int, int]]) -> bytes:
    """A cross-reference section for (number, offset) entries, in runs of consecutive numbers."""
    lines = [b"xref\n"]
    run: list[tuple[int, int]] = []
    for number, offset in [*sorted(entries), (-1, 0)]:
        if run and number != run[-1][0] + 1:
            lines.append(b"%d %d\n" % (run[0][0], len(run)))
            lines += [b"%010d 00000 n \n" % at for _, at in run]
            run = []
        run.append((number, offset))
    return b"".join(lines)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _object(number: int, body: bytes) -> bytes:
    return b"%d 0 obj\n" % number + body + b"\nendobj\n"


def _rewritten(data: bytes) -> bytes:
    """``data`` written again by pypdf: one classic cross-reference table."""
    out = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(data))).write(out)
    return out.getvalue()
