"""The output intent and PDF/X keys, and reading the output profile."""

from __future__ import annotations

from pathlib import Path

from brochure.preflight import Status, preflight
from brochure.preflight.icc import read_profile

from .pdfs import add_pdfx, icc_profile, named, print_ready


def test_file_without_output_intent_warns(tmp_path: Path) -> None:
    """A file that does not claim PDF/X warns, listing what PDF/X-4 would need."""
    check = named(preflight(print_ready(tmp_path / "x.pdf")), "output-intent")
    assert check.status is Status.WARN
    assert check.message.startswith("not PDF/X: no OutputIntent for PDF/X")


def test_complete_pdfx4_passes_and_names_the_profile(tmp_path: Path) -> None:
    """Intent, embedded profile, version in Info and XMP, /Trapped and /ID: it passes."""
    path = add_pdfx(print_ready(tmp_path / "x.pdf"), profile=icc_profile("Coated FOGRA39"))
    check = named(preflight(path), "output-intent")
    assert (check.status, check.message) == (
        Status.PASS,
        "PDF/X-4, made for 'Coated FOGRA39' (CMYK)",
    )
    assert check.values["pdfx_version"] == {"info": "PDF/X-4", "xmp": "PDF/X-4"}


def test_claiming_pdfx_without_an_intent_fails(tmp_path: Path) -> None:
    """A file whose keys say PDF/X-4 but which has no output intent fails."""
    path = add_pdfx(print_ready(tmp_path / "x.pdf"), intent=False)
    check = named(preflight(path), "output-intent")
    assert check.status is Status.FAIL
    assert check.message.startswith("the file claims PDF/X-4, but: no OutputIntent for PDF/X")


def test_output_intent_without_the_keys_still_warns(tmp_path: Path) -> None:
    """An output intent alone, with no PDF/X version keys, warns as not PDF/X."""
    path = add_pdfx(print_ready(tmp_path / "x.pdf"), claim=None, profile=icc_profile("Press"))
    check = named(preflight(path), "output-intent")
    assert check.status is Status.WARN
    assert "no GTS_PDFXVersion in the document information" in check.message
    assert check.values["profile"] == {"description": "Press", "colour_space": "CMYK"}


def test_profile_description_is_read_from_version_4_profiles() -> None:
    """A version 4 profile's multilingual description is read as well as a version 2 one."""
    assert read_profile(icc_profile("PSO Coated v3", version=4)).description == "PSO Coated v3"
    assert read_profile(icc_profile("sRGB", b"RGB ")).colour_space == "RGB"
    assert read_profile(b"short").colour_space == "unreadable"
