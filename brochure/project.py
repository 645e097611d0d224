"""Where a brochure's files live: content, theme, layouts and fonts.

A brochure is a folder holding ``content/`` (``brochure.yaml`` and
``theme.yaml``), and optionally ``layouts/`` and ``fonts/`` beside it, which
override the layouts and fonts that come with the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["PACKAGE_DIR", "Project", "package_fonts_dir"]

PACKAGE_DIR = Path(__file__).resolve().parent


def package_fonts_dir() -> Path:
    """The fonts that come with brochure: inside an installed wheel, or the checkout's fonts/."""
    installed = PACKAGE_DIR / "fonts"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "fonts"


@dataclass(frozen=True)
class Project:
    """The files of one brochure."""

    content_dir: Path
    """The folder holding brochure.yaml and theme.yaml."""

    @property
    def root(self) -> Path:
        """The folder that holds content/, and optionally layouts/ and fonts/."""
        return self.content_dir.resolve().parent

    @property
    def content_file(self) -> Path:
        return self.content_dir / "brochure.yaml"

    @property
    def theme_file(self) -> Path:
        return self.content_dir / "theme.yaml"

    @property
    def layout_dirs(self) -> tuple[Path, ...]:
        """Where layout templates are looked up, first match wins."""
        return (self.root / "layouts", PACKAGE_DIR / "layouts")

    @property
    def font_dirs(self) -> tuple[Path, ...]:
        """Where font files are looked up, first match wins."""
        return (self.root / "fonts", package_fonts_dir())

    @property
    def profile_dirs(self) -> tuple[Path, ...]:
        """Where ICC output profiles are looked up, first match wins."""
        return (self.root / "profiles", PACKAGE_DIR / "profiles")

    def find(self, dirs: tuple[Path, ...], name: str) -> Path | None:
        """The first ``dirs/name`` that is a file."""
        return next((d / name for d in dirs if (d / name).is_file()), None)

    def inputs(self) -> list[Path]:
        """Every file a build reads, for rebuild checks and reproducible dates."""
        files = [self.content_file, self.theme_file]
        for folder in (*self.layout_dirs, *self.font_dirs):
            if folder.is_dir():
                files.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
        files.extend(p for p in sorted(self.content_dir.rglob("*")) if p.is_file())
        return [p for p in dict.fromkeys(files) if p.exists()]
