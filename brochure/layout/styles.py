"""Theme colours and text styles as ReportLab objects, for one edition.

The print edition gets CMYK colours, the screen edition their RGB twins;
nothing else about a style differs between editions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from .. import cache
from ..fonts import FontSet
from ..theme import TextStyle, Theme

__all__ = ["Styles", "hyphenation_language", "hyphenator"]


def hyphenation_language(language: str) -> str:
    """Pyphen's name of a content language tag: en-GB -> en_GB."""
    return language.replace("-", "_")


@functools.lru_cache(maxsize=8)
def hyphenator(language: str) -> Callable[[str], Any] | str:
    """Pyphen's hyphenator for ``language`` (``en_GB``), or "" (none) if Pyphen has no patterns.

    Pyphen reads a language's patterns from a text file on first use, which
    takes about 50 ms; the parsed patterns are kept in :mod:`brochure.cache`
    and handed to Pyphen through its own per-file cache.
    """
    import pyphen

    found = pyphen.language_fallback(language)
    if found is None:
        return ""
    path = pyphen.LANGUAGES[found]
    if path not in pyphen.hdcache:
        key = (str(path), pyphen.__version__)
        pyphen.hdcache[path] = cache.fetch("hyphenation", key, lambda: pyphen.HyphDict(path))
    return pyphen.Pyphen(lang=found).iterate  # type: ignore[no-any-return]


_ALIGN = {"left": TA_LEFT, "centre": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


class Styles:
    """Paragraph styles and colours of one theme, in one edition's colour model."""

    def __init__(self, theme: Theme, fonts: FontSet, *, cmyk: bool, language: str) -> None:
        self.theme = theme
        self.fonts = fonts
        self.cmyk = cmyk
        self.hyphenation = hyphenation_language(language)
        self._colours: dict[str, Any] = {}
        self._paragraph: dict[tuple[str, bool], ParagraphStyle] = {}

    def colour(self, name: str) -> Any:
        """The theme colour ``name`` as a ReportLab colour in this edition's model.

        In print, a colour with a ``spot`` name becomes a Separation colour (its
        CMYK values the alternate), so the press can run it as a spot ink.
        """
        found = self._colours.get(name)
        if found is None:
            spec = self.theme.colours[name]
            if not self.cmyk:
                found = Color(*spec.rgb_fractions)
            elif spec.spot:
                found = CMYKColorSep(*spec.cmyk_fractions, spotName=spec.spot)
            else:
                found = CMYKColor(*spec.cmyk_fractions)
            self._colours[name] = found
        return found

    def fill(self, name: str) -> Any:
        """The colour for a large area: plain black becomes the theme's rich black in print."""
        spec = self.theme.colours[name]
        if self.cmyk and spec.is_black:
            return CMYKColor(*(v / 100 for v in self.theme.print.rich_black))
        return self.colour(name)

    def overprints(self, colour: Any) -> bool:
        """Whether text in ``colour`` overprints: 100 % black, in print."""
        return (
            self.cmyk
            and self.theme.print.overprint_black
            and type(colour) is CMYKColor
            and (colour.cyan, colour.magenta, colour.yellow, colour.black) == (0, 0, 0, 1)
        )

    def text(self, name: str) -> TextStyle:
        """The theme's text style ``name``."""
        return self.theme.styles[name]

    def font(self, name: str) -> str:
        """ReportLab font name of the face that style ``name`` uses."""
        s = self.theme.styles[name]
        return self.fonts.face(s.font, bold=s.bold, italic=s.italic)

    def paragraph(self, name: str, *, last_in_group: bool = False) -> ParagraphStyle:
        """The ReportLab paragraph style for theme style ``name``.

        ``last_in_group`` gives the same style with no space after, for the last
        paragraph of a block kept together (whose space would push it to the next page).
        """
        key = (name, last_in_group)
        style = self._paragraph.get(key)
        if style is None:
            style = self._make(name, last_in_group)
            self._paragraph[key] = style
        return style

    def _make(self, name: str, last_in_group: bool) -> ParagraphStyle:
        s = self.theme.styles[name]
        return ParagraphStyle(
            name=f"{name}{'-last' if last_in_group else ''}",
            fontName=self.font(name),
            fontSize=s.size,
            leading=s.leading,
            textColor=self.colour(s.colour),
            alignment=_ALIGN[s.align],
            spaceBefore=s.space_before,
            spaceAfter=0 if last_in_group else s.space_after,
            leftIndent=s.indent,
            bulletIndent=0,
            bulletFontName=self.font("bullet"),
            bulletFontSize=self.theme.styles["bullet"].size,
            bulletColor=self.colour(self.theme.styles["bullet"].colour),
            allowWidows=0,
            allowOrphans=0,
            hyphenationLang=hyphenator(self.hyphenation) if s.hyphenate else "",
            hyphenationMinWordLength=s.hyphenate_min,
            embeddedHyphenation=1,
            uriWasteReduce=0.3,
            splitLongWords=1,
            textTransform="uppercase" if s.upper else None,
            linkUnderline=0,
        )
