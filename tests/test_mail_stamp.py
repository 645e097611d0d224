"""Personalised covers: the name as text in the brochure's fonts, stamped onto the one build."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from brochure.build import Output, build
from brochure.mail.cover import Cover
from brochure.mail.recipients import Recipient
from brochure.mail.stamp import Stamper, content_digest
from brochure.project import Project
from brochure.units import MM
from brochure.validate import read_theme

from . import verapdf
from .conftest import CONTENT, pdffonts, pdftotext, poppler

PEOPLE = [
    ("Siân Llŵyd", "Bwrdd Iechyd Prifysgol Caerdydd a’r Fro"),
    ("Paweł Łukasiewicz", "Szpital Wojewódzki w Łodzi"),
    ("Bjørn Østergård", ""),
]


@pytest.fixture(scope="module")
def cover() -> Cover:
    theme, fonts = read_theme(Project(CONTENT))
    return Cover(theme, fonts)


def stamp(cover: Cover, base: Path, people: list[tuple[str, str]]) -> Stamper:
    lines = [cover.lines(name, organisation) for name, organisation in people]
    page = PdfReader(base).pages[0].mediabox
    return Stamper(base.read_bytes(), cover.overlays(lines, (page.width, page.height)))


@pytest.fixture(scope="module")
def copies(
    hsmc: dict[str, Output], cover: Cover, tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """The screen edition stamped for each of PEOPLE, written to files."""
    stamper = stamp(cover, hsmc["screen"].path, PEOPLE)
    folder = tmp_path_factory.mktemp("copies")
    paths = [folder / f"copy-{i}.pdf" for i in range(len(stamper))]
    for i, path in enumerate(paths):
        path.write_bytes(stamper.copy(i))
    return paths


def test_name_reads_as_text(copies: list[Path]) -> None:
    """Each copy's cover says "Prepared for" and the name, as text poppler and pypdf extract."""
    for path, (name, organisation) in zip(copies, PEOPLE, strict=True):
        text = pdftotext(path)
        assert "Prepared for" in text
        assert name in text and organisation in text
        assert name in PdfReader(path).pages[0].extract_text()


def test_each_copy_holds_only_its_own_name(copies: list[Path]) -> None:
    """Personalised: nobody's copy mentions anyone else."""
    for i, path in enumerate(copies):
        text = pdftotext(path)
        others = [name for j, (name, _) in enumerate(PEOPLE) if j != i]
        assert not [name for name in others if name in text]


def test_copy_is_the_build_plus_an_update(hsmc: dict[str, Output], copies: list[Path]) -> None:
    """A copy starts with the built PDF byte for byte: stamped, not rebuilt."""
    built = hsmc["screen"].path.read_bytes()
    for path in copies:
        data = path.read_bytes()
        assert data.startswith(built.rstrip(b"\n"))
        assert len(data) - len(built) < 60_000  # the name, two font subsets and an xref


def test_other_pages_and_page_count_unchanged(hsmc: dict[str, Output], copies: list[Path]) -> None:
    """Only the cover changes; every other page draws exactly what the build drew."""
    built = PdfReader(hsmc["screen"].path)
    for path in copies:
        reader = PdfReader(path)
        assert len(reader.pages) == len(built.pages)
        for ours, theirs in zip(reader.pages[1:], built.pages[1:], strict=True):
            assert ours.get_contents().get_data() == theirs.get_contents().get_data()


def test_pdf_is_valid(copies: list[Path]) -> None:
    """qpdf finds no syntax or stream errors in a stamped copy, and pypdf reads it strictly."""
    for path in copies:
        PdfReader(path, strict=True).pages[0].extract_text()
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf not installed")
    for path in copies:
        subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)


def test_name_in_the_brochures_embedded_fonts(copies: list[Path]) -> None:
    """The name is set in the theme's Source Sans, embedded and subset under a tag of its own."""
    fonts = pdffonts(copies[0])
    assert all(f["emb"] == "yes" for f in fonts)
    names = [f["name"] for f in fonts]
    added = [n for n in names if "SourceSans3" in n and not n.startswith("AAAAAA+")]
    assert len(added) == 2  # the label's regular and the name's semibold
    assert len(set(names)) == len(names)


def test_welsh_polish_scandinavian_letters_drawn(copies: list[Path], cover: Cover) -> None:
    """ŵ, ł, ø and friends have glyphs in the cover font (none fall back to a blank box)."""
    for name, organisation in PEOPLE:
        who = Recipient(2, name, "x@example.org", {"name": name, "organisation": organisation})
        assert list(cover.check(who)) == []
    text = pdftotext(copies[0]) + pdftotext(copies[1]) + pdftotext(copies[2])
    for letter in "ŵłŁøØå":
        assert letter in text


