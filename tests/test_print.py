"""The print edition as a print shop reads it: PDF/X-4, ink limits, black, spot colours."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from brochure.build import Output, build
from brochure.errors import ContentError

from . import pdfx4


def test_strict_pdfx4_reading(hsmc: dict[str, Output]) -> None:
    """An independent reading of ISO 15930-7's requirements finds nothing wrong."""
    assert pdfx4.problems(hsmc["print"].path) == []


def test_strict_reading_rejects_the_screen_edition(hsmc: dict[str, Output]) -> None:
    """The same reading fails the screen edition (RGB, links, no intent): it is not vacuous."""
    found = pdfx4.problems(hsmc["screen"].path)
    assert any("output intent" in p for p in found)
    assert any("DeviceRGB" in p for p in found)
    assert any("annotation /Link" in p for p in found)


def test_output_intent_is_fogra39(hsmc: dict[str, Output]) -> None:
    """The output intent names FOGRA39 and embeds the CMYK profile shipped with brochure."""
    root = PdfReader(hsmc["print"].path).trailer["/Root"]
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert b"Coated FOGRA39" in profile.get_data()


def ink_coverage(pdf: Path, tmp_path: Path) -> list[float]:
    """Highest total ink (C+M+Y+K, per cent) on each page, inside the bleed box, as
    Ghostscript separates it (tiff32nc: one byte per ink)."""
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript not installed (.ci/run installs it)")
    out = tmp_path / "page-%d.tif"
    subprocess.run(
        [
            gs,
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=tiff32nc",
            "-r40",
            "-dUseBleedBox",
            f"-sOutputFile={out}",
            str(pdf),
        ],
        check=True,
    )
    peaks = []
    for page in sorted(tmp_path.glob("page-*.tif")):
        with Image.open(page) as image:
            assert image.mode == "CMYK"
            data = image.tobytes()  # C, M, Y, K bytes per pixel
        peaks.append(max(sum(data[i : i + 4]) for i in range(0, len(data), 4)) / 255 * 100)
    return peaks


def test_ink_coverage_within_300(hsmc: dict[str, Output], tmp_path: Path) -> None:
    """Ghostscript measures at most 300 % total ink anywhere; the navy cover is about 220 %."""
    peaks = ink_coverage(hsmc["print"].path, tmp_path)
    assert len(peaks) == 4
    assert max(peaks) <= 300
    assert peaks[0] == pytest.approx(220, abs=3)


def operations(pdf: Path, page: int) -> list[tuple[list[object], bytes]]:
    reader = PdfReader(pdf)
    return ContentStream(reader.pages[page].get_contents(), reader).operations


def test_black_text_overprints(hsmc: dict[str, Output]) -> None:
    """Body text in 100 % K is drawn with overprint on (op true, OPM 1)."""
    reader = PdfReader(hsmc["print"].path)
    states = reader.pages[1]["/Resources"]["/ExtGState"]
    on = {name for name, gs in states.items() if gs.get_object().get("/op") == True}  # noqa: E712
    mask = {name for name, gs in states.items() if gs.get_object().get("/OPM") == 1}
    stack: list[set[str]] = [set()]  # graphics states in force, per q/Q level
    black_text = 0
    for operands, op in operations(hsmc["print"].path, 1):
        if op == b"q":
            stack.append(set(stack[-1]))
        elif op == b"Q":
            stack.pop()
        elif op == b"gs":
            stack[-1].add(str(operands[0]))
        elif op == b"k" and [float(v) for v in operands] == [0, 0, 0, 1]:
            black_text += 1
            assert stack[-1] & on and stack[-1] & mask, "black text without overprint"
    assert black_text >= 3


def with_theme(project, tmp_path: Path, theme: str) -> Path:  # type: ignore[no-untyped-def]
    content = project({"content/theme.yaml": theme})
    return build(content, tmp_path / "out", ["print"])[0].path


def test_rich_black_for_large_areas(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A cover filled with 100 % K prints in the theme's rich black (60/40/40/100)."""
    pdf = with_theme(
        project, tmp_path, "colours:\n  navy: {cmyk: [0, 0, 0, 100], rgb: '#000000'}\n"
    )
    fills = [[float(v) for v in o] for o, op in operations(pdf, 0) if op == b"k"]
    assert [0.6, 0.4, 0.4, 1.0] in fills


def test_spot_colour_is_a_separation(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A colour with a spot name prints as a Separation of that ink, CMYK as its alternate."""
    pdf = with_theme(
        project,
        tmp_path,
        "colours:\n  gold: {cmyk: [0, 30, 95, 0], rgb: '#fdb924', spot: HSMC Gold}\n",
    )
    spaces = PdfReader(pdf).pages[0]["/Resources"]["/ColorSpace"]
    separations = [cs.get_object() for cs in spaces.values()]
    assert any(
        (s[0] == "/Separation" and s[1] == "/HSMC#20Gold") or s[1] == "/HSMC Gold"
        for s in separations
    )
    assert any(s[2] == "/DeviceCMYK" for s in separations)


def test_colour_over_the_ink_limit_is_refused(project) -> None:  # type: ignore[no-untyped-def]
    """A colour of 320 % total ink is an error at its line, naming the limit."""
    from brochure.project import Project
    from brochure.validate import read_theme

    content = project(
        {"content/theme.yaml": "colours:\n  navy: {cmyk: [100, 100, 20, 100], rgb: '#000000'}\n"}
    )
    with pytest.raises(ContentError) as info:
        read_theme(Project(content))
    (problem,) = info.value.problems
    assert "theme.yaml:2:" in str(problem) and "320 % ink in total, over the 300 % limit" in str(
        problem
    )
