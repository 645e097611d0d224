"""The fonts check: embedded, subset, and found wherever the page draws from."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from reportlab.pdfgen.canvas import Canvas

from brochure.preflight import Status, preflight

from .pdfs import measured, named, print_ready


def _helvetica_in_a_form(canvas: Canvas, page: int) -> None:
    if page == 2:
        canvas.beginForm("label")
        canvas.setFont("Helvetica", 9)
        canvas.drawString(0, 0, "set in a form")
        canvas.endForm()
        canvas.doForm("label")


def _helvetica(canvas: Canvas, page: int) -> None:
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 72, "not embedded")


def test_unembedded_font_fails_naming_font_and_page(tmp_path: Path) -> None:
    """Text in standard Helvetica fails with the font's name and the page."""
    check = named(preflight(print_ready(tmp_path / "f.pdf", draw=_helvetica)), "fonts")
    assert check.status is Status.FAIL
    assert check.message.startswith("font Helvetica is not embedded (page 1)")
    assert check.pages == (1,)


def test_embedded_truetype_subset_passes(tmp_path: Path) -> None:
    """A TrueType font embedded by ReportLab is reported embedded and subset."""
    check = named(preflight(print_ready(tmp_path / "f.pdf")), "fonts")
    assert check.status is Status.PASS
    assert check.values["fonts"] == [
        {
            "name": "SourceSans3-Regular",
            "type": "TrueType",
            "embedded": True,
            "subset": True,
            "used": True,
            "pages": [1],
        }
    ]


def test_font_inside_a_form_xobject_is_found(tmp_path: Path) -> None:
    """A font used only inside a Form XObject is checked, on the page that draws the form."""
    path = print_ready(tmp_path / "f.pdf", pages=3, draw=_helvetica_in_a_form)
    check = named(preflight(path), "fonts")
    assert check.status is Status.FAIL
    assert "font Helvetica is not embedded (page 2)" in check.message


def test_unembedded_font_that_shows_no_text_only_warns(tmp_path: Path) -> None:
    """A font listed in the resources but never used to show text warns, not fails."""
    canvas = Canvas(str(tmp_path / "f.pdf"), invariant=True)  # lists Helvetica, draws no text
    canvas.rect(100, 100, 100, 100)
    canvas.showPage()
    canvas.save()
    check = named(preflight(tmp_path / "f.pdf"), "fonts")
    assert check.status is Status.WARN
    assert "font Helvetica is not embedded but shows no text" in check.message


def _type3_using_helvetica(path: Path) -> Path:
    """Rewrite ``path`` so page 1 lists a Type3 font whose glyphs set text in Helvetica."""
    writer = PdfWriter(clone_from=PdfReader(path))
    helvetica = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    glyph_resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/G1"): writer._add_object(helvetica)})}
    )
    type3 = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type3"),
            NameObject("/Name"): NameObject("/Ornaments"),
            NameObject("/Resources"): glyph_resources,
        }
    )
    fonts = writer.pages[0]["/Resources"].get_object()["/Font"].get_object()  # type: ignore[index]
    fonts[NameObject("/T3")] = writer._add_object(type3)
    writer.write(path)
    return path


def test_font_inside_a_type3_font_is_found(tmp_path: Path) -> None:
    """A font that a Type3 font's glyphs use is checked, and counts as used."""
    path = _type3_using_helvetica(print_ready(tmp_path / "f.pdf"))
    check = named(preflight(path), "fonts")
    assert check.message.startswith("font Helvetica is not embedded (page 1)")
    names = {(f["name"], f["type"]) for f in measured(check, "fonts")}
    assert ("Ornaments", "Type3") in names
