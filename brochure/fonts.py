"""Font files: found in the brochure's fonts/ folder or the package's, read once.

Every face is a TrueType/OpenType file registered with ReportLab, which
embeds a subset of it in each PDF. No base-14 font is ever used: the
:attr:`FontSet.fallback` face stands in wherever ReportLab would default to
Helvetica. :meth:`FontSet.missing` tells which characters a text would draw
as blank boxes, so they can be reported instead.

Finding the files and reading what they can draw (:func:`load_fonts`) needs no
ReportLab when the parsed tables are in the cache, so the content can be
checked in a process that never loads it. The faces are registered with
ReportLab in the process that draws, the first time a face is asked for.
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
_REGISTERED: set[str] = set()
"""The font names registered with ReportLab in this process."""

_Tables = tuple[dict[str, Any], dict[str, Any]]
"""What parsing a font file finds: the attributes of ReportLab's ``TTFont``, and of its face."""


@dataclass(frozen=True)
class FontSet:
    """The fonts of one theme: their files, names, and what every face can draw."""

    faces: dict[str, dict[str, str]]
    """family -> face (regular, italic, bold, bold_italic) -> ReportLab font name."""
    files: dict[str, Path]
    """ReportLab font name -> its file."""
    coverage: frozenset[int]
    """Code points that every face can draw."""

    @property
    def fallback(self) -> str:
        """The face used where ReportLab needs a default font (registered)."""
        self.register()
        return next(iter(self.faces.values()))["regular"]

    def face(self, family: str, *, bold: bool = False, italic: bool = False) -> str:
        """The ReportLab font name of one face of ``family`` (registered)."""
        self.register()
        key = ("bold_" if bold else "") + ("italic" if italic else "")
        return self.faces[family][key.rstrip("_") or "regular"]

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` that some face cannot draw, in order."""
        if set(text) <= self._drawable:  # the usual answer, found at C speed
            return []
        return [c for c in text if c not in self._drawable]

    def register(self) -> None:
        """Register every face with ReportLab in this process, and each family, so that
        ``<b>`` and ``<i>`` inside a paragraph pick its faces. Done once: later calls,
        and the :meth:`face` and :attr:`fallback` that call it, cost nothing."""
        self._registration  # noqa: B018 (a cached property: the first use registers)

    @functools.cached_property
    def _registration(self) -> None:
        from reportlab.pdfbase import pdfmetrics

        for name, path in self.files.items():
            if name not in _REGISTERED:  # a file version is parsed and registered once
                pdfmetrics.registerFont(_ttfont(name, path))
                _REGISTERED.add(name)
        for f in self.faces.values():
            pdfmetrics.registerFontFamily(
                f["regular"],
                normal=f["regular"],
                bold=f["bold"],
                italic=f["italic"],
                boldItalic=f["bold_italic"],
            )

    def __getstate__(self) -> dict[str, Any]:
        # Sent to another process: the fonts, not what this one registered or worked out.
        return {"faces": self.faces, "files": self.files, "coverage": self.coverage}

    @functools.cached_property
    def _drawable(self) -> frozenset[str]:
        return frozenset(map(chr, self.coverage | _IGNORED))


def load_fonts(
    families: dict[str, dict[str, str]],
    dirs: Iterable[Path],
    where: dict[str, Location | None],
) -> FontSet:
    """Find and read every face of ``families`` (family -> face -> file name).

    ``where`` gives, per family, where the theme names it, for error messages.
    """
    dirs = tuple(dirs)
    problems: list[Problem] = []
    faces: dict[str, dict[str, str]] = {}
    files: dict[str, Path] = {}
    coverage: frozenset[int] | None = None
    for family, names in families.items():
        faces[family] = {}
        for face, filename in names.items():
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
                name = _font_name(path)
                cmap = _coverage(name, path)
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
            files[name] = path
            coverage = cmap if coverage is None else coverage & cmap
    ContentError.collect(problems)
    return FontSet(faces, files, coverage or frozenset())


def _font_name(path: Path) -> str:
    """The name ``path`` is registered under: its own for each version of the file."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    return f"{path.stem}-{hashlib.sha1(repr(key).encode()).hexdigest()[:8]}"


@functools.lru_cache(maxsize=256)
def _coverage(name: str, path: Path) -> frozenset[int]:
    """The code points the face ``name`` (a version of ``path``) can draw, read once per
    process, and kept in the cache on its own (so that reading it needs no ReportLab).
    Outside the Basic Multilingual Plane ReportLab's subsets map text wrongly (a
    copy-paste would give another character), so such characters count as not drawable.
    """
    from reportlab import Version  # the package's version only: no ReportLab module loads

    data, digest = _read(path)

    def read() -> frozenset[int]:
        _attrs, face = _tables(path, data, digest)
        return frozenset(c for c in face["charToGlyph"] if c <= 0xFFFF)

    return cache.fetch("glyphs", (digest, Version), read)


def _read(path: Path) -> tuple[bytes, str]:
    """The bytes of ``path`` and their digest, which keys what the cache keeps of them.

    Keyed by the bytes, not the file's size and time: a font edited in place and
    copied with its old time (cp -p, rsync -t) must not get its old metrics.
    """
    data = path.read_bytes()
    return data, hashlib.sha1(data).hexdigest()


def _tables(path: Path, data: bytes, digest: str) -> _Tables:
    """What parsing ``path`` (``data``, of ``digest``) finds, from the cache if it is there.

    Parsing a font file in pure Python takes a few milliseconds a face. What the
    parse finds (metrics, character map, glyph offsets) is kept in the cache;
    the file's bytes, which subsetting needs, are read afresh. The entry is
    keyed by a digest of those bytes and by ReportLab's version, as it holds
    ReportLab's own attributes.
    """
    from reportlab import Version

    return cache.fetch("font", (digest, Version), lambda: _parse(path, data))


def _parse(path: Path, data: bytes) -> _Tables:
    """Parse the font file ``path`` (whose bytes are ``data``) with ReportLab."""
    from reportlab.pdfbase.ttfonts import TTFont

    source = io.BytesIO(data)  # the very bytes the entry is keyed by
    source.name = str(path)  # ReportLab names the face after it
    font = TTFont(path.stem, source)
    face = dict(font.face.__dict__)
    del face["_ttf_data"], face["_pdfScale"]  # the bytes are re-read; a lambda
    attrs = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "fontName")}
    return attrs, face


def _ttfont(name: str, path: Path) -> Any:
    """A ReportLab ``TTFont`` named ``name`` for ``path``, built from its parsed tables."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    from .layout.ttfont import TTFont

    data, digest = _read(path)
    attrs, face_state = _tables(path, data, digest)
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
