"""ReportLab's TrueType font, splitting text it has drawn before at C speed.

Every line ReportLab draws in a TrueType face goes through
``TTFont.splitString``, which maps each character to its code in one of the
font's embedded subsets, one character at a time in Python. A brochure draws
the same hundred or so characters over and over, so :class:`TTFont` remembers
the codes ReportLab gave the characters it has already split, per document,
and maps a text made only of those with one ``str.translate``. Anything else,
a character seen for the first time, goes to ReportLab, which assigns it.
"""

from __future__ import annotations

import weakref
from typing import Any

from reportlab.pdfbase import ttfonts

__all__ = ["TTFont"]


class TTFont(ttfonts.TTFont):  # type: ignore[misc]
    """``reportlab.pdfbase.ttfonts.TTFont`` with a memo of the codes of the first subset."""

    _seen: weakref.WeakKeyDictionary[Any, tuple[set[str], dict[int, int]]]
    """Per document: the characters ReportLab put in subset 0, and their codes."""

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        try:
            chars, codes = self._seen[doc]
        except KeyError:
            chars, codes = self._seen[doc] = (set(), {})
        if text and isinstance(text, str) and chars.issuperset(text):
            return [(0, text.translate(codes).encode("latin-1"))]
        chunks: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        if isinstance(text, str) and sum(len(b) for _, b in chunks) == len(text):
            i = 0  # one byte per character: learn the codes of subset 0
            for subset, data in chunks:
                if subset == 0:
                    for ch, code in zip(text[i : i + len(data)], data, strict=True):
                        chars.add(ch)
                        codes[ord(ch)] = code
                i += len(data)
        return chunks
