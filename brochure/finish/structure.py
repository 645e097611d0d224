"""Tagging, the finish half: the layout's structure tree -> the PDF's structure tree.

Input: a :class:`~brochure.layout.tagging.StructNode` tree whose leaves say
which marked content (page, MCID) and which link annotations (page, URI)
belong to each element. Output, written into the PDF with pypdf: a
StructTreeRoot with one StructElem per node (standard roles, /Alt on figures)
whose marked content is named by its MCID alone on the element's own page
(/Pg) and by an MCR on any other, OBJR kids for links, the ParentTree mapping
every MCID and annotation back to its element, /StructParents on pages,
/StructParent and /Contents on link annotations, /Tabs /S on pages with
annotations, and /MarkInfo /Marked true.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from ..layout.tagging import LinkRef, MarkedRef, StructNode

__all__ = ["add_structure"]


def _name(text: str) -> NameObject:
    return NameObject("/" + text)


class _Builder:
    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.pages = [page.indirect_reference for page in writer.pages]
        self.by_mcid: dict[int, dict[int, IndirectObject]] = {}
        self.annot_parents: list[IndirectObject] = []
        self.links = self._annotations()

    def add(self, obj: PdfObject) -> IndirectObject:
        # pypdf has no public call for a new indirect object; structure elements
        # must be indirect (parents and the parent tree point at them).
        return self.writer._add_object(obj)

    def _annotations(self) -> dict[tuple[int, str], list[DictionaryObject]]:
        """Each page's URI link annotations, in drawing order, by (page, URI)."""
        found: dict[tuple[int, str], list[DictionaryObject]] = {}
        for i, page in enumerate(self.writer.pages):
            for ref in page.get("/Annots", ()):
                annot = ref.get_object()
                action = annot.get("/A")
                uri = action.get_object().get("/URI") if action is not None else None
                if annot.get("/Subtype") == "/Link" and uri is not None:
                    found.setdefault((i, str(uri)), []).append(annot)
        return found

    def element(self, node: StructNode, parent: IndirectObject) -> IndirectObject | None:
        elem = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): _name(node.role),
                NameObject("/P"): parent,
            }
        )
        ref = self.add(elem)
        # Marked content on the element's own page (/Pg: that of its first) is named by
        # its MCID alone; only content on another page needs a marked-content reference.
        page = next((k.page for k in node.kids if isinstance(k, MarkedRef)), None)
        if page is not None:
            elem[NameObject("/Pg")] = self.pages[page]
        kids = ArrayObject()
        for kid in node.kids:
            if isinstance(kid, StructNode):
                child = self.element(kid, ref)
                if child is not None:
                    kids.append(child)
            elif isinstance(kid, MarkedRef):
                kids.append(self._mcr(kid, ref, page))
            else:
                kids.extend(self._objrs(kid, node, ref))
        if not kids:
            return None  # an element with nothing in it (e.g. a link never drawn)
        elem[NameObject("/K")] = kids[0] if len(kids) == 1 else kids
        if node.alt and node.role == "Figure":
            elem[NameObject("/Alt")] = TextStringObject(node.alt)
        return ref

    def _mcr(self, kid: MarkedRef, elem: IndirectObject, page: int | None) -> PdfObject:
        self.by_mcid.setdefault(kid.page, {})[kid.mcid] = elem
        if kid.page == page:
            return NumberObject(kid.mcid)
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/MCR"),
                NameObject("/Pg"): self.pages[kid.page],
                NameObject("/MCID"): NumberObject(kid.mcid),
            }
        )

    def _objrs(
        self, kid: LinkRef, node: StructNode, elem: IndirectObject
    ) -> list[DictionaryObject]:
        """OBJR kids for every annotation of this link on that page (a wrapped link has two)."""
        out = []
        for annot in self.links.pop((kid.page, kid.uri), []):
            annot[NameObject("/StructParent")] = NumberObject(
                len(self.pages) + len(self.annot_parents)
            )
            annot[NameObject("/Contents")] = TextStringObject(node.alt or kid.uri)
            self.annot_parents.append(elem)
            out.append(
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/OBJR"),
                        NameObject("/Obj"): annot.indirect_reference,
                        NameObject("/Pg"): self.pages[kid.page],
                    }
                )
            )
        return out

    def parent_tree(self) -> DictionaryObject:
        nums = ArrayObject()
        for i, page in enumerate(self.writer.pages):
            page[NameObject("/StructParents")] = NumberObject(i)
            mcids = self.by_mcid.get(i, {})
            nums += [NumberObject(i), ArrayObject(mcids[k] for k in sorted(mcids))]
            if "/Annots" in page:
                page[NameObject("/Tabs")] = NameObject("/S")
        for k, elem in enumerate(self.annot_parents):
            nums += [NumberObject(len(self.pages) + k), elem]
        return DictionaryObject({NameObject("/Nums"): nums})


def add_structure(writer: PdfWriter, root: StructNode) -> None:
    """Write the structure tree of ``root`` into ``writer``'s document."""
    builder = _Builder(writer)
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = builder.add(tree)
    document = builder.element(root, tree_ref)
    tree[NameObject("/K")] = ArrayObject([document] if document is not None else [])
    tree[NameObject("/ParentTree")] = builder.add(builder.parent_tree())
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(
        len(builder.pages) + len(builder.annot_parents)
    )
    catalog = writer.root_object
    catalog[NameObject("/StructTreeRoot")] = tree_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )
