"""The screen edition: metadata, language, bookmarks and clickable links."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from brochure.build import Output, build


def test_metadata(hsmc: dict[str, Output]) -> None:
    """Title, author, subject, keywords and language are set, in Info and in XMP."""
    reader = PdfReader(hsmc["screen"].path)
    info = reader.metadata
    assert info is not None
    assert info.title == "Health Services Management Centre: Prospectus"
    assert info.author and "University of Birmingham" in info.author
    assert info.subject and info.subject.startswith("About HSMC")
    assert "HSMC" in str(info["/Keywords"])
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": info.title}
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/DisplayDocTitle"] == True  # noqa: E712 (a pypdf BooleanObject)


def test_bookmarks_follow_headings(hsmc: dict[str, Output]) -> None:
    """pdfium reads one bookmark per heading, nested by level, pointing at its page."""
    pdf = pdfium.PdfDocument(str(hsmc["screen"].path))
    marks = [(b.level, b.get_title(), b.get_dest().get_index()) for b in pdf.get_toc()]
    pdf.close()
    assert marks == [
        (0, "Health Services Management Centre", 0),
        (0, "About HSMC", 1),
        (1, "Distinctive features of HSMC’s work and reputation", 1),
        (0, "Rigour and relevance", 2),
    ]


def links(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]


def test_web_link_is_clickable(hsmc: dict[str, Output]) -> None:
    """The back cover's web address is a link annotation to that address."""
    assert (
        "https://www.birmingham.ac.uk/schools/social-policy/departments/"
        "health-services-management-centre" in links(hsmc["screen"].path)
    )


def test_print_has_no_links(hsmc: dict[str, Output]) -> None:
    """The print edition carries no annotations at all."""
    reader = PdfReader(hsmc["print"].path)
    assert all("/Annots" not in page for page in reader.pages)


def test_mailto_link(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An organisation email becomes a mailto: link on screen and plain text in print."""
    content = project()
    yaml = (content / "brochure.yaml").read_text()
    yaml = yaml.replace("  # email: enquiries@example.org", "  email: enquiries@example.org")
    (content / "brochure.yaml").write_text(yaml)
    outputs = {o.edition: o for o in build(content, tmp_path / "out")}
    assert "mailto:enquiries@example.org" in links(outputs["screen"].path)
    assert links(outputs["print"].path) == []


def test_screen_edition_is_small_enough_to_email(hsmc: dict[str, Output]) -> None:
    """The HSMC screen edition stays under 150 KB: subset fonts, compressed streams."""
    assert hsmc["screen"].size <= 150 * 1024
    assert hsmc["screen"].path.stat().st_size == hsmc["screen"].size


def test_a_language_without_hyphenation_patterns(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Welsh has no Pyphen patterns: the brochure is set without hyphenation, tagged cy-GB."""
    content = project()
    source = content / "brochure.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("language: en-GB", "language: cy-GB"),
        encoding="utf-8",
    )
    (screen,) = build(content, tmp_path / "out", ["screen"])
    assert PdfReader(screen.path).trailer["/Root"]["/Lang"] == "cy-GB"