def test_name_placed_above_the_gold_band(copies: list[Path], cover: Cover) -> None:
    """The lines start at the title's left margin and stand between the subtitle and the band."""
    poppler("pdftotext")
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(copies[1]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = {
        m[5]: tuple(map(float, m.groups()[:4]))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html
        )
    }
    left, top, _, _ = words["Prepared"]
    assert left == pytest.approx(cover.left, abs=1.5)  # 19 mm, like the title
    assert words["Paweł"][0] == pytest.approx(cover.left, abs=1.5)
    height = PdfReader(copies[1]).pages[0].mediabox.height
    band = height * 0.655
    assert words["Paweł"][3] < band - 5 * MM  # clear of the band
    assert top > words["Prospectus"][3] + 10 * MM  # well below the subtitle


def test_name_drawn_in_white(copies: list[Path], hsmc: dict[str, Output], cover: Cover) -> None:
    """Rendered, the name's area has white text where the build has plain navy."""
    import pypdfium2 as pdfium

    def pixels(path: Path) -> list[tuple[int, int, int]]:
        pdf = pdfium.PdfDocument(str(path))
        image = pdf[0].render(scale=2).to_pil().convert("RGB")
        pdf.close()
        h = image.height / 2
        xs = range(int(cover.left * 2), int((cover.left + 60) * 2))
        ys = range(int((h - cover.baseline - 10) * 2), int((h - cover.baseline + 2) * 2))
        return [image.getpixel((x, y)) for x in xs for y in ys]

    before = pixels(hsmc["screen"].path)
    after = pixels(copies[2])
    assert not [p for p in before if min(p) > 230]
    assert len([p for p in after if min(p) > 230]) > 50


def test_long_organisation_breaks_after_the_comma(cover: Cover) -> None:
    """A name and organisation too long for one line go on two, the organisation smaller."""
    label, name, organisation = cover.lines(
        "Gwenllïan ap Rhys", "Bwrdd Iechyd Prifysgol Betsi Cadwaladr, Ysbyty Gwynedd"
    )
    assert label.text == "Prepared for"
    assert name.text == "Gwenllïan ap Rhys,"
    assert organisation.text == "Bwrdd Iechyd Prifysgol Betsi Cadwaladr, Ysbyty Gwynedd"
    assert organisation.size < name.size
    assert label.y > name.y > organisation.y == pytest.approx(cover.baseline)


def test_too_long_refused(cover: Cover) -> None:
    """A name that does not fit even at the smallest size is a problem, not a clipped line."""
    who = Recipient(5, "Maximilian " * 12, "m@example.org", {"name": "Maximilian " * 12})
    ((field, message),) = cover.check(who)
    assert field == "name"
    assert message.startswith("too long for the cover:")


def test_missing_glyph_refused(cover: Cover) -> None:
    """Characters the cover font cannot draw are named, instead of printing blank boxes."""
    who = Recipient(3, "李小龍", "l@example.org", {"name": "李小龍"})
    ((field, message),) = cover.check(who)
    assert field == "name"
    assert "'李' (U+674E)" in message


def marked_operators(path: Path) -> list[tuple[list[object], bytes]]:
    """(enclosing marked-content tags, operator) for each painting operator on page 1."""
    reader = PdfReader(path)
    stack: list[object] = []
    found = []
    for operands, op in ContentStream(reader.pages[0].get_contents(), reader).operations:
        if op in (b"BDC", b"BMC"):
            stack.append(operands[0])
        elif op == b"EMC":
            stack.pop()
        elif op in (b"Tj", b"TJ", b"f", b"f*", b"S", b"Do"):
            found.append((list(stack), op))
    return found


def test_stamp_is_tagged_in_the_cover_section(copies: list[Path]) -> None:
    """In the tagged edition the stamp is marked content of a P after the cover's last element."""
    operators = marked_operators(copies[0])
    assert all(tags for tags, _ in operators)  # nothing drawn outside marked content
    (stamp,) = [tags for tags, op in operators if op == b"Do"]
    assert stamp == ["/P"]
    reader = PdfReader(copies[0])
    cover_page = reader.pages[0]
    owners = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]
    nums = owners["/Nums"]
    mcids = nums[nums.index(cover_page["/StructParents"]) + 1]
    ours = mcids[-1].get_object()
    assert isinstance(ours, DictionaryObject)
    assert (ours["/S"], ours["/K"]) == ("/P", len(mcids) - 1)
    section = ours["/P"].get_object()
    assert section["/K"][-1].get_object() is ours
    assert mcids[-2].get_object() in [k.get_object() for k in section["/K"]]


def test_stamped_copy_passes_pdfua(copies: list[Path]) -> None:
    """veraPDF's PDF/UA-1 profile passes a stamped copy, as it passes the build."""
    if verapdf.find_validator() is None:
        pytest.skip("veraPDF not installed (run .ci/install-verapdf.sh)")
    result = verapdf.validate_pdfua(copies[0])
    assert result.failures == []


def test_digest_ignores_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of the same content on different dates differ as files, not in digest."""
    outputs = []
    for epoch in ("1700000000", "1800000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        (out,) = build(CONTENT, tmp_path / epoch, ["screen"])
        outputs.append(out.path)
    first, second = (PdfReader(p) for p in outputs)
    assert outputs[0].read_bytes() != outputs[1].read_bytes()
    assert content_digest(first) == content_digest(second)
