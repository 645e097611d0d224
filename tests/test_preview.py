"""`brochure preview` and `brochure figure --format png`: pages and figures as PNG."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from brochure.build import build
from brochure.errors import ContentError
from brochure.export import export_figure
from brochure.preview import GAP, GROUND, THUMB_WIDTH, preview

from .conftest import CONTENT

A5 = 210 / 148


def test_preview_renders_every_page(tmp_path: Path) -> None:
    """One PNG per page of the screen edition, A5 in shape, at the resolution asked for."""
    result = preview(CONTENT, tmp_path, dpi=72)
    screen = next(o for o in result.outputs if o.edition == "screen")
    assert len(result.pages) == screen.pages == 4
    assert [p.name for p in result.pages] == [f"hsmc-prospectus-page-0{n}.png" for n in range(1, 5)]
    for path in result.pages:
        with Image.open(path) as image:
            assert image.height / image.width == pytest.approx(A5, rel=0.01)
            assert image.width == pytest.approx(148 / 25.4 * 72, abs=1)


def test_preview_builds_as_build_does(tmp_path: Path) -> None:
    """The PDFs are the content's editions, named and paged as `brochure build` writes them."""
    result = preview(CONTENT, tmp_path / "preview-out")
    built = build(CONTENT, tmp_path / "build-out")
    assert [(o.edition, o.path.name, o.pages) for o in result.outputs] == [
        (o.edition, o.path.name, o.pages) for o in built
    ]
    assert all(o.path.parent == tmp_path / "preview-out" for o in result.outputs)


def test_contact_sheet_shows_all_pages_on_grey(tmp_path: Path) -> None:
    """The contact sheet holds the four pages in one row, each on a light grey ground."""
    result = preview(CONTENT, tmp_path)
    assert result.contact_sheet == tmp_path / "preview" / "hsmc-prospectus-contact.png"
    with Image.open(result.contact_sheet) as sheet:
        rgb = sheet.convert("RGB")
    assert rgb.width == GAP + 4 * (THUMB_WIDTH + GAP)
    assert rgb.getpixel((GAP // 2, GAP // 2)) == GROUND
    thumb_height = round(THUMB_WIDTH * A5)
    for n in range(4):
        left = GAP + n * (THUMB_WIDTH + GAP)
        page = rgb.crop((left, GAP, left + THUMB_WIDTH, GAP + thumb_height))
        ground = sum(count for count, colour in page.getcolors(1 << 16) or [] if colour == GROUND)
        assert ground < 0.01 * THUMB_WIDTH * thumb_height  # a page is drawn here
    assert rgb.getpixel((GAP + THUMB_WIDTH // 2, GAP + 10)) == (0, 47, 107)  # the navy cover


def test_stale_pages_are_removed(project: Callable[..., Path], tmp_path: Path) -> None:
    """A page PNG left from a longer version of the brochure is deleted."""
    content = project()
    out = tmp_path / "out"
    stale = out / "preview" / "hsmc-prospectus-page-09.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    keep = out / "preview" / "notes.png"
    keep.write_bytes(b"mine")
    preview(content, out, dpi=30)
    assert not stale.exists() and keep.exists()


def test_preview_of_a_print_only_brochure(project: Callable[..., Path], tmp_path: Path) -> None:
    """When the content lists only print, the screen edition is built too, for the pictures."""
    content = project()
    source = content / "brochure.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"(?m)^editions: .*$", "editions: [print]", text), encoding="utf-8")
    result = preview(content, tmp_path, dpi=30)
    assert [o.edition for o in result.outputs] == ["print", "screen"]
    assert len(result.pages) == 4


def test_preview_progress_tells_each_stage(tmp_path: Path) -> None:
    """progress hears build()'s stages and then the preview's own."""
    stages: list[str] = []
    preview(CONTENT, tmp_path, dpi=30, progress=lambda name, seconds: stages.append(name))
    assert stages[0] == "theme and fonts"
    assert stages[-3:] == ["preview (pages)", "preview (contact sheet)", "preview (write)"]


def test_preview_rejects_an_absurd_resolution(tmp_path: Path) -> None:
    """A resolution outside 10 to 1200 dpi is refused before anything is built."""
    with pytest.raises(ValueError, match="dpi"):
        preview(CONTENT, tmp_path, dpi=5000)
    assert not any(tmp_path.iterdir())


def test_figure_as_png(tmp_path: Path) -> None:
    """A PNG figure is the drawn width at the given dpi, transparent around the disc."""
    path = export_figure(
        CONTENT, "virtuous-circle", "png", tmp_path / "circle.png", width=50, dpi=200
    )
    with Image.open(path) as image:
        assert image.mode == "RGBA"
        assert image.width == pytest.approx(50 / 25.4 * 200, abs=1)
        assert image.getpixel((0, 0))[3] == 0  # the corner, outside the disc
        centre = image.getpixel((image.width // 2, image.height // 2))
        assert centre[3] == 255


def test_figure_png_is_never_cmyk(tmp_path: Path) -> None:
    """Asking for a CMYK PNG is an error: PNG has no CMYK."""
    with pytest.raises(ContentError, match="RGB"):
        export_figure(CONTENT, "virtuous-circle", "png", tmp_path / "c.png", cmyk=True)
