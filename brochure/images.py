"""Pictures: checked when content is read, prepared for each edition when laid out.

Input: a JPEG or PNG file inside the brochure's folder. Output: a Pillow image
ready to embed: for print, converted to CMYK through the theme's output
profile (as a print shop's RIP would, within its ink limit; greyscale stays
grey); for screen, RGB and downsampled to at most 150 pixels per inch at the
size it is drawn, so the file stays small for email.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PRINT_PPI", "SCREEN_PPI", "Picture", "check_image", "load", "prepare"]

PRINT_PPI = 300
"""Resolution a print shop asks for, at the size an image is printed."""
SCREEN_PPI = 150
"""Resolution the screen edition keeps, at the size an image is shown."""


@dataclass(frozen=True)
class Picture:
    """An image file, read once."""

    path: Path
    width: int
    """Pixels."""
    height: int
    """Pixels."""

    @property
    def aspect(self) -> float:
        """Height over width."""
        return self.height / self.width


def check_image(path: Path) -> None:
    """Raise ValueError unless ``path`` is a JPEG or PNG that Pillow can read."""
    load(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def load(path: Path, mtime: int) -> Picture:
    """Read ``path``'s size (``mtime`` keys the cache, so an edited file is read again)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format not in ("JPEG", "PNG"):
                raise ValueError(f"{path.name} is {image.format}; use a JPEG or PNG image")
            image.load()
            return Picture(path, image.width, image.height)
    except UnidentifiedImageError:
        raise ValueError(f"{path.name} is not an image brochure can read (JPEG or PNG)") from None
    except OSError as exc:
        raise ValueError(f"{path.name} cannot be read: {exc}") from None


@functools.lru_cache(maxsize=64)
def prepare(path: Path, mtime: int, *, profile: bytes | None, max_pixels: int | None) -> Any:
    """The image to embed: CMYK through ``profile`` when given (print), else RGB; with at
    most ``max_pixels`` across (screen), keeping its proportions."""
    from PIL import Image, ImageCms

    with Image.open(path) as opened:
        opened.load()
        image: Image.Image = opened
        if image.mode in ("RGBA", "LA", "P", "PA"):
            background = Image.new("RGB", image.size, "white")  # paper, not transparency
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        if max_pixels and image.width > max_pixels:
            height = round(image.height * max_pixels / image.width)
            image = image.resize((max_pixels, height), Image.Resampling.LANCZOS)
        if profile is None:
            return image if image.mode in ("RGB", "L") else image.convert("RGB")
        if image.mode in ("L", "CMYK"):
            return image
        source = ImageCms.createProfile("sRGB")
        target = ImageCms.getOpenProfile(io.BytesIO(profile))
        transform = ImageCms.buildTransform(
            source, target, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC
        )
        return ImageCms.applyTransform(image.convert("RGB"), transform)
