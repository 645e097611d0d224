"""The screen edition is tagged PDF: structure, marked content, and PDF/UA-1 (veraPDF)."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from brochure.build import Output

from . import verapdf
from .conftest import poppler

SHOWS = {b"Tj", b"TJ", b"'", b'"'}
PAINTS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"sh", b"Do"}


def unmarked(path: Path) -> list[tuple[int, bytes]]:
    """(page, operator) for every text or painting operator outside marked content,
    walking each content stream and the marked-content nesting with pypdf."""
    reader = PdfReader(path)
    found = []
    for number, page in enumerate(reader.pages, 1):
        depth = 0
        for _, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"BDC", b"BMC"):
                depth += 1
            elif op == b"EMC":
                depth -= 1
                assert depth >= 0, f"unbalanced EMC on page {number}"
            elif depth == 0 and op in SHOWS | PAINTS:
                found.append((number, op))
        assert depth == 0, f"unclosed marked content on page {number}"
    return found


def elements(path: Path) -> list[DictionaryObject]:
    """Every structure element, in reading order (depth first)."""
    root = PdfReader(path).trailer["/Root"]["/StructTreeRoot"]
    out: list[DictionaryObject] = []

    def walk(kids: object) -> None:
        for kid in kids if isinstance(kids, list) else [kids]:  # type: ignore[attr-defined]
            kid = kid.get_object()
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/StructElem":
                out.append(kid)
                walk(kid.get("/K", []))

    walk(root["/K"])
    return out


def test_everything_drawn_is_marked(hsmc: dict[str, Output]) -> None:
    """Every text-showing and painting operator lies inside marked content or an artifact."""
    assert unmarked(hsmc["screen"].path) == []


def test_catalog_says_tagged(hsmc: dict[str, Output]) -> None:
    """/MarkInfo /Marked true, a language, the title shown, and the PDF/UA identifier in XMP."""
    reader = PdfReader(hsmc["screen"].path)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp


def test_figures_have_alt_text(hsmc: dict[str, Output]) -> None:
    """Each Figure element carries the alternative text written in content."""
    figures = [e for e in elements(hsmc["screen"].path) if e["/S"] == "/Figure"]
    assert len(figures) == 1
    assert str(figures[0]["/Alt"]).startswith("A circle of four activities")


def test_headings_do_not_skip_levels(hsmc: dict[str, Output]) -> None:
    """Headings start at H1 and never go down more than one level at a time."""
    levels = [
        int(str(e["/S"])[2:])
        for e in elements(hsmc["screen"].path)
        if str(e["/S"]) in ("/H1", "/H2", "/H3")
    ]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_lists_are_structured(hsmc: dict[str, Output]) -> None:
    """Lists are L > LI > Lbl + LBody."""
    roles = [str(e["/S"]) for e in elements(hsmc["screen"].path)]
    first = roles.index("/L")
    assert roles[first : first + 4] == ["/L", "/LI", "/Lbl", "/LBody"]
    assert roles.count("/LI") == 6


def test_links_are_tagged(hsmc: dict[str, Output]) -> None:
    """Every link annotation has a Link element parent, a description and /Tabs /S."""
    reader = PdfReader(hsmc["screen"].path)
    for page in reader.pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            assert "/StructParent" in annot and str(annot["/Contents"]).startswith("Link to")
            assert page["/Tabs"] == "/S"
    roles = [str(e["/S"]) for e in elements(hsmc["screen"].path)]
    assert "/Link" in roles


def test_reading_order(hsmc: dict[str, Output]) -> None:
    """poppler reads the structure in content order: cover, about, features, circle, back."""
    text = subprocess.run(
        [poppler("pdfinfo"), "-struct-text", str(hsmc["screen"].path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    marks = [
        "Management Centre",
        "About HSMC",
        "Distinctive features",
        "Rigour and relevance",
        "virtuous circle",
        "With research (R)",
        "Rigour and relevance in health",
    ]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_print_edition_is_not_tagged(hsmc: dict[str, Output]) -> None:
    """The print edition is plain PDF/X: no structure tree, not marked as tagged, no links.
    (Its pages carry the same marked-content operators as the screen's, which cost nothing.)"""
    root = PdfReader(hsmc["print"].path).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root


def test_verapdf_finds_pdfua1_compliant(hsmc: dict[str, Output]) -> None:
    """veraPDF's PDF/UA-1 profile passes the screen edition with no failed rule."""
    if verapdf.find_validator() is None:
        pytest.skip("veraPDF not installed (run .ci/install-verapdf.sh)")
    result = verapdf.validate_pdfua(hsmc["screen"].path)
    assert result.failures == []
    assert result.compliant


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Output]:
    """The test brochure with every block kind and layout."""
    from brochure.build import build

    from .conftest import ROOT

    out = tmp_path_factory.mktemp("sink")
    return {o.edition: o for o in build(ROOT / "tests/fixtures/sink/content", out)}


