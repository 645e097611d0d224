"""The theme: page geometry, colours, fonts and text styles, as frozen dataclasses.

A theme file (``content/theme.yaml``) is merged over the package's defaults
(``brochure/defaults/theme.yaml``), key by key, so a designer writes only what
differs. Every colour is defined once in CMYK (for print) with its RGB twin
(for screen); every font is a file in a ``fonts/`` folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from .schema import Invalid, Length, Size, option

__all__ = [
    "Colour",
    "FigureStyle",
    "FontFamily",
    "Margins",
    "PageSetup",
    "PrintSetup",
    "TextStyle",
    "Theme",
]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Colour:
    """One colour, defined for both editions."""

    cmyk: Annotated[tuple[float, ...], Size(4, 4)] = option(
        "Cyan, magenta, yellow and black in per cent (0 to 100), for print."
    )
    rgb: str = option("The screen twin, as #rrggbb.")
    spot: str | None = option(
        "Print as this named spot ink (a Separation colour with the CMYK values as its "
        "alternate), for a brand colour mixed at the press.",
        None,
    )

    def __post_init__(self) -> None:
        if any(not 0 <= v <= 100 for v in self.cmyk):
            raise Invalid("cmyk", f"expected four per cents from 0 to 100 (got {list(self.cmyk)})")
        if not _HEX.fullmatch(self.rgb):
            raise Invalid("rgb", f"expected a colour such as #1a2b3c (got {self.rgb!r})")

    @property
    def cmyk_fractions(self) -> tuple[float, float, float, float]:
        """The CMYK values as fractions 0 to 1."""
        c, m, y, k = (v / 100 for v in self.cmyk)
        return c, m, y, k

    @property
    def rgb_fractions(self) -> tuple[float, float, float]:
        """The RGB twin as fractions 0 to 1."""
        return tuple(int(self.rgb[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]

    @property
    def coverage(self) -> float:
        """Total area coverage (sum of the four inks) in per cent."""
        return sum(self.cmyk)

    @property
    def is_black(self) -> bool:
        """Pure black ink (100 % K, nothing else): overprints as text, enriched as an area."""
        return tuple(self.cmyk) == (0, 0, 0, 100)


@dataclass(frozen=True)
class FontFamily:
    """A family of font files: regular, italic, bold and bold italic."""

    regular: str = option("File name of the regular face, in a fonts/ folder.")
    italic: str | None = option("Italic face; the regular face if unset.", None)
    bold: str | None = option("Bold face; the regular face if unset.", None)
    bold_italic: str | None = option("Bold italic face; the bold face if unset.", None)

    @property
    def faces(self) -> dict[str, str]:
        """File name for each of regular, italic, bold and bold_italic."""
        bold = self.bold or self.regular
        return {
            "regular": self.regular,
            "italic": self.italic or self.regular,
            "bold": bold,
            "bold_italic": self.bold_italic or bold,
        }


@dataclass(frozen=True)
class TextStyle:
    """How one kind of text is set."""

    size: Length = option("Font size.")
    leading: Length = option("Distance from one baseline to the next.")
    font: str = option("A family in fonts.", "serif")
    bold: bool = option("Use the family's bold face.", False)
    italic: bool = option("Use the family's italic face.", False)
    colour: str = option("A colour in colours.", "text")
    align: Literal["left", "centre", "right", "justify"] = option("Alignment.", "left")
    space_before: Length = option("Space above.", 0.0)
    space_after: Length = option("Space below.", 0.0)
    indent: Length = option("Left indent of every line.", 0.0)
    hyphenate: bool = option("Hyphenate long words at line ends.", True)
    hyphenate_min: int = option("Shortest word that may be hyphenated, in letters.", 7)
    upper: bool = option("Set in capitals.", False)

    def __post_init__(self) -> None:
        if self.size <= 0:
            raise Invalid("size", "expected a size above zero")
        if self.leading < self.size * 0.8:
            raise Invalid(
                "leading",
                f"expected at least 0.8 x size so lines do not collide (got {self.leading:.1f}pt "
                f"for {self.size:.1f}pt type)",
            )


@dataclass(frozen=True)
class Margins:
    """White space between the trim and the text area."""

    top: Length = option("Above the text area.")
    bottom: Length = option("Below the text area (the folio sits here).")
    inner: Length = option("At the spine side.")
    outer: Length = option("At the fore-edge side.")


@dataclass(frozen=True)
class PageSetup:
    """The trimmed page and what surrounds it."""

    width: Length = option("Trim width (A5 is 148mm).")
    height: Length = option("Trim height (A5 is 210mm).")
    bleed: Length = option("How far backgrounds run past the trim in print.")
    margins: Margins = option("Margins around the text area.")
    baseline: Length = option("The baseline grid that body leading follows.")

    def __post_init__(self) -> None:
        m = self.margins
        if m.inner + m.outer >= self.width * 0.8 or m.top + m.bottom >= self.height * 0.8:
            raise Invalid("margins", "leave less than a fifth of the page for text")
        if not 0 <= self.bleed <= 20:
            raise Invalid("bleed", "expected a bleed from 0 to 7mm")


@dataclass(frozen=True)
class FigureStyle:
    """How the virtuous circle is drawn."""

    font: str = option("A family in fonts; its bold face draws letters and labels.")
    node: str = option("Fill of the nodes.")
    label: str = option("Letters and labels inside the nodes.")
    arrow: str = option("The arrows between nodes.")
    disc: str = option("The disc behind the ring.")
    centre: str = option("Words in the middle of the ring.")


@dataclass(frozen=True)
class PrintSetup:
    """How the print edition meets the print shop's standard (PDF/X-4)."""

    output_profile: str = option(
        "ICC output profile of the printing condition: a file in profiles/ beside content/, "
        "or one that comes with brochure."
    )
    output_condition: str = option("The printing condition's identifier, such as FOGRA39.")
    output_condition_info: str = option("Words describing the printing condition.")
    rich_black: Annotated[tuple[float, ...], Size(4, 4)] = option(
        "CMYK used instead of plain black for large areas (backgrounds, bands, panels)."
    )
    registry: str = option("Where the condition is registered.", "http://www.color.org")
    ink_limit: float = option("Highest total area coverage allowed anywhere, in per cent.", 300.0)
    overprint_black: bool = option("Text in 100 % black overprints (no white gaps).", True)

    def __post_init__(self) -> None:
        if not 200 <= self.ink_limit <= 400:
            raise Invalid("ink_limit", f"expected 200 to 400 per cent (got {self.ink_limit:g})")
        if sum(self.rich_black) > self.ink_limit:
            raise Invalid(
                "rich_black",
                f"uses {sum(self.rich_black):g} % ink, over the {self.ink_limit:g} % limit",
            )


@dataclass(frozen=True)
class Theme:
    """The whole theme: ``content/theme.yaml`` merged over the defaults."""

    page: PageSetup = option("Page geometry.")
    colours: dict[str, Colour] = option("Named colours.")
    fonts: dict[str, FontFamily] = option("Named font families.")
    styles: dict[str, TextStyle] = option("Named text styles; layouts refer to them.")
    figure: FigureStyle = option("Font and colours of the virtuous circle.")
    print: PrintSetup = option("Print production: output profile, ink limit, black.")

    def colour_names(self) -> list[str]:
        """Every colour the theme defines, for messages."""
        return list(self.colours)
