"""Export a figure on its own, as SVG, PDF or PNG, for the web team or another document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, Problem
from .figures import Cycle, CyclePaint, cycle_drawing
from .fonts import FontSet
from .model import Figure
from .output import write_atomic
from .project import Project
from .schema import unknown_name
from .theme import Theme
from .units import MM
from .validate import read_content, read_theme

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

__all__ = ["export_figure", "figure_cycle"]


def figure_cycle(figure: Figure) -> Cycle:
    """The drawable cycle of a content figure."""
    return Cycle(tuple((n.letter, n.label) for n in figure.nodes), figure.centre)


def _paint(theme: Theme, fonts: FontSet, *, cmyk: bool) -> CyclePaint:
    from .layout.styles import Styles

    styles = Styles(theme, fonts, cmyk=cmyk, language="en")
    f = theme.figure
    return CyclePaint(
        node=styles.colour(f.node),
        label=styles.colour(f.label),
        arrow=styles.colour(f.arrow),
        disc=styles.colour(f.disc),
        centre=styles.colour(f.centre),
        font=fonts.face(f.font, bold=True),
        label_font=fonts.face(f.font),
    )


def export_figure(
    content_dir: Path,
    name: str,
    fmt: str,
    out: Path | None,
    *,
    width: float = 80.0,
    cmyk: bool = False,
    dpi: float = 300.0,
) -> Path:
    """Write figure ``name`` of the brochure in ``content_dir`` as ``fmt`` (svg, pdf or png).

    A PNG is the PDF rasterised by pdfium at ``dpi``, on a transparent ground;
    it is always RGB, so ``cmyk`` is an error with it.
    """
    if fmt == "png" and cmyk:
        raise ContentError(Problem("a PNG is always RGB: use pdf or svg for CMYK (got --cmyk)"))
    project = Project(content_dir)
    theme, fonts = read_theme(project)
    content = read_content(project, theme, fonts)
    figures = content.brochure.figures
    if name not in figures:
        raise ContentError(Problem(unknown_name("figure", name, list(figures))))
    drawing = cycle_drawing(
        figure_cycle(figures[name]), width * MM, _paint(theme, fonts, cmyk=cmyk)
    )
    target = out or Path("build") / f"{name}.{fmt}"
    write_atomic({target: _encode(drawing, fmt, fonts, cmyk=cmyk, dpi=dpi)})
    return target


def _encode(drawing: Drawing, fmt: str, fonts: FontSet, *, cmyk: bool, dpi: float) -> bytes:
    """``drawing`` as the bytes of an SVG, PDF or PNG file."""
    if fmt == "svg":
        from reportlab.graphics import renderSVG

        return _svg_fonts(renderSVG.drawToString(drawing), fonts).encode("utf-8")
    from reportlab.graphics import renderPDF

    pdf: bytes = renderPDF.drawToString(
        drawing, invariant=1, enforceColorSpace="cmyk" if cmyk else None
    )
    return _png(pdf, dpi) if fmt == "png" else pdf


def _png(pdf: bytes, dpi: float) -> bytes:
    """The one page of ``pdf`` as PNG at ``dpi``, transparent where nothing is drawn."""
    import io

    import pypdfium2 as pdfium

    buffer = io.BytesIO()
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 0))
        bitmap.to_pil().save(buffer, "PNG", dpi=(dpi, dpi))
    finally:
        document.close()
    return buffer.getvalue()


_WEIGHTS = {
    "thin": 100,
    "extralight": 200,
    "light": 300,
    "medium": 500,
    "semibold": 600,
    "bold": 700,
    "extrabold": 800,
    "black": 900,
}


def _svg_fonts(svg: str, fonts: FontSet) -> str:
    """Name fonts in SVG the way CSS does (family, weight, style), not by internal name."""
    from reportlab.pdfbase import pdfmetrics

    for faces in fonts.faces.values():
        for internal in set(faces.values()):
            face = pdfmetrics.getFont(internal).face
            family = face.familyName
            family = family.decode() if isinstance(family, bytes) else str(family)
            # The legacy family name carries the weight ("Source Sans 3 Semibold").
            words = family.split()
            while len(words) > 1 and words[-1].lower() in _WEIGHTS:
                words.pop()
            family = " ".join(words)
            style = face.name.decode() if isinstance(face.name, bytes) else str(face.name)
            variant = style.rsplit("-", 1)[-1].lower()
            weight = next((w for k, w in _WEIGHTS.items() if variant.startswith(k)), 400)
            italic = "italic" if variant.endswith(("it", "italic")) else "normal"
            css = (
                f"font-family: '{family}', sans-serif; font-weight: {weight}; font-style: {italic};"
            )
            svg = re.sub(rf"font-family: {re.escape(internal)};", css, svg)
    return svg
