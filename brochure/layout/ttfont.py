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

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        memos = self._memos()
        memo = memos.get(doc)
        # Valid while ReportLab keeps the same subsets for the document (it starts
        # afresh once the document is saved).
        if (
            memo is not None
            and memo.state is self.state.get(doc)
            and text
            and isinstance(text, str)
            and memo.chars.issuperset(text)
        ):
            return [(0, text.translate(memo.codes).encode("latin-1"))]
        chunks: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        state = self.state.get(doc)
        if memo is None or memo.state is not state:
            memo = memos[doc] = _Memo(state)
        if isinstance(text, str) and sum(len(b) for _, b in chunks) == len(text):
            i = 0  # one byte per character: learn the codes of subset 0
            for subset, data in chunks:
                if subset == 0:
                    for ch, code in zip(text[i : i + len(data)], data, strict=True):
                        memo.chars.add(ch)
                        memo.codes[ord(ch)] = code
                i += len(data)
        return chunks

    def _memos(self) -> weakref.WeakKeyDictionary[Any, _Memo]:
        memos: weakref.WeakKeyDictionary[Any, _Memo] | None = self.__dict__.get("_memo")
        if memos is None:
            memos = self.__dict__["_memo"] = weakref.WeakKeyDictionary()
        return memos


class _Memo:
    """The characters ReportLab put in subset 0 for one document's subsets, and their codes."""

    __slots__ = ("chars", "codes", "state")

    def __init__(self, state: object) -> None:
        self.state = state
        """ReportLab's subsets of the document these codes belong to."""
        self.chars: set[str] = set()
        self.codes: dict[int, int] = {}
