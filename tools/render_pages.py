"""Render a built PDF's pages side by side into one PNG (for the README and docs).

python tools/render_pages.py build/hsmc-prospectus-screen.pdf docs/pages.png [--dpi 40]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image


def contact_sheet(pdf_path: Path, dpi: float, gap: int = 16) -> Image.Image:
    """All pages of ``pdf_path`` in one row on a light grey ground."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in pdf]
    pdf.close()
    width = sum(p.width for p in pages) + gap * (len(pages) + 1)
    height = max(p.height for p in pages) + 2 * gap
    sheet = Image.new("RGB", (width, height), "#e6e7e8")
    x = gap
    for page in pages:
        sheet.paste(page, (x, gap))
        x += page.width + gap
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--dpi", type=float, default=40)
    args = parser.parse_args()
    contact_sheet(args.pdf, args.dpi).save(args.png, optimize=True)


if __name__ == "__main__":
    main()
