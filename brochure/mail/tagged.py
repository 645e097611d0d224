"""Tagged PDFs: the stamp's place in the structure tree, so assistive technology reads it.

Input: the built PDF (read with pypdf), the page the stamp goes on, and the
object number its structure element will get. Output: a :class:`Marking`: the
marked-content operators to put around the stamp, and the objects to add or
write again in the incremental update so that the stamp is a ``P`` element
right after the page's last tagged content, in the same parent, and is found
from the page through the parent tree. An untagged PDF needs no marking; a
tagged page without tagged content of its own gets the stamp as an artifact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
)

__all__ = ["ARTIFACT", "UNTAGGED", "Marking", "mark_stamp"]


@dataclass(frozen=True)
class Marking:
    """How the stamp is marked, and what the structure tree needs for it."""

    begin: bytes
    """Operators before the stamp's drawing."""
    end: bytes
    """Operators after it."""
    objects: dict[int, PdfObject] = field(default_factory=dict)
    """Objects to write, by number: the new element and the ones changed to point to it."""


UNTAGGED = Marking(b"", b"")
ARTIFACT = Marking(b"/Artifact BMC\n", b"EMC\n")

Path = Sequence[str | int]
"""Keys and indices from an object down to a value inside it."""


def mark_stamp(reader: PdfReader, page: PageObject, element: int) -> Marking:
    """The marking of a stamp on ``page`` whose element will be object number ``element``."""
    catalog = _resolve(reader.trailer.raw_get("/Root"))
    if "/StructTreeRoot" not in catalog:
        return UNTAGGED
    tree = catalog.raw_get("/StructTreeRoot")
    key = page.get("/StructParents")
    entry = _parent_tree_entry(tree, int(key)) if isinstance(key, int) else None
    owners = _array(_walk(*entry)) if entry else ArrayObject()
    last = owners[-1] if owners else None
    parent = _resolve(last).raw_get("/P") if isinstance(last, IndirectObject) else None
    if entry is None or not isinstance(parent, IndirectObject) or page.indirect_reference is None:
        return ARTIFACT
    mcid = len(owners)
    new = IndirectObject(element, 0, None)
    edits = _Edits()
    edits.at(*entry).append(new)
    _insert_kid(edits, parent, after=last, kid=new)
    edits.objects[element] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/P"),
            NameObject("/P"): parent,
            NameObject("/Pg"): page.indirect_reference,
            NameObject("/K"): NumberObject(mcid),
        }
    )
    return Marking(b"/P <</MCID %d>> BDC\n" % mcid, b"EMC\n", edits.objects)


def _parent_tree_entry(tree: PdfObject, key: int) -> tuple[IndirectObject, Path] | None:
    """Where the page's array of MCID owners is: the innermost object holding it, and the path.

    The parent tree is a number tree whose root sits in the structure tree root
    or is an object of its own; its kids, if any, are objects of their own.
    """
    if not isinstance(tree, IndirectObject):
        return None
    holder: IndirectObject = tree
    path: Path = ["/ParentTree"]
    node: PdfObject | None = _walk(tree, path)
    while True:
        if isinstance(node, IndirectObject):
            holder, path = node, []
        node = _resolve(node)
        if "/Kids" not in node:
            break
        node = next((k for k in _array(node["/Kids"]) if _covers(_resolve(k), key)), None)
        if node is None:
            return None
    nums = node.raw_get("/Nums") if "/Nums" in node else None
    path = [*path, "/Nums"]
    if isinstance(nums, IndirectObject):
        holder, path = nums, []
    numbers = _array(nums)
    for i in range(0, len(numbers) - 1, 2):
        if numbers[i] == key:
            value = numbers[i + 1]
            return (value, []) if isinstance(value, IndirectObject) else (holder, [*path, i + 1])
    return None


def _insert_kid(
    edits: _Edits, parent: IndirectObject, *, after: PdfObject | None, kid: IndirectObject
) -> None:
    """Put ``kid`` in ``parent``'s /K right after ``after`` (at the end if it is not there)."""
    kids = _resolve(parent).raw_get("/K") if "/K" in _resolve(parent) else None
    if isinstance(kids, IndirectObject):
        array = edits.at(kids, [])
    elif isinstance(kids, ArrayObject):
        array = edits.at(parent, ["/K"])
    else:
        changed = edits.load(parent)
        assert isinstance(changed, DictionaryObject)
        changed[NameObject("/K")] = ArrayObject([] if kids is None else [kids])
        array = edits.at(parent, ["/K"])
    place = next(
        (
            i + 1
            for i, k in enumerate(array)
            if isinstance(k, IndirectObject)
            and isinstance(after, IndirectObject)
            and k.idnum == after.idnum
        ),
        len(array),
    )
    array.insert(place, kid)


class _Edits:
    """Copies of the base's objects that are being changed, by number."""

    def __init__(self) -> None:
        self.objects: dict[int, PdfObject] = {}

    def load(self, ref: IndirectObject) -> PdfObject:
        """The copy of the object ``ref`` names, made on first use."""
        if ref.idnum not in self.objects:
            self.objects[ref.idnum] = _copy(_resolve(ref))
        return self.objects[ref.idnum]

    def at(self, ref: IndirectObject, path: Path) -> ArrayObject:
        """The array at ``path`` in the copy of ``ref``'s object, to change in place."""
        return _array(_walk(self.load(ref), path), strict=True)


def _copy(obj: PdfObject) -> PdfObject:
    """``obj`` with its direct dictionaries and arrays copied; references stay references."""
    if isinstance(obj, DictionaryObject):
        return DictionaryObject({NameObject(k): _copy(obj.raw_get(k)) for k in obj})
    if isinstance(obj, ArrayObject):
        return ArrayObject(_copy(v) for v in obj)
    return obj


def _walk(obj: PdfObject, path: Path) -> PdfObject:
    """The raw value (a reference stays a reference) at ``path`` inside ``obj``."""
    for step in path:
        if isinstance(obj, IndirectObject):
            obj = _resolve(obj)
        if isinstance(step, str) and isinstance(obj, DictionaryObject):
            obj = obj.raw_get(step)
        elif isinstance(step, int) and isinstance(obj, ArrayObject):
            obj = obj[step]
        else:
            raise KeyError(step)
    return obj


def _covers(node: DictionaryObject, key: int) -> bool:
    limits = _array(node.get("/Limits"))
    return len(limits) == 2 and limits[0] <= key <= limits[1]


def _resolve(obj: PdfObject | None) -> DictionaryObject:
    """``obj`` (or what it refers to) as a dictionary; empty if it is not one."""
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    return obj if isinstance(obj, DictionaryObject) else DictionaryObject()


def _array(obj: PdfObject | None, *, strict: bool = False) -> ArrayObject:
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    if isinstance(obj, ArrayObject):
        return obj
    if strict:
        raise TypeError(f"expected an array (got {type(obj).__name__})")
    return ArrayObject()
