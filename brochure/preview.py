"""See the pages without a PDF viewer: ``brochure preview``.

Input: a content folder, an output folder and a resolution. Output: the build's
PDFs, exactly as ``brochure build`` writes them, and under ``OUT/preview/`` one
PNG per page of the screen edition (``<slug>-page-01.png``, ...) and a contact
sheet of them all (``<slug>-contact.png``). Pages are rasterised by pdfium
(pypdfium2) and the sheet is drawn with Pillow; both are imported only here,
so that the rest of brochure runs without them.
"""

from __future__ import annotations

import io
import math
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .build import Output, Progress, build
from .output import write_atomic
from .project import package_fonts_dir

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["MAX_DPI", "MIN_DPI", "PreviewResult", "contact_sheet", "preview", "render_pages"]

MIN_DPI = 10
"""Coarsest resolution: a page is still about 60 pixels wide."""
MAX_DPI = 1200
"""Finest resolution: an A5 page is then about 7000 by 10000 pixels."""

THUMB_WIDTH = 180
"""Width of each page on the contact sheet, in pixels."""
GAP = 24
"""Space around and between the pages of the contact sheet, in pixels."""
LABEL_HEIGHT = 22
"""Room under each page for its number, in pixels."""
COLUMNS = 4
"""Pages per row of the contact sheet."""
GROUND = (232, 232, 232)  # light grey, so that white pages stand out
EDGE = (196, 196, 196)  # a hairline round each page
INK = (96, 96, 96)  # the page numbers


@dataclass(frozen=True)
class PreviewResult:
    """What ``brochure preview`` wrote."""

    outputs: tuple[Output, ...]
    """The PDFs of the build, as ``brochure build`` writes them."""
    pages: tuple[Path, ...]
    """One PNG per page of the screen edition, in page order."""
    contact_sheet: Path
    """Every page, small, on one PNG."""


def preview(
    content_dir: Path, out_dir: Path, *, dpi: int = 96, progress: Progress | None = None
) -> PreviewResult:
    """Build ``content_dir`` into ``out_dir`` and render the screen edition's pages as PNG.

    The screen edition is built too when the content's ``editions`` leave it
    out. PNGs of pages that no longer exist are removed; ``progress`` gets the
    build's stages and then the preview's own.
    """
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(f"dpi must be between {MIN_DPI} and {MAX_DPI} (got {dpi})")
    outputs = build(content_dir, out_dir, progress=progress)
    if not any(o.edition == "screen" for o in outputs):
        outputs += build(content_dir, out_dir, ["screen"], progress=progress)
    screen = next(o for o in outputs if o.edition == "screen")
    slug = screen.path.name.removesuffix("-screen.pdf")
    folder = out_dir / "preview"
    with _stage(progress, "preview (pages)"):
        images = render_pages(screen.path, dpi)
    with _stage(progress, "preview (contact sheet)"):
        sheet = contact_sheet(images)
    with _stage(progress, "preview (write)"):
        pages = [folder / f"{slug}-page-{n:02d}.png" for n in range(1, len(images) + 1)]
        files = {path: _png(image, dpi) for path, image in zip(pages, images, strict=True)}
        contact = folder / f"{slug}-contact.png"
        files[contact] = _png(sheet)
        write_atomic(files)
        _remove_stale(folder, slug, set(pages))
    return PreviewResult(tuple(outputs), tuple(pages), contact)


def render_pages(pdf_path: Path, dpi: float) -> list[Image.Image]:
    """Every page of ``pdf_path`` as an RGB image at ``dpi`` (pdfium)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in pdf]
    finally:
        pdf.close()


def contact_sheet(pages: Sequence[Image.Image]) -> Image.Image:
    """The ``pages`` side by side on a light grey ground, in rows, each numbered beneath."""
    from PIL import Image, ImageDraw, ImageFont

    thumbs = [_thumbnail(page) for page in pages]
    columns = max(1, min(COLUMNS, len(thumbs)))
    rows = max(1, math.ceil(len(thumbs) / columns))
    cell_height = max((t.height for t in thumbs), default=0) + LABEL_HEIGHT
    size = (GAP + columns * (THUMB_WIDTH + GAP), GAP + rows * (cell_height + GAP))
    sheet = Image.new("RGB", size, GROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(package_fonts_dir() / "SourceSans3-Regular.ttf"), 13)
    for index, thumb in enumerate(thumbs):
        x = GAP + (index % columns) * (THUMB_WIDTH + GAP)
        y = GAP + (index // columns) * (cell_height + GAP)
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline=EDGE)
        sheet.paste(thumb, (x, y))
        label = (x + thumb.width / 2, y + thumb.height + LABEL_HEIGHT / 2)
        draw.text(label, str(index + 1), fill=INK, font=font, anchor="mm")
    return sheet


def _thumbnail(page: Image.Image) -> Image.Image:
    from PIL import Image

    height = max(1, round(page.height * THUMB_WIDTH / page.width))
    return page.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)


def _png(image: Image.Image, dpi: float | None = None) -> bytes:
    """``image`` as PNG bytes, tagged with its resolution (if given) so it opens at true size."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


def _remove_stale(folder: Path, slug: str, keep: set[Path]) -> None:
    """Remove page PNGs of ``slug`` left from a longer version of the brochure."""
    pattern = re.compile(rf"{re.escape(slug)}-page-\d+\.png")
    for path in folder.glob(f"{slug}-page-*.png"):
        if pattern.fullmatch(path.name) and path not in keep:
            path.unlink(missing_ok=True)


@contextmanager
def _stage(progress: Progress | None, name: str) -> Iterator[None]:
    """Tell ``progress`` how long the block took, as :func:`build` does for its stages."""
    start = time.perf_counter()
    yield
    if progress is not None:
        progress(name, time.perf_counter() - start)
