"""Font files: found in the brochure's fonts/ folder or the package's, registered once.

Every face is a TrueType/OpenType file registered with ReportLab, which
embeds a subset of it in each PDF. No base-14 font is ever used: the
:attr:`FontSet.fallback` face stands in wherever ReportLab would default to
Helvetica. :meth:`FontSet.missing` tells which characters a text would draw
as blank boxes, so they can be reported instead.
"""

from __future__ import annotations

import functools
import hashlib
import io
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache
from .errors import ContentError, Location, Problem

__all__ = ["FontSet", "load_fonts"]

_IGNORED = frozenset(map(ord, "\n\r\t\u00ad\u200b"))
_REGISTERED: dict[tuple[str, int, int], str] = {}


@dataclass(frozen=True)
class FontSet:
    """The fonts of one theme, registered with ReportLab."""

    faces: dict[str, dict[str, str]]
    """family -> face (regular, italic, bold, bold_italic) -> ReportLab font name."""
    coverage: frozenset[int]
    """Code points that every face can draw."""

    @property
    def fallback(self) -> str:
        """The face used where ReportLab needs a default font."""
        return next(iter(self.faces.values()))["regular"]

    def face(self, family: str, *, bold: bool = False, italic: bool = False) -> str:
        """The ReportLab font name of one face of ``family``."""
        key = ("bold_" if bold else "") + ("italic" if italic else "")
        return self.faces[family][key.rstrip("_") or "regular"]

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` that some face cannot draw, in order."""
        if set(text) <= self._drawable:  # the usual answer, found at C speed
            return []
        return [c for c in text if c not in self._drawable]

    @functools.cached_property
    def _drawable(self) -> frozenset[str]:
        return frozenset(map(chr, self.coverage | _IGNORED))


def load_fonts(
    families: dict[str, dict[str, str]],
    dirs: Iterable[Path],
    where: dict[str, Location | None],
) -> FontSet:
    """Find and register every face of ``families`` (family -> face -> file name).

    ``where`` gives, per family, where the theme names it, for error messages.
    """
    from reportlab.pdfbase import pdfmetrics

    dirs = tuple(dirs)
    problems: list[Problem] = []
    faces: dict[str, dict[str, str]] = {}
    coverage: frozenset[int] | None = None
    for family, files in families.items():
        faces[family] = {}
        for face, filename in files.items():
            path = next((d / filename for d in dirs if (d / filename).is_file()), None)
            if path is None:
                searched = ", ".join(str(d) for d in dirs)
                problems.append(
                    Problem(
                        f"font file {filename!r} not found (looked in {searched})",
                        where.get(family),
                        f"fonts.{family}.{face}",
                    )
                )
                continue
            try:
                name = _register(path)
            except Exception as exc:  # ReportLab raises bare TTFError and others
                problems.append(
                    Problem(
                        f"cannot use font file {path}: {exc}",
                        where.get(family),
                        f"fonts.{family}.{face}",
                    )
                )
                continue
            faces[family][face] = name
            # Outside the Basic Multilingual Plane ReportLab's subsets map text wrongly
            # (a copy-paste would give another character), so such characters count as
            # not drawable.
            cmap = frozenset(c for c in pdfmetrics.getFont(name).face.charToGlyph if c <= 0xFFFF)
            coverage = cmap if coverage is None else coverage & cmap
        if len(faces[family]) == len(files):
            # so that <b> and <i> inside a paragraph pick this family's faces
            f = faces[family]
            pdfmetrics.registerFontFamily(
                f["regular"],
                normal=f["regular"],
                bold=f["bold"],
                italic=f["italic"],
                boldItalic=f["bold_italic"],
            )
    ContentError.collect(problems)
    return FontSet(faces, coverage or frozenset())


def _register(path: Path) -> str:
    """Register ``path`` with ReportLab once per file version; return its font name."""
    from reportlab.pdfbase import pdfmetrics

    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    name = _REGISTERED.get(key)
    if name is None:
        digest = hashlib.sha1(repr(key).encode()).hexdigest()[:8]
        name = f"{path.stem}-{digest}"
        pdfmetrics.registerFont(_parsed(name, path))
        _REGISTERED[key] = name
    return name


def _parsed(name: str, path: Path) -> Any:
    """A ReportLab ``TTFont`` for ``path``, its tables read from the cache if they are there.

    Parsing a font file in pure Python takes a few milliseconds a face. What the
    parse finds (metrics, character map, glyph offsets) is kept in the cache;
    the file's bytes, which subsetting needs, are read afresh. The entry is
    keyed by a digest of those bytes and by ReportLab's version, as it holds
    ReportLab's own attributes.
    """
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

    def parse() -> tuple[dict[str, Any], dict[str, Any]]:
        source = io.BytesIO(data)  # the very bytes the entry is keyed by
        source.name = str(path)  # ReportLab names the face after it
        font = TTFont(name, source)
        face = dict(font.face.__dict__)
        del face["_ttf_data"], face["_pdfScale"]  # the bytes are re-read; a lambda
        attrs = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "fontName")}
        return attrs, face

    data = path.read_bytes()
    # Keyed by the bytes, not the file's size and time: a font edited in place and
    # copied with its old time (cp -p, rsync -t) must not get its old metrics.
    digest = hashlib.sha1(data).hexdigest()
    attrs, face_state = cache.fetch("font", (digest, reportlab.Version), parse)
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(face_state)
    face.filename = str(path)  # the same bytes may have been cached from another folder
    face._ttf_data = data
    face._pdfScale = functools.partial(_scale, 1000 / face.unitsPerEm)
    font = TTFont.__new__(TTFont)
    font.__dict__.update(attrs)
    font.fontName = name
    font.face = face
    font.state = weakref.WeakKeyDictionary()  # per-document subsets, as TTFont.__init__ makes it
    return font


def _scale(factor: float, value: float) -> float:
    """Font units to PDF glyph-space units (1000 per em), as ReportLab's own parse does."""
    return value if factor == 1 else value * factor