def test_every_block_kind_is_marked(sink: dict[str, Output]) -> None:
    """Quotes, columns, numbered and labelled lists, programmes: everything drawn is marked."""
    assert unmarked(sink["screen"].path) == []
    roles = {str(e["/S"]) for e in elements(sink["screen"].path)}
    assert {
        "/BlockQuote",
        "/Caption",
        "/Figure",
        "/H1",
        "/H2",
        "/H3",
        "/L",
        "/LI",
        "/Lbl",
        "/LBody",
        "/Link",
        "/P",
        "/Sect",
    } <= roles


def test_every_block_kind_passes_verapdf(sink: dict[str, Output]) -> None:
    """veraPDF's PDF/UA-1 profile passes the brochure with every kind of block."""
    if verapdf.find_validator() is None:
        pytest.skip("veraPDF not installed (run .ci/install-verapdf.sh)")
    result = verapdf.validate_pdfua(sink["screen"].path)
    assert result.failures == []


def test_mailto_link_is_tagged(sink: dict[str, Output]) -> None:
    """The email link's annotation says what it does."""
    reader = PdfReader(sink["screen"].path)
    contents = [
        str(a.get_object()["/Contents"]) for p in reader.pages for a in p.get("/Annots", [])
    ]
    assert "Email hello@example.org" in contents


def test_a_paragraph_across_pages_keeps_one_element(
    project,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A paragraph split across pages is one P element: its MCID on its own page (/Pg)
    as a number, on the next page as a marked-content reference to that page; the
    parent tree points both back at it, poppler reads its text whole, veraPDF passes."""
    from brochure.build import build

    words = " ".join(f"word{i}" for i in range(900))
    content = project()
    path = content / "brochure.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "      - paragraph: >-\n          The commissioning"
    assert marker in text
    path.write_text(text.replace(marker, f"      - paragraph: {words}\n{marker}", 1), "utf-8")
    (screen,) = build(content, tmp_path / "out", ["screen"])
    reader = PdfReader(screen.path)
    pages = [p.indirect_reference.idnum for p in reader.pages]

    def crosses(e: DictionaryObject) -> bool:
        kids = e["/K"] if isinstance(e["/K"], list) else [e["/K"]]
        return any(getattr(k.get_object(), "get", dict().get)("/Type") == "/MCR" for k in kids)

    (long,) = [e for e in elements(screen.path) if crosses(e)]
    assert long["/S"] == "/P"
    first, *rest = long["/K"]
    assert isinstance(first, int) and rest
    assert all(r.get_object()["/Type"] == "/MCR" for r in rest)
    own_page = pages.index(long.raw_get("/Pg").idnum)
    assert all(pages.index(r.get_object().raw_get("/Pg").idnum) > own_page for r in rest)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    owners = dict(zip(nums[::2], nums[1::2], strict=True))
    me = long.indirect_reference.idnum
    assert owners[own_page][first].idnum == me
    for r in rest:
        mcr = r.get_object()
        assert owners[pages.index(mcr.raw_get("/Pg").idnum)][mcr["/MCID"]].idnum == me
    struct = subprocess.run(
        [poppler("pdfinfo"), "-struct-text", str(screen.path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "word0" in struct and "word899" in struct
    if verapdf.find_validator() is not None:
        result = verapdf.validate_pdfua(screen.path)
        assert result.failures == [] and result.compliant
